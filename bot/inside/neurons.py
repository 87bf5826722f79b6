"""/neurons: what every hidden neuron computes over the input plane, TensorFlow Playground style.

For a table with two inputs, each hidden neuron gets a small map: the plane of (input 1,
input 2) coloured by that neuron's activation a (red where it is high, blue where it is low,
white at the activation's middle: 0, or 0.5 for the sigmoid), the table's rows on top. The
output gets its map too. The plane is encoded exactly as training encoded the table (the chat's
saved encoding), so every map is what the trained network really computes. No Telegram here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure

import nncore as nn
from bot.i18n import t
from bot.tables.table import Table
from bot.text import short
from bot.training.boundary_picture import BoundaryUnavailable, Plane
from bot.training.colours import class_colours
from bot.training.encoding import Encoding, class_index, encode_inputs
from bot.training.pictures import DPI, LABEL_SIZE, TICK_SIZE, png

MAX_HIDDEN_MAPS = 16  # hidden neurons drawn at most; the caption says how many are shown
MAX_OUTPUT_MAPS = 4  # output maps drawn at most (a multi-class table has one per class)
COLUMNS = 4
MAP_INCHES = 2.2
COLOURS = "RdBu_r"  # blue for low, red for high, white in the middle (class 0 is blue, 1 orange)
TITLE = 13


class NeuronsUnavailable(BoundaryUnavailable):
    """Why the chat gets no neuron maps: `key` is the i18n message that says what to do."""


def table_problem(table: Table) -> NeuronsUnavailable | None:
    """Why this table's neurons cannot be drawn on a plane (before looking at a network)."""
    if len(table.inputs) != 2:
        return NeuronsUnavailable("inside.neurons.not_two", count=len(table.inputs))
    return None


@dataclass(frozen=True)
class NeuronMap:
    """One map: its title, the values over the grid, the activation's middle value."""

    title: str
    values: np.ndarray
    middle: float


@dataclass(frozen=True)
class NeuronMaps:
    maps: list[NeuronMap]
    shown: int  # hidden neurons drawn
    hidden: int  # hidden neurons the network has


def _dense_indices(model: nn.Sequential) -> list[int]:
    return [i for i, layer in enumerate(model.layers) if isinstance(layer, nn.Dense)]


