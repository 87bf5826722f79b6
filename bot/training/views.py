"""What the training commands show: texts, and keyboards as plain rows of (label, data).

No Telegram here: the handlers turn `Rows` into inline keyboards. Callback data is built from
the constants below only, so no handler types "train:stop" by hand.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

import numpy as np

import nncore as nn
from bot.config import Limits
from bot.i18n import choice_name, plural, t
from bot.store import ChatState
from bot.tables.table import Table
from bot.text import duration, number, short
from bot.training import answers as honest
from bot.training.advice import separability_note
from bot.training.encoding import class_index, decode_outputs, encode_inputs, encoding_for
from bot.training.quality import validation_lines
from bot.training.run import TrainOutcome, load_model
from bot.training.settings import (
    DOUBLE,
    HALF,
    NEXT,
    SettingsError,
    TrainSettings,
    layer_sizes,
    parameter_count,
    resolved_loss,
    settings_for,
    symmetric_start,
)

Rows = list[list[tuple[str, str]]]  # keyboard rows of (label, callback data)

CALLBACK_PREFIX = "train:"
CALLBACK_PATTERN = rf"^{CALLBACK_PREFIX}"
STOP = f"{CALLBACK_PREFIX}stop"  # the Stop button under the progress message
GO = f"{CALLBACK_PREFIX}go"  # the Train button under /settings
SETTING = f"{CALLBACK_PREFIX}s:"  # a settings button: SETTING + "key:op"

BAR_WIDTH = 16
SHOWN_ROWS = 12
SHOWN_VALUES = 6  # inputs of a row written out in the summary
PREDICTION_LIMIT = 60  # characters of a prediction or target in the summary
ERROR_VALUE_LIMIT = 40  # characters of what the learner typed, quoted in an error
FULL_VALUES = ("keys", "allowed")  # error values the bot wrote itself: shown whole
JSON_PARAMETER_LIMIT = 2_000  # networks this small also get a readable JSON file
LOSS_NAMES = {"mse": "mse", "bce": "binary_cross_entropy", "ce": "softmax_cross_entropy"}


def setting_data(key: str, op: str) -> str:
    """The callback data of the settings button that does `op` to `key`."""
    return f"{SETTING}{key}:{op}"


def setting_of(data: str) -> tuple[str, str] | None:
    """(key, op) of a settings button's callback data, or None when it is not one."""
    parts = data.removeprefix(SETTING).split(":") if data.startswith(SETTING) else []
    return (parts[0], parts[1]) if len(parts) == 2 else None


def _optional_number(value: Any) -> str:
    return "—" if value is None else number(value)


# --- progress -----------------------------------------------------------------------------------


def progress_bar(fraction: float, width: int = BAR_WIDTH) -> str:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)


def shape_text(table: Table, settings: TrainSettings) -> str:
    return "-".join(str(n) for n in layer_sizes(table, settings))


def progress_text(data: Mapping[str, Any], shape: str, lang: str) -> str:
    """The progress message: bar, percent, epoch, loss, elapsed time and the time left."""
    fraction = float(data.get("fraction") or 0.0)
    elapsed = float(data.get("seconds") or 0.0)
    if fraction >= 0.01 or (fraction > 0 and elapsed >= 2):
        eta = duration(elapsed * (1 - fraction) / fraction, lang)
    else:
        eta = "…"  # too early to say
    val = data.get("val_loss")
    return t(
        "train.progress",
        lang,
        shape=shape,
        bar=progress_bar(fraction),
        percent=int(fraction * 100),
        epoch=data.get("epoch", 0),
        epochs=data.get("epochs", 0),
        loss=_optional_number(data.get("loss")),
        val=t("train.progress.val", lang, value=_optional_number(val)) if val is not None else "",
        elapsed=duration(elapsed, lang),
        eta=eta,
    )


def stop_rows(lang: str) -> Rows:
    return [[(t("train.button.stop", lang), STOP)]]


def end_text(
    outcome: TrainOutcome,
    reason: str,
    shape: str,
    settings: TrainSettings,
    limits: Limits,
    lang: str,
) -> str:
    """The last word of the progress message: trained, stopped, or out of time."""
    history = outcome.history_dict
    epochs = history.get("epochs_run", len(history.get("loss") or []))
    values = {
        "shape": shape,
        "epochs": plural(epochs, lang, "word.epoch"),
        "total": settings.epochs,
    }
    values["elapsed"] = duration(outcome.seconds, lang)
    if outcome.divergence is not None:
        return diverged_text(outcome.divergence, values, settings, lang)
    if outcome.reason == "timeout" or reason == "timeout":
        return t("train.end.timeout", lang, limit=f"{limits.job_seconds:g}", **values)
    if outcome.stopped:
        return t("train.end.stopped", lang, **values)
    return t("train.end.done", lang, **values)


