"""Touching digits: a blob of ink holding several digits, cut into one piece per digit.

Digits written without gaps merge into one component. The cuts go at ink minima near equally
spaced positions (`cuts`). How many digits the blob holds is the hard part: by width alone
(`bot.digits.numbers._split_wide`) a 1 is much narrower than a 0. With a judge — the digit
model — every plausible count is tried and the one whose pieces are read most surely wins
(`best_split`, segmentation by recognition), with a mild preference for the count the width
suggests, so a wide 0 is not read as two 1s.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np

from bot.digits.components import label_components
from bot.digits.vision import Found, Prepared, finish

Judge = Callable[[np.ndarray], np.ndarray]  # (n, 28, 28) images → (n, 10) probabilities
PRIOR = 0.15  # log-confidence given up per piece away from the count the width suggests


def whole(found: Found, group: np.ndarray) -> tuple[int, int]:
    return int(found.parts.x0[group].min()), int(found.parts.x1[group].max())


def cuts(found: Found, group: np.ndarray, pieces: int) -> list[tuple[int, int]] | None:
    """Column ranges of `pieces` digits cut at ink minima, or None when a piece is no digit."""
    if pieces < 2:
        return None
    parts = found.parts
    x0, x1 = whole(found, group)
    y0, y1 = int(parts.y0[group].min()), int(parts.y1[group].max())
    width, height = x1 - x0, y1 - y0
    strokes = parts.mask_of(group, found.mask.shape)[y0:y1, x0:x1]
    profile = strokes.sum(axis=0).astype(float)
    at = [0]
    for k in range(1, pieces):
        centre = k * width / pieces
        lo, hi = int(centre - 0.25 * width / pieces), int(centre + 0.25 * width / pieces) + 1
        at.append(lo + int(np.argmin(profile[lo:hi])))
    at.append(width)
    # every piece must be a whole digit: one much shorter than the blob is a stroke sticking
    # out (a long bar, a tail), so the blob is not that many digits
    for a, b in itertools.pairwise(at):
        rows = np.nonzero(strokes[:, a:b].any(axis=1))[0]
        if b - a <= 1 or len(rows) == 0 or rows[-1] - rows[0] + 1 < 0.6 * height:
            return None
    return [(x0 + a, x0 + b) for a, b in itertools.pairwise(at)]


def prepare_columns(
    found: Found, group: np.ndarray, columns: list[tuple[int, int]], keep_stages: bool
) -> list[Prepared]:
    """Each column range of the group as one digit ready for the network."""
    if len(columns) == 1:
        return [finish(found, group, keep_stages, found.stages)]
    out = []
    for a, b in columns:
        piece = columns_of(found, group, a, b)
        if len(piece.keep):
            out.append(finish(piece, piece.keep, keep_stages, found.stages))
    return out


def best_split(found: Found, group: np.ndarray, judge: Judge, keep_stages: bool) -> list[Prepared]:
    """The group cut into the number of digits its pieces are read most surely as."""
    parts = found.parts
    width = float(parts.x1[group].max() - parts.x0[group].min())
    height = float(parts.y1[group].max() - parts.y0[group].min())
    if width <= 1.6 * height:  # a wide 0 or 2 is still one digit (as in numbers._split_wide)
        return prepare_columns(found, group, [whole(found, group)], keep_stages)
    expected = round(width / (0.85 * height)) if width > 1.3 * height else 1
    most = min(10, max(2, int(width / (0.35 * height))))
    options = [[whole(found, group)]]
    options += [c for k in range(2, most + 1) if (c := cuts(found, group, k))]
    best, best_score = None, -np.inf
    for columns in options:
        prepared = prepare_columns(found, group, columns, keep_stages)
        if not prepared:
            continue
        probs = judge(np.stack([p.image28 for p in prepared]))
        score = float(np.mean(np.log(probs.max(axis=1) + 1e-9)))
        score -= PRIOR * abs(len(prepared) - expected)
        if score > best_score:
            best, best_score = prepared, score
    return best or prepare_columns(found, group, [whole(found, group)], keep_stages)


def columns_of(found: Found, group: np.ndarray, a: int, b: int) -> Found:
    """The strokes of `group` between columns a and b, as if nothing else were on the page."""
    mask = np.zeros_like(found.mask)
    mask[:, a:b] = found.parts.mask_of(group, found.mask.shape)[:, a:b]
    parts = label_components(mask)
    keep = np.nonzero(parts.area >= 0.05 * max(1, parts.area.max(initial=0)))[0]
    return Found(found.ink, mask, parts, keep, [])
