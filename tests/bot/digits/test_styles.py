"""bot.digits.styles: drawn digits in the styles MNIST lacks, and the shipped model reading them."""

from __future__ import annotations

import numpy as np
import pytest

from bot.digits import styles, train
from bot.digits.mnist_frame import crop_to_ink, to_mnist
from bot.digits.reader import get_reader
from tests.support import synthetic_photos as sp
from tests.support.synthetic_photos import centre_of_mass


@pytest.mark.parametrize("digit", range(10))
def test_a_drawn_digit_follows_the_mnist_convention(digit):
    image = styles.draw(digit, np.random.default_rng(digit))
    assert image.shape == (28, 28) and image.dtype == np.float32
    assert image.min() >= 0 and image.max() == pytest.approx(1, abs=0.05)
    cy, cx = centre_of_mass(image)
    assert abs(cy - 14) <= 1 and abs(cx - 14) <= 1
    rows, cols = np.nonzero(image.sum(axis=1))[0], np.nonzero(image.sum(axis=0))[0]
    assert rows[-1] - rows[0] + 1 <= 21 and cols[-1] - cols[0] + 1 <= 21  # the 20×20 box


def test_drawn_digits_vary_and_a_seed_repeats_them():
    first = styles.draw_many(np.full(6, 4), np.random.default_rng(1))
    again = styles.draw_many(np.full(6, 4), np.random.default_rng(1))
    assert np.array_equal(first, again)
    distances = [np.abs(first[0] - other).sum() for other in first[1:]]
    assert min(distances) > 5  # six different 4s, not one


def test_both_kinds_of_four_are_drawn():
    rng = np.random.default_rng(0)
    closed = sum(len(styles._four(rng)) == 1 for _ in range(400))  # one polyline
    assert 0.45 < closed / 400 < 0.65  # closed tops about half the time, open the rest


def test_augment_swaps_some_images_for_drawn_digits_of_the_same_label():
    rng = np.random.default_rng(0)
    blank = np.zeros((1000, 28, 28), np.float32)
    out = train.augment(blank, rng, labels=np.full(1000, 7))
    inked = out.max(axis=(1, 2)) > 0.3
    assert 0.04 < inked.mean() < 0.13  # DRAWN_FRACTION = 0.08
    assert train.augment(blank, rng).max() < 0.3  # without labels nothing is drawn


@pytest.mark.parametrize("style", sorted(sp.STYLED))
def test_the_shipped_model_reads_styles_mnist_lacks(style):
    """Geometry from tests/support/synthetic_photos.py, apart from bot/digits/styles.py."""
    digit, lines = sp.STYLED[style]
    rng = np.random.default_rng(11)
    images = []
    for k in range(45):
        glyph = sp.stroke_glyph(digit, 200, [6, 12, 20][k % 3], rng, lines)
        images.append(to_mnist(crop_to_ink(glyph, 0.5)))
    read = get_reader().classify(np.stack(images)).argmax(axis=1)
    assert (read == digit).mean() >= 0.9, f"{style}: {np.bincount(read, minlength=10)}"
