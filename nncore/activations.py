"""Activations: the non-linear functions between weighted sums.

Without them a stack of Dense layers would collapse into one linear map. Each activation is a
layer with no weights; its backward multiplies the incoming gradient by the local derivative
f′(z), written once, next to f(z). Shapes are unchanged: (batch, …) → (batch, …).

All of them are numerically safe for inputs up to ±1e4 (and far beyond): no overflow, no NaN.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nncore.layers import Layer


def sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = 1 / (1 + e^(−z)), computed as ½·(1 + tanh(z/2)), which never overflows."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax: exp(z − max z) / Σ exp(z − max z). Subtracting the max avoids overflow."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


class Sigmoid(Layer):
    """a = σ(z);  σ′(z) = a·(1 − a)."""

    name = "sigmoid"

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.a = sigmoid(x)
        return self.a

    def backward(self, grad: np.ndarray) -> np.ndarray:
        return grad * (self.a * (1.0 - self.a))


class Tanh(Layer):
    """a = tanh(z);  tanh′(z) = 1 − a²."""

    name = "tanh"

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.a = np.tanh(x)
        return self.a

    def backward(self, grad: np.ndarray) -> np.ndarray:
        return grad * (1.0 - self.a * self.a)


class ReLU(Layer):
    """a = max(z, 0);  ReLU′(z) = 1 if z > 0 else 0."""

    name = "relu"

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.positive = x > 0
        return np.maximum(x, 0)

    def backward(self, grad: np.ndarray) -> np.ndarray:
        return grad * self.positive


class LeakyReLU(Layer):
    """a = z if z > 0 else α·z;  derivative 1 or α. A small slope keeps "dead" neurons learning."""

    name = "leaky_relu"

    def __init__(self, alpha: float = 0.01) -> None:
        super().__init__()
        self.alpha = float(alpha)

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.slope = np.where(x > 0, x.dtype.type(1), x.dtype.type(self.alpha))
        return x * self.slope

    def backward(self, grad: np.ndarray) -> np.ndarray:
        return grad * self.slope

    def config(self) -> dict[str, Any]:
        return {"alpha": self.alpha}


class Softmax(Layer):
    """Turns each row of scores into probabilities: p_i = e^(z_i) / Σ_j e^(z_j).

    Every p_i depends on every z_j (∂p_i/∂z_j = p_i·(δ_ij − p_j)), so backward is a
    Jacobian-vector product:  ∂L/∂z = p · (g − Σ_j g_j·p_j)  with g = ∂L/∂p.
    Paired with `SoftmaxCrossEntropy`, a model skips this layer while training and uses the
    simpler fused gradient p − onehot (see `Sequential.fit`).
    """

    name = "softmax"

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.p = softmax(x)
        return self.p

    def backward(self, grad: np.ndarray) -> np.ndarray:
        return self.p * (grad - (grad * self.p).sum(axis=-1, keepdims=True))


class Linear(Layer):
    """The identity: a = z, derivative 1. For regression outputs (and for symmetry)."""

    name = "linear"

    def forward(self, x: np.ndarray) -> np.ndarray:
        return x

    def backward(self, grad: np.ndarray) -> np.ndarray:
        return grad
