"""Layers: the building blocks a `Sequential` model stacks.

Every layer does two things:

    forward(x)      computes its output from its input and remembers what backward will need;
    backward(grad)  receives ∂L/∂output and returns ∂L/∂input, filling `grads` on the way.

Layers with weights keep them in `params` (a dict of arrays) and the matching gradients in
`grads` (same keys, same shapes). An optimizer reads both and changes `params` in place.
Arrays are batches: the first axis is the sample.
"""

from __future__ import annotations

import copy
from typing import Any, ClassVar

import numpy as np

from nncore import parallel
from nncore.init import initial_weights, make_rng


class Layer:
    """The common shape of all layers. Subclasses override `forward` and `backward`."""

    #: Name used in saved files and summaries (the class name by default).
    kind: ClassVar[str] = ""

    def __init__(self) -> None:
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.training = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.kind = cls.__name__

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def backward(self, grad: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """Shape of one sample's output for one sample's input (no batch axis)."""
        return input_shape

    def config(self) -> dict[str, Any]:
        """The constructor arguments that rebuild this layer (weights aside), JSON-ready."""
        return {}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Layer:
        return cls(**config)

    def cast(self, dtype: np.dtype) -> None:
        """Convert the weights to `dtype` (float32 or float64), C-contiguous."""
        self.params = {k: np.ascontiguousarray(v, dtype=dtype) for k, v in self.params.items()}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}

    def param_count(self) -> int:
        return sum(p.size for p in self.params.values())

    def buffer(self, name: str, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
        """A work array that lives from one batch to the next (contents undefined).

        Writing into freshly allocated memory makes the system fault in and zero its pages
        first; reusing the array skips that (MaxPool2D's planes). Only for arrays a layer uses
        within one call, never for what it returns or keeps for backward.
        """
        buffers = self.__dict__.setdefault("_buffers", {})
        array = buffers.get(name)
        if array is None or array.shape != shape or array.dtype != dtype:
            array = buffers[name] = np.empty(shape, dtype=dtype)
        return array

    def replica(self) -> Layer:
        """A twin for another thread: the same weight arrays, its own gradients and buffers."""
        twin = copy.copy(self)
        twin.grads = {name: np.zeros_like(grad) for name, grad in self.grads.items()}
        twin.__dict__["_buffers"] = {}
        return twin

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.config().items())
        return f"{self.kind}({args})"


def backward_to_weights(layers: list[Layer], grad: np.ndarray) -> None:
    """Backward through `layers`, filling their grads, without ∂L/∂input, which training never
    uses: it stops at the first layer with weights, which skips its input gradient."""
    first = len(layers)
    for i, layer in enumerate(layers):  # a plain loop: this runs every step of a table lesson
        if layer.params:
            first = i
            break
    for i in range(len(layers) - 1, first, -1):
        grad = layers[i].backward(grad)
    if first < len(layers):
        layers[first].backward(grad, need_input_grad=False)


class Dense(Layer):
    """A fully connected layer: every output neuron sees every input.

        z = x @ W + b           x: (batch, n_in)  W: (n_in, n_out)  b: (n_out,)  z: (batch, n_out)

    One column of W holds the weights of one neuron (Keras convention).
    Backward, with g = ∂L/∂z:

        ∂L/∂W = xᵀ @ g          (n_in, n_out)   each weight's input times the neuron's gradient
        ∂L/∂b = Σ_batch g       (n_out,)
        ∂L/∂x = g @ Wᵀ          (batch, n_in)   what the previous layer needs
    """

    def __init__(
        self,
        n_in: int,
        n_out: int,
        bias: bool = True,
        init: str | np.ndarray = "glorot",
        rng: int | np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        self.n_in, self.n_out, self.bias = int(n_in), int(n_out), bool(bias)
        self.params["W"] = initial_weights(init, (self.n_in, self.n_out), n_in, n_out, rng)
        if self.bias:
            self.params["b"] = np.zeros(self.n_out)
        self.cast(np.dtype(np.float64))
        self.x: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        z = _product(x, self.params["W"])
        if self.bias:
            z += self.params["b"]
        return z

    def backward(self, grad: np.ndarray, need_input_grad: bool = True) -> np.ndarray | None:
        _product(self.x.T, grad, out=self.grads["W"])
        if self.bias:
            np.add.reduce(grad, axis=0, out=self.grads["b"])
        # The first layer of a model has nobody to pass ∂L/∂x to: skipping it saves a matmul.
        return _product(grad, self.params["W"].T) if need_input_grad else None

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        return (self.n_out,)

    def config(self) -> dict[str, Any]:
        return {"n_in": self.n_in, "n_out": self.n_out, "bias": self.bias}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Layer:
        return cls(**config, init="zeros")


def _product(a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """a @ b (into `out` if given). With several threads a big product is split by columns:
    out[:, cols] = a @ b[:, cols], one part per thread — the same sums, so the same numbers."""
    work = 2.0 * a.shape[0] * a.shape[1] * b.shape[1]
    if work < 2 * parallel.MIN_WORK_PER_THREAD or b.shape[1] < 2 or parallel.threads() == 1:
        return np.matmul(a, b, out=out)
    if out is None:
        out = np.empty((a.shape[0], b.shape[1]), dtype=np.result_type(a, b))
    parallel.run(
        lambda cols: np.matmul(a, b[:, cols], out=out[:, cols]), parallel.parts(b.shape[1], work)
    )
    return out


class Flatten(Layer):
    """(batch, d1, d2, …) → (batch, d1·d2·…): images become rows for a Dense layer."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.input_shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, grad: np.ndarray) -> np.ndarray:
        return grad.reshape(self.input_shape)

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        return (int(np.prod(input_shape)),)


class Dropout(Layer):
    """Inverted dropout: in training, zero each input with probability p and scale the rest.

        mask = (u ≥ p) / (1 − p),  u ~ Uniform(0, 1)     y = x · mask     ∂L/∂x = ∂L/∂y · mask

    Scaling by 1/(1 − p) keeps the expected output equal to x, so in evaluation mode the layer
    simply passes x through. `rng` is an int seed or a Generator; `fit(seed=…)` reseeds it.
    """

    def __init__(self, p: float, rng: int | np.random.Generator | None = None) -> None:
        super().__init__()
        if not 0.0 <= p < 1.0:
            raise ValueError(f"dropout probability must be in [0, 1), got {p}")
        self.p = float(p)
        self.rng = make_rng(rng)
        self.mask: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        if not self.training or self.p == 0.0:
            self.mask = None
            return x
        keep = self.rng.random(x.shape, dtype=np.float32) >= self.p
        self.mask = keep.astype(x.dtype) * x.dtype.type(1.0 / (1.0 - self.p))
        return x * self.mask

    def backward(self, grad: np.ndarray) -> np.ndarray:
        return grad if self.mask is None else grad * self.mask

    def config(self) -> dict[str, Any]:
        return {"p": self.p}
