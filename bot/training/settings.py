"""What the learner chose for training: `TrainSettings`, read from `/settings` text or buttons.

Defaults depend on the table's task; `parse_settings` reads `/settings lr=0.5 hidden=4`, and
`changed_by_button` is one press of a settings button. The stored dict remembers which keys
the learner set (`custom`), so a new table of another task gets that task's defaults for
everything else (`settings_for`). `check_settings` refuses, before a job is queued, what
cannot train a given table within the host's limits. Plain Python: no Telegram, no nncore.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from itertools import pairwise
from typing import Any

from bot.config import Limits
from bot.tables.table import Table

TASKS = ("regression", "binary", "multiclass")
ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu")
LOSSES = ("auto", "mse", "bce", "ce")
OPTIMIZERS = ("sgd", "momentum", "adam")
INITS = ("auto", "article", "textbook", "normal", "legacy", "he", "glorot", "lecun", "uniform")
# Starts with every hidden neuron alike: they get the same gradients and stay twins.
SYMMETRIC_INITS = ("textbook",)
SCALES = ("auto", "none", "standard")
PRESETS = ("article", "default")

LR_RANGE = (1e-6, 10.0)
VALIDATION_RANGE = (0.0, 0.5)
SEED_RANGE = (0, 2**31 - 1)
BATCH_RANGE = (0, 100_000)  # 0 = the whole table in one batch
L2_RANGE = (0.0, 1.0)  # weight decay λ: 0 = off
DROPOUT_RANGE = (0.0, 0.9)  # the share of hidden neurons switched off in a training step
RAW_LIMIT = 10.0  # scale=auto standardises inputs with values beyond ±RAW_LIMIT


class SettingsError(ValueError):
    """A setting the learner typed cannot be used; the message is `settings.error.<key>`."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(f"settings.error.{key}: {values}")
        self.key = key
        self.values = values

    @property
    def message_key(self) -> str:
        return f"settings.error.{self.key}"


@dataclass(frozen=True)
class TrainSettings:
    """Everything that decides how a network is built and trained."""

    hidden: tuple[int, ...] = (4,)
    activation: str = "tanh"
    loss: str = "auto"
    optimizer: str = "adam"
    lr: float = 0.05
    epochs: int = 1000
    batch_size: int = 32
    validation: float = 0.0
    seed: int | None = 1
    init: str = "auto"
    scale: str = "auto"
    bias: bool = True
    patience: int = 0  # early stopping after this many epochs without a better validation loss
    l2: float = 0.0
    dropout: float = 0.0
    custom: frozenset[str] = field(default_factory=frozenset)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["hidden"] = list(self.hidden)
        data["custom"] = sorted(self.custom)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TrainSettings:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        if "hidden" in known:
            known["hidden"] = tuple(int(h) for h in known["hidden"])
        known["custom"] = frozenset(known.get("custom", known.keys() - {"custom"}))
        return cls(**known)

    def describe_hidden(self) -> str:
        return ",".join(str(h) for h in self.hidden) if self.hidden else "none"


SETTING_NAMES = tuple(n for n in TrainSettings.__dataclass_fields__ if n != "custom")

TASK_DEFAULTS: dict[str, dict[str, Any]] = {
    "regression": {"hidden": (8,), "lr": 0.01, "epochs": 2000},
    "binary": {"hidden": (4,), "lr": 0.05, "epochs": 1000},
    "multiclass": {"hidden": (16,), "lr": 0.02, "epochs": 1000},
}

# The classic article's recipe (Victor Zhou, "Machine Learning for Beginners: An Introduction
# to Neural Networks"): a 2-2-1 sigmoid network, MSE, plain SGD, one row per step in table
# order. init="article": /explain works the article's step from all weights 1 and biases 0,
# training starts like the article's code, every weight and bias drawn from N(0, 1).
ARTICLE_PRESET: dict[str, Any] = {
    "hidden": (2,),
    "activation": "sigmoid",
    "loss": "mse",
    "optimizer": "sgd",
    "lr": 0.1,
    "epochs": 1000,
    "batch_size": 1,
    "validation": 0.0,
    "seed": 1,
    "init": "article",
    "scale": "none",
    "bias": True,
    "patience": 0,
    "l2": 0.0,
    "dropout": 0.0,
}


def default_settings(task: str | None) -> TrainSettings:
    """Settings that train the task's small teaching tables reliably."""
    return replace(TrainSettings(), **TASK_DEFAULTS.get(task or "binary", {}))


