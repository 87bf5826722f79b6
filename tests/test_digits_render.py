"""Digit pictures render to phone-sized PNGs; answers read well in both languages."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from bot import render_digits, vision
from bot.digits import DigitResult, NumberResult
from bot.handlers.digits import compose_reply
from tests import synthetic_photos as sp


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG")
    return Image.open(io.BytesIO(data)).size


def probs_for(digit: int, confidence: float) -> np.ndarray:
    probs = np.full(10, (1 - confidence) / 9)
    probs[digit] = confidence
    return probs


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_digit_picture_is_a_readable_png(lang):
    image = np.zeros((28, 28), np.float32)
    image[6:22, 12:16] = 1
    width, height = png_size(render_digits.digit_picture(image, probs_for(1, 0.93), lang))
    assert 800 <= width <= 1400 and 400 <= height <= 900


@pytest.mark.parametrize("count", [2, 8, 11])
def test_number_picture_fits_any_length(count):
    images = [np.random.default_rng(i).random((28, 28)).astype(np.float32) for i in range(count)]
    width, height = png_size(
        render_digits.number_picture(images, [i % 10 for i in range(count)], [0.9] * count, "ru")
    )
    assert 300 <= width <= 1800 and 250 <= height <= 1000


def test_stages_picture_shows_every_stage():
    rng = np.random.default_rng(1)
    photo = sp.random_digit_photo(None, 5, rng, size=(640, 480), orientation=1)
    stages = vision.prepare_digit(photo, keep_stages=True).stages
    width, height = png_size(render_digits.stages_picture(stages, "en"))
    assert width >= 1000 and height >= 600


def result(digit: int, confidence: float) -> DigitResult:
    return DigitResult(digit, confidence, probs_for(digit, confidence), np.zeros((28, 28)))


def test_a_sure_answer_names_the_digit_and_the_runners_up():
    text = compose_reply(NumberResult("7", [result(7, 0.97)]), "en")
    assert "<b>7</b>" in text and "97%" in text and "Runners-up" in text


def test_an_unsure_answer_says_so_in_russian():
    text = compose_reply(NumberResult("3", [result(3, 0.41)]), "ru")
    assert "<b>3</b>" in text and "41%" in text and "/digit" in text


def test_a_number_lists_each_digit_and_the_weakest_one():
    number = NumberResult(
        "2024", [result(2, 0.99), result(0, 0.98), result(2, 0.45), result(4, 0.9)]
    )
    text = compose_reply(number, "en")
    assert "<b>2024</b>" in text and "4 digits" in text and "digit 3" in text


def test_negligible_runners_up_are_not_listed():
    probs = np.zeros(10)
    probs[5] = 1.0
    text = compose_reply(NumberResult("5", [DigitResult(5, 1.0, probs, np.zeros((28, 28)))]), "en")
    assert "none worth mentioning" in text and "(0%)" not in text
