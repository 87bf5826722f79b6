"""Training tables: from the text a learner types (or a CSV file) to numbers a network can use.

What `parse_table` accepts, so a learner never has to read a manual:
- separators: spaces, tabs, commas or semicolons (one kind per table, found automatically);
- decimal commas (`1,5`) whenever the separator is not a comma (`1,5;2,7`, `1,5<TAB>2`, `1,5 2,7`);
- an optional header row, a BOM, CRLF line ends, `#` comment lines and empty lines;
- targets: the last column by default, or everything after a `|`, `->`, `=>` or `→` marker
  (several target columns allowed);
- text targets (F/M, cat/dog) become classes; a numeric 0/1 target is a binary task;
  numeric targets under a header such as `class` or `digit` are classes too; several target
  columns are a regression (one output each);
- `?` as the target marks a question row, answered after training ("1 0 0 → ?");
- a first column of text (Alice, Bob, …) names the rows.

Anything else raises `TableError(code, line, column, **values)`: the code selects the message
`table.error.<code>` (RU/EN, with how to fix it), line and column are 1-based positions in the
text the user sent. This module never talks to Telegram.
"""

from __future__ import annotations

import csv
import html
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bot.i18n import t

MAX_ABS_VALUE = 1e15  # larger numbers are almost surely typos and would overflow float32 maths
MAX_CLASSES = 100
CLASS_HEADERS = {
    "class",
    "label",
    "digit",
    "category",
    "kind",
    "type",
    "класс",
    "метка",
    "цифра",
    "категория",
    "тип",
    "вид",
}
_MARKER = re.compile(r"\|+|->|=>|→|⇒")
_NUMBER_DOT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NUMBER_COMMA = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?")
_NOT_FINITE = re.compile(r"[+-]?(?:nan|inf|infinity|∞)", re.IGNORECASE)
_MINUSES = str.maketrans({"−": "-", "–": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " "})
_SEPARATORS = ("\t", ";", " ", ",")  # in order of preference when two read equally well
_SAMPLE_LINES = 200
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


class TableError(ValueError):
    """A table the user sent cannot be used; `code` selects the message `table.error.<code>`."""

    def __init__(
        self, code: str, line: int | None = None, column: int | None = None, **values: Any
    ) -> None:
        super().__init__(f"{code} (line {line}, column {column}): {values}")
        self.code = code
        self.line = line
        self.column = column
        self.values = values


@dataclass
class Table:
    """A parsed table. X holds the training rows' inputs, Y their targets (see `to_dict`)."""

    inputs: list[str]
    targets: list[str]
    X: list[list[float]]
    Y: list[list[float]]
    task: str
    classes: list[str] | None = None
    questions: list[list[float]] = field(default_factory=list)
    names: list[str] | None = None
    question_names: list[str] | None = None
    header: bool = False

    @property
    def columns(self) -> list[str]:
        return [*self.inputs, *self.targets]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict (stored in ChatState.table).

        Y: regression (also any table with several target columns) → the target values;
        binary/multiclass (one target column) → [class index], `classes[index]` is its label.
        """
        return {
            "columns": self.columns,
            "inputs": list(self.inputs),
            "targets": list(self.targets),
            "X": [list(r) for r in self.X],
            "Y": [list(r) for r in self.Y],
            "task": self.task,
            "classes": list(self.classes) if self.classes is not None else None,
            "questions": [list(r) for r in self.questions],
            "names": list(self.names) if self.names is not None else None,
            "question_names": list(self.question_names)
            if self.question_names is not None
            else None,
            "header": self.header,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Table:
        return cls(
            inputs=list(data["inputs"]),
            targets=list(data["targets"]),
            X=[[float(v) for v in r] for r in data["X"]],
            Y=[[float(v) for v in r] for r in data["Y"]],
            task=data["task"],
            classes=list(data["classes"]) if data.get("classes") is not None else None,
            questions=[[float(v) for v in r] for r in data.get("questions") or []],
            names=list(data["names"]) if data.get("names") is not None else None,
            question_names=list(data["question_names"])
            if data.get("question_names") is not None
            else None,
            header=bool(data.get("header", False)),
        )

    def target_text(self, row: list[float]) -> str:
        """How a target row reads to a person: the class label, or the numbers."""
        if self.classes is not None and len(self.targets) == 1:
            index = int(row[0])
            if 0 <= index < len(self.classes):
                return self.classes[index]
        return " ".join(format_number(v) for v in row)


@dataclass
class _Line:
    number: int  # 1-based line number in the text the user sent
    text: str
    cells: list[str]
    split_at: int | None  # number of cells before the target marker, if the line has one


def format_number(value: float) -> str:
    """A compact human form: 1, 0.5, -2, 1.5e+06."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6g}"


