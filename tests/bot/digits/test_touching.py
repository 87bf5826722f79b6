"""bot.digits.touching: a blob of touching digits over-segmented and cut by recognition."""

from __future__ import annotations

import numpy as np
import pytest

from bot.digits import touching
from bot.digits.reader import get_reader
from tests.support import synthetic_paper as paper
from tests.support.paths import SHARED_DATASETS as SHARED


def test_best_path_takes_the_cover_with_the_best_total():
    # cuts 0..3; one stretch over all (1.0) loses to three (0.5 + 0.4 + 0.3), and a cover
    # that skips a cut is never mixed with stretches that do not meet
    score = {(0, 3): 1.0, (0, 1): 0.5, (1, 2): 0.4, (2, 3): 0.3, (1, 3): -2.0, (0, 2): 0.6}
    assert touching.best_path(score, 4) == [(0, 1), (1, 2), (2, 3)]
    score[(0, 3)] = 1.3
    assert touching.best_path(score, 4) == [(0, 3)]
    score[(0, 2)] = 1.5
    assert touching.best_path(score, 4) == [(0, 2), (2, 3)]


def test_candidate_cuts_find_the_thin_bridge_between_two_digits():
    height = 100
    strokes = np.zeros((height, 90), dtype=bool)  # the blob's own box
    strokes[:, 0:20] = True  # two upright bars …
    strokes[:, 70:90] = True
    strokes[48:54, 20:70] = True  # … joined by a thin stroke
    at = touching.candidate_cuts(strokes, height)
    assert at[0] == 0 and at[-1] == 90
    inner = at[1:-1]
    assert inner and all(20 <= c < 70 for c in inner)


def test_a_touching_number_of_mnist_digits_is_read_whole():
    path = SHARED / "mnist" / "mnist.npz"
    if not path.is_file():
        pytest.skip(f"MNIST not found: {path}")
    from nncore import datasets

    mnist = datasets.load_mnist(path)
    rng = np.random.default_rng(7)
    source = paper.mnist_source(mnist["x_test"], mnist["y_test"].astype(int), rng)
    for _ in range(7):  # the eighth photo of this stream: 41558, its 1 and 5 touching
        paper.kind_photo("touching numbers", rng, source)
    data, truth = paper.kind_photo("touching numbers", rng, source)
    assert truth == "41558"
    # counted from the width alone the blob was cut into too few digits ("4658")
    assert get_reader().read_number(data).text == truth
