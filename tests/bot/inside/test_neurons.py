"""/neurons: each map is what the trained network's hidden neuron computes, on inputs encoded as
training encoded them; big networks get a capped grid; other tables get a reason."""

import numpy as np
import pytest

from bot.config import Limits
from bot.inside.neurons import (
    MAX_HIDDEN_MAPS,
    NeuronsUnavailable,
    neuron_maps,
    neurons_picture,
    table_problem,
)
from bot.tables.parse import parse_table
from bot.training.boundary_picture import Plane
from bot.training.run import load_model, run_training
from bot.training.settings import parse_settings, settings_for
from tests.bot.training.png_check import picture

XOR = "x1 x2 | y\n0 0 | 0\n0 1 | 1\n1 0 | 1\n1 1 | 0"
# Inputs beyond ±10: scale=auto standardises them, so the maps must too
BIG = "a b | y\n100 -50 | 0\n120 -20 | 1\n180 -40 | 1\n150 -10 | 0\n130 -30 | 1"


def trained(text: str, line: str):
    table = parse_table(text, Limits())
    settings = parse_settings(line, settings_for(table, None), Limits())
    outcome = run_training(table, settings, lambda _: None, lambda: False)
    return table, load_model(outcome.model_bytes), outcome.encoding


def test_a_hidden_map_is_the_neurons_activation_over_the_encoded_plane():
    table, model, encoding = trained(BIG, "hidden=3 activation=tanh epochs=50")
    assert encoding["inputs"] is not None  # standardised
    maps = neuron_maps(model, table, encoding, "en")
    grid = Plane.of(table).grid
    mean, std = np.array(encoding["inputs"]["mean"]), np.array(encoding["inputs"]["std"])
    W, b = model.layers[0].params["W"], model.layers[0].params["b"]
    by_hand = np.tanh(((grid - mean) / std) @ W + b)  # the first layer, written out
    for k in range(3):
        assert np.allclose(maps.maps[k].values.ravel(), by_hand[:, k])
        assert maps.maps[k].middle == 0.0
    assert (maps.shown, maps.hidden) == (3, 3)
    assert len(maps.maps) == 4  # and the output's map
    assert maps.maps[-1].title == "output: P(1)"


def test_the_output_map_is_the_networks_prediction():
    table, model, encoding = trained(XOR, "hidden=4 epochs=300")
    maps = neuron_maps(model, table, encoding, "ru")
    grid = Plane.of(table).grid
    assert np.allclose(maps.maps[-1].values.ravel(), model.predict(grid)[:, 0])
    assert maps.maps[-1].title.startswith("выход")
    assert maps.maps[0].title == "слой 1 · нейрон 1"


def test_many_neurons_are_capped_with_every_layer_shown():
    table, model, encoding = trained(XOR, "hidden=24,3 activation=relu epochs=5")
    maps = neuron_maps(model, table, encoding, "en")
    assert maps.hidden == 27
    assert maps.shown <= MAX_HIDDEN_MAPS
    assert any(m.title.startswith("layer 2") for m in maps.maps)
    png, found = neurons_picture(model, table, encoding, "en")
    width, _ = picture(png)
    assert width <= 1050
    assert found.shown == maps.shown


def test_tables_without_a_plane_or_a_hidden_layer_get_a_reason():
    three = parse_table("a b c | y\n0 0 1 | 0\n1 1 0 | 1", Limits())
    problem = table_problem(three)
    assert problem.key == "inside.neurons.not_two" and problem.values == {"count": 3}
    table, model, encoding = trained(XOR, "hidden=none epochs=5")
    with pytest.raises(NeuronsUnavailable) as raised:
        neuron_maps(model, table, encoding, "en")
    assert raised.value.key == "inside.neurons.no_hidden"
