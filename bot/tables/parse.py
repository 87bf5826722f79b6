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
text the user sent. The `Table` itself is `bot.tables.table`. This module never talks to Telegram.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.config import Limits
from bot.tables.table import Table, TableError
from bot.text import number as number_text

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
# Typographic minuses and spaces read as ASCII; invisible marks that copying from a web page or
# a right-to-left document leaves in a cell (zero-width space, direction marks and embeddings,
# word joiner, BOM, soft hyphen) are removed: a cell means what it shows. The zero-width joiner
# stays, emoji sequences in names need it.
_INVISIBLE = (
    "\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff\u00ad"
)
_NORMALISE = str.maketrans(
    {"−": "-", "–": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " "} | dict.fromkeys(_INVISIBLE)
)
_SEPARATORS = ("\t", ";", " ", ",")  # in order of preference when two read equally well
_SAMPLE_LINES = 200


@dataclass
class _Line:
    number: int  # 1-based line number in the text the user sent
    text: str
    cells: list[str]
    split_at: int | None  # number of cells before the target marker, if the line has one


def parse_table(text: str, limits: Limits) -> Table:
    """Read a table from text; raise TableError with a precise position when it is not one."""
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
    if width - n_targets - first_input < 1:
        raise TableError("no_inputs", line=data[0].number, source=data[0].text)

    names = _unique(rows[0].cells) if header else _default_names(width, n_targets, first_input)
    inputs, targets = names[first_input : width - n_targets], names[width - n_targets :]
    split = _split_questions(data, range(first_input, width - n_targets), decimal_comma)
    if len(split.X) < 2:
        raise TableError("too_few_rows", count=len(split.X))
    if len(split.X) + len(split.questions) > limits.max_table_rows:
        count = len(split.X) + len(split.questions)
        raise TableError("too_many_rows", limit=limits.max_table_rows, count=count)
    Y, task, classes = _targets(split.target_cells, targets, width - n_targets, decimal_comma)
    return Table(
        inputs=inputs,
        targets=targets,
        X=split.X,
        Y=Y,
        task=task,
        classes=classes,
        questions=split.questions,
        names=split.names if label_column else None,
        question_names=split.question_names if label_column else None,
        header=header,
    )


@dataclass
class _Rows:
    """The data rows sorted out: training rows (inputs, names, target cells) and questions."""

    X: list[list[float]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    target_cells: list[tuple[_Line, list[str]]] = field(default_factory=list)
    questions: list[list[float]] = field(default_factory=list)
    question_names: list[str] = field(default_factory=list)


def _split_questions(data: list[_Line], input_columns: range, decimal_comma: bool) -> _Rows:
    """Read every row's inputs; rows whose targets are all `?` are questions."""
    rows = _Rows()
    first_target = input_columns.stop
    for row in data:
        values = [_input_number(row, col, decimal_comma) for col in input_columns]
        cells = row.cells[first_target:]
        marks = [c == "?" for c in cells]
        name = row.cells[0]  # kept only when the first column names the rows
        if all(marks):
            rows.questions.append(values)
            rows.question_names.append(name)
        elif any(marks):
            column = first_target + marks.index(True) + 1
            raise TableError("partial_question", line=row.number, column=column, source=row.text)
        else:
            rows.X.append(values)
            rows.names.append(name)
            rows.target_cells.append((row, cells))
    return rows


def _content_lines(text: str) -> list[_Line]:
    """Non-empty, non-comment lines with their original numbers; BOM and CRLF removed."""
    text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.translate(_NORMALISE).strip()
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


def _check_shape(rows: list[_Line], header: bool, limits: Limits) -> int:
    """The table's width; raises TableError when a row, the header or a cell breaks it."""
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
        labels = [_class_label(v[0]) for v in values]
        return _classes_from_labels(labels, key=lambda s: (float(s), s))
    if n_targets == 1 and {row[0] for row in values} == {0.0, 1.0}:
        return values, "binary", ["0", "1"]
    return values, "regression", None


def _class_label(value: float) -> str:
    """A numeric class as its name: the usual number form, or every digit where that form
    would merge two different classes (0.12345 and 0.12346)."""
    text = number_text(value)
    return text if float(text) == value else repr(value)


def _classes_from_labels(
    labels: list[str], key: Callable[[str], tuple]
) -> tuple[list[list[float]], str, list[str]]:
    """Y as class indices, the task, and the classes sorted by `key`."""
    classes = sorted(set(labels), key=key)
    if len(classes) < 2:
        raise TableError("one_class", label=classes[0])
    if len(classes) > MAX_CLASSES:
        raise TableError("too_many_classes", count=len(classes), limit=MAX_CLASSES)
    index = {label: i for i, label in enumerate(classes)}
    Y = [[float(index[label])] for label in labels]
    return Y, "binary" if len(classes) == 2 else "multiclass", classes


def looks_like_table(text: str) -> bool:
    """A plain message is plainly a table: at least two lines with two or more numbers each."""
    numeric_lines = 0
    for line in text.replace("\r", "\n").split("\n")[:50]:
        tokens = [tok for tok in re.split(r"[\s,;|]+|->|→|=>", line.translate(_NORMALISE)) if tok]
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
    pieces = [p for p in re.split(r"[\n;]", text.translate(_NORMALISE)) if p.strip()]
    if not pieces:
        raise TableError("predict_empty", expected=n_inputs)
    for number, piece in enumerate(pieces, start=1):
        piece = _MARKER.split(piece)[0].strip()
        line = _Line(number, piece, [], None)
        if re.search(r"\s", piece) or (n_inputs == 1 and _is_number(piece, True)):
            decimal_comma = True  # "1,5" for a one-input table: one number, as in the table
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
