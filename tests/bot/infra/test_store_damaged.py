"""One damaged row never stops the store: non-finite numbers, rows that are not JSON at all."""

from __future__ import annotations

import json
import math
import sqlite3

from bot.store import ChatState, Store, finite


def _old_row(path, chat_id: int, data: dict) -> None:
    """A row as the version before strict JSON wrote it: NaN and Infinity as Python's json does."""
    db = sqlite3.connect(path)
    db.execute(
        "INSERT INTO chats (chat_id, state, model, updated) VALUES (?, ?, ?, 0)",
        (chat_id, json.dumps(data), None),
    )
    db.commit()
    db.close()


def _raw_row(path, chat_id: int, text: str) -> None:
    db = sqlite3.connect(path)
    db.execute("INSERT INTO chats (chat_id, state, updated) VALUES (?, ?, 0)", (chat_id, text))
    db.commit()
    db.close()


def test_saved_json_is_strict_and_non_finite_numbers_become_null(tmp_path):
    store = Store(tmp_path / "s.db")
    state = ChatState(chat_id=1, history={"loss": [1.0, math.inf, math.nan, -math.inf]})
    store.save(state)
    text = store._db.execute("SELECT state FROM chats").fetchone()[0]
    assert "NaN" not in text and "Infinity" not in text
    assert json.loads(text)["history"]["loss"] == [1.0, None, None, None]
    assert store._db.execute("SELECT json_valid(state) FROM chats").fetchone()[0] == 1


def test_finite_reaches_nested_values_and_leaves_the_rest_alone():
    assert finite({"a": [1, (2.5, math.nan)], "b": "nan", "c": None}) == {
        "a": [1, [2.5, None]],
        "b": "nan",
        "c": None,
    }


def test_a_nan_row_from_the_old_code_no_longer_breaks_interrupted_trainings(tmp_path):
    path = tmp_path / "s.db"
    store = Store(path)
    store.save(ChatState(chat_id=2, training={"lang": "en"}))
    _old_row(path, 1, {"training": {"lang": "ru"}, "history": {"loss": [0.5, float("nan")]}})
    _old_row(path, 3, {"history": {"loss": [float("inf")]}})
    found = sorted(state.chat_id for state in store.interrupted_trainings())
    assert found == [1, 2]
    assert store.load(1).history["loss"] == [0.5, None]  # rewritten as null
    assert store.load(3).history["loss"] == [None]
    assert store.quarantined() == []  # readable rows are repaired, never set aside


def test_a_row_that_is_not_a_state_is_set_aside_and_everyone_else_is_served(tmp_path, caplog):
    path = tmp_path / "s.db"
    store = Store(path)
    store.save(ChatState(chat_id=2, lang="ru", training={"lang": "ru"}))
    _raw_row(path, 1, '{"training": {"lang": "en"}, "table": ')  # cut short
    _raw_row(path, 4, "[1, 2]")  # JSON, but not a state
    assert [state.chat_id for state in store.interrupted_trainings()] == [2]
    assert sorted(chat_id for chat_id, _ in store.quarantined()) == [1]
    assert "quarantine" in caplog.text
    assert store.load(4) == ChatState(chat_id=4)  # set aside on first read, fresh from then on
    assert sorted(chat_id for chat_id, _ in store.quarantined()) == [1, 4]
    kept = store._db.execute("SELECT state FROM quarantine WHERE chat_id = 1").fetchone()[0]
    assert kept.startswith('{"training"')  # the damaged text is kept as it was, for the host
    assert store.load(2).lang == "ru"
    assert store.chat_ids() == [2]
