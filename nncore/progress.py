"""What a training run reports: `Progress` to callbacks while it runs, a `History` at the end.

    callback(progress) -> True to stop | None / False to go on
        called after every batch (event "batch") and after every epoch (event "epoch")

`EpochTally` adds up the loss and accuracy of the batches of one epoch, weighted by their size,
so `Progress.loss` is the mean loss over the rows seen so far in that epoch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Progress:
    """What a callback sees. `loss` is the mean loss of the current epoch so far."""

    event: str  # "batch" or "epoch"
    epoch: int  # 1-based
    epochs: int
    batch: int  # 1-based
    batches: int
    loss: float
    val_loss: float | None
    fraction: float  # 0..1 of the whole run
    accuracy: float | None


Callback = Callable[[Progress], bool | None]


def notify(callbacks: list[Callback], progress: Progress) -> bool:
    """Call every callback (all of them, even after one asks to stop); True if any asked."""
    stop = False
    for callback in callbacks:
        stop = bool(callback(progress)) or stop
    return stop


@dataclass
class History:
    """Per completed epoch: training loss, validation loss, accuracies (empty for regression)."""

    loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    stopped: bool = False

    @property
    def epochs_run(self) -> int:
        return len(self.loss)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> History:
        return cls(
            loss=[float(v) for v in d.get("loss", [])],
            val_loss=[float(v) for v in d.get("val_loss", [])],
            accuracy=[float(v) for v in d.get("accuracy", [])],
            val_accuracy=[float(v) for v in d.get("val_accuracy", [])],
            stopped=bool(d.get("stopped", False)),
        )


@dataclass
class EpochTally:
    """Running sums over the batches of one epoch: rows seen, loss·rows, right answers."""

    seen: int = 0
    loss_sum: float = 0.0
    correct: float = 0.0
    has_accuracy: bool = False

    def add(self, loss: float, accuracy: float | None, rows: int) -> None:
        self.seen += rows
        self.loss_sum += loss * rows
        if accuracy is not None:
            self.has_accuracy = True
            self.correct += accuracy * rows

    @property
    def loss(self) -> float:
        return self.loss_sum / self.seen

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.seen if self.has_accuracy else None
