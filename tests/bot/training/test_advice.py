from bot.tables.table import Table
from bot.training.advice import best_single_line, separability_note
from bot.training.settings import default_settings, parse_settings, settings_for
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
