"""A training whose loss stops being finite: stopped, only finite weights kept, tested advice."""

from __future__ import annotations

import math

import numpy as np

import nncore as nn
from bot.training.divergence import DivergenceGuard, smaller_rates
from bot.training.run import load_model
from bot.training.settings import default_settings, parse_settings
from tests.support.tables import LIMITS, train

DOUBLE = {  # the issue's table: y = 2x
    "inputs": ["x"],
    "targets": ["y"],
    "X": [[1.0], [2.0], [3.0], [4.0]],
    "Y": [[2.0], [4.0], [6.0], [8.0]],
    "task": "regression",
    "classes": None,
    "questions": [],
}
DIVERGING = "lr=10 optimizer=sgd epochs=100"


def test_the_issue_table_diverges_and_the_advised_rate_really_trains_it():
    outcome = train(DOUBLE, DIVERGING)
    assert outcome.reason == "diverged"
    divergence = outcome.divergence
    assert 1 <= divergence["epoch"] <= 100
    advice = divergence["advice"]
    assert advice is not None and advice["lr"] < 10 and advice["epochs"] == 100
    assert all(math.isfinite(v) for v in outcome.history_dict["loss"])

    followed = train(DOUBLE, f"lr={advice['lr']} optimizer=sgd epochs=100")
    assert followed.reason == "done" and followed.divergence is None
    loss = followed.history_dict["loss"]
    assert loss[-1] < loss[0] / 10  # it learns, not merely stays finite
    assert math.isfinite(followed.evaluation["loss"])


def test_kept_weights_are_finite_and_load_or_nothing_is_kept():
    outcome = train(DOUBLE, DIVERGING)
    if outcome.model_bytes is None:
        assert outcome.divergence["kept"] == 0 and outcome.evaluation == {}
    else:
        model = load_model(outcome.model_bytes)  # nn.load refuses non-finite weights
        assert all(np.isfinite(v).all() for _, v, _ in model.parameters())
        assert math.isfinite(outcome.evaluation["loss"])


def test_a_slow_divergence_is_caught_too_and_says_what_it_kept():
    outcome = train(DOUBLE, "lr=0.15 optimizer=sgd epochs=2000 hidden=none")
    assert outcome.reason == "diverged" and outcome.divergence["epoch"] < 2000
    kept = outcome.divergence["kept"]
    assert (kept == 0) == (outcome.model_bytes is None)
    assert outcome.divergence["advice"]["lr"] < 0.15


def test_the_guard_restores_the_last_finite_epoch_and_trims_the_history():
    model = nn.Sequential([nn.Dense(1, 1, init="ones")])
    guard = DivergenceGuard(model)
    weight = model.parameters()[0][1]

    def epoch(n: int, loss: float) -> bool:
        return guard(nn.Progress("epoch", n, 5, 1, 1, loss, None, n / 5, None))

    weight[...] = 2.0
    assert not epoch(1, 0.5)
    weight[...] = np.inf
    assert epoch(2, 0.25)  # a finite loss, but the weights overflowed: stop
    history = nn.History(loss=[0.5, 0.25])
    guard.restore(history)
    assert guard.diverged_at == 3 and guard.kept_epoch == 1
    assert float(weight[0, 0]) == 2.0 and history.loss == [0.5]


def test_smaller_rates_stay_in_the_allowed_range():
    settings = parse_settings("lr=0.00005", default_settings("regression"), LIMITS)
    assert smaller_rates(settings) == [5e-06]
