"""A table as the arrays a network sees, and the network's outputs as readable predictions.

Inputs are standardised only when the settings' `scale` asks for it, so the article's examples
train on the article's raw numbers. The statistics used for a trained network are saved with
it (`ChatState.encoding`, the dict `compute_encoding` returns), so /predict, /explain and
/boundary encode exactly as training did:

    {"inputs": {"mean": [...], "std": [...]} | None, "targets": {...} | None}

No Telegram and no nncore here: NumPy and the table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.tables.table import Table
from bot.text import number
from bot.training.settings import TrainSettings

RAW_LIMIT = 10.0  # scale=auto standardises inputs with values beyond ±RAW_LIMIT

Encoding = Mapping[str, Any]


def _stats(values: np.ndarray) -> dict[str, list[float]]:
    std = values.std(axis=0)
    return {"mean": values.mean(axis=0).tolist(), "std": np.where(std > 0, std, 1.0).tolist()}


def compute_encoding(table: Table, settings: TrainSettings) -> dict[str, Any]:
    """How raw table numbers become network inputs/targets (and back), for this training."""
    X = np.asarray(table.X, dtype=np.float64).reshape(len(table.X), -1)
    mode = settings.scale
    if mode == "auto":
        raw_ok = settings.init == "textbook" or not X.size or np.abs(X).max() <= RAW_LIMIT
        mode = "none" if raw_ok else "standard"
    encoding: dict[str, Any] = {"inputs": None, "targets": None}
    if mode == "standard" and X.size:
        encoding["inputs"] = _stats(X)
    if table.task == "regression" and mode == "standard":
        encoding["targets"] = _stats(
            np.asarray(table.Y, dtype=np.float64).reshape(len(table.Y), -1)
        )
    return encoding


def encoding_for(table: Table, saved: Encoding | None, settings: TrainSettings) -> Encoding:
    """The trained network's saved encoding, else the one training with `settings` would use."""
    return saved if saved is not None else compute_encoding(table, settings)


def encode_inputs(encoding: Encoding, rows: Sequence | np.ndarray) -> np.ndarray:
    """Raw input rows → what the network really sees, shape (n, inputs), float64 (the model
    casts to its own dtype)."""
    X = np.asarray(rows, dtype=np.float64)
    X = X.reshape(len(X), -1) if X.ndim != 2 else X
    stats = encoding.get("inputs")
    if stats:
        X = (X - np.asarray(stats["mean"])) / np.asarray(stats["std"])
    return X


def class_index(value: Any, classes: Sequence[str] | None) -> int:
    """A target cell (a class index, as bot.tables.table stores it, or a class name) → index."""
    if isinstance(value, str) and classes and value.strip() in classes:
        return list(classes).index(value.strip())
    as_float = float(value)
    if as_float != int(as_float) or not 0 <= as_float < max(2, len(classes or ())):
        raise ValueError(f"{value!r} is not a class of {classes}")
    return int(as_float)


def encode_targets(table: Table, encoding: Encoding, rows_Y: Sequence) -> np.ndarray:
    """Target rows → what the loss compares with: 0/1, one-hot rows, or (scaled) numbers."""
    classes = table.classes
    if table.task == "binary":
        return np.array([[class_index(v, classes) for v in row] for row in rows_Y], dtype=float)
    if table.task == "multiclass":
        onehot = np.zeros((len(rows_Y), len(classes or ())))
        for i, row in enumerate(rows_Y):
            onehot[i, class_index(row[0], classes)] = 1.0
        return onehot
    Y = np.asarray(rows_Y, dtype=np.float64).reshape(len(rows_Y), -1)
    stats = encoding.get("targets")
    if stats:
        Y = (Y - np.asarray(stats["mean"])) / np.asarray(stats["std"])
    return Y


@dataclass(frozen=True)
class Prediction:
    """One answer of the network, ready to show: text, the number behind it, the confidence."""

    text: str
    value: float | list[float]
    confidence: float | None = None


def decode_outputs(table: Table, encoding: Encoding, outputs: np.ndarray) -> list[Prediction]:
    """Network outputs (n, outputs) → one Prediction per row, in the table's own terms."""
    outputs = np.asarray(outputs, dtype=np.float64).reshape(len(outputs), -1)
    classes = table.classes or ["0", "1"]
    if table.task == "binary" and outputs.shape[1] == 1:
        result = []
        for p in outputs[:, 0]:
            k = int(p >= 0.5)
            result.append(Prediction(str(classes[k]), float(p), float(p if k else 1 - p)))
        return result
    if table.task == "binary":
        return [
            Prediction(
                ", ".join(f"{n}={int(p >= 0.5)}" for n, p in zip(table.targets, row, strict=True)),
                [float(p) for p in row],
                float(np.min(np.maximum(row, 1 - row))),
            )
            for row in outputs
        ]
    if table.task == "multiclass":
        return [
            Prediction(str(classes[int(row.argmax())]), int(row.argmax()), float(row.max()))
            for row in outputs
        ]
    stats = encoding.get("targets")
    if stats:
        outputs = outputs * np.asarray(stats["std"]) + np.asarray(stats["mean"])
    result = []
    for row in outputs:
        values = [float(v) for v in row]
        text = ", ".join(number(v) for v in values)
        result.append(Prediction(text, values[0] if len(values) == 1 else values))
    return result


def class_probabilities(table: Table, outputs: np.ndarray) -> np.ndarray:
    """Per-class probabilities (n, classes) for class tasks (used by pictures)."""
    outputs = np.asarray(outputs, dtype=np.float64).reshape(len(outputs), -1)
    if table.task == "binary":
        return np.hstack([1 - outputs[:, :1], outputs[:, :1]])
    return outputs
