"""Which ink components may be digits: small pictures padded, candidates scored by shape.

A component is chosen by how digit-like it is, not only by its size:

- its aspect ratio (a digit is between a thin 1 and a wide 2; a printed line or a shadow's
  edge is far longer than tall, or far taller than wide and thin);
- its stroke against the ink's own (a blob as thick as it is wide is a smudge, not a stroke);
- how much of its box it fills (a digit is a few strokes, not a filled rectangle);
- its closeness to the centre of the picture (people aim at what they photograph).

A component that touches the edge of the picture is usually the paper's edge or a shadow, but
in a tight crop or a big marker digit it is the digit: it stays a candidate when nothing else
in the picture is digit-like (`with_edge_digit`). Pictures of 50–200 px are padded with paper
and enlarged first (`pad_small`), so their edges hold paper like a photo's do.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from bot.digits.components import Components
from bot.digits.filters import max_filter

SMALL = 200  # a picture whose long side is below this is a tight crop …
PADDED = 320  # … enlarged so its long side is this, then padded
PAD = 0.2  # paper added on each side, as a fraction of the long side


def pad_small(grey: np.ndarray, light_on_dark: bool) -> np.ndarray:
    """A tight crop enlarged to PADDED px and surrounded by a band of its own paper."""
    h, w = grey.shape
    if max(h, w) >= SMALL:
        return grey
    scale = PADDED / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    big = np.array(Image.fromarray(grey).resize(size, Image.Resampling.BILINEAR), np.float32)
    # the paper along the edge, without the strokes that cross it (a max-filter wider than a
    # stroke; min for light ink), repeated outwards: the light keeps its gradient, the ink stops
    radius = max(2, round(0.1 * PADDED))
    paper = max_filter(big, radius, np.minimum if light_on_dark else np.maximum)
    big[[0, -1], :] = paper[[0, -1], :]
    big[:, [0, -1]] = paper[:, [0, -1]]
    return np.pad(big, round(PAD * PADDED), mode="edge")


def small_light_on_dark(grey: np.ndarray) -> bool:
    """The polarity of a tight crop: its border is mostly paper, its middle mostly ink.

    (The photo-wide rule of `bot.digits.ink.is_light_on_dark` needs paper around the writing;
    a fat digit filling a small crop has little.)
    """
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    return bool(np.median(border) < np.median(grey))


def shape_score(parts: Components, labels: np.ndarray) -> np.ndarray:
    """How much each component looks like a handwritten digit, in (0, 1]."""
    widths = (parts.x1[labels] - parts.x0[labels]).astype(np.float64)
    heights = (parts.y1[labels] - parts.y0[labels]).astype(np.float64)
    area = parts.area[labels].astype(np.float64)
    aspect = widths / np.maximum(heights, 1)
    # a 1 can be 12× taller than wide when it is a bare stroke; wider than 1.6 is no digit
    score = np.where(aspect > 1.6, np.exp(-2.5 * (aspect - 1.6)), 1.0)
    fill = area / np.maximum(widths * heights, 1)
    score *= np.where(fill > 0.7, np.exp(-8 * (fill - 0.7)), 1.0)
    # mean stroke width (area over the length of the longer side) against the ink's median:
    # a thin, long trace next to much thicker writing is a printed line or a crease
    stroke = area / np.maximum(np.maximum(widths, heights), 1)
    typical = float(np.median(stroke)) if len(stroke) else 1.0
    score *= np.clip(stroke / max(0.35 * typical, 1e-6), 0.2, 1.0)
    return score


def centrality(parts: Components, labels: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    h, w = shape
    cx = (parts.x0[labels] + parts.x1[labels]) / 2 / w - 0.5
    cy = (parts.y0[labels] + parts.y1[labels]) / 2 / h - 0.5
    return 1.0 - 0.8 * np.sqrt(cx**2 + cy**2)


def prominence(parts: Components, labels: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Size × digit-likeness × closeness to the centre: the most prominent digit scores highest."""
    return parts.area[labels] * shape_score(parts, labels) * centrality(parts, labels, shape)


def with_edge_digit(
    parts: Components, inside: np.ndarray, edge: np.ndarray, shape: tuple[int, int]
) -> np.ndarray:
    """The candidates: those inside, plus an edge-touching one when nothing inside is a digit.

    "Nothing inside is a digit" means no inside component is digit-like and at least a third
    as tall as the most digit-like edge component; the edge component must not run from one
    edge of the photo to the opposite one (the edge of the sheet, the table, a shadow).
    """
    h, w = shape
    heights = parts.y1 - parts.y0
    across = ((parts.x0 <= 0) & (parts.x1 >= w)) | ((parts.y0 <= 0) & (parts.y1 >= h))
    edge = edge[~across[edge]]
    edge = edge[(shape_score(parts, edge) > 0.5) & (heights[edge] > 0.08 * max(h, w))]
    if len(edge) == 0:
        return inside
    best = edge[int(np.argmax(parts.area[edge] * shape_score(parts, edge)))]
    if len(inside):
        tall = inside[heights[inside] >= heights[best] / 3]
        if len(tall) and (shape_score(parts, tall) > 0.5).any():
            return inside
    return np.concatenate([inside, [best]]).astype(np.int64)
