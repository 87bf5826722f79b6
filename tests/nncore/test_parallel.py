"""nncore.parallel: parts cover the work in order, results come back in order, errors surface,
and a model trains to the same numbers (up to float rounding) with any thread count."""

import numpy as np
import pytest

import nncore as nn
from nncore import parallel


@pytest.fixture
def threads():
    before = parallel.threads()
    yield parallel.set_threads
    parallel.set_threads(before)


def test_parts_cover_the_items_in_order_and_small_work_stays_whole(threads, monkeypatch):
    threads(3)
    monkeypatch.setattr(parallel, "MIN_WORK_PER_THREAD", 10)
    assert parallel.parts(10, 1_000) == [slice(0, 3), slice(3, 6), slice(6, 10)]
    assert parallel.parts(10, 25) == [slice(0, 5), slice(5, 10)]  # two parts of ≥ 10
    assert parallel.parts(10, 5) == [slice(0, 10)]
    assert parallel.parts(2, 1_000) == [slice(0, 1), slice(1, 2)]  # never more than the items


def test_run_returns_results_in_order_and_reraises_errors(threads):
    threads(3)
    parts = [slice(0, 2), slice(2, 5), slice(5, 9)]
    assert parallel.run(lambda s: list(range(9))[s], parts) == [[0, 1], [2, 3, 4], [5, 6, 7, 8]]

    def fails_on_the_last(s):
        if s.start == 5:
            raise ValueError("part failed")
        return s.start

    with pytest.raises(ValueError, match="part failed"):
        parallel.run(fails_on_the_last, parts)


def test_set_threads_rejects_zero():
    with pytest.raises(ValueError):
        nn.set_threads(0)


def test_a_cnn_trains_to_the_same_weights_with_two_threads(threads, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_WORK_PER_THREAD", 0)  # split even this small batch
    X = np.random.default_rng(0).random((24, 1, 8, 8))
    y = np.arange(24) % 3
    weights = []
    for count in (1, 2):
        threads(count)
        model = nn.Sequential(
            [
                nn.Conv2D(1, 4, 3, padding=1, rng=0),
                nn.ReLU(),
                nn.MaxPool2D(2),
                nn.Conv2D(4, 4, 3, rng=1),
                nn.Flatten(),
                nn.Dense(16, 3, rng=2),
            ],
            "float64",
        )
        model.fit(X, y, nn.SoftmaxCrossEntropy(), nn.Adam(0.01), epochs=3, batch_size=8, seed=0)
        weights.append([p.copy() for _, p, _ in model.parameters()])
    for one, two in zip(*weights, strict=True):
        np.testing.assert_allclose(one, two, rtol=1e-10, atol=1e-12)
