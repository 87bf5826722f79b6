"""Activations: the non-linear functions between weighted sums.

Without them a stack of Dense layers would collapse into one linear map. Each activation is a
layer with no weights that owns two formulas, written once, side by side:

    function(z)   a = f(z), applied to every number on its own;
    slope(z, a)   f′(z), the local derivative, given the input z and the output a = f(z)
                  (whichever is simpler: σ′ = a·(1 − a) needs only a, ReLU′ only z).

`backward` is then the chain rule for one step, ∂L/∂z = ∂L/∂a · f′(z), and `nncore.explain`
shows the same `slope` numbers in its worked traces. Shapes are unchanged:
z: (batch, …) → a: (batch, …).

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


class Activation(Layer):
    """The shape every activation shares: forward a = f(z), backward ∂L/∂z = ∂L/∂a · f′(z).

    Subclasses write `function` and `slope`; forward remembers z and a for backward.
    """

    #: Short lower-case name shown in worked traces ("sigmoid", "relu", …).
    name = ""

    def function(self, z: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def slope(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        """f′(z), elementwise, from the input z and the output a = f(z)."""
        raise NotImplementedError

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.z = x
        self.a = self.function(x)
        return self.a

    def backward(self, grad: np.ndarray) -> np.ndarray:
        return grad * self.slope(self.z, self.a)


class Sigmoid(Activation):
    """a = σ(z);  σ′(z) = a·(1 − a)."""

    name = "sigmoid"

    def function(self, z: np.ndarray) -> np.ndarray:
        return sigmoid(z)

    def slope(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        return a * (1.0 - a)


class Tanh(Activation):
    """a = tanh(z);  tanh′(z) = 1 − a²."""

    name = "tanh"

    def function(self, z: np.ndarray) -> np.ndarray:
        return np.tanh(z)

    def slope(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        return 1.0 - a * a


class ReLU(Activation):
    """a = max(z, 0);  ReLU′(z) = 1 if z > 0 else 0."""

    name = "relu"

    def function(self, z: np.ndarray) -> np.ndarray:
        return np.maximum(z, 0)

    def slope(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        return (z > 0).astype(z.dtype)

    def backward(self, grad: np.ndarray) -> np.ndarray:
        """grad · ReLU′(z), multiplying by the boolean z > 0 directly: the same numbers as
        grad * slope(z, a), without first converting the mask to floats."""
        return np.multiply(grad, self.z > 0, dtype=grad.dtype)


class LeakyReLU(Activation):
    """a = z if z > 0 else α·z;  derivative 1 or α. A small slope keeps "dead" neurons learning.

    Both pieces are straight lines through 0, so a = z · f′(z): forward reuses the slope.
    """

    name = "leaky_relu"

    def __init__(self, alpha: float = 0.01) -> None:
        super().__init__()
        self.alpha = float(alpha)

    def function(self, z: np.ndarray) -> np.ndarray:
        return z * self.slope(z, None)

    def slope(self, z: np.ndarray, a: np.ndarray | None) -> np.ndarray:
        return np.where(z > 0, z.dtype.type(1), z.dtype.type(self.alpha))

    def config(self) -> dict[str, Any]:
        return {"alpha": self.alpha}


class Softmax(Activation):
    """Turns each row of scores into probabilities: p_i = e^(z_i) / Σ_j e^(z_j).

    Not elementwise: every p_i depends on every z_j, ∂p_i/∂z_j = p_i·(δ_ij − p_j). So backward
    is a Jacobian-vector product,  ∂L/∂z = p · (g − Σ_j g_j·p_j)  with g = ∂L/∂p, and `slope`
    gives only the diagonal of that Jacobian, ∂p_i/∂z_i = p_i·(1 − p_i) — true, but not enough
    for backward. Paired with `SoftmaxCrossEntropy`, a model skips this layer while training and
    uses the simpler fused gradient p − onehot (see `Sequential.training_head`); `explain`
    likewise splits the chain rule at z after a softmax output.
    """

    name = "softmax"

    def function(self, z: np.ndarray) -> np.ndarray:
        return softmax(z)

    def slope(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        """The diagonal ∂p_i/∂z_i = p_i·(1 − p_i) only (see the class docstring)."""
        return a * (1.0 - a)

    def backward(self, grad: np.ndarray) -> np.ndarray:
        p = self.a
        return p * (grad - (grad * p).sum(axis=-1, keepdims=True))


class Linear(Activation):
    """The identity: a = z, derivative 1. For regression outputs (and for symmetry)."""

    name = "linear"

    def function(self, z: np.ndarray) -> np.ndarray:
        return z

    def slope(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        return np.ones_like(z)
