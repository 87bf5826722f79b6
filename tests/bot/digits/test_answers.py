"""bot.digits.answers: answers read well in both languages; buttons and kept photos."""

from __future__ import annotations

import numpy as np

from bot.digits import answers
from bot.digits.answers import compose_reply
from bot.digits.reader import DigitResult, NumberResult


def probs_for(digit: int, confidence: float) -> np.ndarray:
    probs = np.full(10, (1 - confidence) / 9)
    probs[digit] = confidence
    return probs


def result(digit: int, confidence: float) -> DigitResult:
    return DigitResult(digit, confidence, probs_for(digit, confidence), np.zeros((28, 28)))


def test_a_sure_answer_names_the_digit_and_the_runners_up():
    text = compose_reply(NumberResult("7", [result(7, 0.97)]), "en")
    assert "<b>7</b>" in text and "97%" in text and "Runners-up" in text


def test_an_unsure_answer_says_so_in_russian():
    text = compose_reply(NumberResult("3", [result(3, 0.41)]), "ru")
    assert "<b>3</b>" in text and "41%" in text and "/digit" in text


def test_a_number_lists_each_digit_and_the_weakest_one():
    number = NumberResult(
        "2024", [result(2, 0.99), result(0, 0.98), result(2, 0.45), result(4, 0.9)]
    )
    text = compose_reply(number, "en")
    assert "<b>2024</b>" in text and "4 digits" in text and "digit 3" in text


def test_negligible_runners_up_are_not_listed():
    probs = np.zeros(10)
    probs[5] = 1.0
    text = compose_reply(NumberResult("5", [DigitResult(5, 1.0, probs, np.zeros((28, 28)))]), "en")
    assert "none worth mentioning" in text and "(0%)" not in text


def test_percent_is_whole_below_99_5_and_has_a_decimal_above():
    assert answers.percent(0.97) == "97" and answers.percent(0.996) == "99.6"


def test_buttons_carry_their_action_and_token():
    rows = answers.answer_buttons("3", single=True, lang="en")
    assert [answers.parse_button(data) for row in rows for _, data in row] == [
        (answers.STAGES, "3", None),
        (answers.WRONG, "3", None),
    ]
    assert len(answers.answer_buttons("3", single=False, lang="en")) == 1
    digits = [answers.parse_button(data) for row in answers.digit_buttons("4") for _, data in row]
    assert digits == [(answers.SET, "4", d) for d in range(10)]
    assert all(data.startswith(answers.CALLBACK_PREFIX) for row in rows for _, data in row)


def test_only_the_last_photos_are_remembered():
    chat_data: dict = {}
    tokens = [answers.remember(chat_data, bytes([i]), True) for i in range(answers.KEEP_PHOTOS + 2)]
    assert answers.recall(chat_data, tokens[0]) is None
    assert answers.recall(chat_data, tokens[-1]) == {"bytes": bytes([6]), "single": True}
    assert answers.recall({}, "0") is None


def test_a_small_photo_is_kept_as_sent():
    assert answers.remembered_bytes(b"tiny") == b"tiny"


def test_several_lines_of_writing_are_shown_one_per_line():
    digits = [result(1, 0.99), result(2, 0.98), result(3, 0.97), result(4, 0.99), result(5, 0.99)]
    number = NumberResult("12345", digits, lines=["123", "45"])
    for lang in ("en", "ru"):
        text = compose_reply(number, lang)
        assert "<b>123</b>\n<b>45</b>" in text and "2" in text
    assert "2 lines" in compose_reply(number, "en")
    assert "строк: 2" in compose_reply(number, "ru")


def test_one_line_keeps_the_number_answer():
    number = NumberResult("42", [result(4, 0.99), result(2, 0.98)])
    assert number.lines == ["42"] and "<b>42</b>" in compose_reply(number, "en")
