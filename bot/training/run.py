"""One training of a chat's network: build it, fit it to the table, evaluate it.

`run_training` builds the network and runs `nncore.Sequential.fit` with a callback that
reports progress and listens for "stop". It runs inside a worker process (`bot.training.job`,
through `bot.jobs`), never in the event loop. No Telegram here: plain Python, testable alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from itertools import pairwise
from typing import Any

import numpy as np

import nncore as nn
from bot.store import ChatState
from bot.tables.table import Table
from bot.training.encoding import (
    Encoding,
    compute_encoding,
    decode_outputs,
    encode_inputs,
    encode_targets,
)
from bot.training.settings import TrainSettings, layer_sizes, parameter_count, resolved_loss
from nncore.init import initial_weights

LOSSES = {"mse": nn.MSE, "bce": nn.BinaryCrossEntropy, "ce": nn.SoftmaxCrossEntropy}
ACTIVATIONS = {
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "relu": nn.ReLU,
    "leaky_relu": nn.LeakyReLU,
}
REPORT_INTERVAL = 0.25  # seconds between progress reports sent to the event loop
STOP_POLL = 0.02  # seconds between two looks at should_stop() and the deadline
EVALUATED_ROWS = 50  # predictions sent back for the summary (the loss covers every row)


def loss_for(table: Table, settings: TrainSettings) -> nn.Loss:
    """The nncore loss object this chat's network is trained with."""
    return LOSSES[resolved_loss(table, settings)]()


def _optimizer(settings: TrainSettings) -> nn.Optimizer:
    if settings.optimizer == "sgd":
        return nn.SGD(settings.lr)
    if settings.optimizer == "momentum":
        return nn.SGD(settings.lr, momentum=0.9)
    return nn.Adam(lr=settings.lr)


EXACT_PARAMETERS = 5_000  # networks up to this size train in float64, as the articles' code


def build_model(table: Table, settings: TrainSettings) -> nn.Sequential:
    """Dense layers with the chosen activation; the output layer fits the task.

    Regression: linear outputs. Binary: one sigmoid output (probability of the second class).
    Multi-class: softmax over one score per class. (nncore trains a final sigmoid/softmax
    together with its cross-entropy on the raw scores; `predict` gives probabilities.)
    Small networks compute in float64, so the articles' numbers come out digit for digit.
    """
    sizes = layer_sizes(table, settings)
    starts = _starting_weights(settings, sizes)
    layers: list[nn.Layer] = []
    for index, ((n_in, n_out), (init, bias)) in enumerate(
        zip(pairwise(sizes), starts, strict=True)
    ):
        last = index == len(sizes) - 2
        dense = nn.Dense(n_in, n_out, bias=settings.bias, init=init)
        if settings.bias and bias is not None:
            dense.params["b"][:] = bias
        layers.append(dense)
        if not last:
            layers.append(ACTIVATIONS[settings.activation]())
        elif table.task == "binary":
            layers.append(nn.Sigmoid())
        elif table.task == "multiclass":
            layers.append(nn.Softmax())
    small = parameter_count(table, settings) <= EXACT_PARAMETERS
    return nn.Sequential(layers, dtype="float64" if small else "float32")


def _starting_weights(
    settings: TrainSettings, sizes: list[int]
) -> list[tuple[np.ndarray, np.ndarray | None]]:
    """(weights, biases or None for zeros) of every Dense layer, drawn in layer order.

    article/normal: every weight and bias from N(0, 1), as Victor Zhou's article;
    legacy: 2·random − 1 from NumPy's legacy generator seeded like `np.random.seed(seed)`,
    as Milo Spencer-Harper's single neuron (seed 1 gives −0.16595599, 0.44064899, −0.99977125).
    """
    rng = np.random.default_rng(settings.seed)
    legacy = np.random.RandomState(settings.seed)
    starts = []
    for index, (n_in, n_out) in enumerate(pairwise(sizes)):
        last = index == len(sizes) - 2
        if settings.init in ("article", "normal"):
            starts.append((rng.normal(size=(n_in, n_out)), rng.normal(size=n_out)))
        elif settings.init == "legacy":
            starts.append((2 * legacy.random_sample((n_in, n_out)) - 1, None))
        else:
            name = {"textbook": "ones", "auto": _auto_init(settings)}.get(
                settings.init, settings.init
            )
            name = "glorot" if last and name == "he" else name
            starts.append((initial_weights(name, (n_in, n_out), n_in, n_out, rng), None))
    return starts


def _auto_init(settings: TrainSettings) -> str:
    return "he" if settings.activation in ("relu", "leaky_relu") else "glorot"


def textbook_model(table: Table, settings: TrainSettings) -> nn.Sequential:
    """The network with every weight 1 and bias 0: the article's worked step starts here."""
    return build_model(table, replace(settings, init="textbook"))


def shuffles(settings: TrainSettings) -> bool:
    """False for the articles' recipes, which visit the rows in table order every epoch."""
    return settings.init not in ("article", "textbook", "legacy")


