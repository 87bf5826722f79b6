"""The digits lab's language: a network as a short layer list, its training settings, presets.

    /lab layers=conv8,pool,conv16,pool,dense64 images=6000 epochs=3 lr=0.002 batch=64
         augment=on validation=10% seed=1

A layer list is read left to right on a 28×28 digit:
  `conv N`      N filters of 3×3 (padding 1, so the image keeps its size), then ReLU;
  `pool`        2×2 max-pooling: the image shrinks to half its width and height;
  `dense N`     N neurons, each seeing everything before it, then ReLU;
  `dropout P`   switch off a fraction P of the values while training (0.35 or 35%);
  `relu`, `tanh`, `sigmoid`, `leaky_relu`  replace the ReLU of the layer just before.
The output layer (10 neurons, one per digit, with softmax) is always added at the end, so an
empty list (`layers=none`) is the `softmax` preset: one neuron per digit.

Plain Python and nncore: `parse_lab` checks text against the host's limits and raises
`LabError` (its key names a message in bot/i18n/lab.py); `build_network` makes the
nncore model; `describe` gives the rows of the layer list shown in the chat.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, replace
from typing import Any

import nncore as nn
from bot.config import Limits

ACTIVATIONS = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "leaky_relu": nn.LeakyReLU,
}
MAX_LAYERS = 12  # entries of one layer list
MAX_FILTERS = 64  # of one conv layer
MAX_UNITS = 1024  # of one dense layer
MAX_BATCH = 512
MAX_LAB_EPOCHS = 200
LR_RANGE = (1e-5, 1.0)
MEMORY_BYTES = 250_000_000  # what one training step's arrays may take (an estimate, see below)


class LabError(ValueError):
    """Text the lab cannot use; `key` names the message `lab.error.<key>`."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(f"lab.error.{key}: {values}")
        self.key = key
        self.values = values

    @property
    def message_key(self) -> str:
        return f"lab.error.{self.key}"


@dataclass(frozen=True)
class LabSettings:
    """A lab network and how it is trained."""

    layers: tuple[str, ...] = ("conv8", "pool", "conv16", "pool", "dense64")
    images: int = 10_000
    epochs: int = 6
    lr: float = 0.002
    batch: int = 64
    augment: bool = False
    validation: float = 0.1
    seed: int = 1
    preset: str = "cnn"  # the preset these settings started from ("" once changed by hand)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["layers"] = list(self.layers)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> LabSettings:
        known = {k: v for k, v in (data or {}).items() if k in cls.__dataclass_fields__}
        if "layers" in known:
            known["layers"] = tuple(known["layers"])
        return cls(**known)

    @property
    def layer_text(self) -> str:
        return ",".join(self.layers) or "none"


PRESETS: dict[str, LabSettings] = {
    "softmax": LabSettings(layers=(), epochs=8, lr=0.005, preset="softmax"),
    "mlp": LabSettings(layers=("dense64",), epochs=15, lr=0.005, batch=32, preset="mlp"),
    "cnn": LabSettings(),
    "reader": LabSettings(
        layers=("conv32", "pool", "conv64", "pool", "dense128", "dropout0.35"),
        epochs=9,
        augment=True,  # on 9 000 digits the distorted copies are worth more than more epochs
        preset="reader",
    ),
    "overfit": LabSettings(
        layers=("dense256", "dense256"),
        images=300,
        epochs=60,
        lr=0.003,
        batch=16,
        validation=0.3,
        preset="overfit",
    ),
}

KEYS = ("preset", "layers", "images", "epochs", "lr", "batch", "augment", "validation", "seed")
KEY_ALIASES = {"batch_size": "batch", "learning_rate": "lr", "net": "layers", "val": "validation"}
ON_WORDS = {"on", "yes", "true", "1", "да", "вкл"}
OFF_WORDS = {"off", "no", "false", "0", "нет", "выкл"}


# --------------------------------------------------------------------------- settings text


