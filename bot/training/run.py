"""Training a chat's network: its settings, the table as numbers, and the training job itself.

Three parts, used in this order:

1. `TrainSettings` — what the learner chose (network shape, activation, loss, optimizer, …).
   Defaults depend on the table's task; `parse_settings` reads `/settings lr=0.5 hidden=4`.
   The stored dict remembers which keys the learner set (`custom`), so a new table of another
   task gets that task's defaults for everything else (`settings_for`).
2. Encoding — a table dict (from `bot.tables.table`) becomes arrays the network sees, and the
   network's outputs become readable predictions. Inputs are standardised only when `scale`
   asks for it, so the article's examples train on the article's raw numbers. The statistics used
   for a trained network are saved with it (`settings["encoding"]`), so /predict, /explain and
   /boundary encode exactly as training did.
3. `run_training` — builds the network and runs `nncore.Sequential.fit` with a callback that
   reports progress and listens for "stop". It runs inside a worker process (`bot.jobs`), never
   in the event loop.

No Telegram here: everything is plain Python, testable on its own.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from itertools import pairwise
from typing import Any

import numpy as np

import nncore as nn

TASKS = ("regression", "binary", "multiclass")
ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu")
LOSSES = ("auto", "mse", "bce", "ce")
OPTIMIZERS = ("sgd", "momentum", "adam")
INITS = ("auto", "textbook", "he", "glorot", "lecun", "uniform")
SCALES = ("auto", "none", "standard")
PRESETS = ("article", "default")

LR_RANGE = (1e-6, 10.0)
VALIDATION_RANGE = (0.0, 0.5)
SEED_RANGE = (0, 2**31 - 1)
BATCH_RANGE = (0, 100_000)  # 0 = the whole table in one batch
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

# The classic article's recipe: a 2-2-1 sigmoid network, MSE, plain SGD, one row per step,
# starting from all weights 1 and biases 0 so /explain shows the article's numbers.
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
    "init": "textbook",
    "scale": "none",
}


def default_settings(task: str | None) -> TrainSettings:
    """Settings that train the task's small teaching tables reliably."""
    return replace(TrainSettings(), **TASK_DEFAULTS.get(task or "binary", {}))


def settings_for(
    table: Mapping[str, Any] | None, stored: Mapping[str, Any] | None
) -> TrainSettings:
    """The task's defaults with the learner's own choices (the keys in `custom`) on top."""
    base = default_settings(table.get("task") if table else None)
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
        "auto": "auto", "textbook": "textbook", "ones": "textbook", "article": "textbook",
        "учебник": "textbook", "he": "he", "glorot": "glorot", "xavier": "glorot",
        "lecun": "lecun", "uniform": "uniform",
    },
    "scale": {
        "auto": "auto", "none": "none", "raw": "none", "off": "none", "no": "none",
        "нет": "none", "standard": "standard", "std": "standard", "on": "standard",
    },
    "preset": {"article": "article", "статья": "article", "default": "default",
               "defaults": "default", "reset": "default"},
}  # fmt: skip

NONE_WORDS = {"none", "no", "0", "-", "нет", "off"}
ALL_WORDS = {"all", "full", "0", "все", "всё"}
RANDOM_WORDS = {"random", "none", "случайно", "случайный"}


def parse_settings(text: str, current: TrainSettings, limits: Any) -> TrainSettings:
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
        allowed = sorted(set(VALUE_ALIASES[key].values()))
        raise SettingsError("choice", name=key, value=raw, allowed=", ".join(allowed))
    return value


def _parse_value(key: str, raw: str, limits: Any) -> Any:
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
    raise AssertionError(f"no parser for {key}")


def _parse_hidden(raw: str, limits: Any) -> tuple[int, ...]:
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


def _number(key: str, raw: str, low: float, high: float) -> float:
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and low <= value <= high):
        raise SettingsError("range", name=key, value=raw, low=f"{low:g}", high=f"{high:g}")
    return value


