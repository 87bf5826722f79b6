"""The lesson's own pictures: two starts side by side, and several loss curves on one plot.

Drawn in the lesson job's worker (`bot.lesson.work`), with the sizes and fonts every picture
of the bot uses (`bot.training.pictures`): about 1000 px wide, labels from the catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from bot.i18n import t
from bot.tables.table import Table
from bot.training.pictures import (
    DPI,
    LABEL_SIZE,
    PALETTE,
    TEXT_SIZE,
    TITLE_SIZE,
    png,
    style,
    uses_log_scale,
)


def symmetry_picture(
    ones: np.ndarray, random: np.ndarray, facts: Mapping[str, Any], table: Table, lang: str
) -> bytes:
    """Each hidden neuron's weights (one bar per input, then its bias) after training from
    all-ones (left) and from a random start (right); twins have identical bars."""
    figure = Figure(figsize=(9.5, 5.4), dpi=DPI, layout="constrained")
    axes = figure.subplots(1, 2, sharey=True)
    names = [*table.inputs, t("guide.picture.bias", lang)]
    limit = float(max(np.abs(ones).max(), np.abs(random).max())) * 1.15 or 1.0
    for ax, weights, key in ((axes[0], ones, "textbook"), (axes[1], random, "auto")):
        inputs, neurons = weights.shape
        width = 0.8 / inputs
        for row in range(inputs):
            place = np.arange(neurons) + (row - (inputs - 1) / 2) * width
            ax.bar(place, weights[row], width, color=PALETTE[row], label=names[row])
        ax.axhline(0, color="#444444", linewidth=1)
        ax.set_xticks(range(neurons), [f"h{i + 1}" for i in range(neurons)], fontsize=LABEL_SIZE)
        percent = f"{facts[key]['accuracy']:.0%}"
        ax.set_title(t(f"guide.picture.start_{key}", lang, percent=percent), fontsize=TEXT_SIZE + 2)
        ax.set_ylim(-limit, limit)
        style(ax)
    axes[0].set_ylabel(t("guide.picture.weight", lang), fontsize=LABEL_SIZE)
    axes[1].legend(fontsize=TEXT_SIZE, loc="lower right")
    figure.suptitle(t("guide.picture.symmetry", lang), fontsize=TITLE_SIZE)
    return png(figure)


def curves_picture(curves: Mapping[str, Mapping[str, Any]], topic: str, lang: str) -> bytes:
    """Training-loss curves of several runs of one experiment on one plot (`topic`: "batches"
    or "activations"; a curve's label is `guide.picture.<topic>.<name>`)."""
    figure = Figure(figsize=(9.5, 5.8), dpi=DPI, layout="constrained")
    ax = figure.add_subplot()
    every: list[float] = []
    styles = ("-", "--", "-.", ":")
    for index, (name, history) in enumerate(curves.items()):
        loss = [float(v) for v in history.get("loss") or []]
        epochs = history.get("epoch") or list(range(1, len(loss) + 1))
        every += loss
        label = t(f"guide.picture.{topic}.{name}", lang)
        ax.plot(
            epochs,
            loss,
            color=PALETTE[index],
            linewidth=2.5,
            linestyle=styles[index % len(styles)],
            label=label,
        )
    log = uses_log_scale(every)
    if log:
        ax.set_yscale("log")
    ax.set_title(t(f"guide.picture.{topic}", lang), fontsize=TITLE_SIZE)
    ax.set_xlabel(t("train.plot.epoch", lang), fontsize=LABEL_SIZE)
    ax.set_ylabel(t("train.plot.loss_log" if log else "train.plot.loss", lang), fontsize=LABEL_SIZE)
    style(ax)
    ax.legend(fontsize=TEXT_SIZE, loc="upper right")
    return png(figure)


def overfitting_picture(history: Mapping[str, Any], best_epoch: int, lang: str) -> bytes:
    """Training and validation loss per epoch on a linear scale (where overfitting shows as
    two curves parting), with the epoch of the lowest validation loss marked."""
    loss = [float(v) for v in history.get("loss") or []]
    val = [float(v) for v in history.get("val_loss") or []]
    epochs = history.get("epoch") or list(range(1, len(loss) + 1))
    figure = Figure(figsize=(9.5, 5.8), dpi=DPI, layout="constrained")
    ax = figure.add_subplot()
    ax.plot(epochs, loss, color=PALETTE[0], linewidth=2.5, label=t("guide.picture.train", lang))
    ax.plot(
        epochs,
        val,
        color=PALETTE[1],
        linewidth=2.5,
        linestyle="--",
        label=t("guide.picture.validation", lang),
    )
    ax.axvline(
        best_epoch,
        color="#444444",
        linewidth=1.5,
        linestyle=":",
        label=t("guide.picture.best", lang, epoch=best_epoch),
    )
    settled = len(loss) // 50  # the first epochs start far above: scale to what follows
    ax.set_ylim(0, max(val[settled:] + loss[settled:]) * 1.15 or 1.0)
    ax.set_title(t("guide.picture.overfitting", lang), fontsize=TITLE_SIZE)
    ax.set_xlabel(t("train.plot.epoch", lang), fontsize=LABEL_SIZE)
    ax.set_ylabel(t("train.plot.loss", lang), fontsize=LABEL_SIZE)
    style(ax)
    ax.legend(fontsize=TEXT_SIZE, loc="upper left")
    return png(figure)
