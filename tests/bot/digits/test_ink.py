"""bot.digits.ink: polarity, blank pages, shadows and ruled paper."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from bot.digits import ink, numbers, vision
from tests.bot.digits.helpers import correlation, drawn_photo, png, problem_code
from tests.support import synthetic_photos as sp


def test_light_ink_on_dark_board_reads_like_dark_on_light():
    light = vision.prepare_digit(drawn_photo(4, seed=5, dark=False)).image28
    dark = vision.prepare_digit(drawn_photo(4, seed=5, dark=True)).image28
    assert correlation(light, dark) > 0.8


def test_a_blank_page_is_blank():
    assert problem_code(png(Image.new("RGB", (640, 480), (230, 228, 220)))) == "blank"
    rng = np.random.default_rng(1)
    paper = sp.photo([np.zeros((50, 50), np.float32)], rng, size=(640, 480), blur=1.0)
    assert problem_code(paper) == "blank"


def test_only_a_shadow_along_the_edge_is_no_digit():
    image = Image.new("L", (640, 480), 235)
    ImageDraw.Draw(image).rectangle([0, 0, 60, 479], fill=40)
    assert problem_code(png(image)) in {"no_digit", "blank"}


@pytest.mark.parametrize("ruled", ["lines", "squares"])
def test_ruled_and_squared_paper_lines_are_not_ink(ruled):
    rng = np.random.default_rng(21)
    glyph = sp.stroke_glyph(3, 240, 8, rng)
    data = sp.photo([glyph], rng, size=(640, 480), ruled=ruled, orientation=1, blur=0.5)
    clean = sp.photo([glyph], np.random.default_rng(21), size=(640, 480), orientation=1, blur=0.5)
    ruled_image = vision.prepare_digit(data).image28
    assert correlation(ruled_image, vision.prepare_digit(clean).image28) > 0.8
    parts = numbers.prepare_number(data)
    assert len(parts) == 1


def test_the_paper_estimate_reaches_a_tenth_of_a_small_picture_too():
    # a 230 px picture is not shrunk for the estimate: a radius of 12 px (the old fixed one)
    # kept a 36 px dark bar as "paper"; a tenth of the picture wipes it out
    grey = np.full((230, 180), 200.0, dtype=np.float32)
    grey[40:190, 70:106] = 50
    paper = ink.paper_estimate(grey)
    assert paper[115, 88] > 180
