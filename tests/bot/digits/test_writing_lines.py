"""bot.digits.writing_lines: components grouped into lines; broken thin strokes kept."""

from __future__ import annotations

import numpy as np

from bot.digits.components import label_components
from bot.digits.writing_lines import group_lines, with_stroke_pieces


def boxes_mask(boxes, shape=(300, 700)) -> np.ndarray:
    mask = np.zeros(shape, dtype=bool)
    for x0, y0, x1, y1 in boxes:
        mask[y0:y1, x0:x1] = True
    return mask


def test_the_two_pieces_of_a_broken_digit_do_not_tilt_its_line():
    # a digit broken into an upper-left and a lower-right piece (a 6 whose loop came off),
    # then four whole digits on the same level line
    digits = [(200 + 90 * k, 60, 260 + 90 * k, 160) for k in range(4)]
    mask = boxes_mask([(0, 50, 8, 140), (18, 105, 60, 180), *digits])
    parts = label_components(mask)
    lines = group_lines(parts, np.arange(parts.count))
    assert len(lines) == 1 and len(lines[0]) == 6


def test_dashes_of_a_thin_stroke_come_back_but_specks_do_not():
    thick = [(50, 50, 130, 200), (300, 50, 380, 200)]  # two thick digits, area 12 000 each
    dashes = [(200, 60, 203, 90), (205, 100, 208, 135), (200, 150, 230, 153)]  # a thin one
    speck = (250, 120, 255, 125)  # dust: as long as it is wide
    short = (260, 60, 262, 68)  # long for its width, but far too short to matter
    outside = (450, 60, 453, 120)  # a dash beyond the writing
    parts = label_components(boxes_mask([*thick, *dashes, speck, short, outside]))
    big = np.nonzero(parts.area > 10_000)[0]
    kept = with_stroke_pieces(parts, big)
    assert sorted(parts.x0[kept].tolist()) == [50, 200, 200, 205, 300]