def neuron_maps(model: nn.Sequential, table: Table, encoding: Encoding, lang: str) -> NeuronMaps:
    """The values of every hidden neuron (up to MAX_HIDDEN_MAPS) and every output over the
    table's plane. Raises NeuronsUnavailable for a network without a hidden layer."""
    problem = table_problem(table)
    if problem is not None:
        raise problem
    dense = _dense_indices(model)
    if len(dense) < 2:
        raise NeuronsUnavailable("inside.neurons.no_hidden")
    plane = Plane.of(table)
    grid = encode_inputs(encoding, plane.grid)
    maps: list[NeuronMap] = []
    total = 0
    per_layer = max(COLUMNS, MAX_HIDDEN_MAPS // (len(dense) - 1))  # every layer gets its share
    for number, index in enumerate(dense[:-1], start=1):
        activation = model.layers[index + 1]
        values = model.forward(grid.astype(model.dtype), upto=index + 2).astype(np.float64)
        middle = 0.5 if activation.name == "sigmoid" else 0.0
        total += values.shape[1]
        for k in range(min(values.shape[1], per_layer)):
            if len(maps) < MAX_HIDDEN_MAPS:
                title = t("inside.neurons.map", lang, layer=number, neuron=k + 1)
                maps.append(NeuronMap(title, values[:, k].reshape(plane.gx.shape), middle))
    shown = len(maps)
    maps += _output_maps(model, table, encoding, plane, grid, lang)
    return NeuronMaps(maps, shown, total)


def _output_maps(
    model: nn.Sequential,
    table: Table,
    encoding: Encoding,
    plane: Plane,
    grid: np.ndarray,
    lang: str,
) -> list[NeuronMap]:
    """The output's map(s): a class probability, or the predicted value in the table's units."""
    outputs = np.asarray(model.predict(grid), dtype=np.float64)
    classes = list(table.classes or ["0", "1"])
    if table.task == "regression":
        stats = encoding.get("targets")
        if stats:
            outputs = outputs * np.asarray(stats["std"]) + np.asarray(stats["mean"])
        names = [short(name, 14) for name in table.targets]
        middle = None
    elif table.task == "binary" and len(table.targets) == 1:
        names, middle = [f"P({short(classes[1], 12)})"], 0.5
    elif table.task == "binary":
        names, middle = [f"P({short(name, 10)} = 1)" for name in table.targets], 0.5
    else:
        names, middle = [f"P({short(name, 12)})" for name in classes], 0.5
    maps = []
    for k, name in enumerate(names[:MAX_OUTPUT_MAPS]):
        values = outputs[:, k].reshape(plane.gx.shape)
        centre = float(np.median(values)) if middle is None else middle
        maps.append(NeuronMap(t("inside.neurons.output", lang, name=name), values, centre))
    return maps


def neurons_picture(
    model: nn.Sequential, table: Table, encoding: Encoding, lang: str
) -> tuple[bytes, NeuronMaps]:
    """The maps in a grid of up to COLUMNS per row, about 1000 px wide, and what they show;
    raises NeuronsUnavailable when the table or the network has no such picture."""
    found = neuron_maps(model, table, encoding, lang)
    plane = Plane.of(table)
    count = len(found.maps)
    columns = min(COLUMNS, count)
    rows = math.ceil(count / columns)
    figure = Figure(
        figsize=(MAP_INCHES * columns + 0.4, MAP_INCHES * rows + 0.3), dpi=DPI, layout="constrained"
    )
    axes = np.atleast_1d(figure.subplots(rows, columns, squeeze=False)).ravel()
    for ax, found_map in zip(axes, found.maps, strict=False):
        _draw_map(ax, found_map, plane, table)
    for ax in axes[count:]:
        ax.set_axis_off()
    figure.supxlabel(short(table.inputs[0], 30), fontsize=LABEL_SIZE - 2, parse_math=False)
    figure.supylabel(short(table.inputs[1], 30), fontsize=LABEL_SIZE - 2, parse_math=False)
    return png(figure), found


def _draw_map(ax: Axes, found: NeuronMap, plane: Plane, table: Table) -> None:
    spread = float(np.max(np.abs(found.values - found.middle))) or 1e-9
    norm = TwoSlopeNorm(found.middle, found.middle - spread, found.middle + spread)
    ax.imshow(
        found.values,
        extent=(plane.low[0], plane.high[0], plane.low[1], plane.high[1]),
        origin="lower",
        aspect="auto",
        cmap=COLOURS,
        norm=norm,
        interpolation="bilinear",
    )
    _draw_points(ax, plane, table)
    ax.set_title(found.title, fontsize=TITLE, parse_math=False)
    ax.set_xlim(plane.low[0], plane.high[0])
    ax.set_ylim(plane.low[1], plane.high[1])
    ax.tick_params(labelsize=TICK_SIZE - 4)


def _draw_points(ax: Axes, plane: Plane, table: Table) -> None:
    """The rows: in their class's colour (the colours of /boundary), or white for numbers."""
    style = {"s": 45, "edgecolors": "black", "linewidths": 1.2, "zorder": 3}
    if table.task == "regression" or len(table.targets) > 1:
        ax.scatter(plane.X[:, 0], plane.X[:, 1], color="white", **style)
        return
    classes = list(table.classes or ["0", "1"])
    colours = class_colours(classes)
    labels = [class_index(row[0], classes) for row in table.Y]
    ax.scatter(plane.X[:, 0], plane.X[:, 1], color=[colours[k] for k in labels], **style)