def _whole(key: str, raw: str, low: int, high: int) -> int:
    cleaned = raw.replace("_", "")
    if not re.fullmatch(r"\d{1,12}", cleaned) or not low <= int(cleaned) <= high:
        raise SettingsError("range", name=key, value=raw, low=f"{low:g}", high=f"{high:g}")
    return int(cleaned)


# --- the network ------------------------------------------------------------------------------


def output_size(table: Mapping[str, Any]) -> int:
    if table["task"] == "multiclass":
        return len(table["classes"])
    return len(table["targets"])


def layer_sizes(table: Mapping[str, Any], settings: TrainSettings) -> list[int]:
    return [len(table["inputs"]), *settings.hidden, output_size(table)]


def parameter_count(table: Mapping[str, Any], settings: TrainSettings) -> int:
    sizes = layer_sizes(table, settings)
    return sum((a + 1) * b for a, b in pairwise(sizes))


def check_settings(table: Mapping[str, Any], settings: TrainSettings, limits: Any) -> None:
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
    if table["task"] == "multiclass" and loss != "ce":
        raise SettingsError("loss_task", loss=loss, task=table["task"], allowed="ce")
    if table["task"] != "multiclass" and loss == "ce":
        raise SettingsError("loss_task", loss=loss, task=table["task"], allowed="mse, bce")
    if table["task"] == "regression" and loss == "bce":
        raise SettingsError("loss_task", loss=loss, task=table["task"], allowed="mse")


def resolved_loss(table: Mapping[str, Any], settings: TrainSettings) -> str:
    if settings.loss != "auto":
        return settings.loss
    return {"regression": "mse", "binary": "bce", "multiclass": "ce"}[table["task"]]


def loss_for(table: Mapping[str, Any], settings_dict: Mapping[str, Any] | None) -> Any:
    """The nncore loss object this chat's network is trained with."""
    name = resolved_loss(table, settings_for(table, settings_dict))
    return {"mse": nn.MSE, "bce": nn.BinaryCrossEntropy, "ce": nn.SoftmaxCrossEntropy}[name]()


def _activation(name: str) -> Any:
    return {
        "sigmoid": nn.Sigmoid,
        "tanh": nn.Tanh,
        "relu": nn.ReLU,
        "leaky_relu": nn.LeakyReLU,
    }[name]()


def build_model(table: Mapping[str, Any], settings: TrainSettings) -> nn.Sequential:
    """Dense layers with the chosen activation; the output layer fits the task.

    Regression: linear outputs. Binary: one sigmoid output (probability of the second class).
    Multi-class: softmax over one score per class. (nncore trains a final sigmoid/softmax
    together with its cross-entropy on the raw scores; `predict` gives probabilities.)
    """
    rng = np.random.default_rng(settings.seed)
    sizes = layer_sizes(table, settings)
    if settings.init == "textbook":
        weights_init = "ones"
    elif settings.init == "auto":
        weights_init = "he" if settings.activation in ("relu", "leaky_relu") else "glorot"
    else:
        weights_init = settings.init
    layers: list[Any] = []
    for index, (n_in, n_out) in enumerate(pairwise(sizes)):
        last = index == len(sizes) - 2
        init = "glorot" if last and weights_init == "he" else weights_init
        layers.append(nn.Dense(n_in, n_out, init=init, rng=rng))
        if not last:
            layers.append(_activation(settings.activation))
        elif table["task"] == "binary":
            layers.append(nn.Sigmoid())
        elif table["task"] == "multiclass":
            layers.append(nn.Softmax())
    return nn.Sequential(layers)


def load_model(model_bytes: bytes) -> nn.Sequential:
    return nn.from_bytes(model_bytes)


# --- encoding the table -----------------------------------------------------------------------


