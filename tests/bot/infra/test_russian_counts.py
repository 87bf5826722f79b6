"""Every count in Russian takes its noun's right form (one/few/many): 1, 2, 5, 11, 21, 22."""

import re

import pytest

import nncore as nn
from bot.i18n import catalogue
from bot.tables.preview import preview
from bot.training.network_picture import dense_layers, layer_name
from tests.bot.tables.helpers import parse

# nouns whose form depends on the count before them (stems of every case)
COUNTED = ("эпох", "строк", "нейрон", "вход", "значени", "ответ", "слой", "слоёв", "слоя",
           "вопрос", "класс", "столб", "шаг", "цифр", "фильтр", "пример", "назван", "вес",
           "параметр")  # fmt: skip
NUMBER_THEN_WORD = re.compile(r"\{(\w+)\}\s+([а-яё]+)")


def test_no_russian_message_puts_a_fixed_noun_after_a_count():
    """A count is followed by its noun only through the plural helper (the placeholder then
    holds "5 строк"); a message that writes "{n} строк" itself is wrong for n = 1, 2, 21."""
    fixed = [
        (key, match.group(0))
        for key, texts in catalogue().items()
        if not key.startswith("word.")
        for match in NUMBER_THEN_WORD.finditer(texts["ru"])
        if match.group(2).startswith(COUNTED) and match.group(1) != "percent"  # "75% строк"
    ]
    assert fixed == []


@pytest.mark.parametrize(
    ("rows", "word"),
    [(2, "2 строки"), (5, "5 строк"), (11, "11 строк"), (21, "21 строка"), (22, "22 строки")],
)
def test_a_table_preview_counts_its_rows(rows, word):
    text = "x | y\n" + "\n".join(f"{i} | {i % 2}" for i in range(rows))
    assert f"Таблица принята</b>: {word}," in preview(parse(text), "ru")


@pytest.mark.parametrize(
    ("count", "inputs", "neurons"),
    [
        (1, "1 вход", "1 нейрон"),
        (2, "2 входа", "2 нейрона"),
        (5, "5 входов", "5 нейронов"),
        (11, "11 входов", "11 нейронов"),
        (21, "21 вход", "21 нейрон"),
        (22, "22 входа", "22 нейрона"),
    ],
)
def test_layer_names_count_inputs_and_neurons(count, inputs, neurons):
    model = nn.Sequential([nn.Dense(count, count, rng=0), nn.Sigmoid()])
    dense = dense_layers(model)
    assert layer_name(0, dense, "ru") == f"входной слой ({inputs})"
    assert layer_name(1, dense, "ru") == f"выходной слой (сигмоида, {neurons})"
