"""The training texts and keyboards, built without Telegram."""

import pytest

from bot.i18n import t
from bot.store import ChatState
from bot.tables.examples import EXAMPLES
from bot.tables.parse import parse_table
from bot.text import split_message
from bot.training import views
from bot.training.run import run_training
from bot.training.settings import SettingsError, default_settings, parse_settings, settings_for
from bot.training.views import predict_text, settings_error_text, summary_text
from tests.support.tables import LIMITS, XOR, as_table, train


def test_a_huge_table_gives_a_summary_within_telegram_limits():
    wide = {
        "inputs": [f"x{i}" for i in range(60)],
        "targets": ["y"],
        "X": [[float(i % 7)] * 60 for i in range(300)],
        "Y": [[float(i % 2)] for i in range(300)],
        "task": "binary",
        "classes": ["no", "yes"],
        "questions": [[1.0] * 60] * 100,
    }
    table = as_table(wide)
    settings = settings_for(table, {"epochs": 2})
    outcome = run_training(table, settings, lambda p: None, lambda: False)
    text = views.summary_text(table, settings, outcome.evaluation, "ru")
    parts = split_message(text)
    assert all(len(part) <= 4096 for part in parts) and len(parts) == 1


def test_the_summary_marks_each_row_and_suggests_a_question():
    outcome = train(XOR)
    table = as_table(XOR)
    text = views.summary_text(table, default_settings("binary"), outcome.evaluation, "en")
    assert text.count("✅") == 4 and "❌" not in text
    assert "/predict 0 0" in text


def test_progress_bar_and_text():
    assert views.progress_bar(0.5, width=4) == "██░░"
    assert views.progress_bar(2.0, width=3) == "███"
    data = {"epoch": 10, "epochs": 100, "fraction": 0.1, "loss": 0.5, "seconds": 1.0}
    text = views.progress_text(data, "2-4-1", "en")
    assert "2-4-1" in text and "0.5" in text and "░" in text


def test_keyboards_are_rows_of_labels_and_callback_data():
    rows = views.settings_rows(default_settings("binary"), "en")
    data = [d for row in rows for _, d in row]
    assert views.setting_data("lr", "double") in data and data[-1] == views.GO
    assert all(d.startswith(views.CALLBACK_PREFIX) for d in data)
    assert views.setting_of(views.setting_data("lr", "half")) == ("lr", "half")
    assert views.setting_of(views.STOP) is None and views.setting_of("train:s:x") is None
    assert views.stop_rows("ru") == [[(t("train.button.stop", "ru"), views.STOP)]]


# --- moments that need a word -----------------------------------------------------------------


def _line_state(text: str, settings: str):
    table = parse_table(text, LIMITS)
    chosen = parse_settings(settings, settings_for(table, None), LIMITS)
    outcome = run_training(table, chosen, lambda _: None, lambda: False)
    state = ChatState(chat_id=1, table=table.to_dict(), settings=chosen.to_dict())
    state.model, state.encoding = outcome.model_bytes, outcome.encoding
    return table, chosen, outcome, state


def test_predicting_far_outside_the_table_says_it_is_extrapolating():
    _, _, _, state = _line_state("x | y\n1 | 3\n2 | 5\n3 | 7\n4 | 9", "epochs=300")
    far = predict_text(state, [[10]], "en")
    assert "extrapolates" in far and "x is from 1 to 4" in far
    assert "экстраполирует" in predict_text(state, [[10]], "ru")
    assert "extrapolates" not in predict_text(state, [[2.5]], "en")


def test_a_tiny_table_with_a_big_network_is_said_to_be_memorised():
    table, settings, outcome, _ = _line_state("a b | y\n0 1 | 1\n1 0 | 0", "hidden=8 epochs=300")
    text = summary_text(table, settings, outcome.evaluation, "ru")
    assert "запомнить строки" in text and "2 строки" in text
    assert "33 параметра (веса и смещения)" in text
    xor = parse_table(EXAMPLES["xor"].text, LIMITS)
    xor_settings = settings_for(xor, None)
    xor_outcome = run_training(xor, xor_settings, lambda _: None, lambda: False)
    assert "by heart" not in summary_text(xor, xor_settings, xor_outcome.evaluation, "en")


def test_lists_of_choices_are_shown_whole_and_in_one_order():
    with pytest.raises(SettingsError) as error:
        parse_settings("init=nonsense", default_settings("binary"), LIMITS)
    text = settings_error_text(error.value, "en")
    assert "auto, article, textbook, normal, legacy, he, glorot, lecun, uniform" in text
    with pytest.raises(SettingsError) as error:
        parse_settings("activation=x", default_settings("binary"), LIMITS)
    assert "sigmoid, tanh, relu, leaky_relu" in settings_error_text(error.value, "ru")
    with pytest.raises(SettingsError) as error:
        parse_settings("nonsense=1", default_settings("binary"), LIMITS)
    known = settings_error_text(error.value, "en").rstrip(".")
    assert known.endswith("bias, patience, l2, dropout")


def _xor_summary(settings_text: str, lang: str) -> tuple[str, dict]:
    table = parse_table(EXAMPLES["xor"].text, LIMITS)
    settings = parse_settings(settings_text, settings_for(table, None), LIMITS)
    outcome = run_training(table, settings, lambda p: None, lambda: False)
    return summary_text(table, settings, outcome.evaluation, lang), outcome.evaluation


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "Correct answers on the table: <b>50%</b> — but unsure for 4 rows of 4"),
        (
            "ru",
            "Верных ответов на таблице: <b>50%</b> — но сеть не уверена в ответе: 4 строки из 4",
        ),
    ],
)
def test_one_neuron_on_xor_says_its_half_right_answers_are_guesses(lang, said):
    """One neuron cannot split XOR: every output ends near 0.5, every row is marked unsure, and
    "50% right" alone would read as half learned."""
    text, evaluation = _xor_summary(EXAMPLES["xor"].settings + " hidden=none", lang)
    assert all(abs(row["value"] - 0.5) < 0.1 for row in evaluation["rows"])
    assert evaluation["unsure"] == 4
    assert text.count("❔") == 4
    assert said in text


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_well_trained_xor_says_nothing_about_unsure_rows(lang):
    text, evaluation = _xor_summary(EXAMPLES["xor"].settings, lang)
    assert evaluation["accuracy"] == 1.0 and evaluation["unsure"] == 0
    assert t("train.summary.accuracy", lang, percent="100") + "\n" in text
    assert "unsure" not in text and "не уверена" not in text


def test_the_unsure_count_takes_the_right_plural():
    table = parse_table(EXAMPLES["xor"].text, LIMITS)
    settings = settings_for(table, None)
    evaluation = {"loss": 0.69, "accuracy": 0.5, "rows": [], "unsure": 1}
    assert "— but unsure for 1 row of 4" in summary_text(table, settings, evaluation, "en")
    assert "не уверена в ответе: 1 строка из 4" in summary_text(table, settings, evaluation, "ru")
