"""The trained network as a picture: neurons as circles (bias inside), weights as lines.

Blue lines are positive weights, red negative, thicker = larger; small networks also get each
weight's value written on its line in the line's colour, at a spot whose box no other line
crosses (level, or turned along its line; neurons are spread further apart when needed). Past
MAX_SHOWN_NEURONS in a layer, lines stop being readable on a phone: every layer's weights are
drawn as a heatmap instead (`heatmap_figure`), each named in the learner's language with its
activation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle
from matplotlib.path import Path

import nncore as nn
from bot.i18n import choice_name, plural, t
from bot.text import short
from bot.training.pictures import DPI, LABEL_SIZE, TEXT_SIZE, TITLE_SIZE, png

MAX_SHOWN_NEURONS = 10
POSITIVE, NEGATIVE = "#1f5fbf", "#d0342c"
GAP = 3.0  # between layers
RADIUS = 0.3  # of a neuron
NAME_LIMIT = 12  # characters of an input or output name
TITLE_CHARS = 82  # of a heatmap's title that fit its width on one line
SPACINGS = (1.0, 1.3, 1.6)  # units between neurons of a layer, tried in turn
MAX_LABELLED_LINES = 16  # between two layers; past this the values are left to /weights


@dataclass(frozen=True)
class DenseLayer:
    """One Dense layer as drawn: weights (n_in, n_out), biases, the activation after it."""

    W: np.ndarray
    b: np.ndarray
    activation: str


def dense_layers(model: nn.Sequential) -> list[DenseLayer]:
    """The model's Dense layers, each with the name of the activation that follows it."""
    result: list[DenseLayer] = []
    for layer in model.layers:
        if isinstance(layer, nn.Dense):
            W = np.asarray(layer.params["W"], dtype=np.float64)
            b = np.asarray(layer.params.get("b", np.zeros(W.shape[1])), dtype=np.float64)
            result.append(DenseLayer(W, b, "linear"))
        elif result and not isinstance(layer, nn.Dropout):
            result[-1] = DenseLayer(result[-1].W, result[-1].b, layer.kind.lower())
    if not result:
        raise ValueError("the model has no Dense layers to draw")
    return result


def _shown(n: int) -> list[int]:
    """Which neurons of a layer are drawn: all, or the first ones and the last."""
    if n <= MAX_SHOWN_NEURONS:
        return list(range(n))
    return [*range(MAX_SHOWN_NEURONS - 1), n - 1]


def _positions(shown: int, spacing: float = 1.0) -> np.ndarray:
    """Vertical places of a layer's neurons, centred on 0, `spacing` units apart."""
    return spacing * ((shown - 1) / 2 - np.arange(shown, dtype=np.float64))


@dataclass(frozen=True)
class _Layout:
    """Where everything goes: layer sizes, the neurons drawn, their heights."""

    dense: list[DenseLayer]
    sizes: list[int]
    shown: list[list[int]]
    ys: list[np.ndarray]
    input_names: Sequence[str] | None
    output_names: Sequence[str] | None

    @property
    def bottom(self) -> float:
        return min(float(y.min()) for y in self.ys) - 0.9


def network_picture(
    model: nn.Sequential,
    lang: str,
    input_names: Sequence[str] | None = None,
    output_names: Sequence[str] | None = None,
) -> bytes:
    """Neurons as circles (bias inside), weights as lines: blue positive, red negative,
    thicker = larger. Small networks also get each weight's value written on its line."""
    return png(network_figure(model, lang, input_names, output_names))


def network_figure(
    model: nn.Sequential,
    lang: str,
    input_names: Sequence[str] | None = None,
    output_names: Sequence[str] | None = None,
) -> Figure:
    """The figure behind network_picture (weight labels carry gid="weight")."""
    dense = dense_layers(model)
    sizes = [dense[0].W.shape[0]] + [layer.W.shape[1] for layer in dense]
    if max(sizes) > MAX_SHOWN_NEURONS:
        return heatmap_figure(dense, lang, input_names, output_names)
    shown = [_shown(n) for n in sizes]
    best: tuple[int, Figure] | None = None
    for spacing in SPACINGS:  # more room between neurons until every weight's label sits clear
        figure, missing = _lines_figure(
            dense, sizes, shown, spacing, lang, input_names, output_names
        )
        if best is None or missing < best[0]:
            best = (missing, figure)
        if not missing:
            break
    return best[1]


