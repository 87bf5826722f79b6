"""bot.digits.numbers: a number split into its digits, touching digits cut apart."""

from __future__ import annotations

import numpy as np

from bot.digits import numbers
from tests.support import synthetic_paper as paper
from tests.support import synthetic_photos as sp
from tests.support.synthetic_photos import centre_of_mass


def test_a_number_is_split_into_digits_left_to_right():
    rng = np.random.default_rng(11)
    digits = [3, 0, 7, 1, 5]
    data = sp.random_number_photo([None] * 5, digits, rng, stroke="normal", gap=0.4)
    parts = numbers.prepare_number(data)
    assert len(parts) == 5
    lefts = [p.box[0] for p in parts]
    assert lefts == sorted(lefts)
    for p in parts:
        cy, cx = centre_of_mass(p.image28)
        assert abs(cy - 14) <= 1 and abs(cx - 14) <= 1


def test_touching_digits_are_cut_apart():
    rng = np.random.default_rng(12)
    data = sp.random_number_photo([None] * 3, [4, 8, 2], rng, stroke="thick", gap=-0.05, blur=0)
    assert len(numbers.prepare_number(data)) == 3


def _rows(rows: list[list[int]], seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    glyphs = [[sp.stroke_glyph(d, 110, 8, rng) for d in row] for row in rows]
    placed = []
    for i, row in enumerate(glyphs):
        x = 300 - 60 * i
        for g in row:
            # each line slopes down a little to the right
            placed.append((g, x, 80 + 190 * i + (x - 300) // 12))
            x += g.shape[1] + 30
    return paper.page(placed, rng, blur=0.5)


def test_lines_of_writing_are_read_top_to_bottom_each_left_to_right():
    parts = numbers.prepare_number(_rows([[1, 2, 3], [4, 5], [6, 7, 8, 9]], seed=3))
    assert [p.line for p in parts] == [0, 0, 0, 1, 1, 2, 2, 2, 2]
    for line in range(3):
        lefts = [p.box[0] for p in parts if p.line == line]
        assert lefts == sorted(lefts)
    tops = [min(p.box[1] for p in parts if p.line == line) for line in range(3)]
    assert tops == sorted(tops)


def test_a_column_of_digits_is_a_line_per_digit():
    rng = np.random.default_rng(4)
    placed = [
        (sp.stroke_glyph(d, 120, 8, rng), 460 + 15 * i, 60 + 230 * i)
        for i, d in enumerate([7, 0, 3])
    ]
    parts = numbers.prepare_number(paper.page(placed, rng, blur=0.5))
    assert [p.line for p in parts] == [0, 1, 2]
