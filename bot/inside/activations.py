"""/activations: the four activation functions a chat can choose, and their derivatives.

Every curve is what nncore computes: `function(z)` and `slope(z, a)` of the library's own
activation objects, the same code `backward` runs. No Telegram here: the picture is PNG bytes.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from bot.i18n import plural, t
from bot.text import number
from bot.training.pictures import DPI, LABEL_SIZE, TEXT_SIZE, TICK_SIZE, TITLE_SIZE, png
from bot.training.run import ACTIVATIONS
from bot.training.settings import ACTIVATIONS as NAMES

Z_RANGE = (-6.0, 6.0)
POINTS = 601
FUNCTION_COLOUR = "#1f77b4"
SLOPE_COLOUR = "#d62728"
CHOSEN_COLOUR = "#ff7f0e"


def curves(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """z, f(z) and f′(z) of the nncore activation called `name`, in float64."""
    activation = ACTIVATIONS[name]()
    z = np.linspace(*Z_RANGE, POINTS)
    a = activation.function(z)
    return z, a, activation.slope(z, a)


def largest_slope(name: str) -> float:
    """The largest f′(z) on the drawn range (0.25 for the sigmoid, 1 for the others)."""
    return float(curves(name)[2].max())


def activations_picture(chosen: str, lang: str) -> bytes:
    """Four panels, one per activation: f(z) as a solid line, f′(z) dashed; the chat's
    current choice has a thick orange frame and says so in its title."""
    figure = Figure(figsize=(9.0, 8.4), dpi=DPI, layout="constrained")
    axes = figure.subplots(2, 2)
    for ax, name in zip(axes.ravel(), NAMES, strict=True):
        z, a, slope = curves(name)
        ax.axhline(0, color="#888", linewidth=1)
        ax.axvline(0, color="#888", linewidth=1)
        ax.plot(z, a, color=FUNCTION_COLOUR, linewidth=3, label=t("inside.act.function", lang))
        ax.plot(
            z, slope, color=SLOPE_COLOUR, linewidth=3, linestyle="--",
            label=t("inside.act.slope", lang),
        )  # fmt: skip
        if name == "sigmoid":
            ax.axhline(0.25, color=SLOPE_COLOUR, linewidth=1, linestyle=":")
            ax.annotate(
                t("inside.act.sigmoid_peak", lang), (0.3, 0.27), fontsize=TEXT_SIZE,
                color=SLOPE_COLOUR,
            )  # fmt: skip
        alpha = number(ACTIVATIONS["leaky_relu"]().alpha)
        title = t(f"inside.act.title.{name}", lang, alpha=alpha)
        if name == chosen:
            title = f"★ {title}"
            ax.text(
                0.03, 0.95, t("inside.act.chosen", lang), transform=ax.transAxes, va="top",
                fontsize=TEXT_SIZE + 1, color=CHOSEN_COLOUR, fontweight="bold",
            )  # fmt: skip
            for spine in ax.spines.values():
                spine.set_edgecolor(CHOSEN_COLOUR)
                spine.set_linewidth(5)
        colour = CHOSEN_COLOUR if name == chosen else "black"
        ax.set_title(title, fontsize=TITLE_SIZE - 2, color=colour)
        ax.set_xlim(*Z_RANGE)
        ax.set_ylim(-1.3, 2.2 if name in ("relu", "leaky_relu") else 1.3)
        ax.set_xlabel("z", fontsize=LABEL_SIZE)
        ax.tick_params(labelsize=TICK_SIZE)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=TEXT_SIZE - 2, loc="lower right", frameon=True)
    return png(figure)


SATURATED_Z = 5.0  # where the text reads the sigmoid's and tanh's derivatives
DEEP_LAYERS = 4  # the depth the vanishing-gradient sentence multiplies through


def slope_at(name: str, z: float) -> float:
    """f′(z) of one nncore activation at one point."""
    activation = ACTIVATIONS[name]()
    point = np.array([z], dtype=np.float64)
    return float(activation.slope(point, activation.function(point))[0])


def activations_text(chosen: str, lang: str) -> str:
    """The caption's long sibling: saturation, vanishing gradients and dead ReLUs, with the
    numbers nncore computes."""
    peak = largest_slope("sigmoid")
    return t(
        "inside.act.text",
        lang,
        chosen=t(f"inside.act.name.{chosen}", lang),
        other="leaky_relu" if chosen == "relu" else "relu",
        sig5=number(slope_at("sigmoid", SATURATED_Z)),
        tanh5=number(slope_at("tanh", SATURATED_Z)),
        peak=number(peak),
        layers=plural(DEEP_LAYERS, lang, "word.layer"),
        shrink=number(peak**DEEP_LAYERS),
        alpha=number(ACTIVATIONS["leaky_relu"]().alpha),
    )
