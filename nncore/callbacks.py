"""Callbacks for `Sequential.fit` that need the model itself: early stopping.

`EarlyStopping(model, patience)` watches the validation loss after every epoch, keeps a copy of
the weights of the best epoch so far, and stops the run when `patience` epochs in a row brought
no better validation loss. `restore()` then puts the best weights back, so the network you keep
is the one that did best on rows it never learned from (the usual cure for overfitting).
"""

from __future__ import annotations

import math

import numpy as np

from nncore.model import Sequential
from nncore.progress import Progress


class EarlyStopping:
    """A fit callback: stop after `patience` epochs without a lower validation loss.

    best_epoch: 1-based epoch of the lowest validation loss so far (0 = none seen yet);
    best_loss: that loss; stopped_at: the epoch the run was stopped after (None = not stopped).
    Epochs without a validation loss (no validation rows) are ignored: it never stops then.
    """

    def __init__(self, model: Sequential, patience: int) -> None:
        if patience < 1:
            raise ValueError(f"patience must be at least 1, got {patience}")
        self.patience = int(patience)
        self.values = [value for _, value, _ in model.parameters()]
        self.best = [value.copy() for value in self.values]
        self.best_epoch = 0
        self.best_loss = math.inf
        self.stopped_at: int | None = None

    def __call__(self, progress: Progress) -> bool:
        if progress.event != "epoch" or progress.val_loss is None:
            return False
        if progress.val_loss < self.best_loss:
            self.best_loss, self.best_epoch = float(progress.val_loss), progress.epoch
            for best, value in zip(self.best, self.values, strict=True):
                np.copyto(best, value)
            return False
        if progress.epoch - self.best_epoch >= self.patience:
            self.stopped_at = progress.epoch
            return True
        return False

    def restore(self) -> None:
        """Put back the weights of the best epoch (nothing to do before the first one)."""
        if self.best_epoch == 0:
            return
        for best, value in zip(self.best, self.values, strict=True):
            np.copyto(value, best)
