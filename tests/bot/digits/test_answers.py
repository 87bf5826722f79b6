"""bot.digits.answers: answers read well in both languages; buttons; one decode per photo."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw

from bot.digits import answers
from bot.digits import photo as photo_module
from bot.digits.answers import compose_reply
from bot.digits.kept import KeptPhoto
from bot.digits.photo import Decoded
from bot.digits.reader import DigitResult, NumberResult, get_reader
from tests.bot.digits.helpers import drawn_photo, five_in_two_pieces, png, sheet
from tests.support import synthetic_photos as sp


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


def test_a_very_sure_reading_says_above_99_9_never_100_as_the_tables_do():
    for lang in ("en", "ru"):
        text = compose_reply(NumberResult("7", [result(7, 0.99997)]), lang)
        assert "> 99.9%" in text and "100" not in text, lang
    number = compose_reply(NumberResult("71", [result(7, 0.99999), result(1, 0.994)]), "ru")
    assert "7 (> 99.9%)" in number and "1 (99.4%)" in number and "100" not in number


def test_the_answer_pictures_print_the_same_percentages(monkeypatch):
    drawn = []
    real = ImageDraw.ImageDraw.text
    monkeypatch.setattr(
        ImageDraw.ImageDraw,
        "text",
        lambda self, xy, text, *a, **k: drawn.append(text) or real(self, xy, text, *a, **k),
    )
    answers.answer_picture(NumberResult("7", [result(7, 0.99998)]), "ru")
    assert "> 99.9%" in drawn and not [text for text in drawn if text.startswith("100.")]
    drawn.clear()
    answers.answer_picture(NumberResult("70", [result(7, 0.99998), result(0, 0.87)]), "ru")
    assert "7  ·  > 99.9%" in drawn and "0  ·  87%" in drawn


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


def test_a_photo_is_decoded_once_for_the_answer_and_its_stages(monkeypatch):
    decodes = []
    real = photo_module._decode_grey
    monkeypatch.setattr(
        photo_module, "_decode_grey", lambda *args: decodes.append(args[2]) or real(*args)
    )
    photo = drawn_photo(3, seed=2)
    result, picture, kept = answers.answer(photo, 40_000_000, "en")
    assert decodes == [photo_module.NUMBER_SIDE]  # once, as a number and as a digit both
    assert picture.startswith(b"\x89PNG") and kept.single and len(result.digits) == 1
    assert kept.grey.dtype == np.uint8 and max(kept.grey.shape) <= photo_module.NUMBER_SIDE
    assert answers.stages_png(kept, "ru").startswith(b"\x89PNG")
    assert decodes == [photo_module.NUMBER_SIDE]  # "How I saw it" decoded nothing again


def test_reading_the_decoded_photo_gives_the_same_digit_as_reading_its_bytes():
    photo = drawn_photo(7, seed=4)
    result, _picture, kept = answers.answer(photo, 40_000_000, "en")
    assert result.text == str(get_reader().read_digit(photo).digit)
    again = get_reader().read_digit(Decoded(kept.grey))
    assert np.array_equal(again.image28, kept.image28)


def test_a_correction_stores_the_28x28_input_not_the_photo():
    image28 = np.zeros((28, 28), dtype=np.float32)
    image28[4:24, 13:15] = 1.0
    kept = KeptPhoto(np.zeros((600, 800), dtype=np.uint8), True, image28)
    data = answers.correction_png(kept)
    assert len(data) < 1000
    with Image.open(io.BytesIO(data)) as stored:
        assert stored.size == (28, 28) and stored.mode == "L"
        pixels = np.asarray(stored)
    assert pixels[10, 13] == 255 and pixels[10, 5] == 0  # ink white, as in MNIST


def test_several_lines_of_writing_are_shown_one_per_line():
    digits = [result(1, 0.99), result(2, 0.98), result(3, 0.97), result(4, 0.99), result(5, 0.99)]
    number = NumberResult("12345", digits, lines=["123", "45"])
    for lang in ("en", "ru"):
        text = compose_reply(number, lang)
        assert "<b>123</b>\n<b>45</b>" in text and "2" in text
    assert "2 lines" in compose_reply(number, "en")
    assert "строк: 2" in compose_reply(number, "ru")


def test_the_answer_picture_draws_one_row_per_line_of_writing(monkeypatch):
    drawn = {}

    def number_picture(images, digits, confidences, lang, lines=None):
        drawn.update(digits=digits, lines=lines)
        return b"png"

    monkeypatch.setattr(answers.pictures, "number_picture", number_picture)
    digits = [result(d, 0.99) for d in (1, 2, 3, 4, 5)]
    answers.answer_picture(NumberResult("12345", digits, lines=["123", "45"]), "ru")
    assert drawn == {"digits": [1, 2, 3, 4, 5], "lines": [0, 0, 0, 1, 1]}


def test_one_line_keeps_the_number_answer():
    number = NumberResult("42", [result(4, 0.99), result(2, 0.98)])
    assert number.lines == ["42"] and "<b>42</b>" in compose_reply(number, "en")


def boxed(digit: int, box: tuple[float, float, float, float]) -> DigitResult:
    out = result(digit, 0.99)
    out.box = box
    return out


def test_pieces_inside_the_one_digit_read_alone_are_that_digit():
    # a 9 whose stem came apart from its loop: the number reading finds "01", the digit
    # reading joins both into one box, narrower than tall on a 640 × 480 photo
    nine = boxed(9, (0.39, 0.29, 0.55, 0.71))
    loop, stem = boxed(0, (0.39, 0.29, 0.53, 0.48)), boxed(1, (0.52, 0.43, 0.55, 0.71))
    pieces = NumberResult("01", [loop, stem])
    assert answers.pieces_of_one(pieces, nine, (480, 640))
    # the same boxes on a photo four times as wide: the digit's box is wider than tall
    assert not answers.pieces_of_one(pieces, nine, (480, 2560))
    # a piece mostly outside the digit's box is a digit of its own
    apart = NumberResult("01", [pieces.digits[0], boxed(1, (0.56, 0.43, 0.62, 0.71))])
    assert not answers.pieces_of_one(apart, nine, (480, 640))
    # four "digits" inside one narrow box are a page of digits joined, not one digit's pieces
    page = NumberResult("0101", [*pieces.digits, *pieces.digits])
    assert not answers.pieces_of_one(page, nine, (480, 640))


def _drawn(draw) -> Decoded:
    return photo_module.decode(png(sheet(draw)), 40_000_000)


def test_a_digit_in_two_pieces_is_answered_as_one_digit():
    def nine(d):  # the stem apart from the loop
        d.ellipse([250, 140, 340, 230], outline=30, width=12)
        d.line([(345, 205), (335, 340)], fill=30, width=12)

    for draw, digit in ((five_in_two_pieces, "5"), (nine, "9")):
        answer = answers.read_photo(_drawn(draw))
        assert answer.text == digit and len(answer.digits) == 1


def test_digits_side_by_side_stay_a_number():
    rng = np.random.default_rng(3)
    data = sp.random_number_photo([None] * 2, [3, 7], rng, stroke="normal", gap=0.3)
    assert answers.read_photo(photo_module.decode(data, 40_000_000)).text == "37"


def test_a_number_stands_when_no_single_digit_is_found(monkeypatch):
    class Reader:
        def read_number(self, photo, keep_stages=False):
            return NumberResult("42", [result(4, 0.99), result(2, 0.98)])

        def read_digit(self, photo, keep_stages=False):
            raise photo_module.ImageProblem("no_digit", "nothing digit-like on its own")

    monkeypatch.setattr(answers, "get_reader", Reader)
    assert answers.read_photo(Decoded(np.zeros((10, 10), np.uint8))).text == "42"
