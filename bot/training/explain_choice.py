"""What `/explain` is asked about: a table row by number, a row by name (question rows too),
or new input values, each optionally followed by the right answer (`→ 1`, `-> 1`, `= 1`).

    /explain 2             the second training row
    /explain Emily         the row called Emily (a question row: its answer is not known)
    /explain -7 -3         new inputs, read the way /predict reads them (decimal commas too)
    /explain -7 -3 → 1     the same with the right answer, so the backward pass can be shown
    /explain 3 → ?         in a one-input table: the input value 3 (a bare 3 is row 3)

`choose` returns a `RowChoice` or raises `ChoiceError`; `refusal` turns that into the friendly
message `lesson.choice.<code>` that says what to send instead. Plain Python: no Telegram, no
nncore.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from bot.i18n import plural, t
from bot.tables.parse import parse_rows
from bot.tables.table import Table, TableError
from bot.text import number

ANSWER_MARK = re.compile(r"\s*(?:->|→|=>|⇒|=|\|)\s*")
UNKNOWN_ANSWERS = ("", "?")
SHOWN_NAMES = 6


@dataclass(frozen=True)
class RowChoice:
    """One subject of /explain. `index`: 0-based training row (its target is the table's);
    otherwise `values` are the raw inputs and `target` the answer given with them (as the
    table stores targets: [class index] or the numbers), or None when it is not known."""

    index: int | None
    name: str | None = None
    values: tuple[float, ...] | None = None
    target: tuple[float, ...] | None = None
    question: bool = False  # a question row of the table (a row without an answer)
    from_row: int | None = None  # a training row's inputs with another answer than the table's

    @property
    def known(self) -> bool:
        """The right answer is known, so the loss and the backward pass can be shown."""
        return self.index is not None or self.target is not None


class ChoiceError(ValueError):
    """The argument does not say what to explain; `code` selects `lesson.choice.<code>`."""

    def __init__(self, code: str, **values: Any) -> None:
        super().__init__(code)
        self.code = code
        self.values = values


def choose(table: Table, text: str) -> RowChoice:
    """The subject `text` names (see the module docstring); the first row when it is empty."""
    text = text.strip()
    if not text:
        return RowChoice(0, table.names[0] if table.names else None)
    parts = ANSWER_MARK.split(text, maxsplit=1)
    subject = parts[0].strip()
    answer = parts[1].strip() if len(parts) > 1 else None
    if not subject:
        raise ChoiceError("no_inputs", **hints(table))
    found = _by_name_or_number(table, subject, bare=answer is None)
    if found is None:
        found = _question_or_new(table, _values(table, subject))
    if answer is None or answer in UNKNOWN_ANSWERS:
        return found
    target = tuple(parse_answer(table, answer))
    if found.index is not None:
        if list(target) == table.Y[found.index]:
            return found
        found = RowChoice(None, found.name, tuple(table.X[found.index]), from_row=found.index)
    return RowChoice(None, found.name, found.values, target, found.question, found.from_row)


def _by_name_or_number(table: Table, subject: str, bare: bool) -> RowChoice | None:
    """The row called `subject` or numbered `subject`; None when it is neither."""
    folded = subject.casefold()
    matches = [
        RowChoice(i, name) for i, name in enumerate(table.names or []) if name.casefold() == folded
    ]
    matches += [
        RowChoice(None, name, tuple(table.questions[i]), question=True)
        for i, name in enumerate(table.question_names or [])
        if name.casefold() == folded and i < len(table.questions)
    ]
    whole = subject.isdecimal()  # not isdigit(): int() refuses "²" and "①"
    if whole and (bare or len(table.inputs) > 1):  # else "3 → 7" is an input in a 1-input table
        row = int(subject) - 1 if len(subject) <= 18 else -1
        if 0 <= row < len(table.X):
            numbered = RowChoice(row, table.names[row] if table.names else None)
            if numbered not in matches:
                matches.append(numbered)
        elif not matches:
            code = "bad_row_value" if len(table.inputs) == 1 else "bad_row"
            raise ChoiceError(code, text=subject, **hints(table))
    if len(matches) > 1:
        raise ChoiceError("ambiguous", text=subject, choices=matches, **hints(table))
    return matches[0] if matches else None


def _question_or_new(table: Table, values: list[float]) -> RowChoice:
    """New inputs, or the question row that has exactly these inputs."""
    for i, question in enumerate(table.questions):
        if question == values:
            names = table.question_names or []
            return RowChoice(None, names[i] if i < len(names) else None, tuple(values), None, True)
    return RowChoice(None, values=tuple(values))


def _values(table: Table, subject: str) -> list[float]:
    """New inputs, read by /predict's own parser; one row only."""
    try:
        rows = parse_rows(subject, len(table.inputs))
    except TableError as error:
        numeric = any(char.isdecimal() for char in subject)
        code = "bad_count" if error.code == "predict_count" and numeric else "unknown"
        raise ChoiceError(code, text=subject, got=error.values.get("got"), **hints(table)) from None
    if len(rows) != 1:
        raise ChoiceError("one_row", **hints(table))
    return rows[0]


def parse_answer(table: Table, answer: str) -> list[float]:
    """The right answer as the table stores it: [class index] for a class, else numbers."""
    if table.classes is not None and len(table.targets) == 1:
        folded = answer.casefold()
        for index, name in enumerate(table.classes):
            if name.casefold() == folded:
                return [float(index)]
        raise ChoiceError("bad_answer", answer=answer, **hints(table))
    try:
        (values,) = parse_rows(answer, len(table.targets))
    except (TableError, ValueError):
        raise ChoiceError("bad_answer", answer=answer, **hints(table)) from None
    if table.task == "binary" and any(v not in (0.0, 1.0) for v in values):
        raise ChoiceError("bad_answer", answer=answer, **hints(table))
    return values


def values_command(table: Table, values: tuple[float, ...] | list[float]) -> str:
    """The /explain argument that gives these inputs (a lone whole number needs `→ ?`, or it
    would be a row number)."""
    text = " ".join(number(v) for v in values)
    return f"{text} → ?" if len(values) == 1 and text.isdecimal() else text


def answer_example(table: Table) -> str:
    """An answer that fits the table, for the hint: its first row's target."""
    return table.target_text(table.Y[0]) if table.Y else "1"


def hints(table: Table) -> dict[str, Any]:
    """What every refusal tells: how many rows and inputs, the names, inputs that fit."""
    example_row = (table.questions or table.X)[0] if (table.questions or table.X) else [1.0]
    names = [*(table.names or []), *(table.question_names or [])]
    return {
        "rows": len(table.X),
        "inputs": len(table.inputs),
        "columns": ", ".join(table.inputs),
        "example": values_command(table, example_row),
        "answer_example": answer_example(table),
        "names": ", ".join(names[:SHOWN_NAMES]) + (", …" if len(names) > SHOWN_NAMES else ""),
        "classes": ", ".join(table.classes or []),
    }


def refusal(error: ChoiceError, table: Table, lang: str) -> str:
    """The answer to an /explain argument that does not fit: what is wrong, what to send."""
    values = {k: html.escape(v) if isinstance(v, str) else v for k, v in error.values.items()}
    n_inputs = len(table.inputs)
    words = {
        "rows_word": plural(values["rows"], lang, "word.row"),
        "inputs_word": plural(n_inputs, lang, "word.input"),
        "values_word": plural(n_inputs, lang, "word.value"),
        "got_values": plural(values.get("got") or 0, lang, "word.value"),
        "targets_word": plural(len(table.targets), lang, "word.value"),
        "targets": html.escape(", ".join(table.targets)),
        "plain": values["example"].removesuffix(" → ?"),
    }
    key = "lesson.choice.options_named" if values["names"] else "lesson.choice.options"
    values["options"] = t(key, lang, **values, **words)
    if error.code == "ambiguous":
        values["options"] = "\n".join(_option(table, choice, lang) for choice in values["choices"])
    code = error.code
    if code == "bad_answer" and not (table.classes is not None and len(table.targets) == 1):
        code = "bad_answer_number"
    return t(f"lesson.choice.{code}", lang, **values, **words)


def _option(table: Table, choice: RowChoice, lang: str) -> str:
    """• /explain 2 — row 2 (Bob), or • /explain -7 -3 — question (Emily)."""
    name = f" ({html.escape(choice.name)})" if choice.name else ""
    if choice.index is not None:
        command = str(choice.index + 1)
        what = t("lesson.choice.option_row", lang, row=choice.index + 1)
    else:
        command = html.escape(values_command(table, choice.values or ()))
        what = t("lesson.choice.option_question", lang)
    return f"• <code>/explain {command}</code> — {what}{name}"
