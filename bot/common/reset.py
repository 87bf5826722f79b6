"""/reset: forget a chat's lesson, keep its language. No Telegram here."""

from __future__ import annotations

from bot.digits.kept import PhotoCache
from bot.services import Services
from bot.store import ChatState

RESET_CONFIRM_SECONDS = 600  # a /reset confirmation button works for ten minutes


def expired(asked: float, now: float) -> bool:
    """An old confirmation button must not erase a new lesson."""
    return now - asked > RESET_CONFIRM_SECONDS


def forget_chat(services: Services, state: ChatState, photos: PhotoCache | None = None) -> bool:
    """Delete everything the chat saved, keeping only its language: the state (table, settings,
    network, the lesson's place and the table it set aside, the quiz score, the lab's settings),
    its files (the lab's networks, the lesson's saved network), its corrected digits (the lab's
    examples), its /share codes, and the photos kept in memory for the buttons under answers.

    Cancels the chat's training if one runs; returns whether one did.
    """
    chat_id = state.chat_id
    cancelled = bool(services.jobs and services.jobs.cancel(chat_id))
    services.store.delete(chat_id)
    if photos is not None:
        photos.forget(chat_id)
    if state.lang:  # the language is a preference, not part of the lesson: keep it
        services.store.save(ChatState(chat_id=chat_id, lang=state.lang))
    return cancelled
