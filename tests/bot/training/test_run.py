import numpy as np
import pytest

import nncore as nn
from bot.store import ChatState
from bot.training import run as run_module
from bot.training.run import forget_model, load_model, run_training
from bot.training.settings import default_settings, parse_settings
from tests.support.tables import COLOURS, LIMITS, PRICES, XOR, as_table, train


def test_training_learns_xor_and_answers_questions():
    outcome = train(XOR)
    assert outcome.reason == "done" and not outcome.stopped
    assert outcome.evaluation["accuracy"] == 1.0
    model = load_model(outcome.model_bytes)
    assert isinstance(model, nn.Sequential)
    history = nn.History.from_dict(outcome.history_dict)
    assert history.loss[-1] < history.loss[0]


def test_training_multiclass_and_regression():
    outcome = train(COLOURS)
    assert outcome.evaluation["accuracy"] == 1.0
    assert outcome.evaluation["questions"][0]["text"] == "red"
    outcome = train(PRICES, "epochs=600")
    answer = outcome.evaluation["questions"][0]["value"]
    assert answer == pytest.approx(80_000, rel=0.05)


def test_stop_keeps_the_network_learned_so_far():
    calls = {"n": 0}

    def should_stop():
        calls["n"] += 1
        return calls["n"] > 3

    settings = parse_settings("epochs=100000 batch=1", default_settings("binary"), LIMITS)
    outcome = run_training(as_table(XOR), settings, lambda p: None, should_stop)
    assert outcome.stopped and outcome.reason == "stopped"
    assert 0 < nn.History.from_dict(outcome.history_dict).epochs_run < 100000
    assert load_model(outcome.model_bytes) is not None


def test_deadline_stops_training_as_a_timeout():
    import time

    settings = parse_settings("epochs=100000", default_settings("binary"), LIMITS)
    outcome = run_training(
        as_table(XOR), settings, lambda p: None, lambda: False, deadline=time.monotonic() + 0.2
    )
    assert outcome.reason == "timeout" and outcome.seconds < 5


def test_progress_is_reported_and_throttled():
    reports = []
    settings = parse_settings("epochs=3000 batch=1", default_settings("binary"), LIMITS)
    run_training(as_table(XOR), settings, reports.append, lambda: False)
    assert reports and reports[-1]["epoch"] == 3000 and reports[-1]["fraction"] == 1.0
    assert all(0 <= r["fraction"] <= 1 for r in reports)


def test_forget_model_keeps_the_learners_settings():
    state = ChatState(chat_id=1, model=b"x", history={"loss": [1]})
    state.settings = {"lr": 0.3, "custom": ["lr"]}
    state.encoding = {"inputs": None}
    forget_model(state)
    assert state.model is None and state.history is None and state.encoding is None
    assert state.settings == {"lr": 0.3, "custom": ["lr"]}


def test_progress_is_reported_between_batches_of_a_long_epoch(monkeypatch):
    """One epoch may take seconds: a report is due after REPORT_INTERVAL even mid-epoch."""
    clock = iter([0.0, 0.1, run_module.REPORT_INTERVAL + 0.1, 5.0, 5.0, 5.0])
    monkeypatch.setattr(run_module.time, "monotonic", lambda: next(clock))
    reports = []
    watch = run_module.TrainingWatch(reports.append, lambda: False, None)
    batch = nn.Progress("batch", 1, 3, 1, 100, 0.5, None, 0.003, None)
    watch(batch)  # 0.1 s in: too early
    watch(batch)  # past the interval: due, although no epoch has ended
    assert [r["epoch"] for r in reports] == [0]
    assert reports[0]["fraction"] == 0.003


def test_the_final_loss_is_one_number_for_summary_and_plot():
    """The final network's loss on the whole table; the plot legend reads this same value."""
    table = as_table(XOR)
    settings = parse_settings("epochs=50 validation=0.25", default_settings("binary"), LIMITS)
    outcome = run_training(table, settings, lambda _: None, lambda: False)
    model = load_model(outcome.model_bytes)
    X, Y = np.asarray(table.X, dtype=float), np.asarray(table.Y, dtype=float)
    p = np.clip(model.predict(X), 1e-12, 1 - 1e-12)
    whole_table = float(np.mean(-(Y * np.log(p) + (1 - Y) * np.log(1 - p))))
    assert outcome.evaluation["loss"] == pytest.approx(whole_table, rel=1e-6)
    assert outcome.history_dict["final_loss"] == outcome.evaluation["loss"]
    assert outcome.evaluation["val_loss"] == outcome.history_dict["val_loss"][-1]
