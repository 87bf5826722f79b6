"""/activations: the curves are nncore's own, and the text's numbers are the functions' real
values (checked here against the closed forms, computed with `math`)."""

import math

import numpy as np
import pytest

from bot.inside.activations import activations_picture, activations_text, curves, largest_slope
from bot.training.settings import ACTIVATIONS
from tests.bot.training.png_check import picture


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def test_the_curves_are_the_closed_forms_and_their_derivatives():
    z, a, slope = curves("sigmoid")
    expected = np.array([sigmoid(v) for v in z])
    assert np.allclose(a, expected)
    assert np.allclose(slope, expected * (1 - expected))
    z, a, slope = curves("tanh")
    assert np.allclose(slope, 1 - np.tanh(z) ** 2)
    z, a, slope = curves("relu")
    assert np.all(slope[z < 0] == 0) and np.all(slope[z > 0] == 1)
    z, a, slope = curves("leaky_relu")
    assert np.allclose(a[z < 0], 0.01 * z[z < 0])


def test_the_sigmoid_slope_never_exceeds_a_quarter_and_the_others_reach_one():
    assert largest_slope("sigmoid") == pytest.approx(0.25)
    assert largest_slope("tanh") == pytest.approx(1.0)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_text_gives_the_true_saturated_slopes_and_the_chosen_function(lang):
    text = activations_text("sigmoid", lang)
    s5 = sigmoid(5) * (1 - sigmoid(5))
    assert f"{s5:.4g}" in text  # 0.006648
    assert f"{1 - math.tanh(5) ** 2:.3e}" in text  # 1.816e-04
    assert f"{0.25**4:.4g}" in text  # four sigmoid layers: 0.003906
    assert ("сигмоида" if lang == "ru" else "sigmoid") in text
    assert "activation=relu" in text


def test_the_suggestion_is_never_the_function_already_chosen():
    assert "activation=leaky_relu" in activations_text("relu", "en")


@pytest.mark.parametrize("chosen", ACTIVATIONS)
def test_the_picture_is_a_phone_sized_png(chosen):
    width, height = picture(activations_picture(chosen, "ru"))
    assert 800 <= width <= 1050 and 700 <= height <= 1000
