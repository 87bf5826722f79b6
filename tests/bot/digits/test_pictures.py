"""bot.digits.pictures: digit pictures render to phone-sized PNGs in both languages."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from bot.digits import pictures, vision
from tests.support import synthetic_photos as sp


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG")
    return Image.open(io.BytesIO(data)).size


def probs_for(digit: int, confidence: float) -> np.ndarray:
    probs = np.full(10, (1 - confidence) / 9)
    probs[digit] = confidence
    return probs


def decode(data: bytes) -> np.ndarray:
    assert data.startswith(b"\x89PNG")
    Image.open(io.BytesIO(data)).verify()  # chunk CRCs and structure
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)


def rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])


def longest_run(mask: np.ndarray) -> int:
    best = run = 0
    for inside in mask:
        run = run + 1 if inside else 0
        best = max(best, run)
    return best


def bar_lengths(pixels: np.ndarray, colour: str) -> list[int]:
    """Per digit row (0–9): the longest run of `colour` across the row's middle (its bar)."""
    top, row = pictures.TOP, pictures.SIDE / 10
    right = pixels[:, pixels.shape[1] // 2 :]
    lengths = []
    for d in range(10):
        line = right[top + int(row * d + row / 2)]
        lengths.append(longest_run((line == rgb(colour)).all(axis=1)))
    return lengths


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_digit_picture_is_a_readable_png(lang):
    image = np.zeros((28, 28), np.float32)
    image[6:22, 12:16] = 1
    pixels = decode(pictures.digit_picture(image, probs_for(1, 0.93), lang))
    height, width, _ = pixels.shape
    assert 800 <= width <= 1400 and 400 <= height <= 900
    # Nothing clipped: a white frame all round, no title or label touching the edges.
    for edge in (pixels[:4], pixels[-4:], pixels[:, :4], pixels[:, -4:]):
        assert (edge == 255).all()


@pytest.mark.parametrize("best", [0, 3, 9])
def test_the_highlighted_bar_is_the_winners_and_bars_follow_the_probabilities(best):
    probs = np.zeros(10)
    probs[best], probs[(best + 5) % 10], probs[(best + 2) % 10] = 0.6, 0.3, 0.1
    pixels = decode(pictures.digit_picture(np.zeros((28, 28)), probs, "en"))
    muted = bar_lengths(pixels, pictures.MUTED)
    accent = bar_lengths(pixels, pictures.ACCENT)
    assert [d for d in range(10) if accent[d] > 30] == [best]  # the one highlighted bar
    assert muted[best] == 0
    bars = [accent[d] if d == best else muted[d] for d in range(10)]
    assert bars[best] > bars[(best + 5) % 10] > bars[(best + 2) % 10] > 0
    assert abs(bars[(best + 5) % 10] / bars[best] - 0.5) < 0.02  # lengths are proportional
    assert all(bars[d] == 0 for d in range(10) if probs[d] == 0)


def test_the_input_is_shown_with_crisp_pixels():
    image = np.random.default_rng(4).random((28, 28)).astype(np.float32)
    pixels = decode(pictures.digit_picture(image, probs_for(2, 0.8), "en"))
    scale, top, left = pictures.SIDE // 28, pictures.TOP, pictures.MARGIN
    for i, j in [(0, 0), (5, 17), (27, 27), (13, 2)]:
        block = pixels[
            top + i * scale : top + (i + 1) * scale, left + j * scale : left + (j + 1) * scale
        ]
        assert (block == block[0, 0]).all()  # one flat square per network pixel (NEAREST)
        assert abs(block[0, 0, 0] - round(float(image[i, j]) * 255)) <= 1


def test_titles_follow_the_language_and_the_rest_does_not():
    image, probs = np.zeros((28, 28)), probs_for(7, 0.7)
    en = decode(pictures.digit_picture(image, probs, "en"))
    ru = decode(pictures.digit_picture(image, probs, "ru"))
    assert en.shape == ru.shape
    differs = np.nonzero((en != ru).any(axis=(1, 2)))[0]
    assert len(differs) and differs.max() < pictures.TOP  # only the title band changes


def test_a_font_with_cyrillic_is_used():
    assert pictures._font_path(False).endswith("DejaVuSans.ttf")
    assert pictures._font_path(True).endswith("DejaVuSans-Bold.ttf")
    assert pictures.font(30) is pictures.font(30)  # loaded once


@pytest.mark.parametrize("count", [2, 8, 11])
def test_number_picture_fits_any_length(count):
    images = [np.random.default_rng(i).random((28, 28)).astype(np.float32) for i in range(count)]
    width, height = png_size(
        pictures.number_picture(images, [i % 10 for i in range(count)], [0.9] * count, "ru")
    )
    assert 300 <= width <= 1800 and 250 <= height <= 1000


def test_each_line_of_writing_starts_a_row_and_a_long_line_wraps():
    assert pictures.number_layout([0, 0, 0, 1, 1]) == [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1)]
    assert pictures.number_layout([0, 1, 2]) == [(0, 0), (1, 0), (2, 0)]  # a column of digits
    assert pictures.number_layout([0] * 5 + [1], most=3) == [
        (0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (2, 0)
    ]  # fmt: skip


def input_rows(data: bytes) -> int:
    """How many rows of (black) digit inputs a vertical line through the picture crosses."""
    pixels = np.asarray(Image.open(io.BytesIO(data)).convert("L"))
    column = pixels[:, pixels.shape[1] // 2 - 60 : pixels.shape[1] // 2 + 60].min(axis=1) < 10
    dark = np.convolve(column, np.ones(40), "valid") >= 40  # a run as tall as an input
    return int(np.count_nonzero(np.diff(dark.astype(int)) == 1) + dark[0])


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_page_of_two_lines_is_drawn_in_two_rows(lang):
    black = [np.zeros((28, 28), np.float32)] * 5
    one = pictures.number_picture(black, [1, 2, 3, 4, 5], [0.9] * 5, lang)
    two = pictures.number_picture(black, [1, 2, 3, 4, 5], [0.9] * 5, lang, [0, 0, 0, 1, 1])
    assert input_rows(one) == 1 and input_rows(two) == 2
    assert png_size(two)[1] > png_size(one)[1]


def test_stages_picture_shows_every_stage():
    rng = np.random.default_rng(1)
    photo = sp.random_digit_photo(None, 5, rng, size=(640, 480), orientation=1)
    stages = vision.prepare_digit(photo, keep_stages=True).stages
    width, height = png_size(pictures.stages_picture(stages, "en"))
    assert width >= 1000 and height >= 600


def test_the_number_picture_title_says_lines_when_there_are_several(monkeypatch):
    titles = []
    monkeypatch.setattr(pictures, "_title", lambda draw, text, *args: titles.append(text))
    image = np.zeros((28, 28), np.float32)
    pictures.number_picture([image] * 3, [1, 2, 3], [0.9] * 3, "en", lines=[0, 0, 1])
    pictures.number_picture([image] * 3, [1, 2, 3], [0.9] * 3, "ru", lines=[0, 0, 1])
    pictures.number_picture([image] * 3, [1, 2, 3], [0.9] * 3, "en")
    assert titles == ["Lines read: 12 3", "Прочитанные строки: 12 3", "Number read: 123"]
