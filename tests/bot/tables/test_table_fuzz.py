"""Fuzzing the table parser: whatever a user sends, the answer is a valid Table or a TableError.

Any other exception would be a crash in the chat. Each property also checks that what comes
out is usable: finite numbers, consistent shapes, JSON-able, and messages that fit Telegram.
"""

import contextlib
import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import Limits
from bot.i18n import LANGUAGES
from bot.tables.parse import looks_like_table, parse_table
from bot.tables.preview import describe_error, preview
from bot.tables.table import Table, TableError

LIMITS = Limits()
FUZZ = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(text: str, limits: Limits = LIMITS) -> Table | TableError:
    """Parse; a TableError must render in every language, a Table must be sound."""
    looks_like_table(text)
    try:
        table = parse_table(text, limits)
    except TableError as caught:
        for lang in LANGUAGES:
            message = describe_error(caught, lang)
            assert 0 < len(message) < 4096
        return caught
    assert len(table.X) == len(table.Y) >= 2
    assert len(table.X) + len(table.questions) <= limits.max_table_rows
    assert len(table.inputs) + len(table.targets) <= limits.max_table_cols
    assert all(len(row) == len(table.inputs) for row in table.X + table.questions)
    assert all(len(row) == len(table.targets) for row in table.Y)
    assert all(math.isfinite(v) for row in table.X + table.Y + table.questions for v in row)
    assert table.task in ("regression", "binary", "multiclass")
    if table.classes is not None:
        assert all(0 <= row[0] < len(table.classes) for row in table.Y)
    data = json.loads(json.dumps(table.to_dict()))
    assert Table.from_dict(data) == table
    for lang in LANGUAGES:
        assert len(preview(table, lang)) < 4096
    return table


@FUZZ
@given(st.text())
def test_any_unicode_text(text):
    check(text)


TABLE_ALPHABET = st.sampled_from([*list("0123456789-+.,;|?eE \t\n\r→>#abxyz"), "\ufeff", "−"])


@FUZZ
@given(st.text(TABLE_ALPHABET, max_size=300))
def test_text_made_of_table_characters(text):
    check(text)


def cell_values():
    return st.one_of(
        st.integers(-5, 5).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.floats(-1e6, 1e6).map(lambda v: f"{v:.3f}"),
        st.integers(-(10**400), 10**400).map(str),
        st.sampled_from(["?", "nan", "inf", "-inf", "NaN", "1e999", "cat", "dog", "F", "M", ""]),
        st.text(max_size=5),
    )


CLEAN_CELLS = st.one_of(
    st.integers(-5, 5).map(str),
    st.floats(-1e6, 1e6).map(lambda v: f"{v:.3f}"),
    st.floats(-1e12, 1e12).map(repr),
)
TARGET_KINDS = [
    st.sampled_from(["0", "1"]),
    st.sampled_from(["cat", "dog", "fish", "F", "M", "да", "нет"]),
    st.floats(-100, 100).map(lambda v: f"{v:.2f}"),
]