def _lines_figure(
    dense: list[DenseLayer],
    sizes: list[int],
    shown: list[list[int]],
    spacing: float,
    lang: str,
    input_names: Sequence[str] | None,
    output_names: Sequence[str] | None,
) -> tuple[Figure, int]:
    """Neurons `spacing` units apart, lines, labels; and how many weights found no clear spot."""
    ys = [_positions(len(s), spacing) for s in shown]
    layout = _Layout(dense, sizes, shown, ys, input_names, output_names)
    height = spacing * max(len(s) for s in shown)
    figure = Figure(
        figsize=(max(8.5, 3.2 * len(sizes)), max(4.8, 1.0 * height + 2.2)),
        dpi=DPI,
        layout="constrained",
    )
    ax = figure.add_subplot()
    ax.set_axis_off()
    ax.set_aspect("equal")
    labelled = _draw_weights(ax, layout)
    _draw_neurons(ax, layout)
    _draw_captions(ax, layout, lang)
    ax.set_xlim(-1.9, (len(sizes) - 1) * GAP + 1.9)
    ax.set_ylim(layout.bottom - 0.8, float(max(y.max() for y in layout.ys)) + 0.5)
    ax.set_title(t("train.net.title", lang), fontsize=TITLE_SIZE)
    figure.legend(
        handles=[Line2D([], [], color=POSITIVE, lw=3), Line2D([], [], color=NEGATIVE, lw=3)],
        labels=[t("train.net.positive", lang), t("train.net.negative", lang)],
        loc="lower center",
        ncols=2,
        fontsize=TEXT_SIZE,
        frameon=False,
    )
    return figure, _write_weights(figure, ax, labelled)


def _draw_weights(ax: Axes, layout: _Layout) -> list[tuple[Line2D, str]]:
    """One line per weight; returns the lines of small networks with the value to write on each
    (`_write_weights` places them once the figure's layout is known)."""
    shown, ys = layout.shown, layout.ys
    # Widths are relative to the largest weight, but never exaggerate weights far below 1.
    biggest = max(1.0, *(float(np.abs(layer.W).max()) for layer in layout.dense))
    label_weights = all(len(a) * len(b) <= MAX_LABELLED_LINES for a, b in pairwise(shown))
    labelled = []
    for index, layer in enumerate(layout.dense):
        for a, i in enumerate(shown[index]):
            for c, j in enumerate(shown[index + 1]):
                w = layer.W[i, j]
                (line,) = ax.plot(
                    [index * GAP, (index + 1) * GAP],
                    [ys[index][a], ys[index + 1][c]],
                    color=POSITIVE if w >= 0 else NEGATIVE,
                    linewidth=0.6 + 5.5 * abs(w) / biggest,
                    alpha=0.75,
                    zorder=1,
                    solid_capstyle="round",
                    label=f"w{index}.{i}.{j}",
                )
                if label_weights:
                    labelled.append((line, compact(w)))
    return labelled


def _draw_neurons(ax: Axes, layout: _Layout) -> None:
    """Circles with their biases, the names of inputs and outputs, ⋮ where neurons are left out."""
    sizes, ys = layout.sizes, layout.ys
    for layer, indices in enumerate(layout.shown):
        for a, i in enumerate(indices):
            x, y = layer * GAP, ys[layer][a]
            hidden_or_output = layer > 0
            face = "#f4f4f4" if not hidden_or_output else "#fff7d6"
            ax.add_patch(Circle((x, y), RADIUS, facecolor=face, edgecolor="#333", lw=1.8, zorder=2))
            if hidden_or_output:
                bias = layout.dense[layer - 1].b[i]
                ax.text(
                    x, y, compact(bias), fontsize=TEXT_SIZE - 2, ha="center", va="center", zorder=4
                )
            name = _neuron_name(layer, i, layout)
            literal = {"fontsize": TEXT_SIZE, "va": "center", "parse_math": False}  # "$" as "$"
            if layer == 0:
                ax.text(x - RADIUS - 0.12, y, name, ha="right", **literal)
            elif layer == len(sizes) - 1:
                ax.text(x + RADIUS + 0.12, y, name, ha="left", **literal)
            if len(indices) < sizes[layer] and a == len(indices) - 2:
                middle = (y + ys[layer][a + 1]) / 2
                ax.text(x, middle, "⋮", fontsize=LABEL_SIZE, ha="center", va="center")


