"""A digits-lab training, as a job-runner worker runs it: train, test, and draw what it learned.

    outcome = run_lab_job({"kind": "lab", "settings": LabSettings.to_dict(), "lang": "en",
                           "deadline": …}, report, should_stop)

The run, as named steps: `_training_digits` picks the images (and the validation share) with
the settings' seed; `_train` runs one `Sequential.fit` epoch at a time, so every epoch can see
freshly distorted digits (augment=on) and be scored on the validation digits in small batches
(a whole set at once through a convolution would take hundreds of MB); `_test` reads the
held-out test digits. Pictures are drawn here, in the worker, so the bot's event loop never
renders them. Progress goes to `report` in the same form as a table training, so the chat's
progress message is the same one /train shows.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import nncore as nn
from bot.lab import pictures as lab_pictures
from bot.lab.data import LabDigits, lab_digits
from bot.lab.settings import LabSettings, build_network

REPORT_INTERVAL = 1.0  # seconds between progress reports
SCORE_BATCH = 200  # digits per forward pass when scoring (bounds the memory of big networks)
TURN_RISE = 1.1  # validation loss this much above its lowest point counts as turned up
FINISH_SHARE = 0.15  # of the time a job has left when it starts, kept for testing and drawing
# augment=on: the textbook distortions of MNIST digits (Simard, Steinkraus and Platt 2003), milder
# than the shipped reader's, which also imitate photos; half the digits of each epoch stay clean
MILD = {"rotation_degrees": 10, "scale": [0.9, 1.1], "aspect": [0.95, 1.05], "shear": 0.1,
        "shift_pixels": 2.0}  # fmt: skip
DISTORTED_SHARE = 0.5
DISTORT_CHUNK = 1_000  # digits distorted at once: bounds the memory of the pixel look-ups
Report = Callable[[dict[str, Any]], None]


@dataclass
class LabOutcome:
    """What a lab training sends back to the event loop."""

    model_bytes: bytes
    history: dict[str, Any]
    test_accuracy: float
    test_count: int
    confusion: list[list[int]]  # confusion[true][predicted]
    seconds: float
    reason: str  # "done" | "stopped" | "timeout"
    parameters: int
    source: str  # "subset" or the full set's file name
    train_count: int
    turn_epoch: int | None  # the epoch after which validation loss turned up (overfitting)
    pictures: dict[str, bytes] = field(default_factory=dict)


def as_input(images: np.ndarray) -> np.ndarray:
    """uint8 (n, 28, 28) digits (or floats in [0, 1]) → float32 (n, 1, 28, 28) in [0, 1]."""
    x = np.asarray(images)
    x = x.astype(np.float32) / 255 if x.dtype == np.uint8 else x.astype(np.float32)
    return x.reshape(-1, 1, 28, 28)


def probabilities(model: nn.Sequential, images: np.ndarray) -> np.ndarray:
    """(n, 10) probabilities, computed SCORE_BATCH digits at a time."""
    return model.predict(as_input(images), batch_size=SCORE_BATCH).astype(np.float64)


def score(model: nn.Sequential, images: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """(mean cross-entropy, accuracy) of the model on labelled digits."""
    probs = probabilities(model, images)
    picked = np.clip(probs[np.arange(len(labels)), labels], 1e-12, 1.0)
    return float(-np.log(picked).mean()), float((probs.argmax(axis=1) == labels).mean())


def turning_epoch(val_loss: list[float]) -> int | None:
    """The epoch of the lowest validation loss when the loss rose clearly after it, else None."""
    if len(val_loss) < 3:
        return None
    best = int(np.argmin(val_loss))
    later = val_loss[best + 1 :]
    if len(later) >= 2 and later[-1] > TURN_RISE * val_loss[best]:
        return best + 1
    return None


def cosine_lr(lr: float, epoch: int, epochs: int) -> float:
    """The learning rate of epoch `epoch` (1-based): from lr down to lr/20 along a half cosine,
    so the last epochs take small, careful steps."""
    low = lr / 20
    return low + (lr - low) * (1 + math.cos(math.pi * (epoch - 1) / max(1, epochs))) / 2


def training_deadline(deadline: float | None) -> float | None:
    """When training must stop so that testing and the pictures still fit before `deadline`
    (the job's cap, after which the runner kills it): FINISH_SHARE of the time left is theirs."""
    if deadline is None:
        return None
    return deadline - FINISH_SHARE * max(0.0, deadline - time.monotonic())


class Watch:
    """The fit callback: reports progress about once a second, says when to stop."""

    def __init__(self, report: Report, should_stop: Callable[[], bool], deadline: float | None):
        self.report, self.should_stop, self.deadline = report, should_stop, deadline
        self.started = time.monotonic()
        self.last = 0.0
        self.reason = "done"
        self.epoch, self.epochs, self.val_loss = 1, 1, None

    def __call__(self, progress: nn.Progress) -> bool:
        now = time.monotonic()
        if now - self.last >= REPORT_INTERVAL:
            self.last = now
            fraction = (self.epoch - 1 + progress.fraction) / self.epochs
            self.send(fraction, progress.loss)
        if self.should_stop():
            self.reason = "stopped"
        elif self.deadline is not None and now > self.deadline:
            self.reason = "timeout"
        return self.reason != "done"

    def send(self, fraction: float, loss: float | None) -> None:
        self.report(
            {
                "epoch": self.epoch,
                "epochs": self.epochs,
                "fraction": min(1.0, fraction),
                "loss": loss,
                "val_loss": self.val_loss,
                "seconds": time.monotonic() - self.started,
            }
        )


def _training_digits(settings: LabSettings, data: LabDigits) -> tuple[np.ndarray, ...]:
    """(x_train, y_train, x_val, y_val) as picked by the settings' seed."""
    rng = np.random.default_rng(settings.seed)
    rows = rng.permutation(len(data.x_train))[: settings.images]
    x, y = data.x_train[rows], data.y_train[rows]
    n_val = round(len(rows) * settings.validation)
    n_val = min(n_val, len(rows) - 1)
    return x[n_val:], y[n_val:], x[:n_val], y[:n_val]


def distort(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """(n, 1, 28, 28) digits with DISTORTED_SHARE of them (picked at random) freshly rotated,
    scaled, sheared, shifted and bent by MILD amounts."""
    from bot.digits.train import affine  # the shipped reader's distortion code, milder amounts

    out = x.copy()
    rows = np.flatnonzero(rng.random(len(x)) < DISTORTED_SHARE)
    for start in range(0, len(rows), DISTORT_CHUNK):
        chunk = rows[start : start + DISTORT_CHUNK]
        out[chunk, 0] = np.clip(affine(x[chunk, 0], rng, MILD), 0.0, 1.0)
    return out


def _train(
    model: nn.Sequential, settings: LabSettings, digits: tuple[np.ndarray, ...], watch: Watch
) -> nn.History:
    """Epoch after epoch of `fit`, each scored on the validation digits; stops when asked."""
    x_train, y_train, x_val, y_val = digits
    rng = np.random.default_rng([settings.seed, 1])
    optimizer, loss = nn.Adam(settings.lr), nn.SoftmaxCrossEntropy()
    history = nn.History()
    watch.epochs = settings.epochs
    clean = as_input(x_train)
    for epoch in range(1, settings.epochs + 1):
        watch.epoch = epoch
        optimizer.lr = cosine_lr(settings.lr, epoch, settings.epochs)
        x = distort(clean, rng) if settings.augment else clean
        run = model.fit(
            x, y_train, loss, optimizer, epochs=1, batch_size=settings.batch,
            seed=settings.seed * 1000 + epoch, callbacks=[watch],
        )  # fmt: skip
        if run.stopped and watch.reason != "done" and not run.loss:
            break
        history.loss += run.loss
        history.accuracy += run.accuracy
        if len(y_val):
            val_loss, val_accuracy = score(model, x_val, y_val)
            history.val_loss.append(val_loss)
            history.val_accuracy.append(val_accuracy)
            watch.val_loss = val_loss
        if watch.reason != "done":
            break
    history.stopped = watch.reason != "done"
    return history


def _test(model: nn.Sequential, data: LabDigits) -> tuple[np.ndarray, np.ndarray]:
    """Predicted digits and probabilities for the held-out test digits."""
    probs = probabilities(model, data.x_test)
    return probs.argmax(axis=1), probs


def confusion_matrix(labels: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """(10, 10) counts: row = the true digit, column = what the network said."""
    matrix = np.zeros((10, 10), dtype=np.int64)
    np.add.at(matrix, (labels, predicted), 1)
    return matrix


def run_lab_job(payload: Mapping[str, Any], report: Report, should_stop: Callable[[], bool]):
    """The job runner's entry point for payload {"kind": "lab", "settings", "lang", "deadline"}."""
    settings = LabSettings.from_dict(payload["settings"])
    data = lab_digits()
    watch = Watch(report, should_stop, training_deadline(payload.get("deadline")))
    model = build_network(settings)
    digits = _training_digits(settings, data)
    history = _train(model, settings, digits, watch)
    predicted, probs = _test(model, data)
    matrix = confusion_matrix(data.y_test, predicted)
    watch.send(1.0 if watch.reason == "done" else watch.epoch / settings.epochs, None)
    outcome = LabOutcome(
        model_bytes=model.to_bytes(),
        history=history.to_dict(),
        test_accuracy=float((predicted == data.y_test).mean()),
        test_count=len(data.y_test),
        confusion=matrix.tolist(),
        seconds=time.monotonic() - watch.started,
        reason=watch.reason,
        parameters=model.param_count(),
        source=data.source,
        train_count=len(digits[1]),
        turn_epoch=turning_epoch(history.val_loss),
    )
    lang = payload.get("lang") or "en"
    outcome.pictures = lab_pictures.result_pictures(
        model, history.to_dict(), matrix, data, predicted, probs, outcome.turn_epoch, lang
    )
    return outcome
