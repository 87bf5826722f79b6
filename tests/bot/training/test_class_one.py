"""A two-class table always says which class the output 1 stands for: in the training summary,
in /predict and in /explain, in the learner's language."""

from bot.store import ChatState
from bot.tables.parse import parse_table
from bot.training.explain import RowChoice, explain_row
from bot.training.run import run_training
from bot.training.settings import parse_settings, settings_for
from bot.training.views import predict_text, summary_text
from tests.support.tables import LIMITS

ANIMALS = "вес уши | кот\n4 1 | да\n30 0 | нет\n5 1 | да\n25 0 | нет"


def _trained():
    table = parse_table(ANIMALS, LIMITS)
    settings = parse_settings("hidden=none epochs=50", settings_for(table, None), LIMITS)
    outcome = run_training(table, settings, lambda _: None, lambda: False)
    state = ChatState(chat_id=1, table=table.to_dict(), settings=settings.to_dict())
    state.model, state.encoding = outcome.model_bytes, outcome.encoding
    return table, settings, outcome, state


def test_summary_predict_and_explain_say_which_class_is_1():
    table, settings, outcome, state = _trained()
    assert table.task == "binary"
    zero, one = table.classes
    said = f"кот = {one} (класс 1); ниже 0.5 сеть отвечает {zero}."
    assert said in summary_text(table, settings, outcome.evaluation, "ru")
    assert said in predict_text(state, [[4, 1]], "ru")
    assert said in "\n".join(explain_row(state, table, RowChoice(0), "ru"))
    assert f"кот = {one} (class 1)" in predict_text(state, [[4, 1]], "en")


def test_a_regression_table_has_no_class_line():
    table = parse_table("x | y\n1 | 3\n2 | 5\n3 | 7", LIMITS)
    settings = parse_settings("epochs=20", settings_for(table, None), LIMITS)
    outcome = run_training(table, settings, lambda _: None, lambda: False)
    state = ChatState(chat_id=1, table=table.to_dict(), settings=settings.to_dict())
    state.model, state.encoding = outcome.model_bytes, outcome.encoding
    assert "класс 1" not in predict_text(state, [[4]], "ru")
