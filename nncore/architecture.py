"""Layers ↔ their description: what a model file or a `to_dict()` record says about a network.

    describe(layers, dtype, input_shape)  → {"format", "version", "dtype", "input_shape",
                                             "layers": [{"type": "Dense", "config": {…}}, …]}
    weight_arrays(layers)                 → {"layer0.W": W, "layer0.b": b, …}
    build_layers(architecture, weights)   → fresh layers holding those weights (checked)

`LAYER_TYPES` is the registry of layer classes a file may name; a type not in it is refused, so
a file can never make nncore build anything else. The bytes themselves are `nncore.io`; the
model (`Sequential.save`, `nncore.load`) joins the two.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nncore import activations, conv, layers
from nncore.io import FORMAT, VERSION, ModelFileError, array_name

LAYER_TYPES: dict[str, type[layers.Layer]] = {
    cls.kind: cls
    for cls in (
        layers.Dense,
        layers.Flatten,
        layers.Dropout,
        conv.Conv2D,
        conv.MaxPool2D,
        activations.Sigmoid,
        activations.Tanh,
        activations.ReLU,
        activations.LeakyReLU,
        activations.Softmax,
        activations.Linear,
    )
}


def describe(
    model_layers: list[layers.Layer], dtype: np.dtype, input_shape: tuple[int, ...] | None
) -> dict[str, Any]:
    """The architecture record (JSON-ready, weights aside) of layers in a row."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "dtype": dtype.name,
        "input_shape": None if input_shape is None else list(input_shape),
        "layers": [{"type": layer.kind, "config": layer.config()} for layer in model_layers],
    }


def weight_arrays(model_layers: list[layers.Layer]) -> dict[str, np.ndarray]:
    """Every weight array under its file name, layer by layer: {"layer0.W": …, "layer0.b": …}."""
    return {
        array_name(i, key): value
        for i, layer in enumerate(model_layers)
        for key, value in layer.params.items()
    }


def with_weight_lists(
    architecture: dict[str, Any], model_layers: list[layers.Layer]
) -> dict[str, Any]:
    """The record with each layer's weights added as nested lists (the `to_dict()` form)."""
    for entry, layer in zip(architecture["layers"], model_layers, strict=True):
        if layer.params:
            entry["params"] = {k: v.tolist() for k, v in layer.params.items()}
    return architecture


def weights_from_lists(record: dict[str, Any]) -> dict[str, np.ndarray]:
    """The weight arrays of a `to_dict()` record, by file name; ModelFileError when unreadable."""
    try:
        return {
            array_name(i, k): np.asarray(v, dtype=np.float64)
            for i, entry in enumerate(record["layers"])
            for k, v in (entry.get("params") or {}).items()
        }
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ModelFileError(f"the weights in this model record are unreadable: {error}") from None


def input_shape_of(architecture: dict[str, Any]) -> tuple[int, ...] | None:
    """The recorded per-sample input shape, or None when absent or not positive integers."""
    shape = architecture.get("input_shape")
    if isinstance(shape, list) and all(isinstance(n, int) and n > 0 for n in shape):
        return tuple(shape)
    return None


def build_layers(
    architecture: dict[str, Any], weights: dict[str, np.ndarray]
) -> list[layers.Layer]:
    """Fresh layers from a record whose header passed `io.check_header`, holding `weights`.

    Raises ModelFileError for an unknown layer type, bad arguments, a missing, misshapen or
    non-finite weight, or an array no layer asked for.
    """
    built: list[layers.Layer] = []
    expected: set[str] = set()
    for i, entry in enumerate(architecture["layers"]):
        layer = _layer_from_entry(i, entry)
        for key, placeholder in layer.params.items():
            expected.add(array_name(i, key))
            layer.params[key] = _checked_weight(i, layer.kind, key, placeholder, weights)
        built.append(layer)
    extra = set(weights) - expected
    if extra:
        raise ModelFileError(f"unexpected arrays in the file: {', '.join(sorted(extra))}")
    return built


def _layer_from_entry(i: int, entry: Any) -> layers.Layer:
    """Layer `i` built from its {"type", "config"} entry, with placeholder weights."""
    kind = entry.get("type") if isinstance(entry, dict) else None
    if kind not in LAYER_TYPES:
        raise ModelFileError(f"layer {i}: unknown layer type {kind!r}")
    config = entry.get("config", {})
    if not isinstance(config, dict):
        raise ModelFileError(f"layer {i} ({kind}): config is not a mapping")
    try:
        return LAYER_TYPES[kind].from_config(config)
    except (TypeError, ValueError, OverflowError, MemoryError) as error:
        raise ModelFileError(f"layer {i} ({kind}): bad arguments {config}: {error}") from None


def _checked_weight(
    i: int, kind: str, key: str, placeholder: np.ndarray, weights: dict[str, np.ndarray]
) -> np.ndarray:
    """The stored array for weight `key` of layer `i`: present, shaped like the placeholder the
    architecture built, finite floats."""
    where, name = f"layer {i} ({kind})", array_name(i, key)
    if name not in weights:
        raise ModelFileError(f"{where}: weight {key} is missing")
    array = weights[name]
    if array.shape != placeholder.shape:
        raise ModelFileError(
            f"{where}: weight {key} has shape {array.shape}, the architecture needs "
            f"{placeholder.shape}"
        )
    if array.dtype.kind != "f" or not np.all(np.isfinite(array)):
        raise ModelFileError(f"{where}: weight {key} is not finite floats")
    return array
