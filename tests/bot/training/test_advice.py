import re

import pytest

from bot.tables.examples import EXAMPLES, suggested_settings
from bot.tables.parse import parse_table
from bot.tables.table import Table
from bot.training.advice import best_single_line, separability_note
from bot.training.explain import RowChoice, explain_row
from bot.training.run import run_training
from bot.training.settings import TrainSettings, default_settings, parse_settings, settings_for
from tests.bot.training.test_explain import example_state
from tests.support.tables import LIMITS, XOR, as_table


def test_separability_note_for_the_training_summary():
    state, _ = example_state("xor", hidden="none")
    table = Table.from_dict(state.table)
    settings = settings_for(table, state.settings)
    assert "75%" in separability_note(table, settings, "ru")
    state, _ = example_state("xor")
    table = Table.from_dict(state.table)
    assert separability_note(table, settings_for(table, None), "en") is None


def test_one_straight_line_gets_three_quarters_of_xor():
    one_neuron = parse_settings("hidden=none", default_settings("binary"), LIMITS)
    assert best_single_line(as_table(XOR), one_neuron) == 0.75
    assert best_single_line(as_table(XOR), default_settings("binary")) is None


# --- every piece of advice works when followed ------------------------------------------------

SEEDS = range(1, 6)
XNOR_RING = """\
x1 x2 | inside
0 0 | 1
0 2 | 0
2 0 | 0
2 2 | 0
1 1 | 1
-2 0 | 0
0 -2 | 0
1 0 | 1
"""


def _after(key: str, table_text: str, *typed: str, seed: int) -> dict:
    """Train `table_text` with example `key`'s settings after the learner typed `typed`."""
    table = parse_table(table_text, LIMITS)
    settings = TrainSettings.from_dict(
        suggested_settings(key, parse_table(EXAMPLES[key].text, LIMITS), LIMITS)
    )
    for text in (*typed, f"seed={seed}"):
        settings = parse_settings(text, settings, LIMITS)
    return run_training(table, settings, lambda _: None, lambda: False).evaluation


def _advised_setting(text: str) -> str:
    """What the bot tells the learner to type after /settings, read from its own message."""
    return re.search(r"<code>/settings ([^<]+)</code>", text).group(1)


@pytest.mark.parametrize("start", ["xor", "and", "neuron"])
@pytest.mark.parametrize("table_text", [EXAMPLES["xor"].text, XNOR_RING])
def test_the_hidden_layer_advice_reaches_every_row_whatever_came_before(start, table_text):
    table = parse_table(table_text, LIMITS)
    one_neuron = parse_settings("hidden=none", default_settings("binary"), LIMITS)
    advice = _advised_setting(separability_note(table, one_neuron, "en"))
    assert advice == _advised_setting(separability_note(table, one_neuron, "ru"))
    for seed in SEEDS:
        assert _after(start, table_text, "hidden=none", advice, seed=seed)["accuracy"] == 1.0


def test_the_symmetry_advice_breaks_the_twins():
    state, table = example_state("xor", hidden="8", init="textbook")
    text = "\n".join(explain_row(state, table, RowChoice(0), "en"))
    assert "twins" in text
    twins = _after("xor", EXAMPLES["xor"].text, "hidden=8 init=textbook", seed=1)
    assert twins["accuracy"] < 1.0  # the trap the warning is about
    advice = _advised_setting(text.split("twins", 1)[1])
    for seed in SEEDS:
        followed = _after("xor", EXAMPLES["xor"].text, "hidden=8 init=textbook", advice, seed=seed)
        assert followed["accuracy"] == 1.0


@pytest.mark.parametrize("key", ["gender", "xor", "and", "or", "colours", "digits7"])
def test_every_example_learns_its_table_as_its_next_step_promises(key):
    for seed in (1, 2, 3):
        assert _after(key, EXAMPLES[key].text, seed=seed)["accuracy"] == 1.0


def test_the_single_neuron_answer_approaches_1_as_promised():
    answer = _after("neuron", EXAMPLES["neuron"].text, seed=1)["questions"][0]
    assert answer["text"] == "1" and answer["value"] > 0.999


def test_the_xor_example_one_neuron_gets_at_most_three_quarters():
    for seed in SEEDS:
        assert _after("xor", EXAMPLES["xor"].text, "hidden=none", seed=seed)["accuracy"] <= 0.75