def parse_table(text: str, limits: Any) -> Table:
    """Read a table from text; raise TableError with a precise position when it is not one.

    `limits` needs `max_table_rows` and `max_table_cols` (bot.config.Limits).
    """
    lines = _content_lines(text)
    if not lines:
        raise TableError("empty")
    if len(lines) > limits.max_table_rows + 1:
        raise TableError("too_many_rows", limit=limits.max_table_rows, count=len(lines))
    separator = _choose_separator(lines[:_SAMPLE_LINES])
    decimal_comma = True  # a comma inside a cell is a decimal one (comma tables split or quote)
    rows = _drop_blank_cells([_split_line(line, separator) for line in lines])
    if not rows:
        raise TableError("empty")
    header = _header_row(rows, decimal_comma)
    data = rows[1:] if header else rows
    if not data:
        raise TableError("too_few_rows", count=0)
    width = _check_shape(rows, header, limits)
    n_targets = _target_count(rows, width)

    label_column = _label_column(data, width - n_targets, decimal_comma)
    first_input = 1 if label_column else 0
    n_inputs = width - n_targets - first_input
    if n_inputs < 1:
        raise TableError("no_inputs", line=data[0].number, source=data[0].text)

    names = _unique(rows[0].cells) if header else _default_names(width, n_targets, first_input)
    inputs, targets = names[first_input : width - n_targets], names[width - n_targets :]

    X, questions, row_names, question_names, target_cells = [], [], [], [], []
    for row in data:
        values = [
            _input_number(row, col, decimal_comma) for col in range(first_input, width - n_targets)
        ]
        cells = row.cells[width - n_targets :]
        marks = [c == "?" for c in cells]
        if all(marks):
            questions.append(values)
            question_names.append(row.cells[0] if label_column else None)
        elif any(marks):
            column = width - n_targets + marks.index(True) + 1
            raise TableError("partial_question", line=row.number, column=column, source=row.text)
        else:
            X.append(values)
            row_names.append(row.cells[0] if label_column else None)
            target_cells.append((row, cells))

    if len(X) < 2:
        raise TableError("too_few_rows", count=len(X))
    if len(X) + len(questions) > limits.max_table_rows:
        raise TableError(
            "too_many_rows", limit=limits.max_table_rows, count=len(X) + len(questions)
        )
    Y, task, classes = _targets(target_cells, targets, width - n_targets, decimal_comma)
    return Table(
        inputs=inputs,
        targets=targets,
        X=X,
        Y=Y,
        task=task,
        classes=classes,
        questions=questions,
        names=row_names if label_column else None,
        question_names=question_names if label_column else None,
        header=header,
    )


def _content_lines(text: str) -> list[_Line]:
    """Non-empty, non-comment lines with their original numbers; BOM and CRLF removed."""
    text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.translate(_MINUSES).strip()
        if stripped and not stripped.startswith("#"):
            lines.append(_Line(number, stripped, [], None))
    return lines


def _cells(part: str, separator: str) -> list[str]:
    """Split one line; with a tab, `;` or `,` separator, "quoted cells" may contain it."""
    if separator == " ":
        return part.split()
    if '"' in part:
        try:
            return [c.strip() for c in next(csv.reader([part], delimiter=separator))]
        except (csv.Error, StopIteration):  # e.g. a cell beyond csv's field size limit
            pass
    return [c.strip() for c in part.split(separator)]


def _drop_blank_cells(rows: list[_Line]) -> list[_Line]:
    """Spreadsheet leftovers: rows of empty cells (";;;") and a separator ending every row."""
    rows = [r for r in rows if any(r.cells)]
    while rows and all(
        len(r.cells) > 1 and r.cells[-1] == "" and (r.split_at or 0) < len(r.cells) - 1
        for r in rows
    ):
        for r in rows:
            r.cells.pop()
    return rows


