"""Pictures of a chat's training: the loss curve, the network, and the decision regions.

Each function returns PNG bytes and touches nothing else, so handlers call it through
`asyncio.to_thread`. Figures use matplotlib's object API (`Figure` + `FigureCanvasAgg`, no
pyplot state), which is safe to use from several threads at once. Sizes and fonts are chosen
for a phone screen: about 1000 px wide, text at 15–20 pt; titles come from the i18n catalogue.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any

import matplotlib

matplotlib.use("Agg")

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle

from bot.i18n import t
from bot.training import run as training

DPI = 110
TITLE_SIZE = 20
LABEL_SIZE = 17
TICK_SIZE = 14
TEXT_SIZE = 14
MAX_PLOTTED_POINTS = 2_000
MAX_SHOWN_NEURONS = 10
POSITIVE, NEGATIVE = "#1f5fbf", "#d0342c"
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


class BoundaryUnavailable(ValueError):
    """The table cannot have a 2-D picture; `key` is the i18n message that explains why."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasAgg(figure).print_png(buffer)
    return buffer.getvalue()


def _style(ax: Any) -> None:
    ax.tick_params(labelsize=TICK_SIZE)
    ax.grid(True, alpha=0.3)


# --- the loss curve ----------------------------------------------------------------------------


def _thin(values: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """Epoch numbers and values, thinned to at most MAX_PLOTTED_POINTS (keeping the last)."""
    y = np.asarray(values, dtype=np.float64)
    x = np.arange(1, len(y) + 1)
    if len(y) > MAX_PLOTTED_POINTS:
        keep = np.unique(np.linspace(0, len(y) - 1, MAX_PLOTTED_POINTS).astype(int))
        x, y = x[keep], y[keep]
    return x, y


def uses_log_scale(values: Sequence[float]) -> bool:
    """A log axis helps when the loss falls over more than about one and a half decades."""
    y = np.asarray(values, dtype=np.float64)
    y = y[np.isfinite(y)]
    return bool(y.size > 1 and y.min() > 0 and y.max() / y.min() > 30)


def loss_plot(history: Mapping[str, Any], lang: str) -> bytes:
    """The training (and validation) loss per epoch; log scale when the loss spans decades."""
    loss = list(history.get("loss") or [])
    val = list(history.get("val_loss") or [])
    if not loss:
        raise ValueError("the history has no epochs")
    figure = Figure(figsize=(9, 5.6), dpi=DPI, layout="constrained")
    ax = figure.add_subplot()
    x, y = _thin(loss)
    ax.plot(
        x,
        y,
        color=PALETTE[0],
        linewidth=2.5,
        label=t("train.plot.train", lang, value=training.format_number(loss[-1])),
    )
    if val:
        vx, vy = _thin(val)
        ax.plot(
            vx,
            vy,
            color=PALETTE[1],
            linewidth=2.5,
            linestyle="--",
            label=t("train.plot.validation", lang, value=training.format_number(val[-1])),
        )
    log = uses_log_scale(loss + val)
    if log:
        ax.set_yscale("log")
    ax.set_title(t("train.plot.title", lang), fontsize=TITLE_SIZE)
    ax.set_xlabel(t("train.plot.epoch", lang), fontsize=LABEL_SIZE)
    ylabel = t("train.plot.loss_log" if log else "train.plot.loss", lang)
    ax.set_ylabel(ylabel, fontsize=LABEL_SIZE)
    if len(loss) == 1:
        ax.set_xlim(0.5, 1.5)
    _style(ax)
    ax.legend(fontsize=TEXT_SIZE, loc="upper right")
    return _png(figure)


# --- the network -------------------------------------------------------------------------------


def _dense_layers(model_dict: Mapping[str, Any]) -> list[tuple[np.ndarray, np.ndarray, str]]:
    """(W, b, activation after it) for each Dense layer of a `Sequential.to_dict()`."""
    result: list[tuple[np.ndarray, np.ndarray, str]] = []
    for entry in model_dict["layers"]:
        if entry["type"] == "Dense":
            params = entry.get("params") or {}
            W = np.asarray(params["W"], dtype=np.float64)
            b = np.asarray(params.get("b", np.zeros(W.shape[1])), dtype=np.float64)
            result.append([W, b, "linear"])
        elif result and entry["type"] != "Dropout":
            result[-1][2] = entry["type"].lower()
    if not result:
        raise ValueError("the model has no Dense layers to draw")
    return [tuple(r) for r in result]


def _shown(n: int) -> list[int]:
    """Which neurons of a layer are drawn: all, or the first ones and the last."""
    if n <= MAX_SHOWN_NEURONS:
        return list(range(n))
    return [*range(MAX_SHOWN_NEURONS - 1), n - 1]


def _positions(shown: int) -> np.ndarray:
    """Vertical places of a layer's neurons, centred on 0, one unit apart."""
    return (shown - 1) / 2 - np.arange(shown, dtype=np.float64)


def network_picture(
    model_dict: Mapping[str, Any],
    lang: str,
    input_names: Sequence[str] | None = None,
    output_names: Sequence[str] | None = None,
) -> bytes:
    """Neurons as circles (bias inside), weights as lines: blue positive, red negative,
    thicker = larger. Small networks also get each weight's value written on its line."""
    return _png(network_figure(model_dict, lang, input_names, output_names))


def network_figure(
    model_dict: Mapping[str, Any],
    lang: str,
    input_names: Sequence[str] | None = None,
    output_names: Sequence[str] | None = None,
) -> Figure:
    """The figure behind network_picture (weight labels carry gid="weight")."""
    dense = _dense_layers(model_dict)
    sizes = [dense[0][0].shape[0]] + [W.shape[1] for W, _, _ in dense]
    shown = [_shown(n) for n in sizes]
    ys = [_positions(len(s)) for s in shown]
    # Widths are relative to the largest weight, but never exaggerate weights far below 1.
    biggest = max(1.0, *(float(np.abs(W).max()) for W, _, _ in dense))
    label_weights = all(len(a) * len(b) <= 8 for a, b in pairwise(shown))
    height = max(len(s) for s in shown)
    figure = Figure(
        figsize=(max(8.5, 3.2 * len(sizes)), max(4.8, 1.0 * height + 2.2)),
        dpi=DPI,
        layout="constrained",
    )
    ax = figure.add_subplot()
    ax.set_axis_off()
    ax.set_aspect("equal")
    gap = 3.0
    radius = 0.3
    labels = []
    for layer, (W, _, _) in enumerate(dense):
        for a, i in enumerate(shown[layer]):
            for c, j in enumerate(shown[layer + 1]):
                w = W[i, j]
                x0, y0 = layer * gap, ys[layer][a]
                x1, y1 = (layer + 1) * gap, ys[layer + 1][c]
                ax.plot(
                    [x0, x1],
                    [y0, y1],
                    color=POSITIVE if w >= 0 else NEGATIVE,
                    linewidth=0.6 + 5.5 * abs(w) / biggest,
                    alpha=0.75,
                    zorder=1,
                    solid_capstyle="round",
                )
                if label_weights:
                    labels.append(((x0, y0), (x1, y1), _compact(w)))
    for (x, y), text in zip(_label_spots(labels), (text for *_, text in labels), strict=True):
        ax.text(
            x,
            y,
            text,
            fontsize=TEXT_SIZE - 1,
            ha="center",
            va="center",
            zorder=3,
            gid="weight",
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
        )
    for layer, indices in enumerate(shown):
        for a, i in enumerate(indices):
            x, y = layer * gap, ys[layer][a]
            hidden_or_output = layer > 0
            face = "#f4f4f4" if not hidden_or_output else "#fff7d6"
            ax.add_patch(Circle((x, y), radius, facecolor=face, edgecolor="#333", lw=1.8, zorder=2))
            if hidden_or_output:
                bias = dense[layer - 1][1][i]
                ax.text(
                    x, y, _compact(bias), fontsize=TEXT_SIZE - 2, ha="center", va="center", zorder=4
                )
            name = _neuron_name(layer, i, sizes, input_names, output_names)
            if layer == 0:
                ax.text(x - radius - 0.12, y, name, fontsize=TEXT_SIZE, ha="right", va="center")
            elif layer == len(sizes) - 1:
                ax.text(x + radius + 0.12, y, name, fontsize=TEXT_SIZE, ha="left", va="center")
            if len(indices) < sizes[layer] and a == len(indices) - 2:
                ax.text(
                    x,
                    (y + ys[layer][a + 1]) / 2,
                    "⋮",
                    fontsize=LABEL_SIZE,
                    ha="center",
                    va="center",
                )
    bottom = min(float(y.min()) for y in ys) - 0.9
    for layer, n in enumerate(sizes):
        caption = t("train.net.inputs", lang) if layer == 0 else dense[layer - 1][2]
        if n > len(shown[layer]):
            caption += "\n" + t("train.net.count", lang, count=n)
        ax.text(layer * gap, bottom, caption, fontsize=TEXT_SIZE, ha="center", va="top")
    ax.set_xlim(-1.9, (len(sizes) - 1) * gap + 1.9)
    ax.set_ylim(bottom - 0.8, float(max(y.max() for y in ys)) + 0.5)
    ax.set_title(t("train.net.title", lang), fontsize=TITLE_SIZE)
    figure.legend(
        handles=[Line2D([], [], color=POSITIVE, lw=3), Line2D([], [], color=NEGATIVE, lw=3)],
        labels=[t("train.net.positive", lang), t("train.net.negative", lang)],
        loc="lower center",
        ncols=2,
        fontsize=TEXT_SIZE,
        frameon=False,
    )
    return figure


# Where along its line each weight's value goes: the first of these fractions (from the left
# neuron) whose label clears the labels already placed and the neurons at both ends.
LABEL_FRACTIONS = (0.3, 0.42, 0.54, 0.66, 0.24, 0.36, 0.48, 0.6, 0.72, 0.2, 0.78)


def _label_spots(
    lines: Sequence[tuple[tuple[float, float], tuple[float, float], str]],
) -> list[tuple[float, float]]:
    """Positions for the weight labels of small networks so that they do not cover each other.

    Sizes are in the picture's units (one unit between neighbouring neurons ≈ 70 pt at the
    sizes network_picture uses): a character of the label font ≈ 0.12 units wide, a label
    ≈ 0.3 high. Greedy, in drawing order; when nothing is free, the least covered spot wins.
    """
    placed: list[tuple[float, float, float, float]] = []  # centre x, centre y, half w, half h
    spots = []
    for (x0, y0), (x1, y1), text in lines:
        half_w, half_h = 0.06 * len(text) + 0.08, 0.16
        best, best_cover = (x0, y0), float("inf")
        for k in LABEL_FRACTIONS:
            x, y = x0 + k * (x1 - x0), y0 + k * (y1 - y0)
            cover = sum(
                max(0.0, min(x + half_w, px + pw) - max(x - half_w, px - pw))
                * max(0.0, min(y + half_h, py + ph) - max(y - half_h, py - ph))
                for px, py, pw, ph in placed
            )
            if cover < best_cover:
                best, best_cover = (x, y), cover
            if cover == 0:
                break
        placed.append((*best, half_w, half_h))
        spots.append(best)
    return spots


def _neuron_name(
    layer: int,
    index: int,
    sizes: Sequence[int],
    input_names: Sequence[str] | None,
    output_names: Sequence[str] | None,
) -> str:
    if layer == 0:
        names = input_names
    elif layer == len(sizes) - 1:
        names = output_names
    else:
        return ""
    if names and index < len(names):
        return _short(str(names[index]))
    return f"x{index + 1}" if layer == 0 else f"y{index + 1}"


def _compact(value: float) -> str:
    """A weight or bias in at most about six characters: 1.29, -0.14, -0.003, ≈0, 123."""
    if abs(value) >= 100:
        return f"{value:.0f}"
    if value == 0:
        return "0"
    if abs(value) < 0.0005:
        return "≈0"
    if abs(value) < 0.01:
        return f"{value:.3f}"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _short(text: str, limit: int = 12) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- decision regions --------------------------------------------------------------------------


def boundary_problem(table: Mapping[str, Any]) -> BoundaryUnavailable | None:
    """Why this table cannot get a boundary picture, or None when it can."""
    n_inputs = len(table["inputs"])
    if n_inputs != 2:
        return BoundaryUnavailable("train.boundary.not_two", count=n_inputs)
    if table["task"] != "multiclass" and len(table["targets"]) > 1:
        return BoundaryUnavailable("train.boundary.several_targets", count=len(table["targets"]))
    return None


GRID = 220


def boundary_picture(
    model_bytes: bytes,
    table_dict: Mapping[str, Any],
    settings_dict: Mapping[str, Any] | None,
    lang: str,
) -> bytes:
    """For a 2-input table: the plane coloured by the network's answer, with the table's rows.

    Classes get coloured regions (the boundary is where the colour changes; for two classes the
    line p = 0.5 is drawn); regression gets a colour map of the predicted value.
    """
    problem = boundary_problem(table_dict)
    if problem is not None:
        raise problem
    model = training.load_model(model_bytes)
    X = np.asarray(table_dict["X"], dtype=np.float64).reshape(-1, 2)
    Q = np.asarray(table_dict.get("questions") or [], dtype=np.float64).reshape(-1, 2)
    points = np.vstack([X, Q])
    low, high = points.min(axis=0), points.max(axis=0)
    margin = np.maximum((high - low) * 0.15, 0.5)
    low, high = low - margin, high + margin
    gx, gy = np.meshgrid(np.linspace(low[0], high[0], GRID), np.linspace(low[1], high[1], GRID))
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    outputs = model.predict(training.encode_inputs(table_dict, settings_dict, grid))
    figure = Figure(figsize=(8.6, 7.6), dpi=DPI, layout="constrained")
    ax = figure.add_subplot()
    task = table_dict["task"]
    classes = list(table_dict.get("classes") or ["0", "1"])
    if task == "regression":
        values = [p.value for p in training.decode_outputs(table_dict, settings_dict, outputs)]
        surface = np.asarray(values, dtype=np.float64).reshape(gx.shape)
        mesh = ax.contourf(gx, gy, surface, levels=20, cmap="viridis", alpha=0.85)
        bar = figure.colorbar(mesh, ax=ax)
        bar.set_label(_short(table_dict["targets"][0], 20), fontsize=LABEL_SIZE)
        bar.ax.tick_params(labelsize=TICK_SIZE)
        Y = np.asarray(table_dict["Y"], dtype=np.float64).reshape(-1)
        ax.scatter(
            X[:, 0],
            X[:, 1],
            c=Y,
            cmap="viridis",
            vmin=surface.min(),
            vmax=surface.max(),
            s=140,
            edgecolors="white",
            linewidths=2,
            zorder=3,
        )
    else:
        probs = training.class_probabilities(table_dict, outputs)
        regions = probs.argmax(axis=1).reshape(gx.shape)
        colors = [PALETTE[k % len(PALETTE)] for k in range(len(classes))]
        ax.pcolormesh(
            gx,
            gy,
            regions,
            cmap=ListedColormap(colors),
            vmin=-0.5,
            vmax=len(classes) - 0.5,
            alpha=0.28,
            shading="auto",
        )
        if len(classes) == 2:
            ax.contour(
                gx, gy, probs[:, 1].reshape(gx.shape), levels=[0.5], colors="#222", linewidths=2.5
            )
        labels = [training.class_index(row[0], classes) for row in table_dict["Y"]]
        for k, name in enumerate(classes):
            rows = X[np.asarray(labels) == k]
            if len(rows):
                ax.scatter(
                    rows[:, 0],
                    rows[:, 1],
                    color=colors[k],
                    s=150,
                    zorder=3,
                    edgecolors="white",
                    linewidths=2,
                    label=_short(name, 16),
                )
    if len(Q):
        ax.scatter(
            Q[:, 0],
            Q[:, 1],
            marker="*",
            s=420,
            color="black",
            zorder=4,
            edgecolors="white",
            linewidths=1.5,
            label=t("train.boundary.questions", lang),
        )
    handles = ax.get_legend_handles_labels()[0]
    if handles:
        ax.legend(
            fontsize=TEXT_SIZE,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.1),
            ncols=min(len(handles), 4),
            frameon=False,
        )
    ax.set_xlim(low[0], high[0])
    ax.set_ylim(low[1], high[1])
    ax.set_xlabel(_short(table_dict["inputs"][0], 24), fontsize=LABEL_SIZE)
    ax.set_ylabel(_short(table_dict["inputs"][1], 24), fontsize=LABEL_SIZE)
    ax.set_title(t("train.boundary.title", lang), fontsize=TITLE_SIZE)
    ax.tick_params(labelsize=TICK_SIZE)
    return _png(figure)
