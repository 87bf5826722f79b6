"""What went wrong in a training, read from the trained network and its history, with a fix
for each symptom that a test follows and finds working.

    diverged     the loss stopped being a number          → the smaller lr a test run found
    plateau      the loss stays at the know-nothing value → a hidden layer, or scaled inputs
    saturated    most sigmoid/tanh neurons sit on a flat  → scaled inputs (when raw and large)
    dead_relu    ReLU neurons that are 0 on every row     → lr ÷ 10
    overfitting  validation loss rose, training fell      → early stopping, l2, fewer neurons

A finding is a plain dict {"symptom", "values", "fixes"}: the fixes are `/settings` text
("patience=50"), so a button carries exactly what a learner could type. Runs in the worker
next to the training; no Telegram here. Saturation and dead neurons are reported only for a
network that has not learned its table (wrong answers left, or a loss well above the
know-nothing one): a network that fits every row is left alone.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

import nncore as nn
from bot.tables.table import Table
from bot.training.advice import best_single_line
from bot.training.encoding import Encoding, encode_inputs, encode_targets
from bot.training.settings import RAW_LIMIT, TrainSettings, output_size

SAME_ANSWER = 0.1  # outputs (probabilities) within this of one another: one answer for all
PLATEAU_SHARE = 0.95
POOR_SHARE = 0.2  # a loss above this share of the know-nothing loss: worth looking inside
SATURATION = {"sigmoid": 5.0, "tanh": 3.0}  # |z| past which the slope is below about 0.01
SATURATED_SHARE = 0.5  # "most" pre-activations
DEAD_SHARE = 0.25  # a quarter of the ReLU neurons silent on every row is worth a word
RISE = 1.2  # the kept network's validation loss over the best one's: overfitting
RISE_MARGIN = 0.02  # … and by at least this much in absolute terms
OVERFIT_L2 = 0.05  # the weight decay the overfitting fix sets (tested on the overfit example)
LAYER_FIX = 8  # neurons of the hidden layer the plateau fix adds


def know_nothing_loss(table: Table, encoding: Encoding) -> float | None:
    """The loss of a network that learned nothing: for classes, the cross-entropy of always
    answering the class shares of the table (ln 2 for two balanced classes, ln K for K); for
    numbers, the mean squared error of always answering their mean. None for several yes/no
    targets."""
    if table.task == "binary" and len(table.targets) != 1:
        return None
    Y = encode_targets(table, encoding, table.Y)
    if table.task == "regression":
        return float(np.mean((Y - Y.mean(axis=0)) ** 2))
    shares = np.array([1 - Y.mean(), Y.mean()]) if table.task == "binary" else Y.mean(axis=0)
    shares = shares[shares > 0]
    return float(-(shares * np.log(shares)).sum())


def hidden_values(model: nn.Sequential, X: np.ndarray) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(activation name, z, a) of every hidden layer for the rows X: z before, a after."""
    result, out = [], np.asarray(X, dtype=model.dtype)
    last = max(i for i, layer in enumerate(model.layers) if isinstance(layer, nn.Dense))
    for index, layer in enumerate(model.layers[:last]):
        z, out = out, layer.forward(out)
        if isinstance(layer, nn.Activation) and isinstance(model.layers[index - 1], nn.Dense):
            result.append((type(layer).__name__.lower(), z, out))
    return result