def diverged_text(divergence: dict, values: dict, settings: TrainSettings, lang: str) -> str:
    """A training whose loss became inf/nan: where, what is kept, and a tested smaller lr."""
    lines = [
        t("train.end.diverged", lang, lr=number(settings.lr), at=divergence["epoch"], **values)
    ]
    kept = divergence["kept"]
    lines.append(
        t("train.end.diverged_kept", lang, epoch=kept)
        if kept
        else t("train.end.diverged_none", lang)
    )
    advice = divergence.get("advice")
    if advice:
        lines.append(
            t("train.end.diverged_advice", lang, lr=number(advice["lr"]), tried=advice["epochs"])
        )
    else:
        lines.append(t("train.end.diverged_hint", lang))
    if settings.scale == "none":
        lines.append(t("train.end.diverged_scale", lang))
    return "\n".join(lines)


def failure_text(reason: str, limits: Limits, lang: str) -> str:
    """Why a training gave no network: cancelled while waiting, killed, crashed, failed."""
    if reason == "cancelled":
        return t("train.cancelled_queued", lang)
    if reason == "timeout":
        return t("train.error.killed", lang, limit=f"{limits.job_seconds:g}")
    if reason == "crashed":
        return t("train.error.crashed", lang)
    return t("train.error.failed", lang)


# --- the summary after training -----------------------------------------------------------------


def _row_label(names: list[str] | None, index: int, row: list[float]) -> str:
    if names and index < len(names):
        return f"<i>{html.escape(str(names[index]))}</i>"
    shown = " ".join(number(v) for v in row[:SHOWN_VALUES])
    return f"<code>{shown}{' …' if len(row) > SHOWN_VALUES else ''}</code>"


def _target_text(table: Table, row: list[float]) -> str:
    if table.task == "regression" or len(row) != 1:
        return ", ".join(number(v) for v in row)
    classes = table.classes or ["0", "1"]
    return str(classes[class_index(row[0], classes)])


def _multi_target(table: Table, row: list[float]) -> str:
    """The target written the way decode_outputs writes a prediction, to compare them."""
    if len(row) == 1:
        return _target_text(table, row)
    return ", ".join(f"{n}={int(float(v) >= 0.5)}" for n, v in zip(table.targets, row, strict=True))


def _row_lines(table: Table, rows: list[dict], lang: str) -> list[str]:
    lines = []
    for i, (x, y, p) in enumerate(zip(table.X, table.Y, rows, strict=False)):
        if i == SHOWN_ROWS:
            more = len(table.X) - SHOWN_ROWS
            lines.append(t("train.summary.more_rows", lang, count=plural(more, lang, "word.row")))
            break
        mark = ""
        if table.task != "regression":
            mark = "✅" if p["text"] == _multi_target(table, y) else "❌"
            mark = "❔" if honest.unsure(p) else mark
        lines.append(
            t(
                "train.summary.row",
                lang,
                inputs=_row_label(table.names, i, x),
                prediction=html.escape(short(honest.answer_text(p, lang), PREDICTION_LIMIT)),
                target=html.escape(short(_target_text(table, y), PREDICTION_LIMIT)),
                mark=mark,
            )
        )
    return lines


def _question_lines(table: Table, answers: list[dict], lang: str) -> list[str]:
    lines = ["", t("train.summary.questions", lang)]
    for i, (x, p) in enumerate(zip(table.questions, answers, strict=False)):
        if i == SHOWN_ROWS:
            more = len(table.questions) - SHOWN_ROWS
            lines.append(t("train.summary.more_rows", lang, count=plural(more, lang, "word.row")))
            break
        lines.append(
            t(
                "train.summary.question",
                lang,
                inputs=_row_label(table.question_names, i, x),
                prediction=html.escape(short(honest.answer_text(p, lang), PREDICTION_LIMIT)),
                confidence=honest.detail_text(p, lang),
            )
        )
    return lines


