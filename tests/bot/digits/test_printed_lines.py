"""bot.digits.printed_lines: notebook lines at an angle cleared, the strokes crossing them kept."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from bot.digits import vision
from bot.digits.printed_lines import remove_printed_lines, run_lengths
from tests.bot.digits.helpers import correlation
from tests.support import synthetic_paper as paper
from tests.support.synthetic_photos import stroke_glyph


def drawing(lines: list[tuple[tuple[float, float], ...]], width: int = 2) -> np.ndarray:
    image = Image.new("1", (640, 480), 0)
    pen = ImageDraw.Draw(image)
    for points in lines:
        pen.line(points, fill=1, width=width)
    return np.asarray(image, dtype=bool)


def test_run_lengths_measure_each_vertical_run():
    mask = np.zeros((6, 2), dtype=bool)
    mask[1:4, 0] = True
    mask[5, 1] = True
    assert run_lengths(mask)[:, 0].tolist() == [0, 3, 3, 3, 0, 0]
    assert run_lengths(mask)[:, 1].tolist() == [0, 0, 0, 0, 0, 1]


@pytest.mark.parametrize("degrees", [-12, -5, 0, 7, 12])
def test_a_tilted_line_across_the_photo_is_cleared_but_the_stroke_crossing_it_stays(degrees):
    rise = 640 * np.tan(np.radians(degrees))
    line = ((0, 240 - rise / 2), (639, 240 + rise / 2))
    stroke = ((320, 120), (322, 360))
    mask = drawing([line, stroke], width=3)
    cleaned = remove_printed_lines(mask)
    only_stroke = drawing([stroke], width=3)
    assert cleaned[only_stroke].mean() > 0.97  # the stroke keeps its ink where it crosses
    assert cleaned[mask & ~only_stroke].mean() < 0.05  # the line is gone


def test_a_gently_curved_line_in_pieces_is_cleared():
    xs = np.arange(0, 640, 4)
    ys = 200 + 30 * ((xs - 320) / 320) ** 2 + 0.05 * xs
    pieces = [tuple(zip(xs[i : i + 20], ys[i : i + 20], strict=True)) for i in range(0, 160, 24)]
    mask = drawing(pieces, width=2)
    assert remove_printed_lines(mask).sum() < 0.05 * mask.sum()


def test_strokes_of_a_digit_are_not_taken_for_lines():
    # a long straight stem in the middle of the photo, and the round arcs of a 0
    mask = drawing([((300, 60), (340, 420))], width=3)
    image = Image.fromarray(mask)
    ImageDraw.Draw(image).ellipse((60, 100, 300, 380), outline=1, width=3)
    mask = np.asarray(image, dtype=bool)
    assert remove_printed_lines(mask).sum() == mask.sum()


def test_the_grid_of_squared_paper_at_an_angle_is_cleared_around_a_digit():
    tilt = np.tan(np.radians(8))
    grid = [((0, y - 320 * tilt), (639, y + 320 * tilt)) for y in range(20, 480, 45)]
    grid += [((x + 240 * tilt, 0), (x - 240 * tilt, 479)) for x in range(20, 640, 45)]
    digit = [((250, 150), (390, 150), (300, 360))]  # a 7
    mask = drawing(grid + digit, width=2)
    only_digit = drawing(digit, width=2)
    cleaned = remove_printed_lines(mask)
    # the digit loses a few pixels where each line crosses it (the fragment merging of
    # bot.digits.vision joins the pieces again); the grid loses nearly everything
    assert cleaned[only_digit].mean() > 0.75
    assert cleaned[mask & ~only_digit].mean() < 0.15


@pytest.mark.parametrize("ruled", ["lines"])
def test_a_digit_on_tilted_notebook_paper_looks_as_on_plain_paper(ruled):
    rng = np.random.default_rng(5)
    glyph = stroke_glyph(2, 300, 5, rng)
    plain = paper.page([(glyph, 380, 200)], np.random.default_rng(1), blur=0.5)
    for seed in range(3):
        noisy = paper.page(
            [(glyph, 380, 200)], np.random.default_rng(seed), ruled=ruled, pitch=70, blur=0.5
        )
        assert (
            correlation(vision.prepare_digit(noisy).image28, vision.prepare_digit(plain).image28)
            > 0.8
        )