def settings_for(table: Table | None, stored: Mapping[str, Any] | None) -> TrainSettings:
    """The task's defaults with the learner's own choices (the keys in `custom`) on top."""
    base = default_settings(table.task if table else None)
    if not stored:
        return base
    chosen = TrainSettings.from_dict(stored)
    values = {name: getattr(chosen, name) for name in chosen.custom if name in SETTING_NAMES}
    return replace(base, **values, custom=frozenset(values))


# --- parsing `/settings key=value …` --------------------------------------------------------

KEY_ALIASES: dict[str, str] = {
    "hidden": "hidden", "layers": "hidden", "h": "hidden", "слои": "hidden", "скрытые": "hidden",
    "activation": "activation", "act": "activation", "активация": "activation",
    "loss": "loss", "потери": "loss", "ошибка": "loss",
    "optimizer": "optimizer", "opt": "optimizer", "оптимизатор": "optimizer",
    "lr": "lr", "rate": "lr", "learning_rate": "lr", "скорость": "lr",
    "epochs": "epochs", "epoch": "epochs", "эпохи": "epochs", "эпох": "epochs",
    "batch": "batch_size", "batch_size": "batch_size", "bs": "batch_size", "пакет": "batch_size",
    "validation": "validation", "val": "validation", "valid": "validation",
    "validation_split": "validation", "валидация": "validation",
    "seed": "seed", "сид": "seed", "зерно": "seed",
    "init": "init", "start": "init", "старт": "init", "инициализация": "init",
    "scale": "scale", "scaling": "scale", "масштаб": "scale",
    "preset": "preset", "пресет": "preset",
    "bias": "bias", "biases": "bias", "смещение": "bias", "смещения": "bias",
    "patience": "patience", "early": "patience", "терпение": "patience",
    "l2": "l2", "weight_decay": "l2", "decay": "l2", "wd": "l2",
    "dropout": "dropout", "дропаут": "dropout",
}  # fmt: skip

VALUE_ALIASES: dict[str, dict[str, str]] = {
    "activation": {
        "sigmoid": "sigmoid", "сигмоида": "sigmoid", "logistic": "sigmoid",
        "tanh": "tanh", "relu": "relu", "leaky": "leaky_relu", "leaky_relu": "leaky_relu",
        "leakyrelu": "leaky_relu",
    },
    "loss": {
        "auto": "auto", "mse": "mse", "bce": "bce", "ce": "ce", "crossentropy": "ce",
        "cross_entropy": "ce", "binary_crossentropy": "bce", "logloss": "bce",
    },
    "optimizer": {"sgd": "sgd", "momentum": "momentum", "adam": "adam"},
    "init": {
        "auto": "auto", "textbook": "textbook", "ones": "textbook", "article": "article",
        "статья": "article", "учебник": "textbook", "normal": "normal", "gauss": "normal",
        "legacy": "legacy", "seed1": "legacy", "he": "he", "glorot": "glorot", "xavier": "glorot",
        "lecun": "lecun", "uniform": "uniform",
    },
    "scale": {
        "auto": "auto", "none": "none", "raw": "none", "off": "none", "no": "none",
        "нет": "none", "standard": "standard", "std": "standard", "on": "standard",
    },
    "preset": {"article": "article", "статья": "article", "default": "default",
               "defaults": "default", "reset": "default"},
}  # fmt: skip

# The order every list of choices is shown in (the buttons cycle in it too).
CHOICES = {
    "activation": ACTIVATIONS,
    "loss": LOSSES,
    "optimizer": OPTIMIZERS,
    "init": INITS,
    "scale": SCALES,
    "preset": PRESETS,
}

NONE_WORDS = {"none", "no", "0", "-", "нет", "off"}
ALL_WORDS = {"all", "full", "0", "все", "всё"}
RANDOM_WORDS = {"random", "none", "случайно", "случайный"}
ON_WORDS = {"on", "yes", "true", "1", "да", "вкл"}
OFF_WORDS = {"off", "no", "false", "0", "none", "нет", "выкл"}


def parse_settings(text: str, current: TrainSettings, limits: Limits) -> TrainSettings:
    """Apply `key=value` pairs (e.g. "lr=0.5 hidden=4 epochs=2000") to `current`.

    Raises SettingsError for an unknown key, a bad value (the message gives the allowed
    range) or a value over one of the host's limits (the message states the limit).
    """
    text = re.sub(r"\s*([=:])\s*", r"\1", text.strip())
    text = re.sub(r"(\d)\s*,\s*(?=\d)", r"\1,", text)
    result = current
    for token in text.replace(";", " ").split():
        if "=" not in token and ":" not in token:
            if token.lower() in VALUE_ALIASES["preset"]:
                result = _apply_preset(result, VALUE_ALIASES["preset"][token.lower()])
                continue
            raise SettingsError("syntax", token=token)
        raw_key, raw_value = re.split(r"[=:]", token, maxsplit=1)
        key = KEY_ALIASES.get(raw_key.lower().replace("-", "_"))
        if key is None:
            raise SettingsError("unknown_key", name=raw_key, keys=", ".join(SETTING_NAMES))
        if key == "preset":
            result = _apply_preset(result, _choice("preset", raw_value))
            continue
        value = _parse_value(key, raw_value, limits)
        result = replace(result, **{key: value}, custom=result.custom | {key})
    return result