def _split_parts(text: str) -> tuple[str, str | None, int]:
    """Split a line at its target marker: (left, right or None, number of markers)."""
    parts = _MARKER.split(text)
    if len(parts) == 1:
        return text, None, 0
    return parts[0], parts[1], len(parts) - 1


def _split_line(line: _Line, separator: str) -> _Line:
    left, right, markers = _split_parts(line.text)
    if markers > 1:
        raise TableError("two_markers", line=line.number, source=line.text)
    cells = _cells(left, separator) if left.strip() else []
    if right is None:
        return _Line(line.number, line.text, cells, None)
    right_cells = _cells(right, separator) if right.strip() else []
    if not cells:
        raise TableError("no_inputs", line=line.number, source=line.text)
    if not right_cells:
        raise TableError("no_targets", line=line.number, source=line.text)
    return _Line(line.number, line.text, cells + right_cells, len(cells))


def _choose_separator(sample: list[_Line]) -> str:
    """The separator under which the sample reads most like a table of numbers."""
    best, best_score = " ", None
    joined = "".join(line.text for line in sample)
    for priority, separator in enumerate(_SEPARATORS):
        if separator != " " and separator not in joined:
            continue
        counts, numeric, total = [], 0, 0
        for line in sample:
            left, right, _ = _split_parts(line.text)
            cells = _cells(left, separator) + (_cells(right, separator) if right else [])
            counts.append(len(cells))
            for cell in cells:
                total += 1
                numeric += cell == "?" or _is_number(cell, True)
        common = Counter(counts).most_common(1)[0][0]
        consistent = sum(c == common for c in counts) / len(counts)
        score = (common >= 2, consistent, numeric / max(total, 1), -priority)
        if best_score is None or score > best_score:
            best, best_score = separator, score
    return best


def _is_number(cell: str, decimal_comma: bool) -> bool:
    pattern = _NUMBER_COMMA if decimal_comma else _NUMBER_DOT
    return pattern.fullmatch(cell) is not None or _NOT_FINITE.fullmatch(cell) is not None


def _header_row(rows: list[_Line], decimal_comma: bool) -> bool:
    """The first row is a header when it is all text, over a column of numbers below."""
    if len(rows) < 2:
        return False
    first = rows[0].cells
    if any(c == "?" or _is_number(c, decimal_comma) for c in first):
        return False
    for col in range(len(first)):
        below = [r.cells[col] for r in rows[1:] if col < len(r.cells) and r.cells[col] != "?"]
        if below and all(_is_number(c, decimal_comma) for c in below):
            return True
    return False


def _check_shape(rows: list[_Line], header: bool, limits: Any) -> int:
    data = rows[1:] if header else rows
    width = Counter(len(r.cells) for r in data).most_common(1)[0][0]
    if width > limits.max_table_cols:
        raise TableError("too_many_cols", limit=limits.max_table_cols, count=width)
    if width < 2:
        raise TableError("one_column", line=data[0].number, source=data[0].text)
    if header and len(rows[0].cells) != width:
        raise TableError(
            "header_count",
            line=rows[0].number,
            names=len(rows[0].cells),
            values=width,
            source=rows[0].text,
        )
    for row in data:
        if len(row.cells) != width:
            raise TableError(
                "ragged",
                line=row.number,
                expected=width,
                got=len(row.cells),
                source=row.text,
            )
        for col, cell in enumerate(row.cells, start=1):
            if not cell:
                raise TableError("empty_cell", line=row.number, column=col, source=row.text)
    return width


def _target_count(rows: list[_Line], width: int) -> int:
    """How many columns are targets: set by the marker, else the last column."""
    marked = [r for r in rows if r.split_at is not None]
    if not marked:
        return 1
    n_targets = width - marked[0].split_at
    for row in marked[1:]:
        if width - row.split_at != n_targets:
            raise TableError(
                "marker_mismatch",
                line=row.number,
                expected=n_targets,
                got=width - row.split_at,
                source=row.text,
            )
    return n_targets


def _label_column(data: list[_Line], n_input_cells: int, decimal_comma: bool) -> bool:
    """A first column of text in every row (Alice, Bob, …) names the rows."""
    if n_input_cells < 2:
        return False
    return all(row.cells[0] != "?" and not _is_number(row.cells[0], decimal_comma) for row in data)


