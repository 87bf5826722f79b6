"""Names from the learner's table are drawn as typed: "$" is not mathtext, "_x" stays in the
legend (matplotlib would otherwise parse "$x^$" and refuse it, and drop "_low" silently)."""

from __future__ import annotations

import pytest
from matplotlib.text import Text

from bot.config import Limits
from bot.tables.parse import parse_table
from bot.training import views
from bot.training.boundary_picture import boundary_figure
from bot.training.network_picture import network_figure
from bot.training.pictures import png
from bot.training.run import load_model, run_training
from bot.training.settings import settings_for
from tests.support.e2e import assert_png

HEADERS = "$x^$ cost$_in_$_"


def _trained(text: str):
    table = parse_table(text, Limits())
    settings = settings_for(table, {"epochs": 30, "custom": ["epochs"]})
    outcome = run_training(table, settings, lambda progress: None, lambda: False)
    return load_model(outcome.model_bytes), table, outcome.encoding


def _texts(figure) -> dict[str, Text]:
    return {text.get_text(): text for text in figure.findobj(Text) if text.get_text()}


@pytest.mark.parametrize(
    "target, values", [("class", ["_low", "$hi$", "$hi$", "_low"]), ("$y_", ["1", "2", "3", "4"])]
)
def test_boundary_draws_dollars_and_underscores_literally(target, values):
    rows = "\n".join(
        f"{a} {b} | {v}" for (a, b), v in zip([(0, 0), (0, 1), (1, 0), (1, 1)], values, strict=True)
    )
    model, table, encoding = _trained(f"{HEADERS} | {target}\n{rows}")
    figure = boundary_figure(model, table, encoding, "en")
    texts = _texts(figure)
    for name in ["$x^$", "cost$_in_$_", *(table.classes or [target])]:
        assert name in texts, f"{name!r} is not drawn"
        assert not texts[name].get_parse_math(), f"{name!r} would be read as mathtext"
    if table.classes:
        legend = figure.axes[0].get_legend()
        assert sorted(t.get_text() for t in legend.get_texts()) == ["$hi$", "_low"]
    assert_png(png(figure))  # and it renders


def test_network_picture_draws_dollar_names_literally():
    model, table, _ = _trained(f"{HEADERS} | cost$\n0 0 | 1\n1 1 | 2\n2 0 | 3")
    figure = network_figure(model, "en", table.inputs, views.output_names(table))
    texts = _texts(figure)
    for name in ("$x^$", "cost$_in_$_", "cost$"):
        assert name in texts and not texts[name].get_parse_math(), name
    assert_png(png(figure))
