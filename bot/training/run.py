"""One training of a chat's network: build it, fit it to the table, evaluate it.

`run_training` builds the network and runs `nncore.Sequential.fit` with a callback that
reports progress and listens for "stop". It runs inside a worker process (`bot.training.job`,
through `bot.jobs`), never in the event loop. No Telegram here: plain Python, testable alone.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from itertools import pairwise
from typing import Any

import numpy as np

import nncore as nn
from bot.store import ChatState
from bot.tables.table import Table
from bot.training.answers import unsure
from bot.training.diagnosis import diagnose
from bot.training.divergence import DivergenceGuard, find_working_rate
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
HISTORY_POINTS = 2_000  # values kept per curve (the loss plot draws at most as many)
EVALUATED_ROWS = 50  # predictions sent back for the summary (the loss covers every row)


def loss_for(table: Table, settings: TrainSettings) -> nn.Loss:
    """The nncore loss object this chat's network is trained with."""
    return LOSSES[resolved_loss(table, settings)]()


def _optimizer(settings: TrainSettings) -> nn.Optimizer:
    """The chosen optimizer; `l2` is its weight decay (biases are not decayed)."""
    if settings.optimizer == "sgd":
        return nn.SGD(settings.lr, weight_decay=settings.l2)
    if settings.optimizer == "momentum":
        return nn.SGD(settings.lr, momentum=0.9, weight_decay=settings.l2)
    return nn.Adam(lr=settings.lr, weight_decay=settings.l2)


EXACT_PARAMETERS = 5_000  # networks up to this size train in float64, as the articles' code


def build_model(table: Table, settings: TrainSettings) -> nn.Sequential:
    """Dense layers with the chosen activation; the output layer fits the task.

    Regression: linear outputs. Binary: one sigmoid output (probability of the second class).
    Multi-class: softmax over one score per class. (nncore trains a final sigmoid/softmax
    together with its cross-entropy on the raw scores; `predict` gives probabilities.)
    Small networks compute in float64, so the articles' numbers come out digit for digit.
    With `dropout`, a Dropout layer follows every hidden activation (training only; the
    trained network is kept without them, see `without_dropout`).
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
            if settings.dropout:
                layers.append(nn.Dropout(settings.dropout))
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


def usable_model(model_bytes: bytes) -> bool:
    """False for a stored network nncore refuses, e.g. the non-finite weights an older version
    saved after a diverged training."""
    try:
        load_model(model_bytes)
    except nn.ModelFileError:
        return False
    return True


def forget_model(state: ChatState) -> None:
    """A new table makes the trained network meaningless: drop it, keep the learner's settings."""
    state.model = None
    state.history = None
    state.encoding = None


@dataclass
class TrainOutcome:
    """What a finished (or stopped) training sends back to the event loop."""

    model_bytes: bytes | None  # None: a diverged run with not one finite epoch
    history_dict: dict[str, Any]
    stopped: bool
    seconds: float
    reason: str = "done"  # "done" | "stopped" | "timeout" | "diverged"
    encoding: dict[str, Any] = field(default_factory=dict)
    evaluation: dict[str, Any] = field(default_factory=dict)
    plot_png: bytes | None = None  # the loss curve, drawn in the worker when asked
    # "diverged": {"epoch": first non-finite, "kept": last finite (0 = none), "advice": …}
    divergence: dict[str, Any] | None = None
    diagnosis: list[dict[str, Any]] = field(default_factory=list)  # bot.training.diagnosis


class TrainingWatch:
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


@dataclass
class Fitted:
    """A fitted network and what watched its training."""

    model: nn.Sequential
    history: nn.History
    guard: DivergenceGuard
    early: nn.EarlyStopping | None  # with patience and validation rows


