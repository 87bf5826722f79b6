"""Numbers shown in a worked calculation, with just enough digits that the sum adds up.

A learner checks "0.0169 · 0.0084 = 0.000142" with a calculator. Three significant digits
everywhere is the textbook habit, but rounded factors need not multiply to the rounded result
("(3 − 3)² = 5.72e−06"). `agreeing` shows the result with `result_digits` significant digits
and gives the operands as many digits as it takes for the calculation on the *shown* operands
to round to the *shown* result. Plain Python: no Telegram, no nncore.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import Decimal

MAX_DIGITS = 17


def rounded(value: float, digits: int) -> float:
    """`value` to `digits` significant digits."""
    if value == 0 or not math.isfinite(value):
        return float(value)
    return float(f"{value:.{digits - 1}e}")


def shown(value: float, digits: int = 3) -> str:
    """`value` as a learner reads it: `digits` significant digits, whole numbers whole, a real
    minus sign (−) and exponents as e−05."""
    value = float(value)
    if value == 0:
        return "0"
    if value == int(value) and abs(value) < 1e6:
        text = str(int(value))
    else:
        text = f"{value:.{digits}g}" if digits < 16 else repr(value)  # repr: shortest exact
    return text.replace("e-", "e−").replace("-", "−")


def parse_shown(text: str) -> float:
    """The number a shown text stands for ("−9.41e−05" → -9.41e-05)."""
    return float(text.replace("−", "-"))


def half_unit(text: str) -> float:
    """Half a unit of the last digit written in `text` ("0.0169" → 0.00005, "12" → 0.5)."""
    plain = text.replace("−", "-")
    exponent = Decimal(plain).as_tuple().exponent
    assert isinstance(exponent, int)
    return 0.5 * 10.0**exponent


def fits(computed: float, text: str) -> bool:
    """True when `computed` rounds to the shown number `text` (a hair of float slack)."""
    target = parse_shown(text)
    return abs(computed - target) <= half_unit(text) * (1 + 1e-9) + 1e-12 * abs(target)


def agreeing(
    operands: Sequence[float],
    compute: Callable[[list[float]], float],
    result: float,
    result_digits: int = 3,
    start: int = 3,
) -> tuple[list[str], str]:
    """(operands as shown, result as shown) such that compute(shown operands) rounds to the
    shown result. The result keeps `result_digits`; operands get `start` digits or more."""
    result_text = shown(result, result_digits)
    return operands_for(operands, compute, result_text, start), result_text


def operands_for(
    operands: Sequence[float],
    compute: Callable[[list[float]], float],
    result_text: str,
    start: int = 3,
) -> list[str]:
    """The operands with the fewest digits (at least `start`) for which compute() on them, as
    shown, rounds to `result_text`; at worst each operand's exact shortest form."""
    for digits in range(start, MAX_DIGITS + 1):
        texts = [shown(v, digits) for v in operands]
        try:
            value = compute([parse_shown(t) for t in texts])
        except (ValueError, ZeroDivisionError, OverflowError):
            continue
        if fits(value, result_text):
            return texts
    return [shown(v, MAX_DIGITS) for v in operands]


def factor(text: str) -> str:
    """A shown number as a factor: negative ones in brackets, "(−0.5)"."""
    return f"({text})" if text.startswith("−") else text
