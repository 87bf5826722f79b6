"""Tables shown back to the learner, as HTML: what was understood, and what went wrong.

`preview` is the reply to a table that parsed; `describe_error` the reply to a `TableError`
(where, what is wrong, how to fix it). Plain functions: this module never talks to Telegram.
"""

from __future__ import annotations

import html

from bot.i18n import plural, t
from bot.tables.table import Table, TableError
from bot.text import number, short

NAME_LIMIT = 40  # characters of a value shown in an error message
SOURCE_LIMIT = 80  # characters of the offending line shown under an error message
_SHAPE_ERRORS = {
    "empty",
    "one_column",
    "ragged",
    "header_count",
    "two_markers",
    "marker_mismatch",
    "no_inputs",
    "no_targets",
    "too_few_rows",
}


def describe_error(error: TableError, lang: str) -> str:
    """The error as an HTML message: where, what is wrong, how to fix it, and an example."""
    values = {
        k: html.escape(short(str(v), NAME_LIMIT)) for k, v in error.values.items() if k != "source"
    }
    parts = []
    if error.line is not None and error.column is not None:
        parts.append(t("table.where.cell", lang, line=error.line, column=error.column))
    elif error.line is not None:
        parts.append(t("table.where.line", lang, line=error.line))
    for key in ("got", "expected"):  # counts, with the word in its plural form
        if isinstance(error.values.get(key), int):
            values[f"{key}_values"] = plural(error.values[key], lang, "word.value")
            values[f"{key}_inputs"] = plural(error.values[key], lang, "word.input")
            values[f"{key}_input_values"] = plural(error.values[key], lang, "word.input_value")
    values.setdefault("example", " ".join(["1"] * int(error.values.get("expected") or 1)))
    parts.append(t(f"table.error.{error.code}", lang, **values))
    text = " ".join(parts)
    source = error.values.get("source")
    if source:
        text += "\n<code>" + html.escape(short(str(source), SOURCE_LIMIT)) + "</code>"
    if error.code in _SHAPE_ERRORS:
        text += "\n\n" + t("table.error.example", lang)
    return text


def _row_text(values: list[str], widths: list[int], split: int) -> str:
    cells = [v.rjust(w) for v, w in zip(values, widths, strict=True)]
    return " ".join(cells[:split]) + " | " + " ".join(cells[split:])


def preview(table: Table, lang: str, max_rows: int = 8, max_cols: int = 8) -> str:
    """What was understood, as HTML: shape, inputs and targets, task, first rows, questions."""
    n_in = len(table.inputs)
    kind = t(f"table.task.{table.task}", lang)
    if table.classes is not None:
        labels = ", ".join(html.escape(short(c, 20)) for c in table.classes[:12])
        if len(table.classes) > 12:
            labels += ", …"
        kind += " " + t("table.classes", lang, classes=labels)
    lines = [
        t(
            "table.understood",
            lang,
            rows=plural(len(table.X), lang, "word.row"),
            inputs=plural(n_in, lang, "word.input"),
            targets=plural(len(table.targets), lang, "word.target"),
        ),
        t("table.inputs", lang, names=html.escape(_names(table.inputs))),
        t("table.targets", lang, names=html.escape(_names(table.targets))),
        t("table.task", lang, task=kind),
    ]
    shown_in = min(n_in, max_cols)
    shown_out = min(len(table.targets), 2)
    named = table.names is not None

    def cells(name: str | None, x: list[float], target: list[str]) -> list[str]:
        row = [short(name or "", 10)] if named else []
        row += [number(v) for v in x[:shown_in]]
        if shown_in < n_in:
            row.append("…")
        return row + target[:shown_out]

    header = cells("", [], [short(n, 10) for n in table.targets])
    header[int(named) : int(named)] = [short(n, 10) for n in table.inputs[:shown_in]]
    names = table.names or []
    body = [
        cells(names[i] if named else None, x, _target_cells(table, y))
        for i, (x, y) in enumerate(zip(table.X[:max_rows], table.Y[:max_rows], strict=True))
    ]
    question_names = table.question_names or []
    questions = [
        cells(question_names[i] if named else None, q, ["?"] * shown_out)
        for i, q in enumerate(table.questions[:max_rows])
    ]
    all_rows = [header, *body, *questions]
    widths = [max(len(r[i]) for r in all_rows) for i in range(len(header))]
    split = len(header) - shown_out
    table_lines = [_row_text(r, widths, split) for r in all_rows[: 1 + len(body)]]
    if len(table.X) > max_rows:
        table_lines.append(
            t("table.more_rows", lang, count=plural(len(table.X) - max_rows, lang, "word.row"))
        )
    if questions:
        table_lines.append("")
        table_lines += [_row_text(r, widths, split) for r in all_rows[1 + len(body) :]]
    lines.append("<pre>" + html.escape("\n".join(table_lines)) + "</pre>")
    if table.questions:
        lines.append(t("table.questions", lang, count=len(table.questions)))
    lines.append(t("table.next", lang))
    return "\n".join(lines)


def _target_cells(table: Table, row: list[float]) -> list[str]:
    if table.classes is not None and len(table.targets) == 1:
        return [short(table.target_text(row), 12)]
    return [number(v) for v in row]


def _names(names: list[str], limit: int = 12) -> str:
    shown = ", ".join(short(n, 20) for n in names[:limit])
    return shown + (", …" if len(names) > limit else "")
