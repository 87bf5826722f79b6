"""bot.digits.numbers: a number split into its digits, touching digits cut apart."""

from __future__ import annotations

import numpy as np

from bot.digits import numbers
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
