"""A long training keeps a bounded history: the chat's state stays small, the curve true."""

from __future__ import annotations

import json

import nncore as nn
from bot.store import ChatState
from bot.training.pictures import loss_plot
from bot.training.run import HISTORY_POINTS, bounded_history
from tests.support.e2e import assert_png
from tests.support.tables import XOR, train


def test_a_long_history_is_sampled_evenly_keeping_the_first_and_the_last():
    epochs = 100_000
    history = nn.History(
        loss=[1.0 / (i + 1) for i in range(epochs)], val_loss=[2.0 / (i + 1) for i in range(epochs)]
    )
    data = bounded_history(history)
    assert data["epochs_run"] == epochs
    assert len(data["loss"]) == len(data["val_loss"]) == len(data["epoch"]) <= HISTORY_POINTS
    assert data["epoch"][0] == 1 and data["epoch"][-1] == epochs
    assert data["loss"][-1] == 1.0 / epochs and data["val_loss"][0] == 2.0
    steps = {b - a for a, b in zip(data["epoch"], data["epoch"][1:], strict=False)}
    assert max(steps) - min(steps) <= 1  # evenly spaced
    for epoch, value in zip(data["epoch"], data["loss"], strict=True):
        assert value == 1.0 / epoch  # each kept value is the one of its epoch


def test_a_short_history_is_kept_whole():
    history = nn.History(loss=[3.0, 2.0, 1.0])
    data = bounded_history(history)
    assert data["loss"] == [3.0, 2.0, 1.0] and "epoch" not in data and data["epochs_run"] == 3


def test_a_long_training_leaves_a_small_state_and_a_plot_that_ends_at_the_last_epoch():
    outcome = train(XOR, "epochs=2500 batch=all validation=0.25")
    state = ChatState(chat_id=1, table=XOR, history=outcome.history_dict)
    assert len(outcome.history_dict["loss"]) <= HISTORY_POINTS
    assert len(state.to_json()) < 120_000  # 2 curves × 2 000 values
    assert outcome.history_dict["epochs_run"] == 2500
    assert outcome.history_dict["epoch"][-1] == 2500
    assert_png(loss_plot(json.loads(state.to_json())["history"], "en"))


def test_histories_stored_by_the_previous_version_still_plot():
    old = {"loss": [0.9, 0.5, 0.25], "val_loss": [], "accuracy": [], "stopped": False}
    assert_png(loss_plot(old, "ru"))
    assert_png(loss_plot({"loss": [0.5, None, 0.2]}, "en"))  # nan stored as null