def fit_table(
    table: Table,
    settings: TrainSettings,
    encoding: Encoding,
    callbacks: tuple[Callable[[nn.Progress], bool], ...],
) -> Fitted:
    """Build the network and fit it, stopped (weights restored) if its loss stops being finite.

    With `patience` and validation rows, the weights of the best validation epoch are put back
    at the end (early stopping keeps the best network). Dropout layers are left out of the
    network returned: answers and /explain use the network without them.
    """
    X = encode_inputs(encoding, table.X)
    Y = encode_targets(table, encoding, table.Y)
    model = build_model(table, settings)
    guard = DivergenceGuard(model)
    validation = settings.validation if len(X) * settings.validation >= 1 else None
    early = nn.EarlyStopping(model, settings.patience) if settings.patience and validation else None
    batch = settings.batch_size or len(X)
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging run is reported, not logged
        history = model.fit(
            X,
            Y,
            loss_for(table, settings),
            _optimizer(settings),
            settings.epochs,
            batch_size=max(1, min(batch, len(X))),
            shuffle=shuffles(settings),
            validation_split=validation,
            seed=settings.seed,
            callbacks=(guard, *(() if early is None else (early,)), *callbacks),
        )
    if guard.diverged:
        guard.restore(history)
    elif early is not None:
        early.restore()
        history.stopped = history.stopped and early.stopped_at is None
    return Fitted(without_dropout(model).eval(), history, guard, early)


def without_dropout(model: nn.Sequential) -> nn.Sequential:
    """The same network (the same weight arrays) without its Dropout layers."""
    layers = [layer for layer in model.layers if not isinstance(layer, nn.Dropout)]
    if len(layers) == len(model.layers):
        return model
    return nn.Sequential(layers, dtype=model.dtype)


def validation_figures(fitted: Fitted) -> dict[str, Any]:
    """The kept network's validation loss and accuracy, and the best validation epoch
    (with early stopping the kept network is the best epoch's; else the last epoch's)."""
    history, early = fitted.history, fitted.early
    if not history.val_loss:
        return {"val_loss": None, "val_accuracy": None, "best_epoch": None, "best_val_loss": None}
    finite = [v if math.isfinite(v) else math.inf for v in history.val_loss]
    best = int(np.argmin(finite)) + 1
    kept = early.best_epoch if early is not None and early.best_epoch else len(history.val_loss)
    accuracy = history.val_accuracy[kept - 1] if len(history.val_accuracy) >= kept else None
    return {
        "val_loss": history.val_loss[kept - 1],
        "val_accuracy": accuracy,
        "best_epoch": best,
        "best_val_loss": history.val_loss[best - 1],
        "best_train_loss": history.loss[best - 1],
        "last_train_loss": history.loss[-1],
        "kept_train_loss": history.loss[kept - 1],
        "kept_epoch": kept if early is not None else None,
        "stopped_early": early.stopped_at if early is not None else None,
    }


