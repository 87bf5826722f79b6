"""The lesson's steps as the job pool's worker runs them: real trainings, real pictures.

`run_lesson_job` is reached through `bot.training.job.run_job` (payload kind "lesson"). Every
step trains with the chat's own code (`bot.training.run.run_training`) and draws with the
pictures the rest of the bot uses; what it returns is plain data: the numbers the step's text
shows ("facts"), the PNGs, and — for the steps that put a table into the chat — the table with
its trained network. No Telegram here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import numpy as np

import nncore as nn
from bot.digits.reader import get_reader
from bot.lab.data import SUBSET
from bot.lab.pictures import FILTERS_SHOWN, filters_picture
from bot.lesson import pictures
from bot.tables.table import Table
from bot.training.advice import best_single_line
from bot.training.boundary_picture import boundary_picture
from bot.training.encoding import compute_encoding, encode_inputs, encode_targets
from bot.training.explain_batch import article_lines
from bot.training.explain_lines import DIGITS
from bot.training.pictures import loss_plot
from bot.training.run import (
    ACTIVATIONS,
    TrainOutcome,
    build_model,
    load_model,
    loss_for,
    run_training,
    textbook_model,
)
from bot.training.settings import TrainSettings

Report = Callable[[dict[str, Any]], None]
Stop = Callable[[], bool]


def run_lesson_job(payload: Mapping[str, Any], report: Report, should_stop: Stop) -> dict:
    """{"kind": "lesson", "step", "lang", "table"?, "settings"?, "image"?} → the step's result:
    {"step", "facts", "pictures": [PNG], "load": {table, settings, model, …} or None}."""
    work = WORK[payload["step"]]
    return {"step": payload["step"], "load": None, **work(payload, report, should_stop)}


def _train(payload: Mapping[str, Any], report: Report, stop: Stop, **changes: Any) -> TrainOutcome:
    settings = replace(payload["settings"], **changes) if changes else payload["settings"]
    return run_training(payload["table"], settings, report, stop, payload.get("deadline"))


def _load(payload: Mapping[str, Any], outcome: TrainOutcome) -> dict[str, Any] | None:
    """The table and the network to put into the chat (None when training kept nothing)."""
    if outcome.model_bytes is None:
        return None
    return {
        "table": payload["table"].to_dict(),
        "settings": payload["settings"].to_dict(),
        "model": outcome.model_bytes,
        "encoding": outcome.encoding,
        "history": outcome.history_dict,
    }


def _outputs(table: Table, outcome: TrainOutcome, rows: list[list[float]]) -> list[float]:
    """The trained network's first output for raw input rows (probabilities for a class)."""
    model = load_model(outcome.model_bytes)
    return [float(v) for v in model.predict(encode_inputs(outcome.encoding, rows))[:, 0]]


def _boundary(table: Table, outcome: TrainOutcome, lang: str) -> bytes:
    return boundary_picture(load_model(outcome.model_bytes), table, outcome.encoding, lang)


def _encoded(table: Table, settings: TrainSettings) -> tuple[np.ndarray, np.ndarray]:
    """The table's rows as the network trains on them (inputs, targets)."""
    encoding = compute_encoding(table, settings)
    return encode_inputs(encoding, table.X), encode_targets(table, encoding, table.Y)


def _neuron(payload: Mapping[str, Any], report: Report, stop: Stop) -> dict[str, Any]:
    """Step 1: the article's single neuron, its first update written out, 10 000 updates."""
    table, settings = payload["table"], payload["settings"]
    X, Y = _encoded(table, settings)
    start = build_model(table, settings)
    weights = [float(w) for w in start.layers[0].params["W"][:, 0]]
    update = article_lines(start, X, Y, settings.lr)
    outcome = _train(payload, report, stop)
    answer = _outputs(table, outcome, table.questions[:1])[0] if table.questions else None
    facts = {"start": weights, "update": update, "answer": answer, "epochs": settings.epochs}
    pictures_ = [loss_plot(outcome.history_dict, payload["lang"])]
    return {"facts": facts, "pictures": pictures_, "load": _load(payload, outcome)}


def _xor(payload: Mapping[str, Any], report: Report, stop: Stop) -> dict[str, Any]:
    """Steps 2 and 3: XOR with one neuron (and the best any straight line can do), then with
    a hidden layer; the decision picture of what it learned."""
    table, lang, settings = payload["table"], payload["lang"], payload["settings"]
    outcome = _train(payload, report, stop)
    facts = {
        "best": best_single_line(table, settings),
        "hidden": list(settings.hidden),
        "outputs": _outputs(table, outcome, table.X),
        "accuracy": outcome.evaluation.get("accuracy"),
    }
    picture = _boundary(table, outcome, lang)
    return {"facts": facts, "pictures": [picture], "load": _load(payload, outcome)}


