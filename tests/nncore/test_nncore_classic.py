"""The article's numbers, the worked chain-rule trace, and the one-neuron limit."""

import json

import numpy as np
import pytest

import nncore as nn


def test_single_neuron_preset_gives_the_article_prediction():
    preset = nn.classic.single_neuron()
    np.testing.assert_allclose(
        preset.model.layers[0].params["W"].ravel(),
        [-0.16595599, 0.44064899, -0.99977125],
        atol=1e-8,
    )
    preset.fit()
    assert round(float(preset.predict_questions()[0, 0]), 8) == 0.99993704


def test_single_neuron_preset_agrees_with_the_article_loop():
    weights = nn.classic.train_single_neuron_like_the_article()
    preset = nn.classic.single_neuron()
    preset.fit()
    np.testing.assert_allclose(preset.model.layers[0].params["W"], weights, rtol=1e-9)


def test_weight_height_network_learns_emily_and_frank():
    preset = nn.classic.weight_height()
    history = preset.fit()
    emily, frank = preset.predict_questions().ravel()
    assert emily == pytest.approx(0.95, abs=0.01) and frank == pytest.approx(0.04, abs=0.01)
    assert history.loss[-1] < 0.01


def article_trace(digits=None):
    preset = nn.classic.weight_height(init="ones")
    return nn.explain(preset.model, preset.loss, [-2, -1], 1, lr=0.1, digits=digits)


def test_explain_forward_pass_matches_the_article():
    trace = article_trace()
    h1, h2, o1 = trace.neurons
    assert (h1.name, h2.name, o1.name, o1.symbol) == ("h1", "h2", "o1", "ŷ")
    assert h1.weight_names == ["w1", "w2"] and h2.weight_names == ["w3", "w4"]
    assert o1.weight_names == ["w5", "w6"] and o1.bias_name == "b3"
    assert h1.z == -3 and h1.a == pytest.approx(0.047426, abs=1e-6)
    assert o1.inputs == [h1.a, h2.a] and o1.activation == "sigmoid"
    assert trace.prediction[0] == pytest.approx(0.523695, abs=1e-6)
    assert trace.loss == pytest.approx((1 - 0.523695) ** 2, abs=1e-6)
    assert trace.d_loss_d_pred[0] == pytest.approx(-0.952610, abs=1e-6)


def test_explain_exact_chain_rule_for_w1():
    w1 = next(p for p in article_trace().params if p.name == "w1")
    assert [f.symbol for f in w1.factors] == ["∂L/∂ŷ", "∂ŷ/∂h1", "∂h1/∂w1"]
    assert [f.value for f in w1.factors] == pytest.approx(
        [-0.952610, 0.249439, -0.090353], abs=1e-6
    )
    assert w1.product == pytest.approx(0.021470, abs=1e-6)
    assert w1.grad == pytest.approx(w1.product, rel=1e-12)
    assert w1.new_value == pytest.approx(1 - 0.1 * w1.grad, rel=1e-12)


def test_explain_digits_3_shows_the_article_factors():
    trace = article_trace(digits=3)
    w1 = next(p for p in trace.params if p.name == "w1")
    assert [f.value for f in w1.factors] == [-0.952, 0.249, -0.0904]
    assert round(w1.product, 6) == 0.021429
    assert w1.grad == pytest.approx(0.021470, abs=1e-6)  # the exact value is kept
    w5 = next(p for p in trace.params if p.name == "w5")
    assert [f.symbol for f in w5.factors] == ["∂L/∂ŷ", "∂ŷ/∂w5"]
    assert [p.name for p in trace.params] == ["w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3"]
    assert json.loads(json.dumps(trace.to_dict()))["digits"] == 3


@pytest.mark.parametrize(
    ("layers", "loss", "target"),
    [
        (
            [nn.Dense(3, 4, rng=0), nn.Tanh(), nn.Dense(4, 3, rng=1), nn.Softmax()],
            nn.SoftmaxCrossEntropy(),
            2,
        ),
        (
            [
                nn.Dense(3, 2, rng=2),
                nn.ReLU(),
                nn.Dense(2, 2, rng=3),
                nn.LeakyReLU(),
                nn.Dense(2, 1, rng=4),
                nn.Sigmoid(),
            ],
            nn.BinaryCrossEntropy(),
            1.0,
        ),
        ([nn.Dense(3, 2, rng=5), nn.Sigmoid(), nn.Dense(2, 2, rng=6)], nn.MSE(), [0.5, -1.0]),
    ],
    ids=["softmax-output", "deeper", "linear-outputs"],
)
def test_explain_products_equal_the_exact_gradients(layers, loss, target):
    model = nn.Sequential(layers)
    x = np.array([0.5, -1.0, 2.0])
    trace = nn.explain(model, loss, x, target, lr=0.5)
    n_params = model.param_count()
    assert len(trace.params) == n_params
    for step in trace.params:
        assert len(step.factors) == 2
        assert step.product == pytest.approx(step.grad, rel=1e-9, abs=1e-15)
        assert step.new_value == pytest.approx(step.value - 0.5 * step.grad)
    # The same gradients as training computes.
    model64 = nn.Sequential(model.layers, dtype="float64")
    upto, head = model64.training_head(loss)
    head.forward(model64.forward(x[None], upto), np.asarray(target).reshape(1, -1))
    model64.backward(head.backward(), upto)
    dense = [layer for layer in model64.layers if isinstance(layer, nn.Dense)]
    for step in trace.params:
        grad = dense[step.layer - 1].grads[step.key][step.index]
        assert step.grad == pytest.approx(grad, rel=1e-12, abs=1e-18)


def test_explain_refuses_convolutional_networks():
    model = nn.Sequential([nn.Conv2D(1, 1, 3), nn.Flatten(), nn.Dense(1, 1)])
    with pytest.raises(ValueError, match="Dense"):
        nn.explain(model, nn.MSE(), np.zeros(9), 0.0)


def test_xor_preset_converges_and_one_line_cannot_do_it():
    preset = nn.classic.xor()
    preset.fit()
    np.testing.assert_array_equal(
        preset.predict_questions().ravel() > 0.5, [False, True, True, False]
    )
    assert nn.linear_separability(preset.X, preset.y) == 0.75


@pytest.mark.parametrize(
    ("X", "y", "expected"),
    [
        ([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 0, 0, 1], 1.0),  # AND
        ([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 1], 1.0),  # OR
        ([[1], [2], [3], [4]], [0, 1, 0, 1], 0.75),
        ([[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]], [0, 1, 1, 0], 1.0),  # XOR plus x1·x2 info
        ([[1, 1], [1, 1], [2, 2]], [0, 1, 1], 2 / 3),  # a duplicate point with two labels
    ],
)
def test_linear_separability(X, y, expected):
    assert nn.linear_separability(X, y) == pytest.approx(expected)


def test_linear_separability_accepts_one_hot_and_refuses_three_classes():
    X = [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert nn.linear_separability(X, np.eye(2)[[0, 1, 1, 0]]) == 0.75
    with pytest.raises(ValueError):
        nn.linear_separability(X, [0, 1, 2, 0])