@st.composite
def tables(draw, damaged: bool | None = None):
    """Tables as people type them; half of them then damaged (ragged rows, mixed separators,
    NaN, huge numbers, stray text), so both the valid and the error paths get exercised."""
    damaged = draw(st.booleans()) if damaged is None else damaged
    n_cols = draw(st.integers(1, 6) if damaged else st.integers(2, 6))
    n_rows = draw(st.integers(0, 12) if damaged else st.integers(2, 12))
    cells = cell_values() if damaged else CLEAN_CELLS
    targets = cells if damaged else draw(st.sampled_from(TARGET_KINDS))
    rows = [[draw(cells) for _ in range(n_cols - 1)] + [draw(targets)] for _ in range(n_rows)]
    if not damaged and n_rows > 2 and draw(st.booleans()):
        rows[-1][-1] = "?"
    if damaged and rows and draw(st.booleans()):  # ragged: drop or add a cell somewhere
        row = draw(st.sampled_from(rows))
        if row and draw(st.booleans()):
            row.pop()
        else:
            row.append("1")
    separator = draw(st.sampled_from([" ", "\t", ",", ";", ", ", " ; ", "  "]))
    decimal_comma = separator != "," and separator != ", " and draw(st.booleans())
    lines = []
    for row in rows:
        row_cells = [c.replace(".", ",") if decimal_comma else c for c in row]
        if damaged and draw(st.integers(0, 9)) == 0:  # a line with another separator
            line = draw(st.sampled_from([" ", "\t", ",", ";"])).join(row_cells)
        else:
            line = separator.join(row_cells)
        if len(row_cells) > 1 and draw(st.integers(0, 3)) == 0:
            marker = draw(st.sampled_from([" | ", " -> ", " → ", " => ", "|"]))
            line = separator.join(row_cells[:-1]) + marker + row_cells[-1]
        lines.append(line)
        if draw(st.integers(0, 5)) == 0:
            lines.append(draw(st.sampled_from(["", "   ", "# note", "\t"])))
    if draw(st.booleans()):
        lines.insert(0, separator.join(f"c{i}" for i in range(n_cols)))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = newline.join(lines)
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text


@FUZZ
@given(tables())
def test_typed_and_damaged_tables(text):
    check(text)


@settings(max_examples=300, deadline=None)
@given(tables(damaged=False))
def test_clean_tables_always_parse(text):
    result = check(text)
    assert isinstance(result, Table) or result.code == "one_class", (result, text)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(st.floats(-1e12, 1e12, allow_nan=False, width=64), min_size=3, max_size=3),
        min_size=2,
        max_size=30,
    ),
    st.sampled_from([" ", "\t", ",", ";"]),
)
def test_well_formed_numeric_tables_always_parse_exactly(rows, separator):
    text = "\n".join(separator.join(repr(v) for v in row) for row in rows)
    table = check(text)
    assert isinstance(table, Table)
    assert [row[:2] for row in rows] == table.X
    assert [row[2:] for row in rows] == table.Y or table.task != "regression"


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 40), st.integers(2, 80))
def test_limits_are_respected(max_rows, max_cols):
    limits = Limits(max_table_rows=max(2, max_rows), max_table_cols=max_cols)
    text = "\n".join(" ".join("1" if (i + j) % 2 else "0" for j in range(9)) for i in range(25))
    result = check(text, limits)
    if isinstance(result, TableError):
        assert result.code in ("too_many_rows", "too_many_cols")


def hundred_thousand_rows() -> str:
    return "\n".join(f"{i % 7} {i % 5},5 {i % 3}" for i in range(100_000))


def test_a_hundred_thousand_rows_over_the_limit_are_refused():
    caught = check(hundred_thousand_rows())
    assert isinstance(caught, TableError)
    assert caught.code == "too_many_rows"


def test_a_hundred_thousand_rows_within_a_raised_limit_parse():
    limits = Limits(max_table_rows=200_000)
    table = parse_table(hundred_thousand_rows(), limits)
    assert len(table.X) == 100_000
    assert table.X[1] == [1, 1.5]


@pytest.mark.parametrize(
    "text",
    [
        "\ufeff\ufeff1 2 3\n4 5 6",
        "1" * 100_000 + " 2 3\n4 5 6",
        "9" * 400 + " 2 3\n4 5 6",
        "1e308 1e308 1\n1 1 0",
        "\x00 \x01 \x02\n1 2 3",
        "?" * 50 + "\n" + "|" * 50,
        "→" * 1000,
        "1 2 3\n" * 3 + "\u202e 4 5 6",
        "١ ٢ ٣\n٤ ٥ ٦",
        "1\u00a02\u00a03\n4\u00a05\u00a06",
    ],
)
def test_strange_inputs(text):
    check(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_settings_parser_never_crashes(text):
    training = pytest.importorskip("bot.training.settings")
    with contextlib.suppress(training.SettingsError):
        training.parse_settings(text, training.default_settings("binary"), LIMITS)
