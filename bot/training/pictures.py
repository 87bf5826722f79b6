"""Pictures of a chat's training: the loss curve here, and what every picture shares.

The network (`network_picture`) and the decision regions (`boundary_picture`) have their own
modules. Each picture function returns PNG bytes and touches nothing else, so handlers call
it through `asyncio.to_thread` (and the training job draws the loss curve in its worker).
Figures use matplotlib's object API (`Figure` + `FigureCanvasAgg`, no pyplot state), which is
safe to use from several threads at once. Sizes and fonts are chosen for a phone screen:
about 1000 px wide, text at 15–20 pt; titles come from the i18n catalogue.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.i18n import t
from bot.text import number

DPI = 110
TITLE_SIZE = 20
LABEL_SIZE = 17
TICK_SIZE = 14
TEXT_SIZE = 14
MAX_PLOTTED_POINTS = 2_000
PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)


def png(figure: Figure) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    FigureCanvasAgg(figure).print_png(buffer)
    return buffer.getvalue()


def style(ax: Axes) -> None:
    ax.tick_params(labelsize=TICK_SIZE)
    ax.grid(True, alpha=0.3)


def thin_curve(
    values: Sequence[float], epochs: Sequence[int] | None
) -> tuple[np.ndarray, np.ndarray]:
    """Epoch numbers and values, thinned to at most MAX_PLOTTED_POINTS (keeping the last).

    `epochs` numbers the values of a history stored already thinned (None: 1, 2, 3, …).
    """
    y = np.asarray(values, dtype=np.float64)
    x = np.asarray(epochs) if epochs and len(epochs) == len(y) else np.arange(1, len(y) + 1)
    if len(y) > MAX_PLOTTED_POINTS:
        keep = np.unique(np.linspace(0, len(y) - 1, MAX_PLOTTED_POINTS).astype(int))
        x, y = x[keep], y[keep]
    return x, y


def stored_floats(values: Sequence[float | None] | None) -> list[float]:
    """A stored curve as floats: null (a non-finite value the store could not keep) is nan."""
    return [math.nan if v is None else float(v) for v in values or []]


def uses_log_scale(values: Sequence[float]) -> bool:
    """A log axis helps when the loss falls over more than about one and a half decades."""
    y = np.asarray(values, dtype=np.float64)
    y = y[np.isfinite(y)]
    return bool(y.size > 1 and y.min() > 0 and y.max() / y.min() > 30)


def loss_plot(history: Mapping[str, Any], lang: str) -> bytes:
    """The training (and validation) loss per epoch; log scale when the loss spans decades.

    With validation rows the best validation epoch is marked; a classification table gets a
    second panel below with the share of right answers on the training and validation rows.
    """
    loss = stored_floats(history.get("loss"))
    if not loss:
        raise ValueError("the history has no epochs")
    accuracy = stored_floats(history.get("accuracy"))
    figure = Figure(figsize=(9, 8.4 if accuracy else 5.6), dpi=DPI, layout="constrained")
    if accuracy:
        ax, acc_ax = figure.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    else:
        ax, acc_ax = figure.add_subplot(), None
    _loss_panel(ax, history, loss, lang)
    if acc_ax is not None:
        _accuracy_panel(acc_ax, history, accuracy, lang)
    (acc_ax or ax).set_xlabel(t("train.plot.epoch", lang), fontsize=LABEL_SIZE)
    return png(figure)


def _best_epoch_line(ax: Axes, history: Mapping[str, Any], lang: str | None) -> None:
    """A dotted vertical line at the best validation epoch (labelled when `lang` is given)."""
    best = history.get("best_epoch")
    if not best or not history.get("val_loss"):
        return
    label = t("quality.plot.best", lang, epoch=best) if lang else None
    ax.axvline(best, color=PALETTE[2], linewidth=2, linestyle=":", label=label)


def _loss_panel(ax: Axes, history: Mapping[str, Any], loss: list[float], lang: str) -> None:
    val = stored_floats(history.get("val_loss"))
    epochs = history.get("epoch")
    x, y = thin_curve(loss, epochs)
    final = history.get("final_loss")
    label = t("train.plot.train", lang, value=number(loss[-1] if final is None else final))
    ax.plot(x, y, color=PALETTE[0], linewidth=2.5, label=label)
    if val:
        vx, vy = thin_curve(val, epochs)
        final_val = history.get("final_val_loss")
        shown = number(val[-1] if final_val is None else final_val)
        label = t("train.plot.validation", lang, value=shown)
        ax.plot(vx, vy, color=PALETTE[1], linewidth=2.5, linestyle="--", label=label)
        _best_epoch_line(ax, history, lang)
    log = uses_log_scale(loss + val)
    if log:
        ax.set_yscale("log")
    ax.set_title(t("train.plot.title", lang), fontsize=TITLE_SIZE)
    ylabel = t("train.plot.loss_log" if log else "train.plot.loss", lang)
    ax.set_ylabel(ylabel, fontsize=LABEL_SIZE)
    if len(x) == 1:
        ax.set_xlim(x[0] - 0.5, x[0] + 0.5)
    style(ax)
    ax.legend(fontsize=TEXT_SIZE, loc="best")


def _accuracy_panel(ax: Axes, history: Mapping[str, Any], accuracy: list[float], lang: str) -> None:
    epochs = history.get("epoch")
    x, y = thin_curve([100 * a for a in accuracy], epochs)
    label = t("quality.plot.train_accuracy", lang)
    ax.plot(x, y, color=PALETTE[0], linewidth=2.5, label=label)
    val = stored_floats(history.get("val_accuracy"))
    if val:
        vx, vy = thin_curve([100 * a for a in val], epochs)
        label = t("quality.plot.val_accuracy", lang)
        ax.plot(vx, vy, color=PALETTE[1], linewidth=2.5, linestyle="--", label=label)
        _best_epoch_line(ax, history, None)
    ax.set_ylim(-3, 103)
    ax.set_ylabel(t("quality.plot.accuracy", lang), fontsize=LABEL_SIZE)
    style(ax)
    ax.legend(fontsize=TEXT_SIZE, loc="lower right")