def _apply_preset(settings: TrainSettings, preset: str) -> TrainSettings:
    if preset == "default":
        return TrainSettings(custom=frozenset())
    return replace(settings, **ARTICLE_PRESET, custom=settings.custom | set(ARTICLE_PRESET))


def _choice(key: str, raw: str) -> str:
    value = VALUE_ALIASES[key].get(raw.lower().replace("-", "_"))
    if value is None:
        allowed = list(dict.fromkeys(CHOICES.get(key, VALUE_ALIASES[key].values())))
        raise SettingsError("choice", name=key, value=raw, allowed=", ".join(allowed))
    return value


def _parse_value(key: str, raw: str, limits: Limits) -> Any:
    lowered = raw.lower()
    if key in VALUE_ALIASES:
        return _choice(key, raw)
    if key == "hidden":
        return _parse_hidden(lowered, limits)
    if key == "lr":
        return _number(key, raw, *LR_RANGE)
    if key == "epochs":
        epochs = _whole(key, raw, 1, 10**9)
        if epochs > limits.max_epochs:
            raise SettingsError("limit_epochs", value=epochs, limit=limits.max_epochs)
        return epochs
    if key == "batch_size":
        return 0 if lowered in ALL_WORDS else _whole(key, raw, 1, BATCH_RANGE[1])
    if key == "validation":
        value = _number(key, raw.rstrip("%"), 0.0, 50.0 if raw.endswith("%") else 0.5)
        return value / 100 if raw.endswith("%") else value
    if key == "seed":
        return None if lowered in RANDOM_WORDS else _whole(key, raw, *SEED_RANGE)
    if key == "patience":
        return 0 if lowered in OFF_WORDS else _whole(key, raw, 1, limits.max_epochs)
    if key == "l2":
        return 0.0 if lowered in OFF_WORDS else _number(key, raw, *L2_RANGE)
    if key == "dropout":
        return 0.0 if lowered in OFF_WORDS else _number(key, raw, *DROPOUT_RANGE)
    if key == "bias":
        if lowered in ON_WORDS | OFF_WORDS:
            return lowered in ON_WORDS
        raise SettingsError("choice", name=key, value=raw, allowed="on, off")
    raise AssertionError(f"no parser for {key}")


def _parse_hidden(raw: str, limits: Limits) -> tuple[int, ...]:
    if raw in NONE_WORDS:
        return ()
    parts = re.split(r"[,x×/]", raw)
    if not parts or not all(re.fullmatch(r"\d{1,6}", p) for p in parts):
        raise SettingsError("hidden", value=raw, limit=limits.max_layer_units)
    sizes = tuple(int(p) for p in parts)
    if len(sizes) > limits.max_hidden_layers:
        raise SettingsError("limit_layers", value=len(sizes), limit=limits.max_hidden_layers)
    if any(s < 1 for s in sizes):
        raise SettingsError("hidden", value=raw, limit=limits.max_layer_units)
    if max(sizes) > limits.max_layer_units:
        raise SettingsError("limit_units", value=max(sizes), limit=limits.max_layer_units)
    return sizes


def _limit(value: float) -> str:
    """A bound as a learner writes it: 1000000000 and 0.000001, not 1e+09 and 1e-06."""
    if value == int(value):
        return str(int(value))
    return f"{Decimal(repr(value)):f}"  # repr: the shortest digits of the float, no exponent


def _number(key: str, raw: str, low: float, high: float) -> float:
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and low <= value <= high):
        raise SettingsError("range", name=key, value=raw, low=_limit(low), high=_limit(high))
    return value


def _whole(key: str, raw: str, low: int, high: int) -> int:
    cleaned = raw.replace("_", "")
    if not re.fullmatch(r"\d{1,12}", cleaned) or not low <= int(cleaned) <= high:
        raise SettingsError("range", name=key, value=raw, low=_limit(low), high=_limit(high))
    return int(cleaned)


# --- the network's shape and what the host allows -------------------------------------------


def output_size(table: Table) -> int:
    """One output per class of a multi-class table, else one per target column."""
    if table.task == "multiclass":
        return len(table.classes or ())
    return len(table.targets)


