"""What the table tests share: parse with the default (or given) limits, catch the error."""

from __future__ import annotations

import pytest

from bot.config import Limits
from bot.tables.parse import parse_table
from bot.tables.table import Table, TableError

LIMITS = Limits()


def parse(text: str, **limits: int) -> Table:
    return parse_table(text, Limits(**limits) if limits else LIMITS)


def error(text: str, **limits: int) -> TableError:
    with pytest.raises(TableError) as caught:
        parse(text, **limits)
    return caught.value