def compute_encoding(table: Mapping[str, Any], settings: TrainSettings) -> dict[str, Any]:
    """How raw table numbers become network inputs/targets (and back), for this training."""
    X = np.asarray(table["X"], dtype=np.float64).reshape(len(table["X"]), -1)
    mode = settings.scale
    if mode == "auto":
        raw_ok = settings.init == "textbook" or not X.size or np.abs(X).max() <= RAW_LIMIT
        mode = "none" if raw_ok else "standard"
    encoding: dict[str, Any] = {"inputs": None, "targets": None}
    if mode == "standard" and X.size:
        std = X.std(axis=0)
        encoding["inputs"] = {
            "mean": X.mean(axis=0).tolist(),
            "std": np.where(std > 0, std, 1.0).tolist(),
        }
    if table["task"] == "regression" and mode == "standard":
        Y = np.asarray(table["Y"], dtype=np.float64).reshape(len(table["Y"]), -1)
        std = Y.std(axis=0)
        encoding["targets"] = {
            "mean": Y.mean(axis=0).tolist(),
            "std": np.where(std > 0, std, 1.0).tolist(),
        }
    return encoding


def _encoding(table: Mapping[str, Any], settings_dict: Mapping[str, Any] | None) -> dict:
    saved = (settings_dict or {}).get("encoding")
    if saved is not None:
        return saved
    return compute_encoding(table, settings_for(table, settings_dict))


def encode_inputs(
    table: Mapping[str, Any], settings_dict: Mapping[str, Any] | None, rows: Sequence
) -> np.ndarray:
    """Raw input rows → what the network really sees, shape (n, inputs), float32."""
    return _scale_inputs(np.asarray(rows, dtype=np.float64), _encoding(table, settings_dict))


def _scale_inputs(X: np.ndarray, encoding: Mapping[str, Any]) -> np.ndarray:
    X = X.reshape(len(X), -1) if X.ndim != 2 else X
    stats = encoding.get("inputs")
    if stats:
        X = (X - np.asarray(stats["mean"])) / np.asarray(stats["std"])
    return X.astype(np.float32)


def class_index(value: Any, classes: Sequence[str] | None) -> int:
    """A target cell (the class index as bot.tables.table stores it, or a class name) → the index."""
    if isinstance(value, str) and classes and value.strip() in classes:
        return list(classes).index(value.strip())
    number = float(value)
    if number != int(number) or not 0 <= number < max(2, len(classes or ())):
        raise ValueError(f"{value!r} is not a class of {classes}")
    return int(number)


def encode_targets(
    table: Mapping[str, Any], settings_dict: Mapping[str, Any] | None, rows_Y: Sequence
) -> np.ndarray:
    """Target rows → what the loss compares with: 0/1, one-hot rows, or (scaled) numbers."""
    task = table["task"]
    classes = table.get("classes")
    if task == "binary":
        return np.array(
            [[class_index(v, classes) for v in row] for row in rows_Y], dtype=np.float32
        )
    if task == "multiclass":
        onehot = np.zeros((len(rows_Y), len(classes)), dtype=np.float32)
        for i, row in enumerate(rows_Y):
            onehot[i, class_index(row[0], classes)] = 1.0
        return onehot
    Y = np.asarray(rows_Y, dtype=np.float64).reshape(len(rows_Y), -1)
    stats = _encoding(table, settings_dict).get("targets")
    if stats:
        Y = (Y - np.asarray(stats["mean"])) / np.asarray(stats["std"])
    return Y.astype(np.float32)


@dataclass(frozen=True)
class Prediction:
    """One answer of the network, ready to show: text, the number behind it, the confidence."""

    text: str
    value: float | list[float]
    confidence: float | None = None


