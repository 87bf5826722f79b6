"""What the common commands say, and their buttons as plain rows."""

from bot.common.views import (
    LANG_CALLBACK,
    RESET_CALLBACK,
    chosen_language,
    command_name,
    command_text,
    help_text,
    lang_keyboard,
    reset_keyboard,
    start_text,
    unknown_command_text,
)
from bot.i18n import t
from bot.text import split_message


def test_help_fits_telegram_and_long_texts_are_split():
    text = help_text("en", ["start", "help", "lang", "reset"], is_admin=True)
    assert len(text) <= 4096
    parts = split_message("\n\n".join(["x" * 3000] * 3))
    assert len(parts) == 3 and all(len(p) <= 4096 for p in parts)
    assert split_message("y" * 9000) == ["y" * 4096, "y" * 4096, "y" * 808]


def test_start_is_a_greeting_then_the_help():
    text = start_text("ru", ["lang"], "<Ann>", is_admin=False)
    greeting = t("app.start.greeting", "ru", name="&lt;Ann&gt;")
    assert text == greeting + "\n\n" + help_text("ru", ["lang"])


def test_command_descriptions_start_with_a_capital_and_unknown_ones_are_the_name():
    assert command_text("lang", "en")[0].isupper()
    assert command_text("no-such-command", "en") == "no-such-command"


def test_command_name_and_addressee():
    assert command_name("/trian 5") == ("trian", "")
    assert command_name("/help@other_bot") == ("help", "other_bot")
    assert command_name("") == ("", "")


def test_unknown_command_is_escaped_and_shortened():
    text = unknown_command_text("<b>" + "x" * 100, "en")
    assert "<b>x" not in text
    assert t("app.unknown_command", "en", command="&lt;b&gt;" + "x" * 61) == text


def test_lang_buttons_tick_the_current_language():
    (row,) = lang_keyboard("ru")
    assert row == [("English", "app:lang:en"), ("✓ Русский", "app:lang:ru")]
    assert chosen_language(LANG_CALLBACK + "en") == "en"
    assert chosen_language(LANG_CALLBACK + "xx") is None
    assert chosen_language(None) is None


def test_reset_buttons_say_yes_and_no():
    (row,) = reset_keyboard("en")
    assert row == [
        (t("app.reset.yes", "en"), RESET_CALLBACK + "yes"),
        (t("app.reset.no", "en"), RESET_CALLBACK + "no"),
    ]
