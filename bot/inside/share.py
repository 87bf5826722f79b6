"""/share: a link that gives a class the chat's table and settings, and nothing else.

The bot keeps each shared exercise under a random code (`secrets.token_urlsafe`: 12 characters
of A–Z, a–z, 0–9, "_" and "-", 72 random bits, so codes cannot be guessed or counted through),
and the link is Telegram's deep link `https://t.me/<bot>?start=<code>`. What is kept is the
table and the settings only: no trained network, no history, no chat id in the code or the
exercise. The store remembers which chat made a code only to cap its number and to forget it
on /reset. No Telegram here.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

from bot.store import SHARES_PER_CHAT, ChatState
from bot.tables.table import Table
from bot.training.settings import TrainSettings, settings_for

CODE_BYTES = 9  # token_urlsafe(9): 12 characters
CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")  # what Telegram lets a deep link carry
LIMIT = SHARES_PER_CHAT


@dataclass(frozen=True)
class Exercise:
    """A shared table and the settings to train it with."""

    table: Table
    settings: TrainSettings

    def to_json(self) -> str:
        data = {"table": self.table.to_dict(), "settings": self.settings.to_dict()}
        return json.dumps(data, ensure_ascii=False, sort_keys=True, allow_nan=False)

    @classmethod
    def from_json(cls, text: str) -> Exercise:
        """Raises ValueError (or KeyError/TypeError) for text that is not an exercise."""
        data = json.loads(text)
        return cls(Table.from_dict(data["table"]), TrainSettings.from_dict(data["settings"]))


def exercise_of(state: ChatState) -> Exercise | None:
    """What /share gives away from this chat: its table and settings (None: no table)."""
    if not state.table:
        return None
    table = Table.from_dict(state.table)
    return Exercise(table, settings_for(table, state.settings))


@dataclass(frozen=True)
class Shared:
    code: str
    dropped: int  # older codes of the chat that stopped working to make room


def share(store: Any, state: ChatState, exercise: Exercise) -> Shared:
    """The code of this exercise: the chat's existing one for the very same exercise, else a
    new one (the chat's oldest codes beyond LIMIT stop working)."""
    data = exercise.to_json()
    existing = store.share_code(state.chat_id, data)
    if existing is not None:
        return Shared(existing, 0)
    code = secrets.token_urlsafe(CODE_BYTES)
    return Shared(code, store.save_share(code, state.chat_id, data, LIMIT))


def shared_exercise(store: Any, code: str) -> Exercise | None:
    """The exercise behind a code, or None for a code that is malformed, unknown or forgotten."""
    if not CODE_PATTERN.fullmatch(code):
        return None
    data = store.load_share(code)
    if data is None:
        return None
    try:
        return Exercise.from_json(data)
    except (ValueError, KeyError, TypeError):
        return None


def link(username: str, code: str) -> str:
    return f"https://t.me/{username}?start={code}"