def load_model(model_bytes: bytes) -> nn.Sequential:
    return nn.from_bytes(model_bytes)


def forget_model(state: ChatState) -> None:
    """A new table makes the trained network meaningless: drop it, keep the learner's settings."""
    state.model = None
    state.history = None
    state.encoding = None


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


class _Watch:
    """The fit callback: reports progress now and then, says when to stop."""

    def __init__(
        self,
        report: Callable[[dict[str, Any]], None],
        should_stop: Callable[[], bool],
        deadline: float | None,
    ) -> None:
        self.report, self.should_stop, self.deadline = report, should_stop, deadline
        self.started = self.last = time.monotonic()
        self.checked = 0.0
        self.timeout = False

    def __call__(self, progress: nn.Progress) -> bool:
        now = time.monotonic()
        if now - self.last >= REPORT_INTERVAL:  # batches too: one epoch may take seconds
            self.last = now
            epoch = progress.epoch if progress.event == "epoch" else progress.epoch - 1
            self.report(
                _progress_dict(
                    epoch,
                    progress.epochs,
                    progress.fraction,
                    progress.loss,
                    progress.val_loss,
                    now - self.started,
                )
            )
        if now - self.checked < STOP_POLL:
            return False
        self.checked = now
        if self.deadline is not None and now >= self.deadline:
            self.timeout = True
            return True
        return bool(self.should_stop())


def _progress_dict(
    epoch: int,
    epochs: int,
    fraction: float,
    loss: float | None,
    val_loss: float | None,
    seconds: float,
) -> dict[str, Any]:
    return {
        "epoch": epoch,
        "epochs": epochs,
        "fraction": fraction,
        "loss": loss,
        "val_loss": val_loss,
        "seconds": seconds,
    }


def run_training(
    table: Table,
    settings: TrainSettings,
    report: Callable[[dict[str, Any]], None],
    should_stop: Callable[[], bool],
    deadline: float | None = None,
) -> TrainOutcome:
    """Train a network for the table; meant to run in a worker process.

    `report` receives a small dict at most every REPORT_INTERVAL seconds (and once at the end);
    `should_stop()` is polled between batches — when it says yes, or `deadline`
    (time.monotonic()) passes, training ends cleanly and the network learned so far is returned.
    """
    watch = _Watch(report, should_stop, deadline)
    encoding = compute_encoding(table, settings)
    X = encode_inputs(encoding, table.X)
    Y = encode_targets(table, encoding, table.Y)
    model = build_model(table, settings)
    batch = settings.batch_size or len(X)
    history = model.fit(
        X,
        Y,
        loss_for(table, settings),
        _optimizer(settings),
        settings.epochs,
        batch_size=max(1, min(batch, len(X))),
        shuffle=shuffles(settings),
        validation_split=settings.validation if len(X) * settings.validation >= 1 else None,
        seed=settings.seed,
        callbacks=(watch,),
    )
    model.eval()
    seconds = time.monotonic() - watch.started
    reason = "timeout" if watch.timeout else "stopped" if history.stopped else "done"
    evaluation = evaluate(model, table, encoding, settings)
    evaluation["val_loss"] = history.val_loss[-1] if history.val_loss else None
    history_dict = history.to_dict()
    final = evaluation["loss"]  # what the summary and the plot legend both say
    history_dict["final_loss"] = final if np.isfinite(final) else None
    fraction = 1.0 if reason == "done" else history.epochs_run / settings.epochs
    last_loss = history.loss[-1] if history.loss else None
    last_val = history.val_loss[-1] if history.val_loss else None
    report(
        _progress_dict(history.epochs_run, settings.epochs, fraction, last_loss, last_val, seconds)
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


def evaluate(
    model: nn.Sequential, table: Table, encoding: Encoding, settings: TrainSettings
) -> dict[str, Any]:
    """Predictions for the first rows and the `?` questions, plus the final loss/accuracy."""
    X = encode_inputs(encoding, table.X)
    Y = encode_targets(table, encoding, table.Y)
    outputs = model.predict(X)
    scores = model.evaluate(X, Y, loss_for(table, settings))
    rows = decode_outputs(table, encoding, outputs)
    result: dict[str, Any] = {
        "loss": float(scores["loss"]),
        "rows": [asdict(p) for p in rows[:EVALUATED_ROWS]],
        "accuracy": None,
        "questions": [],
    }
    if table.task == "binary":
        result["accuracy"] = float(np.mean((outputs >= 0.5) == (Y >= 0.5)))
    elif table.task == "multiclass":
        result["accuracy"] = float(np.mean(outputs.argmax(axis=1) == Y.argmax(axis=1)))
    questions = table.questions[:EVALUATED_ROWS]
    if questions:
        answers = decode_outputs(table, encoding, model.predict(encode_inputs(encoding, questions)))
        result["questions"] = [asdict(p) for p in answers]
    return result
