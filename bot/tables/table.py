"""A training table: the inputs and targets a learner gave, as numbers a network can use.

`Table` is what every feature works with (training, /predict, /explain); `TableError` says why
a text is not a table. Reading one from text is `bot.tables.parse`, showing it is
`bot.tables.preview`. This module never talks to Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.text import number


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
        return " ".join(number(v) for v in row)
