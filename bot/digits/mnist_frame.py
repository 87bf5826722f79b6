"""Stages 5–6 of reading a photo: a cropped digit into MNIST's 28×28 frame.

MNIST digits are white strokes on black, about 2–3 px thick, fitted into a 20×20 box and
placed so their centre of mass sits at (14, 14) of a 28×28 image. `to_mnist` thickens a thin
pen stroke to MNIST's proportions, fits the crop into 20×20 keeping the aspect ratio and
centres it by mass; `usps_to_mnist` does the same for the USPS data set.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from bot.digits.filters import as_uint8, max_filter

BOX = 20  # MNIST fits the digit into 20×20 …
SIZE = 28  # … inside 28×28
FIT = 80  # intermediate crop size where strokes are measured and thickened
TARGET_STROKE = 0.12  # MNIST stroke width as a fraction of the digit's longer side


def stroke_width(mask: np.ndarray) -> float:
    """Mean stroke width of a binary drawing: area divided by half its outline length."""
    area = float(mask.sum())
    if area == 0:
        return 0.0
    inner = mask.copy()
    inner[1:, :] &= mask[:-1, :]
    inner[:-1, :] &= mask[1:, :]
    inner[:, 1:] &= mask[:, :-1]
    inner[:, :-1] &= mask[:, 1:]
    outline = area - float(inner.sum())
    return 2.0 * area / max(outline, 1.0)


def crop_to_ink(ink: np.ndarray, threshold: float = 0.1) -> np.ndarray:
    """The smallest rectangle of `ink` holding every pixel above `threshold` (all of it if none)."""
    ys, xs = np.nonzero(ink > threshold)
    if len(ys) == 0:
        return ink
    return ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


def to_mnist(ink: np.ndarray, thicken: bool = True, stages: list | None = None) -> np.ndarray:
    """A cropped ink picture (any size, ink = 1) → MNIST-style float32 (28, 28) in [0, 1].

    The longer side is fitted into 20 px keeping the aspect ratio (via an 80 px intermediate
    where a thin stroke is thickened to MNIST's proportions), then the image is shifted so its
    intensity centre of mass lands on (14, 14).
    """
    h, w = ink.shape
    scale = FIT / max(h, w)
    fw, fh = max(1, round(w * scale)), max(1, round(h * scale))
    fitted = np.asarray(
        Image.fromarray(ink.astype(np.float32)).resize((fw, fh), Image.Resampling.BILINEAR),
        dtype=np.float32,
    )
    fitted = np.clip(fitted, 0.0, 1.0)
    if thicken:
        width = stroke_width(fitted > 0.5)
        missing = TARGET_STROKE * FIT - width
        if missing > 1.0:
            fitted = max_filter(fitted, round(missing / 2))
        if stages is not None:
            stages.append(("thick", as_uint8(fitted)))
    bw, bh = max(1, round(fw * BOX / FIT)), max(1, round(fh * BOX / FIT))
    small = Image.fromarray(fitted).resize((bw, bh), Image.Resampling.BOX)
    small = np.clip(np.asarray(small, dtype=np.float32), 0.0, 1.0)
    return centre_by_mass(small)


def centre_by_mass(small: np.ndarray) -> np.ndarray:
    """Paste `small` (≤ 20×20 or so) into 28×28 with its centre of mass at (14, 14)."""
    h, w = small.shape
    total = float(small.sum())
    if total <= 0:
        cy, cx = (h - 1) / 2, (w - 1) / 2
    else:
        cy = float((small.sum(axis=1) * np.arange(h)).sum() / total)
        cx = float((small.sum(axis=0) * np.arange(w)).sum() / total)
    # pixel centres: MNIST's centre of mass (13.996, 14.007) means index 14 at the middle
    top = round(14 - cy)
    left = round(14 - cx)
    out = np.zeros((SIZE, SIZE), dtype=np.float32)
    ys, xs = max(0, top), max(0, left)
    ye, xe = min(SIZE, top + h), min(SIZE, left + w)
    if ye > ys and xe > xs:
        out[ys:ye, xs:xe] = small[ys - top : ye - top, xs - left : xe - left]
    return out


def usps_to_mnist(images: np.ndarray) -> np.ndarray:
    """USPS (n, 16, 16) in [-1, 1] → MNIST convention (n, 28, 28) in [0, 1], 20 px box, COM."""
    out = np.empty((len(images), SIZE, SIZE), dtype=np.float32)
    for i, image in enumerate(images):
        ink = (np.asarray(image, dtype=np.float32) + 1) / 2
        ys, xs = np.nonzero(ink > 0.05)
        if len(ys):
            ink = ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
        h, w = ink.shape
        scale = BOX / max(h, w)
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        small = Image.fromarray(ink).resize(size, Image.Resampling.BILINEAR)
        out[i] = centre_by_mass(np.clip(np.asarray(small, dtype=np.float32), 0, 1))
    return out
