"""bot.digits.candidates: the digit-like component wins; edge digits and tight crops are read."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from bot.digits import vision
from bot.digits.candidates import pad_small, shape_score, small_light_on_dark
from bot.digits.components import label_components
from tests.bot.digits.helpers import png


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
    assert pad_small(np.zeros((300, 300), np.float32), False).shape == (300, 300)


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


def test_the_polarity_of_a_tight_crop_comes_from_its_border():
    grey = np.full((80, 60), 210.0, dtype=np.float32)
    grey[5:75, 8:52] = 40  # a fat dark digit filling most of the crop
    grey[20:60, 22:38] = 210
    assert not small_light_on_dark(grey)
    assert small_light_on_dark(255 - grey)
