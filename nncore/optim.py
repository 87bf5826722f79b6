"""Optimizers: turn gradients into weight changes.

`step(parameters)` receives a list of (name, value, gradient) triples — `Sequential.parameters()`
— and changes every value in place. Optimizers with memory (momentum, Adam's averages) keep it
per position in that list, so use one optimizer per model (`reset()` forgets the memory).

`weight_decay` adds wd·W to the gradient of every weight matrix (an L2 penalty ½·wd·‖W‖²);
biases are not decayed.
"""

from __future__ import annotations

import numpy as np

Parameters = list[tuple[str, np.ndarray, np.ndarray]]


def _decayed(name: str, value: np.ndarray, grad: np.ndarray, weight_decay: float) -> np.ndarray:
    """∂L/∂w plus wd·W for a weight matrix (a name ending in "W"); biases unchanged."""
    if weight_decay and name.endswith("W"):
        return grad + weight_decay * value
    return grad


class Optimizer:
    """The common loop of all optimizers: `step` walks the parameters, `update` changes one.

    A subclass writes only `update(value, grad, state)`: change `value` in place from `grad`
    (already including weight decay), keeping any memory in its own `state` dict.
    """

    def __init__(self, weight_decay: float = 0.0) -> None:
        self.weight_decay = float(weight_decay)
        self.state: list[dict[str, np.ndarray]] = []
        self.steps = 0

    def reset(self) -> None:
        self.state, self.steps = [], 0

    def step(self, parameters: Parameters) -> None:
        """One update of every (name, value, gradient) triple, values changed in place."""
        if len(self.state) != len(parameters):
            self.state = [{} for _ in parameters]
        self.steps += 1
        decay = self.weight_decay
        for (name, value, grad), state in zip(parameters, self.state, strict=True):
            self.update(value, _decayed(name, value, grad, decay) if decay else grad, state)

    def update(self, value: np.ndarray, grad: np.ndarray, state: dict[str, np.ndarray]) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent:  w ← w − lr·∂L/∂w.

    With momentum μ a velocity remembers past steps:  v ← μ·v − lr·g;  w ← w + v.
    Nesterov looks ahead along the velocity:           w ← w + μ·v − lr·g  (with the new v).
    """

    def __init__(
        self, lr: float, momentum: float = 0.0, nesterov: bool = False, weight_decay: float = 0.0
    ) -> None:
        super().__init__(weight_decay)
        self.lr, self.momentum, self.nesterov = float(lr), float(momentum), bool(nesterov)

    def update(self, value: np.ndarray, grad: np.ndarray, state: dict[str, np.ndarray]) -> None:
        # Buffers are made on the first step only (setdefault would build a new one every call).
        if "step" not in state:
            state["step"] = np.empty_like(value)
            if self.momentum:
                state["velocity"] = np.zeros_like(value)
        step = state["step"]
        np.multiply(grad, self.lr, out=step)  # step = lr·g
        if self.momentum == 0.0:
            value -= step
            return
        velocity = state["velocity"]
        velocity *= self.momentum
        velocity -= step
        if self.nesterov:
            value += self.momentum * velocity - step
        else:
            value += velocity

    def __repr__(self) -> str:
        return f"SGD(lr={self.lr}, momentum={self.momentum}, nesterov={self.nesterov})"


class Adam(Optimizer):
    """Adam: a step per weight scaled by running averages of the gradient and its square.

        m ← β1·m + (1 − β1)·g            v ← β2·v + (1 − β2)·g²
        w ← w − lr · m̂ / (√v̂ + eps)       m̂ = m/(1 − β1ᵗ), v̂ = v/(1 − β2ᵗ)  (bias correction)

    Computed in the equivalent form  w ← w − lr_t · m / (√v + eps_t)  with
    lr_t = lr·√(1 − β2ᵗ)/(1 − β1ᵗ) and eps_t = eps·√(1 − β2ᵗ), which saves two array passes.
    """

    def __init__(
        self,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(weight_decay)
        self.lr, self.eps = float(lr), float(eps)
        self.betas = (float(betas[0]), float(betas[1]))

    def update(self, value: np.ndarray, grad: np.ndarray, state: dict[str, np.ndarray]) -> None:
        beta1, beta2 = self.betas
        if not state:
            state.update(m=np.zeros_like(value), v=np.zeros_like(value), tmp=np.empty_like(value))
        m, v, tmp = state["m"], state["v"], state["tmp"]
        m *= beta1
        np.multiply(grad, 1.0 - beta1, out=tmp)
        m += tmp
        v *= beta2
        np.multiply(grad, grad, out=tmp)
        tmp *= 1.0 - beta2
        v += tmp
        correction = np.sqrt(1.0 - beta2**self.steps)
        step_size = self.lr * correction / (1.0 - beta1**self.steps)
        np.sqrt(v, out=tmp)
        tmp += self.eps * correction
        np.divide(m, tmp, out=tmp)
        tmp *= step_size
        value -= tmp

    def __repr__(self) -> str:
        return f"Adam(lr={self.lr}, betas={self.betas}, eps={self.eps})"
