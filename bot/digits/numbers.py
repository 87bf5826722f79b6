"""Digits on a page: the strokes grouped into lines of writing and digits, touching ones cut.

`prepare_number` finds the ink as `bot.digits.vision` does, groups the components into lines of
writing (`bot.digits.writing_lines`), then each line's components into digits left to right
(`_digit_groups`), joins fragments of one digit (`_join_fragments`), cuts a blob of touching
digits at ink minima (`_split_wide`), and fits each into 28×28.
"""

from __future__ import annotations

import itertools

import numpy as np

from bot.digits.components import Components, label_components
from bot.digits.photo import DEFAULT_MAX_PIXELS, NUMBER_SIDE, ImageProblem
from bot.digits.vision import Found, Prepared, find_ink, finish, highlight, stage_picture
from bot.digits.writing_lines import group_lines, typical_height


def _digit_groups(found: Found, labels: np.ndarray, page: float) -> list[np.ndarray]:
    """The components of one line of writing grouped into digits, left to right.

    Pieces on top of each other (the bar of a 5, the dot-like parts of a broken stroke) join the
    digit they overlap horizontally. Marks far above or below the line of digits, or much smaller
    than the digits, are ignored.
    """
    parts = found.parts
    order = labels[np.argsort(parts.x0[labels])]
    groups: list[list[int]] = []
    spans: list[list[int]] = []
    for c in order:
        x0, x1 = parts.x0[c], parts.x1[c]
        if groups:
            s0, s1 = spans[-1]
            overlap = min(s1, x1) - max(s0, x0)
            if overlap > 0.5 * min(x1 - x0, s1 - s0):
                groups[-1].append(c)
                spans[-1] = [min(s0, x0), max(s1, x1)]
                continue
        groups.append([c])
        spans.append([x0, x1])
    arrays = _join_fragments(parts, [np.array(g) for g in groups], page)
    heights = np.array([parts.y1[g].max() - parts.y0[g].min() for g in arrays])
    mids = np.array([(parts.y1[g].max() + parts.y0[g].min()) / 2 for g in arrays])
    tall = heights.max()
    line = np.median(mids[heights >= 0.5 * tall])
    good = (heights >= 0.35 * tall) & (np.abs(mids - line) < 0.75 * tall)
    return [g for g, ok in zip(arrays, good, strict=True) if ok]


def _join_fragments(parts: Components, groups: list[np.ndarray], page: float) -> list[np.ndarray]:
    """Join a piece much shorter than the digits around it to its nearest neighbour.

    Such a piece is part of a digit: the bar of a 5 that did not touch its body, one stroke of
    a 4 drawn in two. Only close neighbours (gap under a quarter of a digit's height) qualify.
    A digit's height is the line's own, or the page's (`page`) when the line is one digit.
    """

    def height(g: np.ndarray) -> int:
        return int(parts.y1[g].max() - parts.y0[g].min())

    def gap(a: np.ndarray, b: np.ndarray) -> int:
        return int(
            max(parts.x0[b].min() - parts.x1[a].max(), parts.x0[a].min() - parts.x1[b].max())
        )

    changed = True
    while changed and len(groups) > 1:
        changed = False
        typical = max(float(np.percentile([height(g) for g in groups], 75)), page)
        for i, group in enumerate(groups):
            if height(group) >= 0.6 * typical:
                continue
            neighbours = [
                (gap(group, groups[j]), j) for j in (i - 1, i + 1) if 0 <= j < len(groups)
            ]
            distance, j = min(neighbours)
            if distance < 0.25 * typical:
                groups[min(i, j)] = np.concatenate([groups[min(i, j)], groups[max(i, j)]])
                del groups[max(i, j)]
                changed = True
                break
    return groups


