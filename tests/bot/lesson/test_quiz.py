"""The quiz's checks: numbers as learners type them, the tolerance, and which factor differs.
Expected values are computed here from the network's weights with NumPy."""

from __future__ import annotations

import math

import numpy as np
import pytest

import nncore as nn
from bot.lesson import quiz


@pytest.mark.parametrize(
    ("text", "value"),
    [("0,524", 0.524), ("−0.0214", -0.0214), ("2.1e-3", 0.0021), (" 12 ", 12.0), (".5", 0.5)],
)
def test_answers_are_read_with_a_decimal_comma_and_a_real_minus(text, value):
    assert quiz.parse_answer(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["about a half", "1/2", "", "0.5.1", "inf", "²"])
def test_what_is_not_a_number_is_refused(text):
    assert quiz.parse_answer(text) is None


def test_the_tolerance_is_one_percent_or_half_a_thousandth_near_zero():
    question = {"exact": 0.0214695, "from_shown": 0.0214695}
    assert quiz.accepted(0.0214, question)  # the article's rounding
    assert not quiz.accepted(0.0224, question)
    assert quiz.accepted(0.0004, {"exact": 0.0, "from_shown": 0.0})


def textbook_trace() -> nn.Trace:
    """The article's 2-2-1 network, all weights 1, on (−2, −1) with target 1."""
    model = nn.Sequential(
        [nn.Dense(2, 2, init="ones"), nn.Sigmoid(), nn.Dense(2, 1, init="ones"), nn.Sigmoid()],
        dtype="float64",
    )
    return nn.explain(model, nn.MSE(), np.array([-2.0, -1.0]), np.array([1.0]))


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_every_kind_of_question_has_the_value_numpy_computes():
    trace = textbook_trace()
    h = sigmoid(-3.0)
    y_hat = sigmoid(2 * h)
    expected = {
        "z": -3.0,
        "a": h,
        "yhat": y_hat,
        "loss": (y_hat - 1) ** 2,
        "grad": 2 * (y_hat - 1) * y_hat * (1 - y_hat) * h * (1 - h) * -2,  # w1 (or w3: same)
    }
    seen = set()
    for number in range(5):
        question = quiz.make_question(trace, "mse", 0, number)
        kind = question["kind"]
        seen.add(kind)
        if kind == "grad" and "w₁" not in question["symbol"] and "w₃" not in question["symbol"]:
            continue  # w2/w4 (input −1) and w5/w6 have other values, checked below
        assert question["exact"] == pytest.approx(expected[kind], rel=1e-9), kind
        assert quiz.accepted(expected[kind], question)
    assert seen == set(quiz.KINDS)


def test_a_gradient_question_avoids_a_weight_whose_input_is_zero():
    model = nn.Sequential(
        [nn.Dense(2, 2, init="ones"), nn.Tanh(), nn.Dense(2, 1, init="ones"), nn.Sigmoid()],
        dtype="float64",
    )
    trace = nn.explain(model, nn.BinaryCrossEntropy(), np.array([0.0, 1.0]), np.array([1.0]))
    for number in range(4, 40, 5):  # every fifth question asks for a gradient
        question = quiz.make_question(trace, "bce", 1, number)
        assert question["kind"] == "grad"
        assert abs(question["exact"]) > 1e-6, question["symbol"]


def test_a_wrong_answer_names_the_first_factor_that_differs():
    trace = textbook_trace()
    questions = {q["kind"]: q for q in (quiz.make_question(trace, "mse", 0, n) for n in range(5))}
    h = sigmoid(-3.0)
    y_hat = sigmoid(2 * h)
    assert quiz.diagnosis(-3.0 + 0.0, {**questions["z"], "bias": 0.5, "exact": -2.5})[0] == (
        "quiz.differs.bias"
    )
    assert quiz.diagnosis(-3.0, questions["a"])[0] == "quiz.differs.no_f"  # z given for a
    key, values = quiz.diagnosis(sigmoid(-2.0), questions["a"])  # σ of a wrong sum
    assert key == "quiz.differs.z" and values["implied"] == "−2"
    assert quiz.diagnosis(abs(y_hat - 1), questions["loss"])[0] == "quiz.differs.square"
    grad = next(
        q
        for q in (quiz.make_question(trace, "mse", 0, n) for n in range(4, 100, 5))
        if q["x"] == -2  # w1 or w3: leaving out x (−2) is not a mere change of sign
    )
    x = grad["x"]
    assert quiz.diagnosis(grad["before"] * x, grad)[0] == "quiz.differs.no_slope"
    assert quiz.diagnosis(grad["before"] * h * (1 - h), grad)[0] == "quiz.differs.no_x"
    assert quiz.diagnosis(-grad["exact"], grad)[0] == "quiz.differs.sign"
    assert math.isfinite(grad["exact"])


def test_the_working_adds_up_as_shown():
    trace = textbook_trace()
    question = quiz.make_question(trace, "mse", 0, 4)  # the gradient
    first, second = question["working"]
    numbers = [float(v.replace("−", "-").strip(" ()")) for v in second.split("=")[-2].split("·")]
    product = float(second.split("=")[-1].replace("−", "-"))
    assert np.prod(numbers) == pytest.approx(product, rel=5e-3)
    assert first.startswith(question["last"])


@pytest.mark.parametrize(
    ("layers", "loss", "name", "target"),
    [
        ([nn.Dense(3, 4), nn.ReLU(), nn.Dense(4, 3), nn.Softmax()], nn.SoftmaxCrossEntropy(),
         "ce", np.array([2])),
        ([nn.Dense(3, 4), nn.Tanh(), nn.Dense(4, 3), nn.LeakyReLU(), nn.Dense(3, 1)], nn.MSE(),
         "mse", np.array([0.7])),
        ([nn.Dense(3, 1), nn.Sigmoid()], nn.BinaryCrossEntropy(), "bce", np.array([0.0])),
    ],
)  # fmt: skip
def test_every_question_of_other_networks_is_answerable_from_its_numbers(
    layers, loss, name, target
):
    model = nn.Sequential(layers, dtype="float64")
    trace = nn.explain(model, loss, np.array([0.5, -1.2, 2.0]), target)
    for number in range(10):
        question = quiz.make_question(trace, name, 0, number)
        assert quiz.accepted(question["exact"], question), question["symbol"]
        assert quiz.accepted(question["from_shown"], question)
        assert question["working"] and question["givens"]
