"""How sure the network is, said honestly: the probability with the precision it has, and
"unsure" near a coin toss, for the training summary and /predict. Plain Python."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bot.i18n import t

if TYPE_CHECKING:
    from bot.tables.table import Table

UNSURE_BELOW = 0.6  # a class answer whose probability is under this is a guess
NEAR_CERTAIN = 0.999  # above this, more digits of percent would claim what is not known


def percent(confidence: float) -> str:
    """0.99993 → "> 99.9%", 0.994 → "99.4%", 0.87 → "87%"."""
    if confidence > NEAR_CERTAIN:
        return "> 99.9%"
    if confidence >= 0.99:
        return f"{100 * confidence:.1f}%"
    return f"{100 * confidence:.0f}%"


def probability(value: float) -> str:
    """A sigmoid output with 8 decimals, as the article prints it (0.99993704); never "1"."""
    if value > 1 - 5e-9:
        return "> 0.99999999"
    if value < 5e-9:
        return "< 0.00000001"
    return f"{value:.8f}".rstrip("0").rstrip(".")


def unsure(answer: Mapping[str, Any]) -> bool:
    confidence = answer.get("confidence")
    return confidence is not None and confidence < UNSURE_BELOW


def answer_text(answer: Mapping[str, Any], lang: str) -> str:
    """The answer as the learner reads it: the class, or "unsure" for a near coin toss."""
    return t("answer.unsure", lang) if unsure(answer) else str(answer["text"])


def detail_text(answer: Mapping[str, Any], lang: str) -> str:
    """What stands behind the answer: ŷ for one sigmoid output, and how sure the network is."""
    confidence = answer.get("confidence")
    if confidence is None:
        return ""
    value = answer.get("value")
    sure = (
        t("answer.guess", lang)
        if unsure(answer)
        else t("answer.sure", lang, percent=percent(confidence))
    )
    if isinstance(value, float):
        return t("answer.detail_yhat", lang, value=probability(value), sure=sure)
    return t("answer.detail", lang, sure=sure)


def class_one_text(table: Table, lang: str) -> str:
    """Which class the output 1 of a two-class table stands for ("" for any other table)."""
    if table.task != "binary" or len(table.targets) != 1:
        return ""
    zero, one = (table.classes or ["0", "1"])[:2]
    return t(
        "train.summary.class_one",
        lang,
        target=html.escape(table.targets[0]),
        one=html.escape(one),
        zero=html.escape(zero),
    )