def _backprop(payload: Mapping[str, Any], report: Report, stop: Stop) -> dict[str, Any]:
    """Step 4: the 2-2-1 network from all-ones, one backpropagation step on the first row."""
    table, settings = payload["table"], payload["settings"]
    X, Y = _encoded(table, settings)
    model = textbook_model(table, settings)
    trace = nn.explain(model, loss_for(table, settings), X[0], Y[0], settings.lr, DIGITS)
    w1 = trace.params[0]
    outcome = _train(payload, report, stop)
    facts = {
        "row": table.names[0] if table.names else "1",
        "x": [float(v) for v in X[0]],
        "hidden": [n.a for n in trace.neurons if n.layer == 1],
        "prediction": trace.prediction[0],
        "factors": [[f.symbol, f.value] for f in w1.factors],
        "product": w1.product,
        "grad": w1.grad,
        "questions": [
            [name, value]
            for name, value in zip(
                table.question_names or [], _outputs(table, outcome, table.questions), strict=False
            )
        ],
    }
    pictures_ = [loss_plot(outcome.history_dict, payload["lang"])]
    return {"facts": facts, "pictures": pictures_, "load": _load(payload, outcome)}


def _hidden_weights(outcome: TrainOutcome) -> np.ndarray:
    """(inputs + 1, neurons): the first hidden layer's weights and, last, its biases."""
    dense = load_model(outcome.model_bytes).layers[0]
    return np.vstack([dense.params["W"], dense.params["b"][None, :]])


def _symmetry(payload: Mapping[str, Any], report: Report, stop: Stop) -> dict[str, Any]:
    """Step 5: the same network trained from all-ones and from a random start, side by side."""
    runs = {init: _train(payload, report, stop, init=init) for init in ("textbook", "auto")}
    weights = {init: _hidden_weights(outcome) for init, outcome in runs.items()}
    facts = {
        init: {
            "accuracy": outcome.evaluation.get("accuracy"),
            "twins": bool(np.allclose(weights[init], weights[init][:, :1], atol=1e-9)),
        }
        for init, outcome in runs.items()
    }
    picture = pictures.symmetry_picture(
        weights["textbook"], weights["auto"], facts, payload["table"], payload["lang"]
    )
    return {"facts": facts, "pictures": [picture]}


def _batches(payload: Mapping[str, Any], report: Report, stop: Stop) -> dict[str, Any]:
    """Step 6: one row per update (stochastic) against the whole table per update."""
    rows = len(payload["table"].X)
    runs = {
        "sgd": _train(payload, report, stop, batch_size=1),
        "full": _train(payload, report, stop, batch_size=0),
    }
    epochs = payload["settings"].epochs
    facts = {
        name: {
            "loss": outcome.evaluation["loss"],
            "updates": epochs * (rows if name == "sgd" else 1),
        }
        for name, outcome in runs.items()
    }
    curves = {name: outcome.history_dict for name, outcome in runs.items()}
    return {
        "facts": facts,
        "pictures": [pictures.curves_picture(curves, "batches", payload["lang"])],
    }


def _activations(payload: Mapping[str, Any], report: Report, stop: Stop) -> dict[str, Any]:
    """Step 7: the same XOR network with each activation function, same start and rate."""
    runs = {name: _train(payload, report, stop, activation=name) for name in ACTIVATIONS}
    facts = {
        name: {"loss": outcome.evaluation["loss"], "accuracy": outcome.evaluation.get("accuracy")}
        for name, outcome in runs.items()
    }
    curves = {name: outcome.history_dict for name, outcome in runs.items()}
    picture = pictures.curves_picture(curves, "activations", payload["lang"])
    return {"facts": facts, "pictures": [picture]}


def _overfitting(payload: Mapping[str, Any], report: Report, stop: Stop) -> dict[str, Any]:
    """Step 8: a big network on twelve noisy points, with a quarter of them kept for validation."""
    settings: TrainSettings = payload["settings"]
    outcome = _train(payload, report, stop)
    history = outcome.history_dict
    val = history.get("val_loss") or []
    epochs = history.get("epoch") or list(range(1, len(val) + 1))
    best = int(np.argmin(val)) if val else 0
    facts = {
        "rows": len(payload["table"].X),
        "kept": round(len(payload["table"].X) * settings.validation),
        "best_epoch": epochs[best] if val else None,
        "best_val": val[best] if val else None,
        "final_val": val[-1] if val else None,
        "final_train": (history.get("loss") or [None])[-1],
        "epochs": settings.epochs,
    }
    picture = pictures.overfitting_picture(history, facts["best_epoch"] or 1, payload["lang"])
    return {"facts": facts, "pictures": [picture]}


def _convolution(payload: Mapping[str, Any], report: Report, stop: Stop) -> dict[str, Any]:
    """Step 9: the digit reader's first-layer filters and what they make of one digit."""
    model = get_reader().model
    conv = next(layer for layer in model.layers if isinstance(layer, nn.Conv2D))
    own = payload.get("image") is not None
    image = np.asarray(payload["image"]) if own else ready_digit()
    picture = filters_picture(model, image, payload["lang"])
    facts = {"filters": conv.c_out, "shown": min(conv.c_out, FILTERS_SHOWN), "own": own}
    return {"facts": facts, "pictures": [picture]}


def ready_digit() -> np.ndarray:
    """A handwritten digit shipped with the bot (the first test image of the lab's MNIST
    subset, a 2), 0–255 with ink high, as MNIST stores it."""
    with np.load(SUBSET, allow_pickle=False) as data:
        return np.asarray(data["x_test"][0])


# step N's work is WORK[N]; step 10 only invites to the lab, its handler answers at once
STEP_WORK = (_neuron, _xor, _xor, _backprop, _symmetry, _batches, _activations, _overfitting)
WORK: dict[int, Callable[[Mapping[str, Any], Report, Stop], dict[str, Any]]] = dict(
    enumerate((*STEP_WORK, _convolution), start=1)
)
