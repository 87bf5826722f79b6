"""Where a chat is in the lesson, and the learner's own table kept while the lesson uses the chat.

Kept in `ChatState.extra["lesson"]`: {"step": N, "loaded": the table the lesson put in the
chat, "saved": the learner's table, settings, encoding and history or None}. The learner's
trained network, when there was one, is kept as the chat file SAVED_MODEL. A table is the
learner's own when it is not the one the lesson loaded last; the newest own table is the one
kept (the learner replaced any older one themselves). No Telegram here.
"""

from __future__ import annotations

from typing import Any

from bot.lesson.steps import FIRST
from bot.store import ChatState, Store
from bot.training.run import forget_model

KEY = "lesson"
SAVED_MODEL = "lesson-own-model"


def lesson_state(state: ChatState) -> dict[str, Any]:
    """The chat's lesson record (created on first use)."""
    record = state.extra.get(KEY)
    if not isinstance(record, dict):
        record = state.extra[KEY] = {"step": FIRST, "loaded": None, "saved": None}
    return record


def current_step(state: ChatState) -> int:
    step = lesson_state(state).get("step")
    return step if isinstance(step, int) and 1 <= step <= 10 else FIRST


def own_table(state: ChatState) -> bool:
    """True when the chat holds a table the learner gave (not one the lesson loaded)."""
    return state.table is not None and state.table != lesson_state(state).get("loaded")


def keep_own_table(state: ChatState, store: Store) -> bool:
    """Keep the learner's table (and network) aside before a step replaces it; True if kept."""
    if not own_table(state):
        return False
    record = lesson_state(state)
    record["saved"] = {
        "table": state.table,
        "settings": state.settings,
        "encoding": state.encoding,
        "history": state.history,
        "model": state.model is not None,
    }
    if state.model is not None:
        store.save_file(state.chat_id, SAVED_MODEL, state.model)
    return True


def put_step_table(state: ChatState, load: dict[str, Any]) -> None:
    """The step's table and its trained network become the chat's (the learner's was kept)."""
    state.table, state.settings = load["table"], load["settings"]
    state.model, state.encoding, state.history = load["model"], load["encoding"], load["history"]
    state.pending = None
    lesson_state(state)["loaded"] = load["table"]


def restore_own_table(state: ChatState, store: Store) -> bool:
    """Bring the learner's kept table back in place of the lesson's (False when there is
    nothing to bring back, or the learner has given a table of their own since)."""
    record = lesson_state(state)
    saved = record.get("saved")
    if not isinstance(saved, dict) or saved.get("table") is None or own_table(state):
        return False  # nothing kept, or the chat holds a table of the learner's already
    forget_model(state)
    state.table, state.settings = saved["table"], saved.get("settings") or {}
    if saved.get("model"):
        state.model = store.load_file(state.chat_id, SAVED_MODEL)
        state.encoding, state.history = saved.get("encoding"), saved.get("history")
    record["saved"], record["loaded"] = None, None
    return True


def has_saved_table(state: ChatState) -> bool:
    saved = lesson_state(state).get("saved")
    return isinstance(saved, dict) and saved.get("table") is not None