def summary_text(
    table: Table, settings: TrainSettings, evaluation: Mapping[str, Any], lang: str
) -> str:
    """Final loss, accuracy, predictions next to targets, and the answers to `?` rows."""
    loss_name = t(f"loss.name.{LOSS_NAMES[resolved_loss(table, settings)]}", lang)
    loss = _optional_number(evaluation["loss"])
    lines = [t("train.summary.loss", lang, loss_name=loss_name, loss=loss)]
    if evaluation.get("accuracy") is not None:
        percent = f"{100 * evaluation['accuracy']:.0f}"
        line = t("train.summary.accuracy", lang, percent=percent)
        if evaluation.get("unsure"):
            rows = plural(evaluation["unsure"], lang, "word.row")
            line += t("train.summary.unsure", lang, rows=rows, total=len(table.X))
        lines.append(line)
    lines += _validation_loss_lines(evaluation, lang)
    lines += validation_lines(evaluation, settings, lang)
    if honest.class_one_text(table, lang):
        lines.append(honest.class_one_text(table, lang))
    lines += ["", t("train.summary.rows", lang)]
    lines += _row_lines(table, evaluation["rows"], lang)
    if evaluation.get("questions"):
        lines += _question_lines(table, evaluation["questions"], lang)
    note = separability_note(table, settings, lang)
    if note:
        lines += ["", note]
    if symmetric_start(settings):
        lines += ["", t("lesson.symmetric", lang)]
    if can_memorise(table, settings):
        params = plural(parameter_count(table, settings), lang, "word.parameter")
        rows = plural(len(table.X), lang, "word.row")
        lines += ["", t("train.summary.memorise", lang, params=params, rows=rows, loss=loss)]
    example = " ".join(number(v) for v in (table.questions or table.X)[0])
    lines += ["", t("train.summary.next", lang, example=example)]
    return "\n".join(lines)


# --- /predict -----------------------------------------------------------------------------------


def predict_text(state: ChatState, rows: list[list[float]], lang: str) -> str:
    """The trained network's answers for `rows` (runs the network: call off the event loop)."""
    table = Table.from_dict(state.table)
    encoding = encoding_for(table, state.encoding, settings_for(table, state.settings))
    model = load_model(state.model)
    answers = decode_outputs(table, encoding, model.predict(encode_inputs(encoding, rows)))
    lines = [t("table.predict.title", lang)]
    outside = outside_the_table(table, rows)
    for row, answer in zip(rows, answers, strict=True):
        shown = " ".join(number(v) for v in row)
        said = asdict(answer)
        said_text = html.escape(honest.answer_text(said, lang))
        line = f"<code>{html.escape(shown)}</code> → <b>{said_text}</b>"
        lines.append(line + honest.detail_text(said, lang))
    if outside:
        ranges = "; ".join(
            t(
                "table.predict.range" if lo < hi else "table.predict.constant",
                lang,
                name=html.escape(table.inputs[i]),
                low=number(lo),
                high=number(hi),
            )
            for i, lo, hi in outside
        )
        lines += ["", t("table.predict.extrapolating", lang, ranges=ranges)]
    if honest.class_one_text(table, lang):
        lines += ["", honest.class_one_text(table, lang)]
    return "\n".join(lines)


def outside_the_table(table: Table, rows: list[list[float]]) -> list[tuple[int, float, float]]:
    """(column, lowest, highest) of every input some row goes beyond the table's range in
    (by more than a tenth of that range): the network answers there by extrapolating."""
    X = np.asarray(table.X, dtype=float).reshape(len(table.X), -1)
    low, high = X.min(axis=0), X.max(axis=0)
    slack = 0.1 * np.maximum(high - low, 1e-12)
    asked = np.asarray(rows, dtype=float).reshape(len(rows), -1)
    beyond = ((asked < low - slack) | (asked > high + slack)).any(axis=0)
    return [(i, float(low[i]), float(high[i])) for i in np.flatnonzero(beyond)]


def overfits(val_loss: float, train_loss: float) -> bool:
    """Validation loss "much higher" than the training rows': half as much again, and by more
    than rounding noise (0.01), so that 0.002 against 0.001 is not called overfitting."""
    return val_loss > 1.5 * train_loss and val_loss - train_loss > 0.01


def _validation_loss_lines(evaluation: Mapping[str, Any], lang: str) -> list[str]:
    """The validation loss beside the training rows' loss, and what the two say together."""
    val, train = evaluation.get("val_loss"), evaluation.get("kept_train_loss")
    if val is None or train is None or not (math.isfinite(val) and math.isfinite(train)):
        return []
    verdict = "train.summary.val_higher" if overfits(val, train) else "train.summary.val_close"
    return [
        t("train.summary.val_loss", lang, loss=number(val), train=number(train)),
        t(verdict, lang),
    ]


