"""Pictures for the digit reader: what the network saw, its probabilities, and the stages.

Pure functions returning PNG bytes (matplotlib Agg), sized and lettered for a phone screen.
Call them off the event loop (`asyncio.to_thread`).
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from bot.i18n import t

ACCENT = "#2b6cb0"
MUTED = "#a0aec0"


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=100)
    plt.close(figure)
    return out.getvalue()


def _show_input(ax, image28: np.ndarray) -> None:
    ax.imshow(np.asarray(image28), cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color(MUTED)


def digit_picture(image28: np.ndarray, probs: np.ndarray, lang: str) -> bytes:
    """The 28×28 input beside ten probability bars, the winner highlighted."""
    probs = np.asarray(probs, dtype=float)
    best = int(np.argmax(probs))
    figure, (left, right) = plt.subplots(
        1, 2, figsize=(10, 5.6), gridspec_kw={"width_ratios": [1, 1.15]}, layout="constrained"
    )
    _show_input(left, image28)
    left.set_title(t("digits.picture.seen", lang), fontsize=19, pad=10)
    digits = np.arange(10)
    colours = [ACCENT if d == best else MUTED for d in digits]
    right.barh(digits, probs * 100, color=colours, height=0.75)
    right.set_yticks(digits, [str(d) for d in digits], fontsize=20)
    right.invert_yaxis()
    right.set_xlim(0, 118)
    right.set_xticks([0, 50, 100], ["0%", "50%", "100%"], fontsize=15)
    for d in digits:
        if probs[d] >= 0.005 or d == best:
            weight = "bold" if d == best else "normal"
            right.text(
                probs[d] * 100 + 2,
                d,
                f"{probs[d] * 100:.1f}%",
                va="center",
                fontsize=17,
                fontweight=weight,
            )
    right.set_title(t("digits.picture.probs", lang), fontsize=19, pad=10)
    for side in ("top", "right"):
        right.spines[side].set_visible(False)
    figure.get_layout_engine().set(w_pad=0.25, h_pad=0.2)
    return _png(figure)


def number_picture(
    images28: list[np.ndarray], digits: list[int], confidences: list[float], lang: str
) -> bytes:
    """Each digit's 28×28 input in a row, its reading and confidence underneath."""
    count = len(images28)
    columns = min(count, 8)
    rows = -(-count // columns)
    figure, axes = plt.subplots(
        rows, columns, figsize=(1.9 * columns + 0.6, 2.5 * rows + 1.0), squeeze=False
    )
    for ax in axes.ravel():
        ax.axis("off")
    for i, (image, digit, conf) in enumerate(zip(images28, digits, confidences, strict=True)):
        ax = axes[i // columns, i % columns]
        ax.axis("on")
        _show_input(ax, image)
        ax.set_xlabel(
            f"{digit}  ·  {conf * 100:.0f}%",
            fontsize=19,
            color=ACCENT if conf >= 0.8 else "#c05621",
        )
    number = "".join(str(d) for d in digits)
    figure.suptitle(t("digits.picture.number", lang, number=number), fontsize=22)
    figure.tight_layout()
    return _png(figure)


def stages_picture(stages: list[tuple[str, np.ndarray]], lang: str) -> bytes:
    """Every preprocessing stage in a grid, captioned in the user's language."""
    count = len(stages)
    columns = 4 if count > 4 else max(1, count)
    rows = -(-count // columns)
    figure, axes = plt.subplots(
        rows, columns, figsize=(3.4 * columns, 3.6 * rows + 0.8), squeeze=False
    )
    for ax in axes.ravel():
        ax.axis("off")
    for i, (name, picture) in enumerate(stages):
        ax = axes[i // columns, i % columns]
        picture = np.asarray(picture)
        if picture.ndim == 2:
            ax.imshow(
                picture,
                cmap="gray",
                vmin=0,
                vmax=255,
                interpolation="nearest" if max(picture.shape) <= 64 else "antialiased",
            )
        else:
            ax.imshow(picture)
        ax.set_title(t(f"digits.stage.{name}", lang), fontsize=17)
    figure.suptitle(t("digits.picture.stages", lang), fontsize=22)
    figure.tight_layout()
    return _png(figure)
