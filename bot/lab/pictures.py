"""Pictures of a digits-lab training: the curves, the confusion matrix, the mistakes, the filters.

Each function returns PNG bytes (matplotlib's object API, no pyplot state, safe in threads);
`result_pictures` draws all four in the training worker. Sizes suit a phone screen, as in
`bot.training.pictures`, whose `png`, `style` and palette these pictures share.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

import nncore as nn
from bot.i18n import t
from bot.lab.data import LabDigits
from bot.training.pictures import DPI, LABEL_SIZE, PALETTE, TEXT_SIZE, TITLE_SIZE, png, style

GALLERY = 24  # misclassified test digits shown
FILTERS_SHOWN = 8


def curves_picture(history: Mapping[str, Any], turn_epoch: int | None, lang: str) -> bytes:
    """Loss and accuracy per epoch, training solid and validation dashed; the turn marked."""
    figure = Figure(figsize=(10, 8.5), dpi=DPI, layout="constrained")
    loss_ax, acc_ax = figure.subplots(2, 1, sharex=True)
    panels = ((loss_ax, "loss", "val_loss", 1.0), (acc_ax, "accuracy", "val_accuracy", 100.0))
    for ax, train_key, val_key, scale in panels:
        for key, colour, dash, label in (
            (train_key, PALETTE[0], "-", "lab.plot.train"),
            (val_key, PALETTE[1], "--", "lab.plot.validation"),
        ):
            values = np.asarray(history.get(key) or [], dtype=np.float64) * scale
            if values.size:
                epochs = np.arange(1, values.size + 1)
                ax.plot(epochs, values, dash, color=colour, linewidth=2.5, marker="o",
                        markersize=4 if values.size < 30 else 0, label=t(label, lang))  # fmt: skip
        style(ax)
    if turn_epoch is not None:
        for ax in (loss_ax, acc_ax):
            ax.axvline(turn_epoch, color=PALETTE[3], linewidth=2, linestyle=":")
        loss_ax.annotate(
            t("lab.plot.turn", lang, epoch=turn_epoch),
            xy=(turn_epoch, float(history["val_loss"][turn_epoch - 1])),
            xytext=(0.35, 0.52), textcoords="axes fraction", fontsize=TEXT_SIZE, color=PALETTE[3],
            arrowprops={"arrowstyle": "->", "color": PALETTE[3]},
        )  # fmt: skip
    acc_ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    loss_ax.set_title(t("lab.plot.title", lang), fontsize=TITLE_SIZE)
    loss_ax.set_ylabel(t("lab.plot.loss", lang), fontsize=LABEL_SIZE)
    acc_ax.set_ylabel(t("lab.plot.accuracy", lang), fontsize=LABEL_SIZE)
    acc_ax.set_xlabel(t("lab.plot.epoch", lang), fontsize=LABEL_SIZE)
    loss_ax.legend(fontsize=TEXT_SIZE)
    acc_ax.legend(fontsize=TEXT_SIZE, loc="lower right")
    return png(figure)


def confusion_picture(matrix: np.ndarray, lang: str) -> bytes:
    """The 10×10 table of true digit × answer; mistakes in red, the diagonal in green."""
    matrix = np.asarray(matrix)
    figure = Figure(figsize=(9, 8.6), dpi=DPI, layout="constrained")
    ax = figure.add_subplot()
    mistakes = matrix.astype(np.float64).copy()
    np.fill_diagonal(mistakes, np.nan)
    ax.imshow(np.log1p(mistakes), cmap="Reds", vmin=0, vmax=max(np.log1p(np.nanmax(mistakes)), 1))
    biggest = matrix.max() or 1
    for true in range(10):
        for said in range(10):
            count = int(matrix[true, said])
            if true == said:
                ax.add_patch(_cell(true, said, "#c7e9c0"))
            if count:
                weight = "bold" if true != said and count >= 0.01 * biggest else "normal"
                ax.text(said, true, str(count), ha="center", va="center", fontsize=11,
                        fontweight=weight)  # fmt: skip
    ax.set_xticks(range(10))
    ax.set_yticks(range(10))
    ax.tick_params(labelsize=LABEL_SIZE)
    ax.set_xlabel(t("lab.confusion.said", lang), fontsize=LABEL_SIZE)
    ax.set_ylabel(t("lab.confusion.true", lang), fontsize=LABEL_SIZE)
    ax.set_title(t("lab.confusion.title", lang), fontsize=TITLE_SIZE)
    return png(figure)


def _cell(row: int, column: int, colour: str):
    from matplotlib.patches import Rectangle

    return Rectangle((column - 0.5, row - 0.5), 1, 1, color=colour, zorder=0)


def gallery_picture(
    images: np.ndarray, labels: np.ndarray, predicted: np.ndarray, probs: np.ndarray, lang: str
) -> bytes:
    """Up to GALLERY misclassified digits, each titled "true → said (confidence)"."""
    wrong = np.flatnonzero(labels != predicted)
    # the most confident mistakes first: the ones that tell the most about the network
    wrong = wrong[np.argsort(-probs[wrong, predicted[wrong]])][:GALLERY]
    columns = 6
    rows = max(1, -(-len(wrong) // columns))
    figure = Figure(figsize=(10, 1.9 * rows + 0.9), dpi=DPI, layout="constrained")
    figure.suptitle(t("lab.gallery.title", lang, count=int((labels != predicted).sum())),
                    fontsize=TITLE_SIZE)  # fmt: skip
    axes = np.atleast_1d(figure.subplots(rows, columns)).ravel()
    for ax in axes:
        ax.axis("off")
    for ax, i in zip(axes, wrong, strict=False):
        ax.imshow(images[i], cmap="gray_r", vmin=0, vmax=255)
        said = int(predicted[i])
        title = t("lab.gallery.item", lang, true=int(labels[i]), said=said,
                  confidence=f"{probs[i, said] * 100:.0f}")  # fmt: skip
        ax.set_title(title, fontsize=13)
    if not len(wrong):
        axes[0].text(0, 0.5, t("lab.gallery.none", lang), fontsize=LABEL_SIZE)
    return png(figure)


def filters_picture(model: nn.Sequential, image: np.ndarray, lang: str) -> bytes:
    """The first convolution's 3×3 filters (top row) and what each makes of one digit (below)."""
    conv = next(layer for layer in model.layers if isinstance(layer, nn.Conv2D))
    shown = min(conv.c_out, FILTERS_SHOWN)
    x = (np.asarray(image, dtype=np.float32) / 255).reshape(1, 1, 28, 28)
    maps = conv.forward(x.astype(conv.params["W"].dtype))[0]
    figure = Figure(figsize=(1.7 * (shown + 1), 4.4), dpi=DPI, layout="constrained")
    figure.suptitle(t("lab.filters.title", lang, shown=shown, total=conv.c_out),
                    fontsize=TITLE_SIZE)  # fmt: skip
    axes = figure.subplots(2, shown + 1)
    for ax in axes.ravel():
        ax.set_xticks([])
        ax.set_yticks([])
    axes[0, 0].imshow(image, cmap="gray_r")
    axes[0, 0].set_title(t("lab.filters.input", lang), fontsize=13)
    axes[1, 0].axis("off")
    for f in range(shown):
        weights = conv.params["W"][f, 0]
        limit = float(np.abs(weights).max()) or 1.0
        axes[0, f + 1].imshow(weights, cmap="RdBu_r", vmin=-limit, vmax=limit)
        axes[0, f + 1].set_title(t("lab.filters.filter", lang, number=f + 1), fontsize=13)
        axes[1, f + 1].imshow(np.maximum(maps[f], 0), cmap="magma")
    axes[1, 1].set_ylabel(t("lab.filters.map", lang), fontsize=13)
    return png(figure)


def example_digit(data: LabDigits, predicted: np.ndarray) -> np.ndarray:
    """The test digit whose feature maps are shown: the first one read right (a steady choice)."""
    right = np.flatnonzero(predicted == data.y_test)
    return data.x_test[int(right[0]) if len(right) else 0]


def result_pictures(
    model: nn.Sequential,
    history: Mapping[str, Any],
    matrix: np.ndarray,
    data: LabDigits,
    predicted: np.ndarray,
    probs: np.ndarray,
    turn_epoch: int | None,
    lang: str,
) -> dict[str, bytes]:
    """Every picture of a finished lab training, by name (the curves only with epochs run)."""
    pictures = {
        "confusion": confusion_picture(matrix, lang),
        "gallery": gallery_picture(data.x_test, data.y_test, predicted, probs, lang),
    }
    if history.get("loss"):
        pictures["curves"] = curves_picture(history, turn_epoch, lang)
    if any(isinstance(layer, nn.Conv2D) for layer in model.layers):
        pictures["filters"] = filters_picture(model, example_digit(data, predicted), lang)
    return pictures
