"""The step training really takes, for /explain: the mean gradient over a batch of rows, and,
for a single sigmoid neuron trained on the whole table, the article's own matrix form
Δw = Xᵀ·(error · σ′(output)) with the numbers of the first iteration.

`nncore.explain` traces one row; training with `batch=B` averages B such gradients before it
moves a weight (w ← w − η·mean ∂L/∂w). This module computes that mean with the network's own
forward and backward passes and writes it out so the sums check (`bot.training.arithmetic`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

import nncore as nn
from bot.training.arithmetic import agreeing, factor, shown
from bot.training.explain_lines import sub, update_line, visible_update

WRITTEN_ROWS = 6  # up to this many rows the mean is written as a sum


@dataclass(frozen=True)
class Batch:
    rows: list[int]  # 0-based rows of the table in this batch
    whole: bool  # the batch is the whole table (batch=all, or a batch as large as the table)


def batch_for(row: int, batch_size: int, table_rows: int) -> Batch:
    """The batch a step on `row` belongs to: the whole table, or `batch_size` rows from `row`."""
    size = min(batch_size or table_rows, table_rows)
    if size >= table_rows:
        return Batch(list(range(table_rows)), True)
    return Batch([(row + k) % table_rows for k in range(size)], False)


def mean_gradients(
    model: nn.Sequential, loss: nn.Loss, X: np.ndarray, Y: np.ndarray
) -> list[dict[str, np.ndarray]]:
    """∂L/∂params averaged over the rows X, Y, per Dense layer, exactly as one training step
    computes them (the model is left alone: this runs on a copy)."""
    net = copy.deepcopy(model).eval()
    upto, head = net.training_head(loss)
    out = net.forward(X, upto)
    head.forward(out, Y)
    net.backward(head.backward(), upto)
    return [
        {k: np.array(v, dtype=np.float64) for k, v in layer.grads.items()}
        for layer in net.layers
        if isinstance(layer, nn.Dense)
    ]


def mean_lines(
    param: nn.ParamStep, row_grads: list[float] | None, mean: float, lr: float, rows: int
) -> list[str]:
    """∂L/∂w over the batch = (g₁ + … + g_B)/B = mean, then w ← w − η·mean."""
    name = sub(param.name)
    head = f"∂L/∂{name}"
    if row_grads is not None and len(row_grads) <= WRITTEN_ROWS:
        texts, result = agreeing(row_grads, lambda v: sum(v) / len(v), mean)
        total = " + ".join(factor(v) for v in texts)
        line = f"{head} = ({total})/{len(texts)} = {result}"
    else:
        line = f"{head} = Σ/{rows} = {shown(mean)}"
    return [line, update_line(name, param.value, lr, mean, param.value - lr * mean)]


def article_form_applies(model: nn.Sequential, loss: nn.Loss, optimizer: str, batch: Batch) -> bool:
    """One Dense layer, one sigmoid output, MSE, plain SGD, the whole table in each step."""
    dense = [layer for layer in model.layers if isinstance(layer, nn.Dense)]
    return (
        len(dense) == 1
        and dense[0].n_out == 1
        and isinstance(model.layers[-1], nn.Sigmoid)
        and loss.name == "mse"
        and optimizer == "sgd"
        and batch.whole
    )


def article_lines(model: nn.Sequential, X: np.ndarray, Y: np.ndarray, lr: float) -> list[list[str]]:
    """The first iteration in the article's form: per row output, error and error·σ′(output);
    then Δwᵢ = k·Σ xᵢ·(error·σ′) with k = 2η/N, and the new weights (line groups)."""
    dense = next(layer for layer in model.layers if isinstance(layer, nn.Dense))
    W = np.asarray(dense.params["W"], dtype=np.float64)[:, 0]
    b = dense.params.get("b")
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(Y, dtype=np.float64)[:, 0]
    z = X @ W + (float(b[0]) if b is not None else 0.0)
    output = 0.5 * (1 + np.tanh(z / 2))
    error = y - output
    delta = error * output * (1 - output)
    groups = [_row_lines(i, z[i], output[i], y[i], error[i], delta[i]) for i in range(len(X))]
    k = 2 * lr / len(X)
    feeds = [(f"w{i + 1}", X[:, i], float(W[i])) for i in range(X.shape[1])]
    if b is not None:
        feeds.append(("b1", np.ones(len(X)), float(b[0])))
    for name, column, value in feeds:
        groups.append(_delta_lines(sub(name), column, delta, k, value))
    return groups


def _row_lines(i: int, z: float, out: float, y: float, error: float, delta: float) -> list[str]:
    (z_text,), o_text = agreeing([z], lambda v: 0.5 * (1 + np.tanh(v[0] / 2)), out)
    (y_text, o2), e_text = agreeing([y, out], lambda v: v[0] - v[1], error)
    (e2, o3, q), d_text = agreeing([error, out, 1 - out], lambda v: v[0] * v[1] * v[2], delta)
    o, e, d = (sub(f"{letter}{i + 1}") for letter in "oed")
    return [
        f"{o} = σ({z_text}) = {o_text}",
        f"{e} = y − {o} = {y_text} − {o2} = {e_text}",
        f"{d} = {e}·{o}·(1 − {o}) = {factor(e2)}·{o3}·{q} = {d_text}",
    ]


def _delta_lines(
    name: str, column: np.ndarray, delta: np.ndarray, k: float, value: float
) -> list[str]:
    change = float(k * np.dot(column, delta))
    n = len(column)

    def total(v: list[float]) -> float:
        return v[0] * sum(v[1 + i] * v[1 + n + i] for i in range(n))

    texts, result = agreeing([k, *column, *delta], total, change)
    terms = " + ".join(f"{factor(texts[1 + i])}·{factor(texts[1 + n + i])}" for i in range(n))
    scale = "" if k == 1 else f"{texts[0]}·"
    (w, d), new = visible_update([value, change], lambda v: v[0] + v[1], value + change)
    return [f"Δ{name} = {scale}({terms}) = {result}", f"{name} ← {w} + {factor(d)} = {new}"]