def _draw_captions(ax: Axes, layout: _Layout, lang: str) -> None:
    """Under each layer: "inputs" or its activation, and its size when not all are drawn."""
    bottom = layout.bottom
    for layer, _ in enumerate(layout.sizes):
        caption = layer_name(layer, layout.dense, lang).replace(" (", "\n(")
        ax.text(layer * GAP, bottom, caption, fontsize=TEXT_SIZE, ha="center", va="top")


def network_caption_key(model: nn.Sequential) -> str:
    """The key of the caption that fits the picture network_picture draws for `model`."""
    dense = dense_layers(model)
    sizes = [dense[0].W.shape[0]] + [layer.W.shape[1] for layer in dense]
    return "train.net.heatmap_caption" if max(sizes) > MAX_SHOWN_NEURONS else "train.net.caption"


def layer_name(layer: int, dense: Sequence[DenseLayer], lang: str) -> str:
    """ "input layer", "hidden layer 2 (tanh, 8 neurons)", "output layer (sigmoid)"."""
    if layer == 0:
        count = plural(dense[0].W.shape[0], lang, "word.input")
        return t("train.net.layer.input", lang, count=count)
    activation = choice_name("activation", dense[layer - 1].activation, lang)
    count = plural(dense[layer - 1].W.shape[1], lang, "word.neuron")
    if layer == len(dense):
        return t("train.net.layer.output", lang, activation=activation, count=count)
    return t("train.net.layer.hidden", lang, index=layer, activation=activation, count=count)


def heatmap_figure(
    dense: list[DenseLayer],
    lang: str,
    input_names: Sequence[str] | None,
    output_names: Sequence[str] | None,
) -> Figure:
    """One heatmap per layer: row = the neuron a weight comes from, column = the one it feeds
    (blue positive, red negative, as the lines of small networks), the biases as a last row."""
    figure = Figure(figsize=(9, 4.2 * len(dense) + 0.8), dpi=DPI, layout="constrained")
    axes = figure.subplots(len(dense), 1, squeeze=False)[:, 0]
    limit = max(float(np.abs(np.vstack([d.W, d.b[None, :]])).max()) for d in dense) or 1.0
    for index, (ax, layer) in enumerate(zip(axes, dense, strict=True)):
        values = np.vstack([layer.W, layer.b[None, :]])
        image = ax.imshow(values, cmap="RdBu", vmin=-limit, vmax=limit, aspect="auto")
        sources = (
            _names(input_names, layer.W.shape[0], "x")
            if index == 0
            else [f"h{index}.{i + 1}" for i in range(layer.W.shape[0])]
        )
        targets = (
            _names(output_names, layer.W.shape[1], "y")
            if index == len(dense) - 1
            else [str(j + 1) for j in range(layer.W.shape[1])]
        )
        _ticks(ax, [*sources, t("train.net.bias", lang)], targets)
        title = f"{layer_name(index, dense, lang)} → {layer_name(index + 1, dense, lang)}"
        ax.set_title(title.replace("→ ", "→\n") if len(title) > TITLE_CHARS else title,
                     fontsize=TEXT_SIZE)  # fmt: skip
        figure.colorbar(image, ax=ax, shrink=0.9).ax.tick_params(labelsize=TEXT_SIZE - 3)
    figure.suptitle(t("train.net.heatmap_title", lang), fontsize=TITLE_SIZE)
    return figure


def _names(names: Sequence[str] | None, count: int, letter: str) -> list[str]:
    given = list(names or [])
    return [
        short(str(given[i]), NAME_LIMIT) if i < len(given) else f"{letter}{i + 1}"
        for i in range(count)
    ]


