"""/confusion's counts, picture and wrong rows, and the loss picture's accuracy panel."""

import numpy as np
import pytest

from bot.tables.parse import parse_table
from bot.training.confusion import confusion, confusion_picture, confusion_problem, wrong_lines
from bot.training.pictures import loss_plot
from bot.training.run import load_model
from tests.bot.training.png_check import picture
from tests.support.tables import LIMITS, PRICES, as_table, train

# Two clusters and one row labelled against its cluster: a small network answers it wrong.
FRUIT = parse_table(
    "name weight sweet | fruit\n"
    "a1 1.0 1.0 | apple\n"
    "a2 1.2 0.9 | apple\n"
    "a3 0.9 1.1 | apple\n"
    "p1 3.0 3.1 | pear\n"
    "p2 3.2 2.9 | pear\n"
    "odd 1.1 1.0 | pear\n"
    "c1 5.0 0.5 | cherry\n"
    "c2 5.2 0.4 | cherry\n",
    LIMITS,
)


def _trained(table, text="hidden=4 epochs=300"):
    outcome = train(table, text)
    return outcome, load_model(outcome.model_bytes)


def test_the_counts_put_the_right_class_down_and_the_answer_across():
    outcome, model = _trained(FRUIT)
    result = confusion(FRUIT, outcome.encoding, model)
    assert result.classes == list(FRUIT.classes)
    assert result.counts.sum() == len(FRUIT.X)
    assert result.counts.sum(axis=1).tolist() == [
        sum(1 for row in FRUIT.Y if FRUIT.classes[int(row[0])] == name) for name in result.classes
    ]
    correct = np.trace(result.counts) / len(FRUIT.X)
    assert correct == pytest.approx(outcome.evaluation["accuracy"])
    odd = FRUIT.names.index("odd")
    assert [row for row, _, _ in result.wrong] == [odd]  # the row against its cluster
    pear, apple = FRUIT.classes.index("pear"), FRUIT.classes.index("apple")
    assert result.counts[pear, apple] == 1
    for lang, word in (("en", "right: pear"), ("ru", "верно: pear")):
        text = wrong_lines(FRUIT, result, lang)
        assert "<i>odd</i>" in text and word in text and "1.1 1" in text


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_confusion_picture_is_a_phone_sized_png(lang):
    outcome, model = _trained(FRUIT)
    picture(confusion_picture(confusion(FRUIT, outcome.encoding, model), lang))


def test_class_names_with_dollars_are_drawn_as_text():
    table = parse_table("x | price\n0 | $5\n1 | $5\n5 | $$\n6 | $$\n", LIMITS)
    outcome, model = _trained(table, "epochs=200")
    picture(confusion_picture(confusion(table, outcome.encoding, model), "en"))


def test_all_right_says_so_with_the_row_count():
    table = parse_table("x | y\n0 | 0\n1 | 0\n5 | 1\n6 | 1\n", LIMITS)
    outcome, model = _trained(table, "epochs=300")
    result = confusion(table, outcome.encoding, model)
    assert result.wrong == []
    assert wrong_lines(table, result, "ru") == "Все 4 строки — верно: каждый ответ на диагонали."


def test_regression_and_several_targets_have_no_confusion_matrix():
    assert confusion_problem(as_table(PRICES)) == ("confusion.regression", {})
    two = as_table(
        {"inputs": ["a"], "targets": ["y", "z"], "X": [[0.0], [1.0]], "Y": [[0.0, 1.0], [1.0, 0.0]],
         "task": "binary", "classes": ["0", "1"], "questions": []}
    )  # fmt: skip
    assert confusion_problem(two) == ("confusion.several_targets", {"count": 2})
    assert confusion_problem(FRUIT) is None


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_loss_picture_of_a_class_table_gets_an_accuracy_panel(lang):
    outcome = train(FRUIT, "hidden=4 epochs=100 validation=0.25")
    history = outcome.history_dict
    assert len(history["accuracy"]) == len(history["val_accuracy"]) == 100
    assert history["best_epoch"] == int(np.argmin(history["val_loss"])) + 1
    _, height = picture(loss_plot(history, lang))
    _, plain_height = picture(loss_plot({**history, "accuracy": []}, lang))
    assert height > plain_height  # the second panel


def test_regression_keeps_one_panel():
    outcome = train(as_table(PRICES), "epochs=50")
    assert outcome.history_dict["accuracy"] == []
    width, height = picture(loss_plot(outcome.history_dict, "en"))
    assert height < width
