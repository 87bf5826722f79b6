"""The learner's own table is kept while the lesson uses the chat, and comes back whole."""

from __future__ import annotations

from bot.lesson import place
from bot.store import Store


def test_the_learners_table_and_network_come_back_after_a_step_replaced_them(tmp_path):
    store = Store(tmp_path / "state.db")
    state = store.load(7)
    own = {"columns": ["x", "y"], "rows": [[1, 2]]}
    state.table, state.settings, state.model = own, {"lr": 0.3}, b"my network"
    state.encoding, state.history = {"scale": "none"}, {"loss": [1.0, 0.5]}
    assert place.own_table(state)
    assert place.keep_own_table(state, store)
    lesson = {
        "table": {"columns": ["x1"], "rows": [[0]]},
        "settings": {"lr": 2},
        "model": b"lesson network",
        "encoding": {},
        "history": {"loss": [0.2]},
    }
    place.put_step_table(state, lesson)
    store.save(state)

    state = store.load(7)  # as after a restart
    assert state.table == lesson["table"] and not place.own_table(state)
    assert not place.keep_own_table(state, store), "the lesson's own table is not the learner's"
    assert place.restore_own_table(state, store)
    assert (state.table, state.settings, state.model) == (own, {"lr": 0.3}, b"my network")
    assert state.history == {"loss": [1.0, 0.5]}
    assert not place.restore_own_table(state, store), "nothing is left to bring back"


def test_a_table_given_during_the_lesson_is_the_one_kept():
    state = Store(":memory:").load(8)
    place.put_step_table(
        state, {"table": {"a": 1}, "settings": {}, "model": None, "encoding": None, "history": None}
    )
    state.table = {"b": 2}  # the learner sent a new table between two steps
    assert place.own_table(state)


def test_the_place_is_a_step_of_the_lesson_even_when_the_record_is_damaged():
    state = Store(":memory:").load(9)
    assert place.current_step(state) == 1
    state.extra["lesson"] = {"step": 42}
    assert place.current_step(state) == 1
    state.extra["lesson"] = "not a record"
    assert place.current_step(state) == 1


def test_restoring_never_replaces_a_table_the_learner_gave_since(tmp_path):
    store = Store(tmp_path / "state.db")
    state = store.load(10)
    state.table = {"mine": 1}
    place.keep_own_table(state, store)
    place.put_step_table(
        state,
        {"table": {"lesson": 1}, "settings": {}, "model": None, "encoding": None, "history": None},
    )
    state.table = {"mine": 2}  # a new table of the learner's, after the step
    assert not place.restore_own_table(state, store)
    assert state.table == {"mine": 2}
