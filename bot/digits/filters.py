"""Square image filters on NumPy arrays (max, min, mean), resizing helpers, uint8 conversion.

Shared by the stages of the photo pipeline: `bot.digits.ink` (paper estimate, polarity),
`bot.digits.mnist_frame` (thickening a thin stroke) and `bot.digits.vision` (cropping).
"""

from __future__ import annotations

import numpy as np
from PIL import Image


def max_filter(a: np.ndarray, radius: int, combine=np.maximum) -> np.ndarray:
    """Max over a (2r+1)² square, separably: out[y, x] = max a[y-r..y+r, x-r..x+r]."""
    if radius <= 0:
        return a
    out = a
    for axis in (0, 1):
        padded = np.pad(out, [(radius, radius) if i == axis else (0, 0) for i in (0, 1)], "edge")
        n = out.shape[axis]
        result = padded.take(range(0, n), axis=axis)
        for shift in range(1, 2 * radius + 1):
            combine(result, padded.take(range(shift, shift + n), axis=axis), out=result)
        out = result
    return out


def min_filter(a: np.ndarray, radius: int) -> np.ndarray:
    return max_filter(a, radius, np.minimum)


def mean_filter(a: np.ndarray, radius: int) -> np.ndarray:
    """Mean over a (2r+1)² square (edges repeated), separably with cumulative sums."""
    out = a
    for axis in (0, 1):
        padded = np.pad(
            out, [(radius + 1, radius) if i == axis else (0, 0) for i in (0, 1)], "edge"
        )
        sums = np.cumsum(padded, axis=axis, dtype=np.float64)
        n = out.shape[axis]
        upper = sums.take(range(2 * radius + 1, 2 * radius + 1 + n), axis=axis)
        lower = sums.take(range(0, n), axis=axis)
        out = ((upper - lower) / (2 * radius + 1)).astype(np.float32)
    return out


def shrink(grey: np.ndarray) -> np.ndarray:
    """The photo at about 120 px on its long side (box-averaged)."""
    h, w = grey.shape
    step = max(1, max(h, w) // 120)
    size = (max(1, w // step), max(1, h // step))
    return np.asarray(Image.fromarray(grey).resize(size, Image.Resampling.BOX), dtype=np.float32)


def enlarge(small: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    image = Image.fromarray(small.astype(np.float32))
    return np.asarray(image.resize((shape[1], shape[0]), Image.Resampling.BILINEAR))


def as_uint8(a: np.ndarray) -> np.ndarray:
    return np.clip(a * 255 + 0.5, 0, 255).astype(np.uint8)
