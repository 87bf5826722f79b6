"""Stages 2–4 of reading a photo: polarity, flat lighting, and the ink mask.

2. decide the polarity (dark ink on light paper, or chalk-like light on dark) from which
   way the strongest local deviations go (`is_light_on_dark`);
3. flatten the lighting: divide by an estimate of the bare paper (`paper_estimate`);
4. threshold the ink (`otsu_threshold`); the lines of ruled or squared paper are cleared by
   `bot.digits.printed_lines`, the connected components are `bot.digits.components`.
"""

from __future__ import annotations

import numpy as np

from bot.digits.filters import enlarge, max_filter, mean_filter, min_filter, shrink

# The closing radius of the paper estimate as a fraction of the picture's long side (12 px of
# the ~128 px copy of a 640 or 1024 px photo): wider than half the thickest marker stroke. As a
# fraction, not in pixels: a 200–239 px picture's copy is not shrunk at all, and 12 px of it
# reached only 5 % of the picture.
PAPER_REACH = 12 / 128
POLARITY_RADIUS = 20  # mean-filter radius on that copy for the polarity decision (~1/3 photo)


def paper_estimate(grey: np.ndarray, reach: float = PAPER_REACH) -> np.ndarray:
    """The brightness of bare paper at every pixel: a grey-level closing of a small copy.

    A max-filter wipes out dark strokes thinner than its window (the maximum around any stroke
    pixel is paper); the min-filter after it moves the edges of large dark areas — shadows,
    the table around the sheet — back where they were, so they stay in the estimate and are
    divided out instead of turning into fake ink along their border.
    """
    small = shrink(grey)
    radius = max(1, round(reach * max(small.shape)))
    paper = mean_filter(min_filter(max_filter(small, radius), radius), 1)
    return enlarge(paper, grey.shape)


def is_light_on_dark(grey: np.ndarray) -> bool:
    """Whether the writing is lighter than its background (chalk, white pen on dark paper).

    Ink is what differs most from its surroundings. Against a blurred copy of the photo, dark
    ink makes a long negative tail and light ink a positive one; a shadow's edge or the border
    of the sheet deviates about equally both ways, so it does not tip the decision.
    """
    local = enlarge(mean_filter(shrink(grey), POLARITY_RADIUS), grey.shape)
    deviation = (grey - local)[::2, ::2]
    low, high = np.percentile(deviation, [0.1, 99.9])
    return bool(high > -low)


def ink_map(
    grey: np.ndarray, light_on_dark: bool | None = None, reach: float = PAPER_REACH
) -> tuple[np.ndarray, bool, np.ndarray]:
    """Ink strength in [0, 1] per pixel, whether the photo was light-on-dark, and the flat image.

    The polarity is decided here unless the caller already knows it.
    """
    if light_on_dark is None:
        light_on_dark = is_light_on_dark(grey)
    if light_on_dark:
        grey = 255.0 - grey
    paper = np.maximum(paper_estimate(grey, reach), 1.0)
    flat = np.clip(grey / paper, 0.0, 1.0)
    return 1.0 - flat, light_on_dark, flat


def otsu_threshold(values: np.ndarray, bins: int = 128) -> float:
    """The threshold in [0, 1] that best splits `values` into two classes (Otsu, 1979)."""
    hist, edges = np.histogram(values, bins=bins, range=(0.0, 1.0))
    p = hist.astype(np.float64) / max(1, hist.sum())
    centres = (edges[:-1] + edges[1:]) / 2
    weight0 = np.cumsum(p)
    mean0 = np.cumsum(p * centres)
    total = mean0[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (total * weight0 - mean0) ** 2 / (weight0 * (1 - weight0))
    between = np.nan_to_num(between)
    return float(edges[int(np.argmax(between)) + 1])