def _default_names(width: int, n_targets: int, first_input: int) -> list[str]:
    """x1, x2, … for inputs; y (or y1, y2, …) for targets."""
    n_inputs = width - n_targets - first_input
    targets = ["y"] if n_targets == 1 else [f"y{i}" for i in range(1, n_targets + 1)]
    return ["name"] * first_input + [f"x{i}" for i in range(1, n_inputs + 1)] + targets


def _unique(names: list[str]) -> list[str]:
    """Header names, shortened to 40 characters, with repeats numbered (x, x_2, …)."""
    seen: Counter[str] = Counter()
    result = []
    for name in names:
        name = name[:40]
        seen[name] += 1
        result.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return result


def _number(cell: str, decimal_comma: bool, line: _Line, column: int) -> float:
    if _NOT_FINITE.fullmatch(cell):
        raise TableError("not_finite", line=line.number, column=column, cell=cell, source=line.text)
    pattern = _NUMBER_COMMA if decimal_comma else _NUMBER_DOT
    if not pattern.fullmatch(cell):
        raise TableError(
            "not_a_number", line=line.number, column=column, cell=cell, source=line.text
        )
    value = float(cell.replace(",", "."))
    if not math.isfinite(value) or abs(value) > MAX_ABS_VALUE:
        raise TableError(
            "too_big",
            line=line.number,
            column=column,
            cell=cell,
            limit=f"{MAX_ABS_VALUE:.0e}",
            source=line.text,
        )
    return value


def _input_number(row: _Line, col: int, decimal_comma: bool) -> float:
    cell = row.cells[col]
    if cell == "?":
        raise TableError("question_in_inputs", line=row.number, column=col + 1, source=row.text)
    if not _is_number(cell, decimal_comma):
        code = "not_a_number" if re.search(r"[0-9]", cell) else "text_input"
        raise TableError(code, line=row.number, column=col + 1, cell=cell, source=row.text)
    return _number(cell, decimal_comma, row, col + 1)


def _targets(
    target_cells: list[tuple[_Line, list[str]]],
    names: list[str],
    first_col: int,
    decimal_comma: bool,
) -> tuple[list[list[float]], str, list[str] | None]:
    """Y, the task type and the classes, from the training rows' target cells."""
    n_targets = len(names)
    kinds = []
    for j in range(n_targets):
        numeric = [_is_number(cells[j], decimal_comma) for _, cells in target_cells]
        if all(numeric):
            kinds.append("number")
        elif not any(numeric):
            kinds.append("text")
        else:
            majority_numeric = sum(numeric) * 2 >= len(numeric)
            index = numeric.index(not majority_numeric)
            row, cells = target_cells[index]
            raise TableError(
                "mixed_target",
                line=row.number,
                column=first_col + j + 1,
                cell=cells[j],
                source=row.text,
            )
    if "text" in kinds:
        if n_targets > 1:
            row, _ = target_cells[0]
            column = first_col + kinds.index("text") + 1
            raise TableError("text_multi_target", line=row.number, column=column, source=row.text)
        labels = [cells[0] for _, cells in target_cells]
        return _classes_from_labels(labels, key=lambda s: (s.casefold(), s))

    values = [
        [_number(cells[j], decimal_comma, row, first_col + j + 1) for j in range(n_targets)]
        for row, cells in target_cells
    ]
    if n_targets == 1 and names[0].strip().casefold() in CLASS_HEADERS:
        labels = [format_number(v[0]) for v in values]
        return _classes_from_labels(labels, key=lambda s: (float(s), s))
    if n_targets == 1 and {row[0] for row in values} == {0.0, 1.0}:
        return values, "binary", ["0", "1"]
    return values, "regression", None


