"""The lab's layer-list language: presets, settings text, the networks it builds, its limits."""

from __future__ import annotations

import dataclasses

import pytest

import nncore as nn
from bot.config import Limits
from bot.lab.settings import PRESETS, LabError, LabSettings, build_network, check, parse_lab

LIMITS = Limits()
AVAILABLE = 10_000


def parse(text: str, current: LabSettings | None = None) -> LabSettings:
    return parse_lab(text, current or LabSettings(), LIMITS, AVAILABLE)


def error_of(text: str) -> LabError:
    with pytest.raises(LabError) as caught:
        parse(text)
    return caught.value


def test_the_issue_example_is_read_in_full():
    s = parse(
        "layers=conv8,pool,conv16,pool,dense64 images=6000 epochs=3 lr=0.002 batch=64 "
        "augment=on validation=10% seed=1"
    )
    assert s.layers == ("conv8", "pool", "conv16", "pool", "dense64")
    assert (s.images, s.epochs, s.lr, s.batch, s.augment, s.seed) == (6000, 3, 0.002, 64, True, 1)
    assert s.validation == pytest.approx(0.1)
    assert s.preset == ""  # changed by hand


def test_spaces_and_capitals_in_a_layer_list_are_tidied():
    assert parse("layers=Conv 8,POOL,dense 32,tanh,dropout 30%").layers == (
        "conv8", "pool", "dense32", "tanh", "dropout0.3",
    )  # fmt: skip


def test_presets_build_the_networks_the_issue_names():
    softmax = build_network(PRESETS["softmax"])
    dense = [layer for layer in softmax.layers if isinstance(layer, nn.Dense)]
    assert [d.params["W"].shape for d in dense] == [(784, 10)]
    mlp = build_network(PRESETS["mlp"])
    assert [d.params["W"].shape for d in mlp.layers if isinstance(d, nn.Dense)] == [
        (784, 64), (64, 10),
    ]  # fmt: skip
    cnn = build_network(PRESETS["cnn"])
    convs = [layer.c_out for layer in cnn.layers if isinstance(layer, nn.Conv2D)]
    assert convs == [8, 16]
    reader = build_network(PRESETS["reader"])
    assert reader.param_count() == 421_642  # the shipped reader's size (bot/assets/digits.json)
    assert PRESETS["overfit"].images == 300


def test_a_built_network_reads_a_batch_of_digits():
    model = build_network(PRESETS["cnn"])
    import numpy as np

    out = model.predict(np.zeros((3, 1, 28, 28), np.float32))
    assert out.shape == (3, 10)
    assert np.allclose(out.sum(axis=1), 1.0, atol=1e-5)


def test_an_activation_replaces_the_relu_of_the_layer_before():
    model = build_network(dataclasses.replace(LabSettings(), layers=("dense16", "tanh")))
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Flatten", "Dense", "Tanh", "Dense", "Softmax"]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("layers=dense64,conv8", "conv_after_dense"),
        ("layers=dense64,pool", "pool_after_dense"),
        ("layers=pool,pool,pool,pool,pool,pool", "pool_too_small"),
        ("layers=tanh", "activation_alone"),
        ("layers=pool,tanh", "activation_alone"),
        ("layers=conv8,blob", "layer"),
        ("layers=conv0", "layer_size"),
        ("layers=conv65", "layer_size"),
        ("layers=dropout0.95", "dropout"),
        ("layers=" + ",".join(["dense8"] * 13), "too_many_layers"),
        ("layers=dense1024,dense1024", "parameters"),
        ("layers=conv64,conv64,pool,pool,pool batch=512", "memory"),
        ("epochs=0", "range"),
        ("epochs=1e9", "range"),
        ("images=20000", "range"),
        ("lr=-1", "range"),
        ("lr=nan", "range"),
        ("validation=80%", "range"),
        ("augment=maybe", "augment"),
        ("preset=huge", "preset"),
        ("colour=red", "syntax"),
        ("epochs", "syntax"),
    ],
)
def test_bad_settings_are_refused_with_the_reason(text, key):
    assert error_of(text).key == key


def test_the_parameter_limit_is_the_hosts():
    small = dataclasses.replace(LIMITS, max_lab_parameters=10_000)
    with pytest.raises(LabError) as caught:
        parse_lab("preset=mlp", LabSettings(), small, AVAILABLE)
    assert caught.value.values == {"count": 50_890, "limit": 10_000}


def test_images_are_capped_by_the_data_and_by_the_host():
    assert error_of("images=10001").values["high"] == "10000"
    few = dataclasses.replace(LIMITS, max_lab_images=500)
    with pytest.raises(LabError):
        check(dataclasses.replace(LabSettings(), images=600), few, AVAILABLE)


def test_settings_survive_the_round_trip_through_the_store():
    s = parse("preset=reader augment=on")
    assert LabSettings.from_dict(s.to_dict()) == s


@pytest.mark.parametrize(("entry", "example"), [("dense", "dense 64"), ("conv", "conv 8")])
def test_a_known_layer_without_its_size_is_told_the_size_it_needs(entry, example):
    error = error_of(f"layers=conv8,{entry},pool")
    assert error.key == "layer_needs_size"
    assert error.values == {"entry": entry, "example": example}


def test_a_layer_the_lab_does_not_know_is_told_what_exists():
    assert error_of("layers=conv8,lstm").key == "layer"
