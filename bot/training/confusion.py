"""/confusion: how often each class is answered as each other class, and the rows it gets wrong.

`confusion(table, encoding, model)` counts, for every row of the table, the right class (matrix
row) against the network's answer (matrix column); `confusion_picture` draws the counts with the
class names, `wrong_lines` lists the rows off the diagonal. No Telegram here: PNG bytes and
text, so the handler draws it in a thread.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

import nncore as nn
from bot.i18n import plural, t
from bot.tables.table import Table
from bot.text import number, short
from bot.training.encoding import Encoding, class_index, class_probabilities, encode_inputs
from bot.training.pictures import DPI, LABEL_SIZE, TICK_SIZE, TITLE_SIZE, png

SHOWN_WRONG = 20  # wrong rows listed (the picture counts them all)
NAME_LIMIT = 14  # characters of a class name on the picture's axes


@dataclass(frozen=True)
class Confusion:
    classes: list[str]
    counts: np.ndarray  # (classes, classes): counts[right, answered]
    wrong: list[tuple[int, int, int]]  # (row index, right class, answered class)


def confusion_problem(table: Table) -> tuple[str, dict] | None:
    """(message key, values) when /confusion cannot work on this table, else None."""
    if table.task == "regression":
        return "confusion.regression", {}
    if len(table.targets) != 1:
        return "confusion.several_targets", {"count": len(table.targets)}
    return None


def confusion(table: Table, encoding: Encoding, model: nn.Sequential) -> Confusion:
    """Right class against the network's answer for every row of a one-target class table."""
    classes = [str(c) for c in (table.classes or ["0", "1"])]
    probs = class_probabilities(table, model.predict(encode_inputs(encoding, table.X)))
    answered = probs.argmax(axis=1)
    right = [class_index(row[0], classes) for row in table.Y]
    counts = np.zeros((len(classes), len(classes)), dtype=int)
    for r, a in zip(right, answered, strict=True):
        counts[r, a] += 1
    wrong = [(i, r, int(a)) for i, (r, a) in enumerate(zip(right, answered, strict=True)) if r != a]
    return Confusion(classes, counts, wrong)


def confusion_picture(result: Confusion, lang: str) -> bytes:
    """The counts as a grid: right class down, the network's answer across, the diagonal green."""
    k = len(result.classes)
    side = min(9.0, 4.5 + 0.55 * k)
    figure = Figure(figsize=(side, side), dpi=DPI, layout="constrained")
    ax = figure.add_subplot()
    counts = result.counts
    right = np.eye(k, dtype=bool)
    shade = counts / max(1, counts.max())
    image = np.ones((k, k, 3))
    image[right] = 1 - shade[right, None] * np.array([0.6, 0.25, 0.6])  # greens: right
    image[~right] = 1 - shade[~right, None] * np.array([0.15, 0.6, 0.6])  # reds: wrong
    ax.imshow(image, interpolation="nearest")
    size = max(12, 26 - 1.2 * k)
    for i in range(k):
        for j in range(k):
            ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=size)
    names = [short(name, NAME_LIMIT) for name in result.classes]
    tilt = 30 if max(len(name) for name in names) > 5 and k > 2 else 0
    ax.set_xticks(range(k), names, rotation=tilt, ha="right" if tilt else "center")
    ax.set_yticks(range(k), names)
    for label in (*ax.get_xticklabels(), *ax.get_yticklabels()):
        label.set_parse_math(False)  # class names are user text, never mathtext
        label.set_fontsize(TICK_SIZE + 2)
    ax.set_xlabel(t("confusion.predicted", lang), fontsize=LABEL_SIZE)
    ax.set_ylabel(t("confusion.true", lang), fontsize=LABEL_SIZE)
    ax.set_title(t("confusion.title", lang), fontsize=TITLE_SIZE)
    return png(figure)


def wrong_lines(table: Table, result: Confusion, lang: str) -> str:
    """The rows the network gets wrong (by name when the table names its rows), HTML."""
    total = len(table.X)
    if not result.wrong:
        return t("confusion.all_right", lang, count=plural(total, lang, "word.row"))
    lines = [t("confusion.wrong_title", lang, count=len(result.wrong), total=total)]
    for index, right, answered in result.wrong[:SHOWN_WRONG]:
        lines.append(
            t(
                "confusion.wrong_row",
                lang,
                row=_row_name(table, index, lang),
                predicted=html.escape(short(result.classes[answered], 40)),
                target=html.escape(short(result.classes[right], 40)),
            )
        )
    more = len(result.wrong) - SHOWN_WRONG
    if more > 0:
        lines.append(t("train.summary.more_rows", lang, count=plural(more, lang, "word.row")))
    return "\n".join(lines)


def _row_name(table: Table, index: int, lang: str) -> str:
    values = " ".join(number(v) for v in table.X[index][:6])
    label = t("confusion.row_number", lang, number=index + 1)
    if table.names and index < len(table.names):
        label = f"<i>{html.escape(short(str(table.names[index]), 40))}</i>"
    return f"{label} <code>{html.escape(values)}</code>"
