"""The bot learns a chat's handwriting: its examples, and fine-tuning a copy of the reader on them.

Examples are the 28×28 inputs of the chat's photos with their right labels — sent during
`/lab collect`, or picked with "Wrong?" under an answer — kept in the store's corrections table
(`encode_example`: a uint8 .npy; older corrections hold the photo itself, which
`decode_example` reads again through `bot.digits.vision`).

`run_personal_job` (a job-runner target) holds a quarter of the examples out, scores the shipped
reader on them and on MNIST test digits, fine-tunes a copy of the reader on the rest — each
example repeated in freshly distorted copies, mixed with MNIST training digits so it does not
forget them, at a small learning rate — and scores the copy again on the same digits.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

import nncore as nn
from bot.lab.data import lab_digits
from bot.lab.job import Watch, as_input, cosine_lr, score, training_deadline

MIN_EXAMPLES = 20
HELD_OUT = 0.25  # share of the examples kept for the before/after score
REPEATS = 30  # distorted copies of each personal example per epoch
MNIST_MIX = 3_000  # MNIST training digits per epoch, so the reader keeps what it knew
EPOCHS = 3
LR = 3e-4
BATCH = 64
NPY_MAGIC = b"\x93NUMPY"


def as_uint8(images: np.ndarray) -> np.ndarray:
    """Digits as floats in [0, 1] (or already uint8) → uint8 with ink = 255."""
    images = np.asarray(images)
    if images.dtype == np.uint8:
        return images
    return np.clip(np.round(images * 255), 0, 255).astype(np.uint8)


def encode_example(image28: np.ndarray) -> bytes:
    """A 28×28 input (floats in [0, 1] or uint8) as .npy bytes of uint8."""
    buffer = io.BytesIO()
    np.save(buffer, as_uint8(image28).reshape(28, 28), allow_pickle=False)
    return buffer.getvalue()


def decode_example(data: bytes, max_pixels: int) -> np.ndarray | None:
    """A stored example as uint8 (28, 28): .npy, a 28×28 PNG, or a photo read again (None when
    the photo shows no digit any more)."""
    if data.startswith(NPY_MAGIC):
        image = np.load(io.BytesIO(data), allow_pickle=False)
        return image.astype(np.uint8).reshape(28, 28)
    from PIL import Image

    from bot.digits import vision
    from bot.digits.photo import ImageProblem

    try:
        with Image.open(io.BytesIO(data)) as picture:
            if picture.size == (28, 28):
                return np.asarray(picture.convert("L"), dtype=np.uint8)
        prepared = vision.prepare_digit(data, max_pixels, False)
    except (ImageProblem, OSError, ValueError):
        return None
    return as_uint8(prepared.image28)


def examples_from(stored: list[tuple[int, bytes]], max_pixels: int) -> tuple[np.ndarray, ...]:
    """The chat's stored examples as (images uint8 (n, 28, 28), labels (n,))."""
    images, labels = [], []
    for label, data in stored:
        image = decode_example(data, max_pixels)
        if image is not None:
            images.append(image)
            labels.append(label)
    if not images:
        return np.zeros((0, 28, 28), np.uint8), np.zeros(0, np.int64)
    return np.stack(images), np.asarray(labels, dtype=np.int64)


def held_out_split(labels: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(training rows, held-out rows): about HELD_OUT of each digit with two or more examples
    is held out, so the score before and after covers the digits the learner wrote."""
    rng = np.random.default_rng(seed)
    held = []
    for digit in np.unique(labels):
        rows = rng.permutation(np.flatnonzero(labels == digit))
        if len(rows) >= 2:
            held += list(rows[: max(1, round(len(rows) * HELD_OUT))])
    held_rows = np.sort(np.asarray(held, dtype=np.int64))
    return np.setdiff1d(np.arange(len(labels)), held_rows), held_rows


@dataclass
class PersonalOutcome:
    """Before and after on the learner's held-out examples and on MNIST test digits."""

    model_bytes: bytes
    before: float
    after: float
    mnist_before: float
    mnist_after: float
    held_out: int
    trained_on: int
    mnist_count: int
    seconds: float
    reason: str


def fine_tune(
    model: nn.Sequential,
    x: np.ndarray,
    y: np.ndarray,
    watch: Watch,
    seed: int,
    epochs: int | None = None,
) -> None:
    """Train `model` further on personal digits (distorted copies) mixed with MNIST ones."""
    from bot.digits.train import augment

    data = lab_digits()
    epochs = epochs or EPOCHS
    rng = np.random.default_rng(seed)
    optimizer, loss = nn.Adam(LR), nn.SoftmaxCrossEntropy()
    watch.epochs = epochs
    personal = as_input(np.repeat(x, REPEATS, axis=0))[:, 0]
    labels = np.repeat(y, REPEATS)
    for epoch in range(1, epochs + 1):
        watch.epoch = epoch
        optimizer.lr = cosine_lr(LR, epoch, epochs)
        rows = rng.choice(len(data.x_train), min(MNIST_MIX, len(data.x_train)), replace=False)
        mixed = np.concatenate([augment(personal, rng), as_input(data.x_train[rows])[:, 0]])
        targets = np.concatenate([labels, data.y_train[rows]])
        model.fit(
            mixed[:, None], targets, loss, optimizer, epochs=1, batch_size=BATCH,
            seed=seed * 1000 + epoch, callbacks=[watch],
        )  # fmt: skip
        if watch.reason != "done":
            return


def run_personal_job(
    payload: Mapping[str, Any], report: Callable[[dict], None], should_stop: Callable[[], bool]
) -> PersonalOutcome:
    """The job runner's entry point for {"kind": "personal", "images", "labels", "seed",
    "epochs"?} (epochs: the host's LAB_PERSONAL_EPOCHS, EPOCHS when absent)."""
    from bot.digits.reader import WEIGHTS

    x, y = np.asarray(payload["images"], np.uint8), np.asarray(payload["labels"], np.int64)
    seed = int(payload.get("seed", 1))
    watch = Watch(report, should_stop, training_deadline(payload.get("deadline")))
    train_rows, held_rows = held_out_split(y, seed)
    model = nn.load(WEIGHTS)
    data = lab_digits()
    before = score(model, x[held_rows], y[held_rows])[1]
    mnist_before = score(model, data.x_test, data.y_test)[1]
    fine_tune(model, x[train_rows], y[train_rows], watch, seed, payload.get("epochs"))
    model.eval()
    watch.send(1.0, None)
    return PersonalOutcome(
        model_bytes=model.to_bytes(),
        before=before,
        after=score(model, x[held_rows], y[held_rows])[1],
        mnist_before=mnist_before,
        mnist_after=score(model, data.x_test, data.y_test)[1],
        held_out=len(held_rows),
        trained_on=len(train_rows),
        mnist_count=len(data.y_test),
        seconds=time.monotonic() - watch.started,
        reason=watch.reason,
    )
