"""What a new table does to the chat's state. No Telegram here."""

from __future__ import annotations

from typing import Any

from bot.store import ChatState
from bot.tables.table import Table
from bot.training import run as training

PENDING_TABLE = "table"  # ChatState.pending: the next message is a table (after a bare /table)


def set_table(state: ChatState, table: Table, settings: dict[str, Any] | None = None) -> None:
    """A new table: the trained network belonged to the old one, so it goes."""
    state.table = table.to_dict()
    state.pending = None
    training.forget_model(state)
    if settings is not None:
        state.settings = settings
