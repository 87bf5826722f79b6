"""What each lesson step says is what its training did (real trainings, tiny tables)."""

from __future__ import annotations

import numpy as np
import pytest

from bot.config import Limits
from bot.i18n import t
from bot.lesson import steps, work
from bot.lesson.texts import step_text
from tests.support.e2e import assert_png


def run(number: int, lang: str = "en") -> dict:
    payload = steps.payload(steps.STEPS[number], lang, Limits())
    return work.run_lesson_job(payload, lambda report: None, lambda: False)


def test_step_one_is_the_articles_neuron_to_the_eighth_digit():
    result = run(1)
    assert f"{result['facts']['answer']:.8f}" == "0.99993704"
    assert result["facts"]["start"] == pytest.approx([-0.16595599, 0.44064899, -0.99977125])
    assert result["load"]["table"]["inputs"] == ["x1", "x2", "x3"]


def test_step_four_works_the_textbook_step():
    text = step_text(4, run(4, "ru")["facts"], "ru")
    assert "ŷ = σ(1·h₁ + 1·h₂ + 0) = 0.524" in text
    assert "(−0.952) · 0.249 · (−0.0904) = 0.0214" in text  # the factors multiply to it


def test_step_five_shows_twins_from_all_ones_and_a_better_random_start():
    result = run(5)
    facts = result["facts"]
    assert facts["textbook"]["twins"] and not facts["auto"]["twins"]
    assert facts["auto"]["accuracy"] > facts["textbook"]["accuracy"]
    assert_png(result["pictures"][0])


def test_step_six_counts_the_updates_it_says():
    facts = run(6)["facts"]
    assert facts["sgd"]["updates"] == 4 * facts["full"]["updates"]  # four rows, one at a time


def test_step_eight_overfits_as_its_text_says():
    result = run(8)
    facts = result["facts"]
    assert facts["final_val"] > 5 * facts["best_val"], facts
    assert facts["final_train"] < facts["final_val"]
    assert t("guide.8.rises", "en", best_epoch=facts["best_epoch"]) in step_text(8, facts, "en")


def test_step_nine_draws_the_readers_filters_on_a_given_digit():
    digit = np.zeros((28, 28), dtype=np.uint8)
    digit[4:24, 12:16] = 255  # a "1"
    payload = steps.payload(steps.STEPS[9], "ru", Limits(), digit)
    result = work.run_lesson_job(payload, lambda report: None, lambda: False)
    assert result["facts"] == {"filters": 32, "shown": 8, "own": True}
    assert_png(result["pictures"][0])


@pytest.mark.parametrize("text", ["0", "11", "-1", "²", "4.5", "99999"])
def test_only_the_lessons_steps_are_steps(text):
    assert steps.step_number(text) is None