def layer_sizes(table: Table, settings: TrainSettings) -> list[int]:
    return [len(table.inputs), *settings.hidden, output_size(table)]


def parameter_count(table: Table, settings: TrainSettings) -> int:
    sizes = layer_sizes(table, settings)
    return sum((a + int(settings.bias)) * b for a, b in pairwise(sizes))


def symmetric_start(settings: TrainSettings) -> bool:
    """True when training starts with identical hidden neurons (they would stay twins)."""
    return bool(settings.hidden) and settings.init in SYMMETRIC_INITS


def resolved_loss(table: Table, settings: TrainSettings) -> str:
    """The loss's name: the learner's choice, or the one that fits the task ("auto")."""
    if settings.loss != "auto":
        return settings.loss
    return {"regression": "mse", "binary": "bce", "multiclass": "ce"}[table.task]


def check_settings(table: Table, settings: TrainSettings, limits: Limits) -> None:
    """Refuse combinations that cannot train this table (before a job is queued)."""
    count = parameter_count(table, settings)
    if count > limits.max_parameters:
        raise SettingsError("limit_parameters", value=count, limit=limits.max_parameters)
    if settings.epochs > limits.max_epochs:
        raise SettingsError("limit_epochs", value=settings.epochs, limit=limits.max_epochs)
    if len(settings.hidden) > limits.max_hidden_layers:
        raise SettingsError(
            "limit_layers", value=len(settings.hidden), limit=limits.max_hidden_layers
        )
    loss = resolved_loss(table, settings)
    if table.task == "multiclass" and loss != "ce":
        raise SettingsError("loss_task", loss=loss, task=table.task, allowed="ce")
    if table.task != "multiclass" and loss == "ce":
        raise SettingsError("loss_task", loss=loss, task=table.task, allowed="mse, bce")
    if table.task == "regression" and loss == "bce":
        raise SettingsError("loss_task", loss=loss, task=table.task, allowed="mse")


# --- the settings buttons -----------------------------------------------------------------------

HIDDEN_CHOICES = ((), (2,), (4,), (8,), (16,), (8, 4), (32, 16))
CYCLED = {
    "activation": ACTIVATIONS,
    "optimizer": OPTIMIZERS,
    "init": INITS,
    "patience": (0, 20, 50, 100, 200),
    "l2": (0.0, 0.0001, 0.001, 0.01, 0.1),
    "dropout": (0.0, 0.1, 0.2, 0.3, 0.5),
}
HALF, DOUBLE, NEXT = "half", "double", "next"  # what a button does to its setting


def changed_by_button(settings: TrainSettings, key: str, op: str, limits: Limits) -> TrainSettings:
    """The settings after one press of a settings button (values stay within the limits).

    Raises SettingsError for an unknown preset, KeyError for a key or an operation no button
    has (data the bot did not make).
    """
    if key == "preset":
        return _apply_preset(settings, _choice("preset", op))
    if op not in ((HALF, DOUBLE) if key in ("lr", "epochs") else (NEXT,)):
        raise KeyError(f"no settings button does {op!r} to {key!r}")
    if key == "lr":
        return _chosen(settings, lr=scaled_lr(settings.lr, op))
    if key == "epochs":
        return _chosen(settings, epochs=scaled_epochs(settings.epochs, op, limits))
    if key == "hidden":
        return _chosen(settings, hidden=next_hidden(settings.hidden, limits))
    options = CYCLED[key]
    current = getattr(settings, key)
    value = options[(options.index(current) + 1) % len(options) if current in options else 0]
    return _chosen(settings, **{key: value})


def _chosen(settings: TrainSettings, **values: Any) -> TrainSettings:
    """`settings` with `values` set and remembered as the learner's own choices."""
    return replace(settings, **values, custom=settings.custom | set(values))


def scaled_lr(lr: float, op: str) -> float:
    """The learning rate halved or doubled, kept within LR_RANGE."""
    low, high = LR_RANGE
    return min(high, max(low, lr * (0.5 if op == HALF else 2.0)))


def scaled_epochs(epochs: int, op: str, limits: Limits) -> int:
    """The epochs halved or doubled: at least 1, at most the host's limit."""
    value = epochs // 2 if op == HALF else epochs * 2
    return min(limits.max_epochs, max(1, value))


def next_hidden(hidden: tuple[int, ...], limits: Limits) -> tuple[int, ...]:
    """The next hidden-layer shape of HIDDEN_CHOICES that the host allows (cycling round)."""
    choices = [
        h
        for h in HIDDEN_CHOICES
        if len(h) <= limits.max_hidden_layers and max(h, default=0) <= limits.max_layer_units
    ]
    current = choices.index(hidden) if hidden in choices else -1
    return choices[(current + 1) % len(choices)]
