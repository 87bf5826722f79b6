"""Model files: one .npz holding the weights plus a JSON record of the architecture.

    architecture   JSON text (as bytes): {"format": "nncore.Sequential", "version": 1,
                   "dtype": "float32", "input_shape": [...] | null,
                   "layers": [{"type": "Dense", "config": {"n_in": 2, ...}}, ...]}
    layer<i>.<key> one array per weight, e.g. layer0.W, layer0.b

Loading never unpickles (`allow_pickle=False`) and checks everything it reads — known layer
types, sensible arguments, every weight present with the right shape, finite floats, nothing
extra — so a malformed, truncated or mismatched file raises `ModelFileError` with a clear reason.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
import zlib
from typing import Any, BinaryIO

import numpy as np

from nncore import activations, conv, layers
from nncore.model import Sequential

FORMAT, VERSION = "nncore.Sequential", 1

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


class ModelFileError(ValueError):
    """The bytes are not a model this version of nncore can load (the message says why)."""


def _architecture(model: Sequential) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "dtype": model.dtype.name,
        "input_shape": None if model.input_shape is None else list(model.input_shape),
        "layers": [{"type": layer.kind, "config": layer.config()} for layer in model.layers],
    }


def model_to_dict(model: Sequential) -> dict[str, Any]:
    d = _architecture(model)
    for entry, layer in zip(d["layers"], model.layers, strict=True):
        if layer.params:
            entry["params"] = {k: v.tolist() for k, v in layer.params.items()}
    return d


def model_from_dict(d: dict[str, Any]) -> Sequential:
    """Rebuild a model from `to_dict()` output; raises ModelFileError when it does not fit."""
    try:
        weights = {
            f"layer{i}.{k}": np.asarray(v, dtype=np.float64)
            for i, entry in enumerate(d["layers"])
            for k, v in (entry.get("params") or {}).items()
        }
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ModelFileError(f"the weights in this model record are unreadable: {error}") from None
    return _build(d, weights)


def _build(arch: Any, weights: dict[str, np.ndarray]) -> Sequential:
    if not isinstance(arch, dict) or arch.get("format") != FORMAT:
        raise ModelFileError("this is not an nncore model (format marker missing)")
    if arch.get("version") != VERSION:
        raise ModelFileError(f"unsupported model file version {arch.get('version')!r}")
    if arch.get("dtype") not in ("float32", "float64"):
        raise ModelFileError(f"unsupported dtype {arch.get('dtype')!r}")
    entries = arch.get("layers")
    if not isinstance(entries, list) or not entries:
        raise ModelFileError("the model has no layer list")
    built: list[layers.Layer] = []
    expected: set[str] = set()
    for i, entry in enumerate(entries):
        kind = entry.get("type") if isinstance(entry, dict) else None
        if kind not in LAYER_TYPES:
            raise ModelFileError(f"layer {i}: unknown layer type {kind!r}")
        config = entry.get("config", {})
        if not isinstance(config, dict):
            raise ModelFileError(f"layer {i} ({kind}): config is not a mapping")
        try:
            layer = LAYER_TYPES[kind].from_config(config)
        except (TypeError, ValueError, OverflowError, MemoryError) as error:
            raise ModelFileError(f"layer {i} ({kind}): bad arguments {config}: {error}") from None
        for key, value in layer.params.items():
            name = f"layer{i}.{key}"
            expected.add(name)
            if name not in weights:
                raise ModelFileError(f"layer {i} ({kind}): weight {key} is missing")
            array = weights[name]
            if array.shape != value.shape:
                raise ModelFileError(
                    f"layer {i} ({kind}): weight {key} has shape {array.shape}, "
                    f"the architecture needs {value.shape}"
                )
            if array.dtype.kind != "f" or not np.all(np.isfinite(array)):
                raise ModelFileError(f"layer {i} ({kind}): weight {key} is not finite floats")
            layer.params[key] = array
        built.append(layer)
    extra = set(weights) - expected
    if extra:
        raise ModelFileError(f"unexpected arrays in the file: {', '.join(sorted(extra))}")
    model = Sequential(built, dtype=arch["dtype"])
    shape = arch.get("input_shape")
    if isinstance(shape, list) and all(isinstance(n, int) and n > 0 for n in shape):
        model.input_shape = tuple(shape)
    return model


def save(model: Sequential, file: str | os.PathLike | BinaryIO) -> None:
    """Write the model as .npz to a path or a writable binary file object."""
    arrays = {
        f"layer{i}.{k}": v for i, layer in enumerate(model.layers) for k, v in layer.params.items()
    }
    record = json.dumps(_architecture(model)).encode()
    arrays["architecture"] = np.frombuffer(record, dtype=np.uint8)
    if isinstance(file, str | os.PathLike):
        with open(file, "wb") as handle:
            np.savez_compressed(handle, **arrays)
    else:
        np.savez_compressed(file, **arrays)


def to_bytes(model: Sequential) -> bytes:
    buffer = io.BytesIO()
    save(model, buffer)
    return buffer.getvalue()


def load(file: str | os.PathLike | BinaryIO | bytes) -> Sequential:
    """Read a model saved by `save`/`to_bytes` from a path, a binary file or bytes."""
    if isinstance(file, bytes | bytearray | memoryview):
        file = io.BytesIO(bytes(file))
    try:
        archive = np.load(file, allow_pickle=False)
        if not isinstance(archive, np.lib.npyio.NpzFile):
            raise ModelFileError("not an .npz model file")
        with archive:
            names = set(archive.files)
            if "architecture" not in names:
                raise ModelFileError("not an nncore model file (no architecture record)")
            record = archive["architecture"]
            if record.dtype != np.uint8 or record.ndim != 1:
                raise ModelFileError("the architecture record is malformed")
            arch = json.loads(record.tobytes().decode("utf-8"))
            weights = {name: archive[name] for name in names - {"architecture"}}
    except (ModelFileError, FileNotFoundError):
        raise
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile, zlib.error) as error:
        raise ModelFileError(f"not a readable model file: {error}") from None
    return _build(arch, weights)


def from_bytes(data: bytes) -> Sequential:
    return load(data)
