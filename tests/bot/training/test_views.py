"""The training texts and keyboards, built without Telegram."""

from bot.i18n import t
from bot.text import split_message
from bot.training import views
from bot.training.run import run_training
from bot.training.settings import default_settings, settings_for
from tests.support.tables import XOR, as_table, train


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
