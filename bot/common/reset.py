"""/reset: forget a chat's lesson, keep its language. No Telegram here."""

from __future__ import annotations

from bot.services import Services
from bot.store import ChatState

RESET_CONFIRM_SECONDS = 600  # a /reset confirmation button works for ten minutes


def expired(asked: float, now: float) -> bool:
    """An old confirmation button must not erase a new lesson."""
    return now - asked > RESET_CONFIRM_SECONDS


def forget_chat(services: Services, state: ChatState) -> bool:
    """Delete the chat's table, settings, network and photos, keeping only its language.

    Cancels the chat's training if one runs; returns whether one did.
    """
    chat_id = state.chat_id
    cancelled = bool(services.jobs and services.jobs.cancel(chat_id))
    services.store.delete(chat_id)
    if state.lang:  # the language is a preference, not part of the lesson: keep it
        services.store.save(ChatState(chat_id=chat_id, lang=state.lang))
    return cancelled
