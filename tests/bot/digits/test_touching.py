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


def test_a_cut_inside_a_stretch_through_little_ink_is_what_the_judge_sees():
    height = 100
    strokes = np.zeros((height, 90), dtype=bool)
    strokes[:, 0:20] = True
    strokes[:, 70:90] = True
    strokes[48:54, 20:70] = True  # the thin bridge
    at = touching.candidate_cuts(strokes, height)
    keys = [(0, len(at) - 1), (0, 1)]
    boxes = [(0, 0, 90, 100), (0, 0, at[1], 100)]
    probs = np.full((2, 10), 0.01)
    probs[:, 8] = 0.91
    rows = touching._features(probs, boxes, keys, at, strokes)
    assert rows.shape == (2, len(touching.FEATURES))
    column = {name: k for k, name in enumerate(touching.FEATURES)}
    inside = rows[:, column["least ink at a cut inside, in stroke widths"]]
    # the whole blob has a cut inside it through the bridge: 6 pixels, under one stroke
    # width of these 20-pixel bars; the first stretch has no cut inside
    assert inside[0] < 1.0 and inside[1] == 4.0
    assert rows[0, column["starts at the blob's left edge"]] == 1
    assert rows[0, column["ends at the blob's right edge"]] == 1
    assert rows[1, column["ends at the blob's right edge"]] == 0
    assert rows[1, column["width over the blob's height"]] == pytest.approx(at[1] / 100)
    assert rows[0, column["log-probability of 8"]] == pytest.approx(np.log(0.91), abs=1e-6)


def test_the_shipped_judge_was_fitted_on_these_features_and_the_shipped_reader():
    import hashlib
    import json

    from bot.digits.reader import WEIGHTS

    card = json.loads(touching.CUTS.with_suffix(".json").read_text())
    assert card["features"] == list(touching.FEATURES)
    assert card["reader_sha256"] == hashlib.sha256(WEIGHTS.read_bytes()).hexdigest()
    assert touching.stretch_scores(np.zeros((3, len(touching.FEATURES)))).shape == (3,)


def test_the_judge_reads_touching_numbers_of_drawn_digits():
    # drawn glyphs need no data set; the judge was fitted on photos of other seeds. Drawn
    # strokes overlap more than MNIST's: 5 of these 10 are read right (14 of 30 from this
    # seed), where the hand-weighted score it replaced read 2 of 30
    rng = np.random.default_rng(2026)
    source = paper.drawn_source(rng)
    reader, right = get_reader(), 0
    for _ in range(10):
        data, truth = paper.kind_photo("touching numbers", rng, source)
        right += reader.read_number(data).text == truth
    assert right >= 4


def test_alignment_takes_the_cover_reading_the_truth_most_surely():
    from benchmarks.fit_digit_cuts import align

    # one blob, cuts 0..3: read digit by digit it is "1 7 1", the wide stretch (1, 3) is a 4
    keys = [(0, 1), (1, 2), (2, 3), (1, 3), (0, 3)]
    probs = np.full((5, 10), 0.001)
    probs[0, 1], probs[1, 7], probs[2, 1], probs[3, 4], probs[4, 8] = 0.9, 0.6, 0.6, 0.95, 0.99
    blob = {"keys": keys, "cuts": 4, "features": np.zeros((5, 2)), "probs": probs}
    assert [(b, s) for b, s, _ in align([blob], [1, 4])] == [(0, 0), (0, 3)]
    assert [(b, s) for b, s, _ in align([blob], [1, 7, 1])] == [(0, 0), (0, 1), (0, 2)]
    assert [(b, s) for b, s, _ in align([blob], [8])] == [(0, 4)]
    assert align([blob], [1, 7, 1, 1]) is None  # four digits in three stretches
    # two blobs: the second, read whole, must take the last digit
    whole = {"keys": [(0, 1)], "cuts": 2, "features": None, "probs": probs[[3]]}
    path = align([blob, whole], [1, 4, 4])
    assert [(b, s) for b, s, _ in path] == [(0, 0), (0, 3), (1, 0)]


def test_the_judge_takes_raw_features_once_its_standardisation_is_folded_in():
    from benchmarks.fit_digit_cuts import fit

    rng = np.random.default_rng(0)
    # two features on wildly different scales; the label is a plain threshold on their sum
    x = np.column_stack([rng.normal(500, 100, 2000), rng.normal(0, 0.01, 2000)])
    y = (x[:, 0] - 500) / 100 + x[:, 1] / 0.01 > 0
    model, accuracy = fit(x.astype(np.float32), y, seed=0)
    assert accuracy > 0.95
    fresh = np.column_stack([rng.normal(500, 100, 500), rng.normal(0, 0.01, 500)])
    truth = (fresh[:, 0] - 500) / 100 + fresh[:, 1] / 0.01 > 0
    assert ((model.predict(fresh.astype(np.float32))[:, 0] > 0) == truth).mean() > 0.95