def decode_outputs(
    table: Mapping[str, Any], settings_dict: Mapping[str, Any] | None, outputs: np.ndarray
) -> list[Prediction]:
    """Network outputs (n, outputs) → one Prediction per row, in the table's own terms."""
    outputs = np.asarray(outputs, dtype=np.float64).reshape(len(outputs), -1)
    task = table["task"]
    classes = table.get("classes") or ["0", "1"]
    if task == "binary" and outputs.shape[1] == 1:
        result = []
        for p in outputs[:, 0]:
            k = int(p >= 0.5)
            result.append(Prediction(str(classes[k]), float(p), float(p if k else 1 - p)))
        return result
    if task == "binary":
        names = table["targets"]
        return [
            Prediction(
                ", ".join(f"{n}={int(p >= 0.5)}" for n, p in zip(names, row, strict=True)),
                [float(p) for p in row],
                float(np.min(np.maximum(row, 1 - row))),
            )
            for row in outputs
        ]
    if task == "multiclass":
        probs = outputs
        return [
            Prediction(str(classes[int(row.argmax())]), int(row.argmax()), float(row.max()))
            for row in probs
        ]
    stats = _encoding(table, settings_dict).get("targets")
    if stats:
        outputs = outputs * np.asarray(stats["std"]) + np.asarray(stats["mean"])
    result = []
    for row in outputs:
        values = [float(v) for v in row]
        text = ", ".join(format_number(v) for v in values)
        result.append(Prediction(text, values[0] if len(values) == 1 else values))
    return result


def class_probabilities(table: Mapping[str, Any], outputs: np.ndarray) -> np.ndarray:
    """Per-class probabilities (n, classes) for class tasks (used by pictures)."""
    outputs = np.asarray(outputs, dtype=np.float64).reshape(len(outputs), -1)
    if table["task"] == "binary":
        return np.hstack([1 - outputs[:, :1], outputs[:, :1]])
    return outputs


def format_number(value: float) -> str:
    if value == 0 or 1e-3 <= abs(value) < 1e6:
        return f"{value:.4g}" if abs(value) < 1 else f"{value:.6g}"
    return f"{value:.3e}"


def forget_model(state: Any) -> None:
    """A new table makes the trained network meaningless: drop it, keep the learner's settings."""
    state.model = None
    state.history = None
    if state.settings:
        state.settings = {k: v for k, v in state.settings.items() if k != "encoding"}


# --- the job ----------------------------------------------------------------------------------


@dataclass
class TrainOutcome:
    """What a finished (or stopped) training sends back to the event loop."""

    model_bytes: bytes
    history_dict: dict[str, Any]
    stopped: bool
    seconds: float
    reason: str = "done"  # "done" | "stopped" | "timeout"
    encoding: dict[str, Any] = field(default_factory=dict)
    evaluation: dict[str, Any] = field(default_factory=dict)
    plot_png: bytes | None = None  # the loss curve, drawn in the worker when asked


REPORT_INTERVAL = 0.25  # seconds between progress reports sent to the event loop


