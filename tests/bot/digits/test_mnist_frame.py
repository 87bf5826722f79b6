"""bot.digits.mnist_frame: pen thickness normalised, USPS in the MNIST convention."""

from __future__ import annotations

import numpy as np
import pytest

from bot.digits import vision
from bot.digits.mnist_frame import usps_to_mnist
from tests.bot.digits.helpers import drawn_photo
from tests.support.synthetic_photos import centre_of_mass


@pytest.mark.parametrize("stroke", ["thin", "normal", "thick"])
def test_pen_thickness_is_normalised(stroke):
    image = vision.prepare_digit(drawn_photo(0, seed=3, stroke=stroke)).image28
    ink = (image > 0.5).sum()
    assert 50 <= ink <= 260, f"{stroke}: {ink} ink pixels"


def test_usps_is_brought_to_the_mnist_convention():
    usps = -np.ones((2, 16, 16), dtype=np.float32)
    usps[0, 2:14, 6:10] = 1  # a "1"
    usps[1, 1:15, 1:15] = 1
    out = usps_to_mnist(usps)
    assert out.shape == (2, 28, 28) and out.min() >= 0 and out.max() <= 1
    for image in out:
        ys, xs = np.nonzero(image > 0.05)
        assert max(ys.max() - ys.min(), xs.max() - xs.min()) + 1 <= 21
        cy, cx = centre_of_mass(image)
        assert abs(cy - 14) <= 1 and abs(cx - 14) <= 1
