"""Classes keep one colour everywhere, their own when they name one; regions fade where the
network is unsure."""

import io

import numpy as np
from PIL import Image

from bot.tables.examples import EXAMPLES
from bot.tables.parse import parse_table
from bot.training.boundary_picture import boundary_picture
from bot.training.colours import class_colours, shaded_regions
from bot.training.run import load_model, run_training
from bot.training.settings import parse_settings, settings_for
from tests.support.tables import LIMITS

RED, GREEN, BLUE = (214, 39, 40), (44, 160, 44), (31, 119, 180)


def test_a_class_named_after_a_colour_gets_that_colour():
    assert class_colours(["blue", "green", "red"]) == ["#1f77b4", "#2ca02c", "#d62728"]
    assert class_colours(["синий", "Зелёный", "красный"]) == ["#1f77b4", "#2ca02c", "#d62728"]
    other = class_colours(["cat", "blue", "dog"])
    assert other[1] == "#1f77b4" and len(set(other)) == 3


def test_a_coin_toss_is_white_and_certainty_is_coloured():
    probs = np.array([[0.5, 0.5], [0.02, 0.98]])
    image = shaded_regions(probs, ["#1f77b4", "#d62728"], (1, 2))
    assert image[0, 0, 3] == 0  # fully transparent: the white background shows
    assert image[0, 1, 3] > 0.4 and tuple(image[0, 1, :3]) == (214 / 255, 39 / 255, 40 / 255)


def _pixel(png: bytes, colour: tuple[int, int, int]) -> int:
    """How many pixels are close to `colour` (the points are drawn in it, full strength)."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3).astype(int)
    return int((np.abs(pixels - np.array(colour)).sum(axis=1) < 30).sum())


def _trained(key: str, extra: str = ""):
    table = parse_table(EXAMPLES[key].text, LIMITS)
    settings = parse_settings(
        EXAMPLES[key].settings + " " + extra, settings_for(table, None), LIMITS
    )
    outcome = run_training(table, settings, lambda _: None, lambda: False)
    return table, load_model(outcome.model_bytes), outcome.encoding


def test_the_three_colours_picture_draws_red_points_red():
    table, model, encoding = _trained("colours")
    png = boundary_picture(model, table, encoding, "en")
    assert min(_pixel(png, RED), _pixel(png, GREEN), _pixel(png, BLUE)) > 500


def test_one_neuron_on_xor_is_not_painted_as_if_it_were_sure():
    table, model, encoding = _trained("xor", "hidden=none")
    png = boundary_picture(model, table, encoding, "en")
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    h, w, _ = pixels.shape
    centre = pixels[h // 4 : 3 * h // 4, w // 4 : 3 * w // 4].reshape(-1, 3)
    white = (centre.min(axis=1) > 235).mean()
    assert white > 0.8  # the plane is (nearly) white: ŷ ≈ 0.5 everywhere
