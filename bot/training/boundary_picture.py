"""The decision regions of a 2-input table: the plane coloured by the network's answer.

Classes get coloured regions (the boundary is where the colour changes; for two classes the
line p = 0.5 is drawn); regression gets a colour map of the predicted value. The table's rows
are drawn on top, its `?` questions as stars.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

import nncore as nn
from bot.i18n import t
from bot.tables.table import Table
from bot.text import short
from bot.training.colours import class_colours, shaded_regions
from bot.training.encoding import (
    Encoding,
    class_index,
    class_probabilities,
    decode_outputs,
    encode_inputs,
)
from bot.training.pictures import DPI, LABEL_SIZE, TEXT_SIZE, TICK_SIZE, TITLE_SIZE, png

GRID = 220
LEGEND_GID = "legend"  # marks the artists the legend lists
POINT_STYLE = {"edgecolors": "white", "linewidths": 2, "zorder": 3}


class BoundaryUnavailable(ValueError):
    """The table cannot have a 2-D picture; `key` is the i18n message that explains why."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def boundary_problem(table: Table) -> BoundaryUnavailable | None:
    """Why this table cannot get a boundary picture, or None when it can."""
    n_inputs = len(table.inputs)
    if n_inputs != 2:
        return BoundaryUnavailable("train.boundary.not_two", count=n_inputs)
    if table.task != "multiclass" and len(table.targets) > 1:
        return BoundaryUnavailable("train.boundary.several_targets", count=len(table.targets))
    return None


@dataclass(frozen=True)
class Plane:
    """The rows, the questions, and the grid of points the network answers."""

    X: np.ndarray
    Q: np.ndarray
    low: np.ndarray
    high: np.ndarray
    gx: np.ndarray
    gy: np.ndarray

    @classmethod
    def of(cls, table: Table) -> Plane:
        X = np.asarray(table.X, dtype=np.float64).reshape(-1, 2)
        Q = np.asarray(table.questions, dtype=np.float64).reshape(-1, 2)
        points = np.vstack([X, Q])
        low, high = points.min(axis=0), points.max(axis=0)
        margin = np.maximum((high - low) * 0.15, 0.5)
        low, high = low - margin, high + margin
        gx, gy = np.meshgrid(np.linspace(low[0], high[0], GRID), np.linspace(low[1], high[1], GRID))
        return cls(X, Q, low, high, gx, gy)

    @property
    def grid(self) -> np.ndarray:
        return np.column_stack([self.gx.ravel(), self.gy.ravel()])


def boundary_picture(model: nn.Sequential, table: Table, encoding: Encoding, lang: str) -> bytes:
    """For a 2-input table: the plane coloured by the network's answer, with the table's rows.

    Raises BoundaryUnavailable when the table is not one a plane can show.
    """
    return png(boundary_figure(model, table, encoding, lang))


def boundary_figure(model: nn.Sequential, table: Table, encoding: Encoding, lang: str) -> Figure:
    """The figure `boundary_picture` draws; every name from the table is drawn literally."""
    problem = boundary_problem(table)
    if problem is not None:
        raise problem
    plane = Plane.of(table)
    outputs = model.predict(encode_inputs(encoding, plane.grid))
    figure = Figure(figsize=(8.6, 7.6), dpi=DPI, layout="constrained")
    ax = figure.add_subplot()
    if table.task == "regression":
        _draw_values(figure, ax, plane, table, decode_outputs(table, encoding, outputs))
    else:
        _draw_classes(ax, plane, table, class_probabilities(table, outputs))
    _draw_questions(ax, plane, lang)
    handles, labels = legend_entries(ax)
    if handles:
        legend = ax.legend(
            handles,
            labels,
            fontsize=TEXT_SIZE,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.1),
            ncols=min(len(handles), 4),
            frameon=False,
        )
        for text in legend.get_texts():
            text.set_parse_math(False)
    ax.set_xlim(plane.low[0], plane.high[0])
    ax.set_ylim(plane.low[1], plane.high[1])
    ax.set_xlabel(short(table.inputs[0], 24), fontsize=LABEL_SIZE, parse_math=False)
    ax.set_ylabel(short(table.inputs[1], 24), fontsize=LABEL_SIZE, parse_math=False)
    ax.set_title(t("train.boundary.title", lang), fontsize=TITLE_SIZE)
    ax.tick_params(labelsize=TICK_SIZE)
    return figure


def legend_entries(ax: Axes) -> tuple[list, list[str]]:
    """Every labelled artist and its label, a leading "_" included (class names are the
    learner's: matplotlib's own lookup would drop "_low" as a private label)."""
    artists = [*ax.collections, *ax.lines, *ax.patches]
    labelled = [a for a in artists if a.get_label() and a.get_gid() == LEGEND_GID]
    return labelled, [a.get_label() for a in labelled]


def _draw_values(figure: Figure, ax: Axes, plane: Plane, table: Table, predictions: list) -> None:
    """Regression: a colour map of the predicted value, the rows coloured by their target."""
    values = [p.value for p in predictions]
    surface = np.asarray(values, dtype=np.float64).reshape(plane.gx.shape)
    mesh = ax.contourf(plane.gx, plane.gy, surface, levels=20, cmap="viridis", alpha=0.85)
    bar = figure.colorbar(mesh, ax=ax)
    bar.set_label(short(table.targets[0], 20), fontsize=LABEL_SIZE, parse_math=False)
    bar.ax.tick_params(labelsize=TICK_SIZE)
    Y = np.asarray(table.Y, dtype=np.float64).reshape(-1)
    ax.scatter(
        plane.X[:, 0],
        plane.X[:, 1],
        c=Y,
        cmap="viridis",
        vmin=surface.min(),
        vmax=surface.max(),
        s=140,
        **POINT_STYLE,
    )


def _draw_classes(ax: Axes, plane: Plane, table: Table, probs: np.ndarray) -> None:
    """Classes: a region per class, shaded by how sure the network is (white = a coin toss),
    the p = 0.5 line for two; rows in their class's colour."""
    classes = list(table.classes or ["0", "1"])
    colors = class_colours(classes)
    ax.imshow(
        shaded_regions(probs, colors, plane.gx.shape),
        extent=(plane.low[0], plane.high[0], plane.low[1], plane.high[1]),
        origin="lower",
        aspect="auto",
        interpolation="bilinear",
    )
    middle = probs[:, 1].reshape(plane.gx.shape)
    if len(classes) == 2 and np.ptp(middle) > 0.02:  # a flat 0.5 has no border to draw
        ax.contour(plane.gx, plane.gy, middle, levels=[0.5], colors="#222", linewidths=2.5)
    labels = np.asarray([class_index(row[0], classes) for row in table.Y])
    for k, name in enumerate(classes):
        rows = plane.X[labels == k]
        if len(rows):
            ax.scatter(
                rows[:, 0],
                rows[:, 1],
                color=colors[k],
                s=150,
                label=short(name, 16),
                gid=LEGEND_GID,
                **POINT_STYLE,
            )


def _draw_questions(ax: Axes, plane: Plane, lang: str) -> None:
    """The `?` rows as black stars."""
    if len(plane.Q):
        ax.scatter(
            plane.Q[:, 0],
            plane.Q[:, 1],
            marker="*",
            s=420,
            color="black",
            zorder=4,
            edgecolors="white",
            linewidths=1.5,
            label=t("train.boundary.questions", lang),
            gid=LEGEND_GID,
        )
