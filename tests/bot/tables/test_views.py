"""The /examples keyboard as plain rows, the buttons' data, and an example's text."""

from bot.i18n import t
from bot.tables.examples import EXAMPLES
from bot.tables.preview import preview
from bot.tables.views import EXAMPLE_CALLBACK, example_key, example_text, examples_keyboard
from tests.bot.tables.helpers import parse


def test_the_keyboard_has_one_button_per_example_two_to_a_row():
    rows = examples_keyboard("en")
    assert all(len(row) <= 2 for row in rows)
    buttons = [button for row in rows for button in row]
    assert buttons == [
        (t(f"table.example.{key}.title", "en"), f"tables:ex:{key}") for key in EXAMPLES
    ]


def test_a_button_names_its_example_and_an_old_one_names_none():
    assert example_key(EXAMPLE_CALLBACK + "xor") == "xor"
    assert example_key(EXAMPLE_CALLBACK + "gone") is None
    assert example_key(None) is None


def test_an_example_reads_about_preview_next():
    table = parse(EXAMPLES["xor"].text)
    text = example_text("xor", table, "ru")
    about, next_step = t("table.example.xor.about", "ru"), t("table.example.xor.next", "ru")
    assert text == f"{about}\n\n{preview(table, 'ru')}\n\n{next_step}"