def run_training(
    table_dict: Mapping[str, Any],
    settings_dict: Mapping[str, Any] | None,
    report: Callable[[dict[str, Any]], None],
    should_stop: Callable[[], bool],
    deadline: float | None = None,
) -> TrainOutcome:
    """Train a network for the table; meant to run in a worker process.

    `report` receives a small dict at most every REPORT_INTERVAL seconds (and once at the end);
    `should_stop()` is polled between batches — when it says yes, or `deadline`
    (time.monotonic()) passes, training ends cleanly and the network learned so far is returned.
    """
    started = time.monotonic()
    settings = settings_for(table_dict, settings_dict)
    encoding = compute_encoding(table_dict, settings)
    coded = {**settings.to_dict(), "encoding": encoding}
    X = _scale_inputs(np.asarray(table_dict["X"], dtype=np.float64), encoding)
    Y = encode_targets(table_dict, coded, table_dict["Y"])
    model = build_model(table_dict, settings)
    loss = loss_for(table_dict, settings.to_dict())
    optimizer = {
        "sgd": lambda: nn.SGD(settings.lr),
        "momentum": lambda: nn.SGD(settings.lr, momentum=0.9),
        "adam": lambda: nn.Adam(lr=settings.lr),
    }[settings.optimizer]()
    batch = settings.batch_size or len(X)
    validation = settings.validation if len(X) * settings.validation >= 1 else None
    state = {"last": started, "checked": 0.0, "timeout": False}

    def callback(progress: Any) -> bool:
        now = time.monotonic()
        if now - state["last"] >= REPORT_INTERVAL and progress.event == "epoch":
            state["last"] = now
            report(_progress_dict(progress, now - started))
        if now - state["checked"] < 0.02:
            return False
        state["checked"] = now
        if deadline is not None and now >= deadline:
            state["timeout"] = True
            return True
        return bool(should_stop())

    history = model.fit(
        X,
        Y,
        loss,
        optimizer,
        settings.epochs,
        batch_size=max(1, min(batch, len(X))),
        shuffle=settings.batch_size != 1 or settings.init != "textbook",
        validation_split=validation,
        seed=settings.seed,
        callbacks=(callback,),
    )
    model.eval()
    seconds = time.monotonic() - started
    history_dict = history.to_dict()
    reason = "timeout" if state["timeout"] else "stopped" if history.stopped else "done"
    evaluation = evaluate(model, table_dict, coded)
    report(
        {
            "epoch": history.epochs_run,
            "epochs": settings.epochs,
            "fraction": 1.0 if reason == "done" else history.epochs_run / settings.epochs,
            "loss": history.loss[-1] if history.loss else None,
            "val_loss": history.val_loss[-1] if history.val_loss else None,
            "seconds": seconds,
        }
    )
    return TrainOutcome(
        model_bytes=model.to_bytes(),
        history_dict=history_dict,
        stopped=history.stopped,
        seconds=seconds,
        reason=reason,
        encoding=encoding,
        evaluation=evaluation,
    )


def _progress_dict(progress: Any, seconds: float) -> dict[str, Any]:
    return {
        "epoch": progress.epoch,
        "epochs": progress.epochs,
        "fraction": progress.fraction,
        "loss": progress.loss,
        "val_loss": progress.val_loss,
        "seconds": seconds,
    }


EVALUATED_ROWS = 50  # predictions sent back for the summary (the loss covers every row)


def evaluate(model: Any, table: Mapping[str, Any], settings_dict: Mapping[str, Any]) -> dict:
    """Predictions for the first rows and the `?` questions, plus the final loss/accuracy."""
    X = encode_inputs(table, settings_dict, table["X"])
    Y = encode_targets(table, settings_dict, table["Y"])
    outputs = model.predict(X)
    scores = model.evaluate(X, Y, loss_for(table, settings_dict))
    rows = decode_outputs(table, settings_dict, outputs)
    result: dict[str, Any] = {
        "loss": float(scores["loss"]),
        "rows": [asdict(p) for p in rows[:EVALUATED_ROWS]],
        "accuracy": None,
        "questions": [],
    }
    if table["task"] == "binary":
        result["accuracy"] = float(np.mean((outputs >= 0.5) == (Y >= 0.5)))
    elif table["task"] == "multiclass":
        result["accuracy"] = float(np.mean(outputs.argmax(axis=1) == Y.argmax(axis=1)))
    questions = (table.get("questions") or [])[:EVALUATED_ROWS]
    if questions:
        answers = decode_outputs(
            table, settings_dict, model.predict(encode_inputs(table, settings_dict, questions))
        )
        result["questions"] = [asdict(p) for p in answers]
    return result


def run_job(payload: Mapping[str, Any], report: Callable, should_stop: Callable) -> TrainOutcome:
    """The job runner's entry point: payload = {"table", "settings", "deadline", "lang"?}.

    With "lang", the loss curve is drawn here too: matplotlib holds the GIL while it renders,
    so drawing in the worker keeps the bot's event loop free for other chats.
    """
    outcome = run_training(
        payload["table"], payload.get("settings"), report, should_stop, payload.get("deadline")
    )
    if payload.get("lang") and outcome.history_dict.get("loss"):
        from bot.training.pictures import loss_plot

        try:
            outcome.plot_png = loss_plot(outcome.history_dict, payload["lang"])
        except Exception:  # the network matters more than its picture: the bot draws it later
            outcome.plot_png = None
    return outcome