def parse_lab(text: str, current: LabSettings, limits: Limits, available: int) -> LabSettings:
    """Apply `key=value` pairs to `current`; `available` is how many training images exist."""
    text = re.sub(r"\s*=\s*", "=", text.strip())
    text = re.sub(r"\s*,\s*", ",", text)  # "conv 8, pool" is one layer list
    text = re.sub(r"(?i)\b(conv|dense|dropout)\s+(?=[\d.,])", r"\1", text)
    result = current
    for token in text.split():
        key, _, raw = token.partition("=")
        key = KEY_ALIASES.get(key.lower(), key.lower())
        if not raw or key not in KEYS:
            raise LabError("syntax", token=token, keys=", ".join(KEYS))
        if key == "preset":
            name = raw.lower()
            if name not in PRESETS:
                raise LabError("preset", value=raw, allowed=", ".join(PRESETS))
            result = PRESETS[name]
            continue
        result = replace(result, **{key: _value(key, raw, limits, available)}, preset="")
    check(result, limits, available)
    return result


def _value(key: str, raw: str, limits: Limits, available: int) -> Any:
    if key == "layers":
        return tuple(read_layers(raw))
    if key == "augment":
        if raw.lower() in ON_WORDS | OFF_WORDS:
            return raw.lower() in ON_WORDS
        raise LabError("augment", value=raw)
    if key == "lr":
        return _bounded(key, raw, *LR_RANGE)
    if key == "validation":
        percent = raw.endswith("%")
        value = _bounded(key, raw.rstrip("%"), 0.0, 50.0 if percent else 0.5)
        return value / 100 if percent else value
    highest = {
        "images": min(available, limits.max_lab_images),
        "epochs": min(MAX_LAB_EPOCHS, limits.max_epochs),
        "batch": MAX_BATCH,
        "seed": 2**31 - 1,
    }[key]
    lowest = 0 if key == "seed" else 1
    return int(_bounded(key, raw.replace("_", ""), lowest, highest, whole=True))


def _bounded(key: str, raw: str, low: float, high: float, whole: bool = False) -> float:
    """A number within [low, high], else LabError("range") naming both ends."""
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        value = math.nan
    if whole and not raw.isdecimal():
        value = math.nan
    if not (math.isfinite(value) and low <= value <= high):
        raise LabError("range", name=key, value=raw, low=f"{low:g}", high=f"{high:g}")
    return value


# --------------------------------------------------------------------------- the layer list


def read_layers(raw: str) -> list[str]:
    """The layer list in its tidy spelling ("conv 8" → "conv8"); LabError for a bad entry."""
    if raw.strip().lower() in {"none", "-", ""}:
        return []
    entries = [entry.strip().lower().replace(" ", "") for entry in raw.split(",")]
    if len(entries) > MAX_LAYERS:
        raise LabError("too_many_layers", count=len(entries), limit=MAX_LAYERS)
    tidy = []
    for entry in entries:
        kind, size = _entry(entry)
        tidy.append(kind if size is None else f"{kind}{size}")
    return tidy


SIZED_EXAMPLES = {"conv": "conv 8", "dense": "dense 64", "dropout": "dropout 0.3"}


def _entry(entry: str) -> tuple[str, str | None]:
    """One entry as (kind, size text or None); LabError when it is no layer we know."""
    entry = entry.replace("-", "_").replace("leakyrelu", "leaky_relu")
    if entry in ACTIVATIONS or entry == "pool":
        return entry, None
    found = re.fullmatch(r"(conv|dense)(\d{1,5})", entry)
    if found:
        return found[1], found[2]
    found = re.fullmatch(r"dropout(0?[.,]\d+|\d{1,2}%)", entry)
    if found:
        size = found[1].replace(",", ".")
        return "dropout", f"{float(size.rstrip('%')) / 100:g}" if size.endswith("%") else size
    if entry in SIZED_EXAMPLES:  # a known layer without its size
        raise LabError("layer_needs_size", entry=entry, example=SIZED_EXAMPLES[entry])
    raise LabError("layer", entry=entry or "∅")


def build_network(settings: LabSettings, seed: int | None = None) -> nn.Sequential:
    """The nncore model of a layer list, for (n, 1, 28, 28) inputs; LabError if it cannot be."""
    seed = settings.seed if seed is None else seed
    layers: list[nn.Layer] = []
    shape: tuple[int, ...] = (1, 28, 28)
    for i, entry in enumerate(settings.layers):
        added = _layers_of(entry, i, shape, layers, seed * 100 + i)
        for layer in added:
            shape = layer.output_shape(shape)
        layers += added
    if len(shape) == 3:
        layers.append(nn.Flatten())
        shape = (math.prod(shape),)
    layers += [nn.Dense(shape[0], 10, rng=seed * 100 + 99), nn.Softmax()]
    return nn.Sequential(layers)


