"""Advice about a table and the chosen network, shared by the training summary and /explain."""

from __future__ import annotations

import numpy as np

import nncore as nn
from bot.i18n import t
from bot.tables.table import Table
from bot.training.settings import TrainSettings


def best_single_line(table: Table, settings: TrainSettings) -> float | None:
    """For a binary table and a network without hidden layers: the best accuracy one straight
    line (hyperplane) can reach, when it is below 100% (XOR: 0.75); else None."""
    if settings.hidden or table.task != "binary":
        return None
    labels = np.asarray(table.Y, dtype=float)[:, 0]
    best = float(nn.linear_separability(np.asarray(table.X, dtype=float), labels))
    return best if best < 1 else None


# What the separability note tells the learner to type; tests/bot/training/test_advice.py
# follows it over several seeds and tables.
HIDDEN_LAYER_ADVICE = "preset=default hidden=8 epochs=2000"


def separability_note(table: Table, settings: TrainSettings, lang: str) -> str | None:
    """The warning "one neuron cannot learn this table" (HTML), or None when it can."""
    best = best_single_line(table, settings)
    return None if best is None else separability_text(best, lang)


def separability_text(best: float, lang: str) -> str:
    """The warning for a table one straight line gets at most `best` of right (HTML)."""
    return t("lesson.separability", lang, percent=f"{best:.0%}", advice=HIDDEN_LAYER_ADVICE)