def _classes_from_labels(labels: list[str], key) -> tuple[list[list[float]], str, list[str]]:
    classes = sorted(set(labels), key=key)
    if len(classes) < 2:
        raise TableError("one_class", label=classes[0])
    if len(classes) > MAX_CLASSES:
        raise TableError("too_many_classes", count=len(classes), limit=MAX_CLASSES)
    index = {label: i for i, label in enumerate(classes)}
    Y = [[float(index[label])] for label in labels]
    return Y, "binary" if len(classes) == 2 else "multiclass", classes


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_error(error: TableError, lang: str) -> str:
    """The error as an HTML message: where, what is wrong, how to fix it, and an example."""
    values = {k: html.escape(_short(str(v))) for k, v in error.values.items() if k != "source"}
    parts = []
    if error.line is not None and error.column is not None:
        parts.append(t("table.where.cell", lang, line=error.line, column=error.column))
    elif error.line is not None:
        parts.append(t("table.where.line", lang, line=error.line))
    parts.append(t(f"table.error.{error.code}", lang, **values))
    text = " ".join(parts)
    source = error.values.get("source")
    if source:
        text += "\n<code>" + html.escape(_short(str(source), 80)) + "</code>"
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
        labels = ", ".join(html.escape(_short(c, 20)) for c in table.classes[:12])
        if len(table.classes) > 12:
            labels += ", …"
        kind += " " + t("table.classes", lang, classes=labels)
    lines = [
        t(
            "table.understood",
            lang,
            rows=len(table.X),
            inputs=n_in,
            targets=len(table.targets),
        ),
        t("table.inputs", lang, names=html.escape(_names(table.inputs))),
        t("table.targets", lang, names=html.escape(_names(table.targets))),
        t("table.task", lang, task=kind),
    ]
    shown_in = min(n_in, max_cols)
    shown_out = min(len(table.targets), 2)
    named = table.names is not None

    def cells(name: str | None, x: list[float], target: list[str]) -> list[str]:
        row = [_short(name or "", 10)] if named else []
        row += [format_number(v) for v in x[:shown_in]]
        if shown_in < n_in:
            row.append("…")
        return row + target[:shown_out]

    header = cells("", [], [_short(n, 10) for n in table.targets])
    header[int(named) : int(named)] = [_short(n, 10) for n in table.inputs[:shown_in]]
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
        table_lines.append(t("table.more_rows", lang, count=len(table.X) - max_rows))
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
        return [_short(table.target_text(row), 12)]
    return [format_number(v) for v in row]


def _names(names: list[str], limit: int = 12) -> str:
    shown = ", ".join(_short(n, 20) for n in names[:limit])
    return shown + (", …" if len(names) > limit else "")


def looks_like_table(text: str) -> bool:
    """A plain message is plainly a table: at least two lines with two or more numbers each."""
    numeric_lines = 0
    for line in text.replace("\r", "\n").split("\n")[:50]:
        tokens = [tok for tok in re.split(r"[\s,;|]+|->|→|=>", line.translate(_MINUSES)) if tok]
        numbers = sum(_NUMBER_COMMA.fullmatch(tok) is not None for tok in tokens)
        if numbers >= 2 and numbers * 2 >= len(tokens):
            numeric_lines += 1
    return numeric_lines >= 2


def parse_rows(text: str, n_inputs: int) -> list[list[float]]:
    """Input rows for /predict: "1 0 0", "1,5 2; 3 4" or one row per line ("→ ?" allowed).

    Rows are separated by new lines or `;`, values by spaces (decimal commas allowed) or by
    commas. Raises TableError("predict_count", line=row number, …) or a cell error.
    """
    rows = []
    pieces = [p for p in re.split(r"[\n;]", text.translate(_MINUSES)) if p.strip()]
    if not pieces:
        raise TableError("predict_empty", expected=n_inputs)
    for number, piece in enumerate(pieces, start=1):
        piece = _MARKER.split(piece)[0].strip()
        line = _Line(number, piece, [], None)
        if re.search(r"\s", piece):
            decimal_comma = True
            cells = re.sub(r",(?=\s)", " ", piece).split()
        else:
            decimal_comma = False
            cells = [c.strip() for c in piece.split(",")]
        if len(cells) != n_inputs:
            raise TableError(
                "predict_count", line=number, expected=n_inputs, got=len(cells), source=piece
            )
        values = []
        for col, cell in enumerate(cells, start=1):
            if not _is_number(cell, decimal_comma):
                raise TableError("not_a_number", line=number, column=col, cell=cell, source=piece)
            values.append(_number(cell, decimal_comma, line, col))
        rows.append(values)
    return rows