def _advice(
    table: Table, settings: TrainSettings, should_stop: Callable[[], bool], deadline: float | None
) -> dict[str, Any] | None:
    """After a divergence: a smaller learning rate that a test run showed to learn: its loss
    stays finite and ends lower than it began (in float64 a run can explode to 1e241 and still
    be finite, which is no advice worth giving)."""

    def trial(candidate: TrainSettings, seconds: float) -> tuple[bool, int]:
        until = time.monotonic() + seconds

        def stop(progress: nn.Progress) -> bool:
            return time.monotonic() >= until or bool(should_stop())

        encoding = compute_encoding(table, candidate)
        fitted = fit_table(table, candidate, encoding, (stop,))
        history = fitted.history
        learned = bool(history.loss) and history.loss[-1] < history.loss[0]
        return fitted.guard.diverged or not learned, history.epochs_run

    def time_left() -> float:
        return float("inf") if deadline is None else deadline - time.monotonic()

    return find_working_rate(trial, settings, time_left)


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
    A run whose loss stops being finite ends as "diverged" with the last finite weights (no
    network at all if not one epoch was finite) and a tested smaller learning rate as advice.
    """
    watch = TrainingWatch(report, should_stop, deadline)
    encoding = compute_encoding(table, settings)
    fitted = fit_table(table, settings, encoding, (watch,))
    model, history, guard = fitted.model, fitted.history, fitted.guard
    seconds = time.monotonic() - watch.started
    reason = "timeout" if watch.timeout else "stopped" if history.stopped else "done"
    if guard.diverged:
        reason = "diverged"
    evaluation = evaluate(model, table, encoding, settings)
    # A diverged run keeps its last finite weights only if they still give a finite loss
    kept = not guard.diverged or (guard.kept_epoch > 0 and math.isfinite(evaluation["loss"]))
    evaluation.update(validation_figures(fitted))
    history_dict = bounded_history(history)
    final = evaluation["loss"]  # what the summary and the plot legend both say
    history_dict["final_loss"] = final if np.isfinite(final) else None
    history_dict["final_val_loss"] = evaluation["val_loss"]  # the plot says what the summary says
    history_dict["best_epoch"] = evaluation["best_epoch"]
    history_dict["kept_epoch"] = evaluation.get("kept_epoch")
    # /explain says it shows the network without dropout (a single neuron has none to drop)
    history_dict["dropout"] = settings.dropout if settings.hidden else 0.0
    fraction = 1.0 if reason == "done" else history.epochs_run / settings.epochs
    last_loss = history.loss[-1] if history.loss else None
    last_val = history.val_loss[-1] if history.val_loss else None
    report(
        _progress_dict(history.epochs_run, settings.epochs, fraction, last_loss, last_val, seconds)
    )
    outcome = TrainOutcome(
        model_bytes=model.to_bytes() if kept else None,
        history_dict=history_dict,
        stopped=history.stopped,
        seconds=seconds,
        reason=reason,
        encoding=encoding,
        evaluation=evaluation if kept else {},
    )
    if guard.diverged:
        outcome.divergence = {"epoch": guard.diverged_at, "kept": guard.kept_epoch if kept else 0}
        outcome.divergence["advice"] = _advice(table, settings, should_stop, deadline)
    outcome.diagnosis = diagnose(
        table, settings, model if kept else None, encoding, outcome.evaluation, outcome.divergence
    )
    return outcome


def bounded_history(history: nn.History, points: int = HISTORY_POINTS) -> dict[str, Any]:
    """The history as the chat keeps it: each curve evenly sampled to at most `points` values,
    the first and the last always kept; "epoch" numbers the kept values (1-based) and
    "epochs_run" says how many epochs there were. A 100 000-epoch run stays a few tens of kB."""
    data = history.to_dict()
    epochs = history.epochs_run
    data["epochs_run"] = epochs
    if epochs <= points:
        return data
    keep = np.unique(np.linspace(0, epochs - 1, points).round().astype(int))
    for name in ("loss", "val_loss", "accuracy", "val_accuracy"):
        if len(data[name]) == epochs:
            data[name] = [data[name][i] for i in keep]
    data["epoch"] = (keep + 1).tolist()
    return data


def evaluate(
    model: nn.Sequential, table: Table, encoding: Encoding, settings: TrainSettings
) -> dict[str, Any]:
    """Predictions for the first rows and the `?` questions, plus the final loss/accuracy and how
    many rows of the table the network is unsure about (`bot.training.answers.unsure`)."""
    X = encode_inputs(encoding, table.X)
    Y = encode_targets(table, encoding, table.Y)
    with np.errstate(over="ignore", invalid="ignore"):  # a near-diverged network: inf, no warning
        outputs = model.predict(X)
        scores = model.evaluate(X, Y, loss_for(table, settings))
    rows = decode_outputs(table, encoding, outputs)
    result: dict[str, Any] = {
        "loss": float(scores["loss"]),
        "rows": [asdict(p) for p in rows[:EVALUATED_ROWS]],
        "accuracy": None,
        "questions": [],
        # every row, not only the ones sent back: "50% right" means little if all are guesses
        "unsure": sum(unsure(asdict(p)) for p in rows),
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
