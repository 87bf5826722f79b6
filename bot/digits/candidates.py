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
from bot.digits.ink import otsu_threshold

# A picture whose long side is below SMALL is a tight crop (a crop 200 px tall of a wide
# digit is 260 px wide: still one digit filling the frame) …
SMALL = 320
PADDED = 320  # … enlarged so its long side is this, then padded
PAD = 0.2  # paper added on each side, as a fraction of the long side
# The paper under a padded crop is estimated by a grey closing (`bot.digits.ink`) whose radius
# must exceed half the widest ink: a marker digit filling the frame has strokes a quarter of
# its height thick and junctions of two strokes wider still, so the radius is a fifth of the
# digit's long side (PADDED of the padded picture's PADDED · (1 + 2 · PAD)). With a photo's
# radius (a tenth of the picture) the closing kept the fat parts as "paper" and cut square
# holes into the digit.
SMALL_PAPER_REACH = 0.2 / (1 + 2 * PAD)


def pad_small(grey: np.ndarray, light_on_dark: bool) -> np.ndarray:
    """A tight crop enlarged to PADDED px and surrounded by a band of its own paper."""
    h, w = grey.shape
    if max(h, w) >= SMALL:
        return grey
    scale = PADDED / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    big = np.array(Image.fromarray(grey).resize(size, Image.Resampling.BILINEAR), np.float32)
    # the paper along each edge, without the strokes that cross it or lie along it, repeated
    # outwards: the light keeps its gradient, the ink stops at the crop's edge
    for edge in (big[0], big[-1], big[:, 0], big[:, -1]):
        edge[:] = _edge_paper(edge, light_on_dark)
    return np.pad(big, round(PAD * PADDED), mode="edge")


def _edge_paper(line: np.ndarray, light_on_dark: bool) -> np.ndarray:
    """The paper along one edge of a crop: a 1-D grey closing (opening for light ink).

    The window is as long as the edge, so a stroke crossing the edge or lying along it is
    wiped out unless it covers half the edge from a corner; a fat digit in a tight crop does
    lie along its edges, far wider than any fixed window (a 2-D filter of a tenth of the crop
    left dark stubs there, which the padding then drew out into stripes). A closing, unlike a
    plain max-filter, gives a gradient of the light back where it was.
    """
    radius = len(line) // 2
    first, second = (np.min, np.max) if light_on_dark else (np.max, np.min)
    out = line
    for combine in (first, second):
        windows = np.lib.stride_tricks.sliding_window_view(
            np.pad(out, radius, "edge"), 2 * radius + 1
        )
        out = combine(windows, axis=1)
    return out


def small_light_on_dark(grey: np.ndarray) -> bool:
    """The polarity of a tight crop: which way its ink reaches out of its paper.

    Two signs, the first when it is clear:
    - the ends: the border of a crop is mostly paper, lit or in shadow, so the 10th–90th
      percentiles of the border span the paper's brightness, and the ink lies beyond one end
      of that span, darker or lighter. When the two ends reach out by amounts within a tenth
      of the crop's range of each other, strokes lie along the border (a crop cut right at
      its ink) and have become one end of the "paper";
    - then the classes: split the crop in two at Otsu's threshold; the paper is the class that
      holds most of the crop and of its border, on average.
    (The photo-wide rule of `bot.digits.ink.is_light_on_dark` needs paper around the writing,
    and a fat digit filling a small crop leaves little. The median of the border alone fails
    when strokes cover half of it.)
    """
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    paper_low, paper_high = np.percentile(border, [10, 90])
    darkest, lightest = np.percentile(grey, [1, 99])
    lighter, darker = lightest - paper_high, paper_low - darkest
    if abs(lighter - darker) > 0.1 * (lightest - darkest):
        return bool(lighter > darker)
    span = max(float(lightest - darkest), 1e-6)
    threshold = darkest + span * otsu_threshold(np.clip((grey.ravel() - darkest) / span, 0, 1))
    dark_share = ((grey < threshold).mean() + (border < threshold).mean()) / 2
    return bool(dark_share > 0.5)


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
    as tall as the most digit-like edge component. The edge component must not be a band from
    one edge of the photo to the opposite one (the edge of the sheet, the table, a shadow); a
    digit filling a tight crop can run from edge to edge too, but it also spans at least half
    of the photo the other way.
    """
    h, w = shape
    heights, widths = parts.y1 - parts.y0, parts.x1 - parts.x0
    across = ((parts.x0 <= 0) & (parts.x1 >= w) & (heights < 0.5 * h)) | (
        (parts.y0 <= 0) & (parts.y1 >= h) & (widths < 0.5 * w)
    )
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