def _split_wide(found: Found, group: np.ndarray) -> list[tuple[int, int]]:
    """Column ranges for touching digits: a blob much wider than tall is cut at ink minima."""
    parts = found.parts
    x0, x1 = int(parts.x0[group].min()), int(parts.x1[group].max())
    y0, y1 = int(parts.y0[group].min()), int(parts.y1[group].max())
    width, height = x1 - x0, y1 - y0
    # a single digit is seldom wider than 1.6× its height (a wide 2 or 5 can reach 1.5);
    # touching digits are ~0.75 h each
    pieces = round(width / (0.75 * height)) if width > 1.6 * height else 1
    if pieces < 2:
        return [(x0, x1)]
    strokes = parts.mask_of(group, found.mask.shape)[y0:y1, x0:x1]
    profile = strokes.sum(axis=0).astype(float)
    cuts = [0]
    for k in range(1, pieces):
        centre = k * width / pieces
        lo, hi = int(centre - 0.25 * width / pieces), int(centre + 0.25 * width / pieces) + 1
        cuts.append(lo + int(np.argmin(profile[lo:hi])))
    cuts.append(width)
    # every piece must be a whole digit: one much shorter than the blob is a stroke sticking
    # out (a long bar, a tail), so the blob is one digit after all
    for a, b in itertools.pairwise(cuts):
        rows = np.nonzero(strokes[:, a:b].any(axis=1))[0]
        if len(rows) == 0 or rows[-1] - rows[0] + 1 < 0.6 * height:
            return [(x0, x1)]
    return [(x0 + a, x0 + b) for a, b in itertools.pairwise(cuts) if b - a > 1]


def prepare_number(
    data: bytes, max_pixels: int = DEFAULT_MAX_PIXELS, keep_stages: bool = False
) -> list[Prepared]:
    """Every digit on the page: lines of writing top to bottom, each line left to right.

    Each digit's `line` says which line of writing (0 = the top one) it is on.
    """
    found = find_ink(data, max_pixels, keep_stages, NUMBER_SIDE)
    page = 0.8 * typical_height(found.parts, found.keep)
    lines = [_digit_groups(found, labels, page) for labels in group_lines(found.parts, found.keep)]
    lines = _real_lines(found.parts, [line for line in lines if line])
    if not lines:
        raise ImageProblem("no_digit", "no plausible digits")
    if keep_stages:
        chosen = np.concatenate([g for line in lines for g in line])
        found.stages.append(("parts", stage_picture(highlight(found, chosen))))
    digits = []
    for number, groups in enumerate(lines):
        for group in groups:
            for prepared in _digits_of(found, group, keep_stages):
                prepared.line = number
                digits.append(prepared)
    if not digits:
        raise ImageProblem("no_digit", "no plausible digits")
    return digits


def _real_lines(parts: Components, lines: list[list[np.ndarray]]) -> list[list[np.ndarray]]:
    """The lines whose digits are at least half as tall as the tallest line's (not specks)."""
    if not lines:
        return lines
    heights = [max(int(parts.y1[g].max() - parts.y0[g].min()) for g in line) for line in lines]
    return [line for line, h in zip(lines, heights, strict=True) if h >= 0.5 * max(heights)]


def _digits_of(found: Found, group: np.ndarray, keep_stages: bool) -> list[Prepared]:
    """One digit, or several when the group is a blob of touching digits."""
    columns = _split_wide(found, group)
    if len(columns) == 1:
        return [finish(found, group, keep_stages, found.stages)]
    out = []
    for a, b in columns:
        piece = _columns_of(found, group, a, b)
        if len(piece.keep):
            out.append(finish(piece, piece.keep, keep_stages, found.stages))
    return out


def _columns_of(found: Found, group: np.ndarray, a: int, b: int) -> Found:
    """The strokes of `group` between columns a and b, as if nothing else were on the page."""
    mask = np.zeros_like(found.mask)
    mask[:, a:b] = found.parts.mask_of(group, found.mask.shape)[:, a:b]
    parts = label_components(mask)
    keep = np.nonzero(parts.area >= 0.05 * max(1, parts.area.max(initial=0)))[0]
    return Found(found.ink, mask, parts, keep, [])
