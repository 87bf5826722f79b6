"""nncore.parallel: parts cover the work in order, results come back in order, errors surface,
and a model trains to the same numbers (up to float rounding) with any thread count."""

import numpy as np
import pytest

import nncore as nn
from nncore import parallel, replicas


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


def test_serial_keeps_a_block_on_one_thread(threads):
    threads(2)
    with parallel.serial():
        assert parallel.threads() == 1
        assert parallel.parts(10, 1e12) == [slice(0, 10)]
    assert parallel.threads() == 2


def _dropout_mlp():
    return nn.Sequential(
        [
            nn.Dense(6, 16, rng=0),
            nn.ReLU(),
            nn.Dropout(0.4, rng=1),
            nn.Dense(16, 3, rng=2),
        ],
        "float64",
    )


@pytest.mark.parametrize("way", ["rows", "layers", "serial"])
def test_every_way_of_running_a_batch_trains_to_the_same_weights(threads, monkeypatch, way):
    """Dropout masks included: the split batch draws them for all its rows at once."""
    monkeypatch.setattr(parallel, "MIN_WORK_PER_THREAD", 0)
    monkeypatch.setattr(replicas, "WAYS", (way,))
    X = np.random.default_rng(3).normal(size=(40, 6))
    y = np.arange(40) % 3
    weights, losses = [], []
    for count in (1, 2):
        threads(count)
        model = _dropout_mlp()
        history = model.fit(
            X, y, nn.SoftmaxCrossEntropy(), nn.SGD(0.1), epochs=4, batch_size=8, seed=5
        )
        weights.append([p.copy() for _, p, _ in model.parameters()])
        losses.append(history.loss)
    for one, two in zip(*weights, strict=True):
        np.testing.assert_allclose(one, two, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(losses[0], losses[1], rtol=1e-10)
    assert weights[0][0].shape == (6, 16)


def test_a_split_batch_fills_the_models_own_gradients(threads, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_WORK_PER_THREAD", 0)
    threads(2)
    model = _dropout_mlp()
    model.eval()  # no dropout: the gradient is a plain function of the weights
    X = np.random.default_rng(4).normal(size=(10, 6))
    y = np.arange(10) % 3
    loss = nn.SoftmaxCrossEntropy()
    one = replicas.Replicas(model.layers, loss, (6,), {})
    parts = [slice(0, 3), slice(3, 10)]  # unequal shares
    split_loss, _ = one.step(X, y, parts)
    split = [g.copy() for _, _, g in model.parameters()]
    with parallel.serial():
        whole_loss = loss.forward(model.forward(X), y)
        model.backward(loss.backward())
    np.testing.assert_allclose(split_loss, whole_loss, rtol=1e-12)
    for a, (_, _, b) in zip(split, model.parameters(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-14)


def test_the_plan_picks_the_way_with_the_shortest_median_step(monkeypatch):
    monkeypatch.setattr(replicas, "TRIAL_STEPS", 3)
    plan = replicas.Plan(("rows", "layers", "serial"))
    times = {"rows": [9.0, 2.0, 2.1, 5.0], "layers": [1.0, 3.0, 3.0, 3.0], "serial": [0.1, 4, 4, 4]}
    for step in range(4):  # round robin: each way once per round, the first round a warm-up
        for way in ("rows", "layers", "serial"):
            assert plan.next_way() == way
            plan.record(way, times[way][step])
    assert plan.chosen == "rows"  # medians of the timed steps: 2.1, 3.0, 4.0
    assert plan.next_way() == "rows"


def test_a_near_tie_goes_to_one_thread(monkeypatch):
    monkeypatch.setattr(replicas, "TRIAL_STEPS", 3)
    plan = replicas.Plan(("rows", "layers", "serial"))
    times = {"rows": [9, 3.9, 3.9, 3.9], "layers": [1, 3.95, 3.95, 3.95], "serial": [1, 4, 4, 4]}
    for step in range(4):
        for way in ("rows", "layers", "serial"):
            assert plan.next_way() == way
            plan.record(way, times[way][step])
    assert plan.chosen == "serial"  # 2.5 % faster is within the noise of a few timed steps