def _ticks(ax: Axes, rows: list[str], columns: list[str]) -> None:
    """Tick labels for up to about 20 rows/columns; beyond that, every k-th one."""
    for axis, labels in ((ax.yaxis, rows), (ax.xaxis, columns)):
        step = max(1, len(labels) // 16)
        keep = [*range(0, len(labels) - 1, step), len(labels) - 1]
        axis.set_ticks(keep, [labels[k] for k in keep], fontsize=TEXT_SIZE - 3)


# Where along its line each weight's value may go (fractions from the neuron it leaves), in
# order of preference; a spot is taken only when its label touches no other line.
LABEL_FRACTIONS = tuple(sorted(np.arange(0.1, 0.91, 0.02), key=lambda k: (abs(k - 0.3), k)))
CLEARANCE = 3.0  # pixels between a label's box and any other line, beyond the line's half width


def _write_weights(figure: Figure, ax: Axes, labelled: list[tuple[Line2D, str]]) -> int:
    """Write each weight on its own line, where its box crosses no other line, no other label
    and no neuron — so no label can be read as another line's. Placed in pixels, after the
    figure's layout is fixed: level if there is room anywhere along the line, else turned along
    the line; a weight with no clear spot either way gets no label (its value is in /weights).
    Returns how many weights went without a label."""
    if not labelled:
        return 0
    missing = 0
    FigureCanvasAgg(figure)
    figure.draw_without_rendering()
    renderer = figure.canvas.get_renderer()
    lines = [(line, ax.transData.transform(line.get_xydata())) for line, _ in labelled]
    scale = ax.transData.transform((RADIUS, 0))[0] - ax.transData.transform((0, 0))[0]
    neurons = [Path.circle(ax.transData.transform(p.center), scale) for p in ax.patches]
    placed: list[Path] = []
    for (line, text), (_, ends) in zip(labelled, lines, strict=True):
        label = ax.text(
            0, 0, text, color=NEGATIVE if text.startswith("-") else POSITIVE,
            fontsize=TEXT_SIZE - 1, ha="center", va="center", zorder=3, gid="weight",
            label=line.get_label(), in_layout=False, rotation_mode="anchor",
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
        )  # fmt: skip
        extent = label.get_window_extent(renderer)
        pad = 0.15 * label.get_fontsize() * figure.dpi / 72
        size = (extent.width / 2 + pad, extent.height / 2 + pad)
        others = [Path(points) for other, points in lines if other is not line]
        margin = CLEARANCE + line.get_linewidth() * figure.dpi / 72 / 2
        found = _clear_spot(ends, size, margin, [*others, *neurons], placed)
        if found is None:
            label.remove()
            missing += 1
            continue
        centre, angle = found
        placed.append(_outline(centre, size, angle))
        label.set_position(ax.transData.inverted().transform(centre))
        label.set_rotation(angle)
    return missing


def _outline(centre: np.ndarray, size: tuple[float, float], angle: float, margin=0.0) -> Path:
    """The box (pixels) of a label centred at `centre`, half width and height `size` plus
    `margin`, turned by `angle` degrees."""
    w, h = size[0] + margin, size[1] + margin
    turn = np.radians(angle)
    rotation = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
    corners = np.array([(-w, -h), (w, -h), (w, h), (-w, h), (-w, -h)]) @ rotation.T
    return Path(corners + centre, closed=True)


def _clear_spot(
    ends: np.ndarray,
    size: tuple[float, float],
    margin: float,
    others: list[Path],
    placed: list[Path],
) -> tuple[np.ndarray, float] | None:
    """The first spot along the segment `ends` (pixels), level or turned along the line, where
    the label's box grown by `margin` meets no other line or neuron, and its box no label."""
    dx, dy = ends[1] - ends[0]
    along = float(np.degrees(np.arctan2(dy, dx)))
    for angle in (0.0, along):
        for k in LABEL_FRACTIONS:
            centre = ends[0] + k * (ends[1] - ends[0])
            box = _outline(centre, size, angle, margin)
            if any(other.intersects_path(box, filled=True) for other in others):
                continue
            own = _outline(centre, size, angle)
            if any(label.intersects_path(own, filled=True) for label in placed):
                continue
            return centre, angle
    return None


def _neuron_name(layer: int, index: int, layout: _Layout) -> str:
    if layer == 0:
        names = layout.input_names
    elif layer == len(layout.sizes) - 1:
        names = layout.output_names
    else:
        return ""
    if names and index < len(names):
        return short(str(names[index]), NAME_LIMIT)
    return f"x{index + 1}" if layer == 0 else f"y{index + 1}"


def compact(value: float) -> str:
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
