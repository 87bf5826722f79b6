"""Text as learners' tools write it: Western code pages, invisible marks, decimal commas."""

from __future__ import annotations

import pytest

from bot.config import Limits
from bot.tables.files import decode_table_bytes
from bot.tables.parse import parse_rows, parse_table


@pytest.mark.parametrize(
    "text, codec",
    [
        ("Größe;Preis\n1,5;2\n2,5;3", "cp1252"),
        ("Größe;Gewicht\n170;65", "latin-1"),
        ("Café;crème brûlée\n1;2", "cp1252"),
        ("Рост;Вес\n170;65", "cp1251"),
        ("Ёжик Ёлкин\n1 2", "cp1251"),
        ("x y\n1 2", "cp1251"),
    ],
)
def test_single_byte_tables_are_read_in_the_code_page_they_were_written_in(text, codec):
    assert decode_table_bytes(text.encode(codec)) == text


def test_utf8_is_tried_first():
    text = "Рост Größe\n1 2"
    assert decode_table_bytes(text.encode("utf-8")) == text


@pytest.mark.parametrize("mark", ["\u200b", "\u200f", "\u200e", "\ufeff", "\u2060", "\u00ad"])
def test_an_invisible_mark_in_a_cell_is_removed(mark):
    table = parse_table(f"x y\n1{mark} 2\n2 4{mark}\n{mark}3 6", Limits())
    assert table.X == [[1.0], [2.0], [3.0]] and table.Y == [[2.0], [4.0], [6.0]]
    assert parse_rows(f"1{mark}5", 1) == [[15.0]]


def test_a_zero_width_joiner_in_a_name_is_kept():
    family = "\U0001f468\u200d\U0001f469"
    table = parse_table(f"name x y\n{family} 1 2\nb 2 4\nc 3 6", Limits())
    assert table.names[0] == family


def test_predict_reads_a_decimal_comma_on_a_one_input_table():
    assert parse_rows("1,5", 1) == [[1.5]]
    assert parse_rows("1,5; 2,25", 1) == [[1.5], [2.25]]
    assert parse_rows("1,5", 2) == [[1.0, 5.0]]  # two inputs: the comma separates them
