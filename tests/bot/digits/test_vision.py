"""bot.digits.vision: photo → MNIST-style 28×28, its invariants and its stages.

Photos come from tests/support/synthetic_photos.py; the ones drawn with Pillow lines need no
dataset."""

from __future__ import annotations

import numpy as np
import pytest

from bot.digits import vision
from bot.digits.vision import STAGE_SIDE
from tests.bot.digits.helpers import drawn_photo
from tests.support.synthetic_photos import centre_of_mass


@pytest.mark.parametrize("digit", range(10))
def test_a_drawn_digit_becomes_28x28_centred_by_mass(digit):
    prepared = vision.prepare_digit(drawn_photo(digit, seed=digit))
    image = prepared.image28
    assert image.shape == (28, 28) and image.dtype == np.float32
    assert image.min() >= 0 and image.max() <= 1 and image.max() > 0.8
    cy, cx = centre_of_mass(image)
    assert abs(cy - 14) <= 1 and abs(cx - 14) <= 1
    ys, xs = np.nonzero(image > 0.05)
    assert max(ys.max() - ys.min(), xs.max() - xs.min()) + 1 <= 22  # fitted into ~20 px
    assert ys.min() > 0 and xs.min() > 0 and ys.max() < 27 and xs.max() < 27


def test_stages_are_kept_on_request_as_uint8_pictures():
    prepared = vision.prepare_digit(drawn_photo(2), keep_stages=True)
    names = [name for name, _ in prepared.stages]
    assert names == ["grey", "flat", "ink", "parts", "crop", "thick", "input"]
    for _, picture in prepared.stages:
        assert picture.dtype == np.uint8 and max(picture.shape[:2]) <= STAGE_SIDE
    assert prepared.stages[-1][1].shape == (28, 28)
    assert vision.prepare_digit(drawn_photo(2)).stages == []
