"""Digits on a page: the strokes grouped into lines of writing and digits, touching ones cut.

`prepare_number` finds the ink as `bot.digits.vision` does, groups the components into lines of
writing (`bot.digits.writing_lines`), then each line's components into digits left to right
(`_digit_groups`), joins fragments of one digit (`_join_fragments`), cuts a blob of touching
digits at ink minima (`_split_wide`), and fits each into 28×28.
"""

from __future__ import annotations

import numpy as np

from bot.digits import touching
from bot.digits.components import Components
from bot.digits.photo import DEFAULT_MAX_PIXELS, NUMBER_SIDE, Decoded, ImageProblem
from bot.digits.vision import Found, Prepared, find_ink, highlight, stage_picture
from bot.digits.writing_lines import group_lines, typical_height, with_stroke_pieces


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
    width = int(parts.x1[group].max() - parts.x0[group].min())
    height = int(parts.y1[group].max() - parts.y0[group].min())
    # a single digit is seldom wider than 1.6× its height (a wide 2 or 5 can reach 1.5);
    # touching digits are ~0.75 h each
    pieces = round(width / (0.75 * height)) if width > 1.6 * height else 1
    return touching.cuts(found, group, pieces) or [touching.whole(found, group)]


def prepare_number(
    source: bytes | Decoded,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    keep_stages: bool = False,
    judge: touching.Judge | None = None,
) -> list[Prepared]:
    """Every digit on the page: lines of writing top to bottom, each line left to right.

    Each digit's `line` says which line of writing (0 = the top one) it is on. With `judge`
    (28×28 images → probabilities), a blob of touching digits is cut the way the judge reads
    most surely (`bot.digits.touching`); without, by its width alone.
    """
    found = find_ink(source, max_pixels, keep_stages, NUMBER_SIDE)
    lines = digit_groups(found)
    if keep_stages:
        chosen = np.concatenate([g for line in lines for g in line])
        found.stages.append(("parts", stage_picture(highlight(found, chosen))))
    digits = []
    for number, groups in enumerate(lines):
        for group in groups:
            if judge is None:
                pieces = _digits_of(found, group, keep_stages)
            else:
                pieces = touching.best_split(found, group, judge, keep_stages)
            for prepared in pieces:
                prepared.line = number
                digits.append(prepared)
    if not digits:
        raise ImageProblem("no_digit", "no plausible digits")
    return digits


def digit_groups(found: Found) -> list[list[np.ndarray]]:
    """The digits' components of each line of writing, lines top to bottom, each left to right.

    Each group is one digit, or a blob of several touching ones; it raises ImageProblem when
    nothing looks like a digit."""
    kept = found.keep
    found.keep = with_stroke_pieces(found.parts, kept)
    page = 0.8 * typical_height(found.parts, found.keep)
    lines = [_digit_groups(found, labels, page) for labels in group_lines(found.parts, found.keep)]
    # the dashes brought back mend the digits they join; a group of dashes alone is the rest
    # of a printed line or a crease (ruled or squared paper), not a digit
    lines = [[g for g in line if np.isin(g, kept).any()] for line in lines]
    lines = _real_lines(found.parts, [line for line in lines if line])
    if not lines:
        raise ImageProblem("no_digit", "no plausible digits")
    return lines


def _real_lines(parts: Components, lines: list[list[np.ndarray]]) -> list[list[np.ndarray]]:
    """The lines whose digits are at least half as tall as the tallest line's (not specks)."""
    if not lines:
        return lines
    heights = [max(int(parts.y1[g].max() - parts.y0[g].min()) for g in line) for line in lines]
    return [line for line, h in zip(lines, heights, strict=True) if h >= 0.5 * max(heights)]


def _digits_of(found: Found, group: np.ndarray, keep_stages: bool) -> list[Prepared]:
    """One digit, or several when the group is a blob of touching digits."""
    return touching.prepare_columns(found, group, _split_wide(found, group), keep_stages)
