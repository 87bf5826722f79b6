"""A training whose loss stops being a number: stop it, keep the last finite weights, and find
a learning rate that really trains this table, so the advice the chat reads works.

Too large a learning rate makes every step overshoot, the weights grow without bound and, a few
epochs later, the loss is `inf` or `nan` — and so is every prediction. `DivergenceGuard` is a fit
callback that keeps a copy of the weights at the end of every epoch whose loss and weights are
finite, stops the run at the first non-finite loss, and puts that copy back. No Telegram here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np

import nncore as nn
from bot.training.settings import LR_RANGE, TrainSettings

TRIAL_SECONDS = 10.0  # the longest one test run of a smaller learning rate may take
SMALLER = (10, 100, 1000)  # the learning rate is divided by these, in this order, to find one


def _finite(value: float | None) -> bool:
    return value is None or math.isfinite(value)


class DivergenceGuard:
    """A fit callback: stops at the first non-finite loss; `restore` puts back the weights of
    the last finite epoch (`kept_epoch`, 0 = the starting weights)."""

    def __init__(self, model: nn.Sequential) -> None:
        self.values = [value for _, value, _ in model.parameters()]
        self.saved = [value.copy() for value in self.values]
        self.kept_epoch = 0
        self.diverged_at: int | None = None

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    def __call__(self, progress: nn.Progress) -> bool:
        if not (_finite(progress.loss) and _finite(progress.val_loss)):
            self.diverged_at = progress.epoch
            return True
        if progress.event != "epoch":
            return False
        if not all(np.isfinite(value).all() for value in self.values):
            self.diverged_at = progress.epoch + 1  # the next epoch's loss would not be finite
            return True
        for saved, value in zip(self.saved, self.values, strict=True):
            np.copyto(saved, value)
        self.kept_epoch = progress.epoch
        return False

    def restore(self, history: nn.History) -> None:
        """The weights and the history as they were after the last finite epoch."""
        for saved, value in zip(self.saved, self.values, strict=True):
            np.copyto(value, saved)
        for name in ("loss", "val_loss", "accuracy", "val_accuracy"):
            del getattr(history, name)[self.kept_epoch :]


def smaller_rates(settings: TrainSettings) -> list[float]:
    """The learning rates worth a test run after `settings.lr` diverged, largest first."""
    low = LR_RANGE[0]
    return [float(f"{settings.lr / k:.3g}") for k in SMALLER if settings.lr / k >= low]


def find_working_rate(
    trial: Callable[[TrainSettings, float], tuple[bool, int]],
    settings: TrainSettings,
    time_left: Callable[[], float],
) -> dict[str, Any] | None:
    """The first smaller learning rate whose test run stays finite: {"lr", "epochs"}, or None.

    `trial(settings, seconds)` trains once with the divergence guard for at most `seconds` and
    returns (diverged, epochs run). A test run cut short by its time keeps its epochs count, so
    the advice says exactly how far the rate was tried.
    """
    for lr in smaller_rates(settings):
        seconds = min(TRIAL_SECONDS, time_left())
        if seconds <= 0:
            return None
        diverged, epochs = trial(replace(settings, lr=lr), seconds)
        if not diverged and epochs > 0:
            return {"lr": lr, "epochs": epochs}
    return None