def can_memorise(table: Table, settings: TrainSettings) -> bool:
    """A network with a hidden layer and many more weights than the table has answers can
    learn every row by heart, so a loss near 0 says little about new rows."""
    answers = len(table.X) * max(1, len(table.targets))
    return bool(settings.hidden) and (
        len(table.X) <= 3 or parameter_count(table, settings) > 10 * answers
    )


# --- /settings ----------------------------------------------------------------------------------


def settings_text(table: Table | None, settings: TrainSettings, lang: str) -> str:
    """The current settings, with the network's shape and size for the chat's table."""
    task = t(f"train.task.{table.task}" if table else "train.task.none", lang)
    if table:
        shape = shape_text(table, settings)
        params = plural(parameter_count(table, settings), lang, "word.parameter")
    else:
        hidden = "-".join(str(h) for h in settings.hidden)
        shape = "?-" + hidden + ("-?" if settings.hidden else "?")
        params = "?"  # no table: no shape
    loss = resolved_loss(table, settings) if table else settings.loss
    current = t(
        "settings.current",
        lang,
        task=task,
        shape=shape,
        params=params,
        hidden=settings.describe_hidden(),
        activation=settings.activation,
        loss=loss if settings.loss != "auto" or not table else f"auto → {loss}",
        optimizer=settings.optimizer,
        lr=f"{settings.lr:g}",
        epochs=settings.epochs,
        batch=settings.batch_size or "all",
        validation=f"{settings.validation:g}",
        seed="random" if settings.seed is None else settings.seed,
        init=settings.init,
        scale=settings.scale,
        bias="on" if settings.bias else "off",
    )
    off = t("settings.value.off", lang)
    line = t(
        "settings.overfitting_line",
        lang,
        patience=settings.patience or off,
        l2=f"{settings.l2:g}" if settings.l2 else off,
        dropout=f"{settings.dropout:g}" if settings.dropout else off,
    )
    return current + "\n" + line


def settings_rows(settings: TrainSettings, lang: str) -> Rows:
    """The buttons under /settings: cycle or scale one setting, presets, and Train."""

    def cycle(key: str, value: str) -> tuple[str, str]:
        name = t(f"settings.name.{key}", lang)
        return t("settings.button.cycle", lang, name=name, value=value), setting_data(key, NEXT)

    def scale(key: str, op: str, sign: str) -> tuple[str, str]:
        return f"{t(f'settings.name.{key}', lang)} {sign}", setting_data(key, op)

    hidden = settings.describe_hidden()
    off = t("settings.value.off", lang)
    return [
        [
            cycle("hidden", t("settings.value.none", lang) if hidden == "none" else hidden),
            cycle("init", choice_name("init", settings.init, lang)),
        ],
        [cycle("activation", choice_name("activation", settings.activation, lang))],
        [scale("lr", HALF, "÷2"), scale("lr", DOUBLE, "×2")],
        [scale("epochs", HALF, "÷2"), scale("epochs", DOUBLE, "×2")],
        [cycle("optimizer", choice_name("optimizer", settings.optimizer, lang))],
        [
            cycle(key, f"{getattr(settings, key):g}" if getattr(settings, key) else off)
            for key in ("patience", "l2", "dropout")
        ],
        [
            (t("settings.button.article", lang), setting_data("preset", "article")),
            (t("settings.button.defaults", lang), setting_data("preset", "default")),
        ],
        [(t("settings.button.train", lang), GO)],
    ]


def settings_error_text(error: SettingsError, lang: str) -> str:
    """The message for a bad setting; what the user typed is escaped and kept short."""
    values = {  # what the learner typed is cut short; our own lists of choices never are
        key: html.escape(str(value) if key in FULL_VALUES else short(str(value), ERROR_VALUE_LIMIT))
        for key, value in error.values.items()
    }
    return t(error.message_key, lang, **values)


# --- /weights -----------------------------------------------------------------------------------


def network_document(
    model: nn.Sequential, table: Table, encoding: Mapping[str, Any] | None
) -> bytes | None:
    """The network as readable JSON (with the table's names and the input scaling), or None
    when it has more than JSON_PARAMETER_LIMIT parameters."""
    if model.param_count() > JSON_PARAMETER_LIMIT:
        return None
    document = {
        "inputs": table.inputs,
        "outputs": output_names(table),
        "task": table.task,
        "input_scaling": encoding,
        "network": model.to_dict(),
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def output_names(table: Table) -> list[str]:
    """The names of the network's outputs: the classes, or the target columns."""
    return list(table.classes or ()) if table.task == "multiclass" else table.targets