def diagnose(
    table: Table,
    settings: TrainSettings,
    model: nn.Sequential | None,
    encoding: Encoding,
    evaluation: Mapping[str, Any],
    divergence: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Every symptom this training shows, each with its fixes (see the module's table)."""
    if divergence is not None:
        advice = divergence.get("advice")
        fixes = [f"lr={advice['lr']:g}"] if advice else []
        return [_finding("diverged", fixes, lr=settings.lr)]
    if model is None or not evaluation:
        return []
    X = encode_inputs(encoding, table.X)
    with np.errstate(over="ignore", invalid="ignore"):
        layers = hidden_values(model.eval(), X)
        outputs = model.predict(X)
    findings = [_plateau(table, settings, encoding, evaluation, outputs)]
    if _learned_poorly(table, encoding, evaluation):  # a network that fits is left alone
        findings += [_saturated(table, settings, encoding, layers), _dead(settings, layers)]
    findings.append(_overfitting(table, settings, evaluation))
    return [finding for finding in findings if finding is not None]


def _learned_poorly(table: Table, encoding: Encoding, evaluation: Mapping[str, Any]) -> bool:
    """Wrong answers left, or a loss above POOR_SHARE of the know-nothing loss."""
    if evaluation.get("accuracy") is not None and evaluation["accuracy"] < 1:
        return True
    floor, loss = know_nothing_loss(table, encoding), evaluation.get("loss")
    return floor is not None and loss is not None and not loss <= POOR_SHARE * floor


def _finding(symptom: str, fixes: list[str], **values: Any) -> dict[str, Any]:
    return {"symptom": symptom, "values": values, "fixes": fixes}


def _raw_inputs(table: Table, encoding: Encoding) -> bool:
    """True when the network sees unscaled inputs beyond ±RAW_LIMIT (scaling would help)."""
    X = np.asarray(table.X, dtype=float)
    return encoding.get("inputs") is None and X.size > 0 and float(np.abs(X).max()) > RAW_LIMIT


def _plateau(
    table: Table,
    settings: TrainSettings,
    encoding: Encoding,
    evaluation: Mapping[str, Any],
    outputs: np.ndarray,
) -> dict[str, Any] | None:
    """The loss at the know-nothing value with (nearly) the same answer for every row."""
    floor = know_nothing_loss(table, encoding) if table.task != "regression" else None
    loss = evaluation.get("loss")
    if floor is None or loss is None or not math.isfinite(loss) or loss < PLATEAU_SHARE * floor:
        return None
    if not np.all(np.isfinite(outputs)) or float(np.ptp(outputs, axis=0).max()) > SAME_ANSWER:
        return None
    fixes = []
    if _raw_inputs(table, encoding):
        fixes.append("scale=standard")
    if not settings.hidden and best_single_line(table, settings) is not None:
        fixes.append(f"hidden={LAYER_FIX}")
    return _finding("plateau", fixes, loss=loss, floor=floor)


def _saturated(
    table: Table, settings: TrainSettings, encoding: Encoding, layers: list
) -> dict[str, Any] | None:
    edge = SATURATION.get(settings.activation)
    if edge is None or not layers:
        return None
    z = np.concatenate([z.ravel() for _, z, _ in layers])
    share = float(np.mean(np.abs(z) > edge))
    if share <= SATURATED_SHARE:
        return None
    fixes = ["scale=standard"] if _raw_inputs(table, encoding) else []
    return _finding("saturated", fixes, share=share, edge=edge)


def _dead(settings: TrainSettings, layers: list) -> dict[str, Any] | None:
    if settings.activation != "relu" or not layers:
        return None
    dead = sum(int(np.all(a <= 0, axis=0).sum()) for _, _, a in layers)
    total = sum(a.shape[1] for _, _, a in layers)
    if dead < max(1, DEAD_SHARE * total):
        return None
    return _finding("dead_relu", [f"lr={settings.lr / 10:.3g}"], dead=dead, total=total)


def _overfitting(
    table: Table, settings: TrainSettings, evaluation: Mapping[str, Any]
) -> dict[str, Any] | None:
    """Validation loss of the kept network well above the best epoch's, training still
    falling: the network learns the rows (noise included), not the rule."""
    val, best_epoch = evaluation.get("val_loss"), evaluation.get("best_epoch")
    best = evaluation.get("best_val_loss")
    if val is None or best is None or best_epoch is None or not math.isfinite(val):
        return None
    if val < RISE * best or val - best < RISE_MARGIN:
        return None
    if not evaluation.get("last_train_loss", math.inf) < evaluation.get("best_train_loss", 0.0):
        return None
    fixes = []
    if not settings.patience:
        fixes.append(f"patience={max(10, settings.epochs // 20)}")
    if settings.l2 < OVERFIT_L2:
        fixes.append(f"l2={OVERFIT_L2:g}")
    fewer = max(2, output_size(table)) if table.task == "multiclass" else 2
    if sum(settings.hidden) > fewer:
        fixes.append(f"hidden={fewer}")
    return _finding("overfitting", fixes, best_epoch=best_epoch, best=best, loss=val)