def _layers_of(
    entry: str, i: int, shape: tuple[int, ...], before: list[nn.Layer], rng: int
) -> list[nn.Layer]:
    """The nncore layers of entry `i` on an input of `shape` (an activation replaces the ReLU
    at the end of `before`, in place)."""
    kind, size = _entry(entry)
    if kind in {"conv", "pool"} and len(shape) != 3:
        raise LabError(f"{kind}_after_dense", position=i + 1)
    if kind == "conv":
        return [
            nn.Conv2D(shape[0], _size(entry, size, MAX_FILTERS), 3, padding=1, rng=rng),
            nn.ReLU(),
        ]
    if kind == "pool":
        if shape[1] < 2:
            raise LabError("pool_too_small", position=i + 1)
        return [nn.MaxPool2D(2)]
    if kind == "dense":
        flat = [nn.Flatten()] if len(shape) == 3 else []
        width = _size(entry, size, MAX_UNITS)
        return [*flat, nn.Dense(math.prod(shape), width, init="he", rng=rng), nn.ReLU()]
    if kind == "dropout":
        return [nn.Dropout(_dropout(entry, size), rng=rng)]
    follows_layer = len(before) > 1 and isinstance(before[-2], nn.Conv2D | nn.Dense)
    if not follows_layer or not isinstance(before[-1], nn.Activation):
        raise LabError("activation_alone", entry=entry)
    before[-1] = ACTIVATIONS[kind]()
    return []


def _size(entry: str, size: str | None, highest: int) -> int:
    value = int(size or 0)
    if not 1 <= value <= highest:
        raise LabError("layer_size", entry=entry, limit=highest)
    return value


def _dropout(entry: str, size: str | None) -> float:
    value = float(size or 0)
    if not 0 < value < 0.9:
        raise LabError("dropout", entry=entry)
    return value


def input_shape() -> tuple[int, int, int]:
    return (1, 28, 28)


def step_memory(model: nn.Sequential, batch: int) -> int:
    """Bytes the biggest arrays of one training step take, roughly: every layer's output kept for
    backward, plus each convolution's copied windows (9 per input value), in float32."""
    values, shape = 0, input_shape()
    for layer in model.layers:
        if isinstance(layer, nn.Conv2D):
            values += 9 * math.prod(shape)
        shape = layer.output_shape(shape)
        values += math.prod(shape)
    return 4 * batch * values * 2  # ×2: the gradients flowing back have the same sizes


def check(settings: LabSettings, limits: Limits, available: int) -> nn.Sequential:
    """The network these settings build, refused when it exceeds what the host allows."""
    model = build_network(settings)
    parameters = model.param_count()
    if parameters > limits.max_lab_parameters:
        raise LabError("parameters", count=parameters, limit=limits.max_lab_parameters)
    if step_memory(model, settings.batch) > MEMORY_BYTES:
        raise LabError("memory", batch=settings.batch)
    highest = min(available, limits.max_lab_images)
    if settings.images > highest:
        raise LabError("range", name="images", value=settings.images, low="1", high=f"{highest}")
    return model


def describe(model: nn.Sequential) -> list[tuple[str, str, int]]:
    """The rows of the layer list shown in the chat: (what, output shape, parameters)."""
    rows, shape = [], input_shape()
    for layer in model.layers:
        shape = layer.output_shape(shape)
        shown = "×".join(str(s) for s in shape)
        if isinstance(layer, nn.Conv2D):
            rows.append((f"conv {layer.c_out} × 3×3", shown, layer.param_count()))
        elif isinstance(layer, nn.MaxPool2D):
            rows.append(("pool 2×2", shown, 0))
        elif isinstance(layer, nn.Dense):
            rows.append((f"dense {layer.params['W'].shape[1]}", shown, layer.param_count()))
        elif isinstance(layer, nn.Dropout):
            rows.append((f"dropout {layer.p:g}", shown, 0))
        elif isinstance(layer, nn.Activation):
            rows.append((type(layer).__name__.lower().replace("leakyrelu", "leaky_relu"), "", 0))
    return rows


def has_convolutions(model: nn.Sequential) -> bool:
    return any(isinstance(layer, nn.Conv2D) for layer in model.layers)
