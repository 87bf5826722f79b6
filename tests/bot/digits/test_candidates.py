"""bot.digits.candidates: the digit-like component wins; edge digits and tight crops are read."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from bot.digits import vision
from bot.digits.candidates import pad_small, shape_score, small_light_on_dark
from bot.digits.components import label_components
from bot.digits.reader import get_reader
from tests.bot.digits.helpers import png, problem_code


def test_a_long_thin_trace_scores_below_a_digit_shaped_one():
    mask = np.zeros((200, 400), dtype=bool)
    mask[20:22, 10:390] = True  # a trace of a printed line
    mask[60:180, 150:154] = True  # the stem of a 1 …
    mask[60:64, 150:200] = True  # … with a flag, no: a 7
    parts = label_components(mask)
    scores = shape_score(parts, np.arange(parts.count))
    line = int(np.argmax(parts.x1 - parts.x0))
    assert scores[line] < 0.1 < 0.9 < scores[1 - line]


def test_a_small_picture_is_enlarged_and_framed_with_its_paper():
    grey = np.full((60, 40), 200.0, dtype=np.float32)
    grey[:, 18:22] = 30  # a stroke from the top edge to the bottom one
    padded = pad_small(grey, light_on_dark=False)
    assert max(padded.shape) > 320 and padded[0, 0] == 200 and padded[-1, -1] == 200
    assert pad_small(np.zeros((400, 400), np.float32), False).shape == (400, 400)


def test_a_fat_zero_filling_a_tight_crop_stays_a_ring():
    image = Image.new("L", (90, 100), 235)
    ImageDraw.Draw(image).ellipse((4, 2, 86, 98), outline=25, width=18)
    image28 = vision.prepare_digit(png(image)).image28
    assert image28[14, 14] < 0.2  # the hole is kept …
    assert image28[14, 5:10].max() > 0.5 and image28[14, 19:24].max() > 0.5  # … inside a ring


def test_a_marker_digit_running_off_the_edge_is_the_digit():
    image = Image.new("L", (640, 480), 230)
    ImageDraw.Draw(image).line([(200, 40), (440, 40), (300, 479)], fill=30, width=40)
    prepared = vision.prepare_digit(png(image))
    x0, _, x1, y1 = prepared.box
    assert y1 >= 470 and x1 - x0 > 200  # the whole 7, down to the edge it touches


def test_a_digit_running_from_edge_to_edge_of_a_tight_crop_is_the_digit():
    # a crossed 7 whose top bar leaves the crop on the left and whose bar leaves it on the
    # right: it runs from one edge to the opposite one, as the edge of a sheet does
    image = Image.new("L", (380, 420), 150)
    draw = ImageDraw.Draw(image)
    draw.line([(0, 40), (300, 25), (190, 400)], fill=20, width=22)
    draw.line([(60, 230), (379, 200)], fill=20, width=22)
    assert get_reader().read_digit(png(image)).digit == 7


def test_a_band_across_the_photo_is_the_edge_of_the_sheet_not_a_digit():
    image = Image.new("L", (640, 480), 220)
    ImageDraw.Draw(image).line([(0, 50), (639, 95)], fill=40, width=14)  # the sheet's edge
    assert problem_code(png(image)) == "no_digit"


def test_the_polarity_of_a_tight_crop_comes_from_its_border():
    grey = np.full((80, 60), 210.0, dtype=np.float32)
    grey[5:75, 8:52] = 40  # a fat dark digit filling most of the crop
    grey[20:60, 22:38] = 210
    assert not small_light_on_dark(grey)
    assert small_light_on_dark(255 - grey)


def test_a_crop_cut_right_at_its_ink_keeps_its_polarity_and_its_digit():
    # a thin 0 touching all four edges: its strokes make up more than a tenth of the border
    image = Image.new("L", (60, 64), 200)
    ImageDraw.Draw(image).ellipse((0, 0, 59, 63), outline=60, width=3)
    grey = np.asarray(image, dtype=np.float32)
    assert not small_light_on_dark(grey)
    assert small_light_on_dark(255 - grey)
    assert get_reader().read_digit(png(image)).digit == 0


def test_a_marker_digit_covering_most_of_the_border_keeps_its_polarity():
    # a fat 7 cut right at its ink: its bar and stem are 60 % of the border, 37 % of the crop
    rng = np.random.default_rng(0)
    grey = np.full((80, 60), 200.0, dtype=np.float32)
    grey[:14, :] = 40
    grey[:, 46:] = 40
    grey += rng.normal(0, 4, grey.shape).astype(np.float32)
    assert not small_light_on_dark(grey)
    assert small_light_on_dark(255 - grey)


def test_a_crop_darker_at_its_border_than_in_its_middle_is_still_dark_ink():
    # a vignette: the border's paper (170) is darker than the middle's (205), so the median of
    # the border is below the median of the crop although the thin digit is dark
    yy, xx = np.mgrid[0:90, 0:70]
    grey = (205 - 35 * np.maximum(abs(yy - 45) / 45, abs(xx - 35) / 35) ** 2).astype(np.float32)
    grey[20:70, 33:37] = 40  # the stem of a 1
    assert not small_light_on_dark(grey)
    assert small_light_on_dark(255 - grey)


def test_a_stroke_lying_along_the_edge_of_a_crop_is_not_drawn_out_into_the_padding():
    grey = np.full((100, 100), 210.0, dtype=np.float32)
    grey[88:, 10:80] = 30  # the bottom of a fat 0, flattened against the edge
    padded = pad_small(grey, light_on_dark=False)
    below = padded[-1]  # the padding under the crop repeats its bottom edge
    assert below.min() > 190


@pytest.mark.parametrize("side", [150, 260])
def test_the_junction_of_a_marker_digit_filling_a_crop_stays_ink(side):
    # a 4-like cross with arms 30 % of the crop thick: the old paper estimate took the wide
    # junction for paper (a square hole in the ink); a 260 px crop was not padded at all
    image = Image.new("L", (side, side), 225)
    draw = ImageDraw.Draw(image)
    arm = round(0.3 * side)
    draw.rectangle((side // 2 - arm // 2, 0, side // 2 + arm // 2, side - 1), fill=40)
    draw.rectangle((0, side // 2 - arm // 2, side - 1, side // 2 + arm // 2), fill=40)
    found = vision.find_ink(png(image), 10**7, keep_stages=False)
    h, w = found.mask.shape
    centre = found.mask[h // 2 - 5 : h // 2 + 5, w // 2 - 5 : w // 2 + 5]
    assert centre.all()
