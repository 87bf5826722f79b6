"""Check back-propagation against finite differences.

For every weight w (and every input number) the slope of the loss is measured directly,

    ∂L/∂w ≈ (L(w + ε) − L(w − ε)) / 2ε         (central difference, error ~ ε²)

and compared with the gradient backward() computed. The model is copied to float64 first:
in float32 the rounding error of L is larger than the change ε makes, and the check would
report nonsense. The copy runs in evaluation mode, so Dropout is switched off.

Relative error = |analytic − numeric| / max(|analytic|, |numeric|, 1e-4): gradients smaller
than 1e-4 are compared absolutely, because their numeric estimate is mostly rounding noise.
Meant for small models and a handful of rows: it runs two forward passes per number checked.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from nncore.losses import Loss
from nncore.model import Sequential

FLOOR = 1e-4


@dataclass
class GradcheckResult:
    max_rel_error: float
    where: str  # e.g. "layer 2 (Dense) W[3, 1]" or "input[0, 1]"


def gradcheck(
    model: Sequential, loss: Loss, X: np.ndarray, y: np.ndarray, eps: float = 1e-5
) -> GradcheckResult:
    """The worst relative error between backward() and central differences, and where it is."""
    model = Sequential(copy.deepcopy(model.layers), dtype="float64").eval()
    upto, loss = model.training_head(loss)
    X = np.array(X, dtype=np.float64)
    y = np.asarray(y)
    if y.dtype.kind == "f":
        y = y.astype(np.float64)

    def loss_at(inputs: np.ndarray) -> float:
        return loss.forward(model.forward(inputs, upto), y)

    loss_at(X)
    input_grad = model.backward(loss.backward(), upto)
    checks = [("input", X, input_grad.copy())]
    for i, layer in enumerate(model.layers[:upto]):
        for key, value in layer.params.items():
            checks.append((f"layer {i + 1} ({layer.kind}) {key}", value, layer.grads[key].copy()))

    worst = GradcheckResult(0.0, "nothing to check")
    for label, array, analytic in checks:
        for index in np.ndindex(array.shape):
            saved = array[index]
            array[index] = saved + eps
            plus = loss_at(X)
            array[index] = saved - eps
            minus = loss_at(X)
            array[index] = saved
            numeric = (plus - minus) / (2 * eps)
            exact = float(analytic[index])
            error = abs(exact - numeric) / max(abs(exact), abs(numeric), FLOOR)
            if error > worst.max_rel_error or worst.where == "nothing to check":
                worst = GradcheckResult(error, f"{label}[{', '.join(map(str, index))}]")
    return worst
