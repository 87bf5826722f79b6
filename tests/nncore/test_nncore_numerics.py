"""Extreme inputs: no overflow, no division by zero, no NaN, in float32 and float64."""

import numpy as np
import pytest

import nncore as nn

EXTREMES = np.array([[-1e4, -100.0, -1.0, 0.0, 1.0, 100.0, 1e4]])


@pytest.fixture(autouse=True)
def strict_floating_point():
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        yield


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "activation",
    [nn.Sigmoid(), nn.Tanh(), nn.ReLU(), nn.LeakyReLU(), nn.Softmax(), nn.Linear()],
    ids=lambda a: a.kind,
)
def test_activations_stay_finite(activation, dtype):
    x = EXTREMES.astype(dtype)
    out = activation.forward(x)
    grad = activation.backward(np.ones_like(x))
    assert out.dtype == dtype and grad.dtype == dtype
    assert np.all(np.isfinite(out)) and np.all(np.isfinite(grad))


def test_sigmoid_and_softmax_values_at_the_extremes():
    np.testing.assert_array_equal(nn.sigmoid(np.array([-1e4, 0.0, 1e4])), [0.0, 0.5, 1.0])
    p = nn.softmax(np.array([[1e4, 0.0, -1e4]], dtype=np.float32))
    np.testing.assert_array_equal(p, [[1.0, 0.0, 0.0]])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_losses_stay_finite_at_extreme_scores(dtype):
    logits = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 3.0]], dtype=dtype)
    ce = nn.SoftmaxCrossEntropy()
    assert ce.forward(logits, [1, 1]) == pytest.approx(1e4, rel=1e-3)
    assert np.all(np.isfinite(ce.backward()))

    targets = np.array([[1, 0, 1], [0, 1, 0]], dtype=dtype)
    logit_bce = nn.BinaryCrossEntropy(from_logits=True)
    assert np.isfinite(logit_bce.forward(logits, targets))
    assert np.all(np.isfinite(logit_bce.backward()))

    prob_bce = nn.BinaryCrossEntropy()
    probabilities = nn.sigmoid(logits)  # exactly 0 and 1 at the extremes
    assert np.isfinite(prob_bce.forward(probabilities, targets))
    assert np.all(np.isfinite(prob_bce.backward()))

    mse = nn.MSE()
    assert np.isfinite(mse.forward(logits, targets)) and np.all(np.isfinite(mse.backward()))


def test_binary_cross_entropy_from_logits_is_exact_where_the_naive_formula_fails():
    bce = nn.BinaryCrossEntropy(from_logits=True)
    assert bce.forward(np.array([[-800.0]]), np.array([[1.0]])) == pytest.approx(800.0)
    assert bce.forward(np.array([[40.0]]), np.array([[1.0]])) == pytest.approx(np.exp(-40.0))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_training_on_huge_inputs_keeps_weights_finite(dtype):
    X = np.array([[1e4, -1e4], [-1e4, 1e4], [1e4, 1e4], [-1e4, -1e4]])
    y = np.array([0, 1, 1, 0])
    for last, loss in [
        (nn.Softmax(), nn.SoftmaxCrossEntropy()),
        (nn.Sigmoid(), nn.BinaryCrossEntropy()),
    ]:
        width = 2 if isinstance(last, nn.Softmax) else 1
        model = nn.Sequential(
            [nn.Dense(2, 3, rng=0), nn.Sigmoid(), nn.Dense(3, width, rng=1), last], dtype=dtype
        )
        history = model.fit(X, y if width == 2 else y[:, None], loss, nn.Adam(0.1), 5, seed=0)
        assert all(np.isfinite(history.loss))
        assert all(np.all(np.isfinite(p)) for _, p, _ in model.parameters())
        assert np.all(np.isfinite(model.predict(X)))
