"""Where the first weights come from.

A network starts from random weights; *how* random matters. If the weights are too large the
weighted sums saturate the activations, too small and the signal fades layer after layer.
The classic recipes keep the variance of every layer's output about the same as its input's:

    he        normal, std = sqrt(2 / fan_in)            good before ReLU
    glorot    uniform, limit = sqrt(6 / (fan_in + fan_out))  good before tanh / sigmoid
    lecun     normal, std = sqrt(1 / fan_in)
    uniform   uniform in (-1, 1)                         the old textbook choice
    zeros, ones                                          for worked examples by hand

`fan_in` is how many numbers flow into one neuron, `fan_out` how many neurons read its output.
An explicit NumPy array can be given instead of a name; it is copied.

Weights are created in float64; the model casts them to its own dtype.
"""

from __future__ import annotations

import numpy as np

INIT_NAMES = ("he", "glorot", "xavier", "lecun", "uniform", "zeros", "ones")


def make_rng(rng: int | np.random.Generator | None) -> np.random.Generator:
    """An int seed, a Generator (used as is) or None (fresh, unpredictable) → a Generator."""
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(rng)


def initial_weights(
    init: str | np.ndarray,
    shape: tuple[int, ...],
    fan_in: int,
    fan_out: int,
    rng: int | np.random.Generator | None = None,
) -> np.ndarray:
    """A float64 array of `shape` drawn by the recipe `init` (a name above or an array)."""
    if isinstance(init, np.ndarray | list | tuple):
        weights = np.array(init, dtype=np.float64)
        if weights.shape != tuple(shape):
            raise ValueError(f"init array has shape {weights.shape}, expected {tuple(shape)}")
        return weights
    name = str(init).lower()
    if name == "zeros":
        return np.zeros(shape)
    if name == "ones":
        return np.ones(shape)
    generator = make_rng(rng)
    if name == "he":
        return generator.normal(0.0, np.sqrt(2.0 / fan_in), size=shape)
    if name in ("glorot", "xavier"):
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        return generator.uniform(-limit, limit, size=shape)
    if name == "lecun":
        return generator.normal(0.0, np.sqrt(1.0 / fan_in), size=shape)
    if name == "uniform":
        return generator.uniform(-1.0, 1.0, size=shape)
    raise ValueError(f"unknown init {init!r}; use one of {', '.join(INIT_NAMES)} or an array")
