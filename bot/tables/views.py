"""What the table handlers show besides a preview: the /examples buttons and an example's text.

Keyboards are plain rows of (label, callback_data); the handlers turn them into Telegram's
buttons. No Telegram here.
"""

from __future__ import annotations

from bot.i18n import t
from bot.tables.examples import EXAMPLES
from bot.tables.preview import preview
from bot.tables.table import Table

CALLBACK_PREFIX = "tables:"
EXAMPLE_CALLBACK = f"{CALLBACK_PREFIX}ex:"  # + the example's key
BUTTONS_PER_ROW = 2

Keyboard = list[list[tuple[str, str]]]


def examples_keyboard(lang: str) -> Keyboard:
    """One button per ready table, two to a row."""
    buttons = [(t(f"table.example.{key}.title", lang), EXAMPLE_CALLBACK + key) for key in EXAMPLES]
    return [buttons[i : i + BUTTONS_PER_ROW] for i in range(0, len(buttons), BUTTONS_PER_ROW)]


def example_key(callback_data: str | None) -> str | None:
    """The example a button names, or None when it names none (an old keyboard)."""
    key = (callback_data or "").removeprefix(EXAMPLE_CALLBACK)
    return key if key in EXAMPLES else None


def example_text(key: str, table: Table, lang: str) -> str:
    """An example chosen: what it is, what was understood, and what to try next."""
    return "\n\n".join(
        [
            t(f"table.example.{key}.about", lang),
            preview(table, lang),
            t(f"table.example.{key}.next", lang),
        ]
    )
