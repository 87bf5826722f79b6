"""What the bot answers to a photo of handwriting, without Telegram: the reading, the caption,
the pictures, the buttons, and what a kept photo (`bot.digits.kept`) gives those buttons.

A photo with several digits on a line is read as a number, else as the one digit it shows.
The reply is one picture — the 28×28 input with its probability bars, or each digit of a
number — captioned with the answer, its confidence and the runners-up, and two buttons: "how
I saw it" (the preprocessing stages) and "wrong? tell me the right digit" (0–9 buttons).
Everything here is blocking (decoding, the network, drawing): call it off the event loop.
"""

from __future__ import annotations

import io

import numpy as np

from bot.digits import pictures, touching
from bot.digits.kept import KeptPhoto
from bot.digits.photo import Decoded, ImageProblem, decode
from bot.digits.reader import DigitResult, NumberResult, get_reader
from bot.i18n import t
from bot.training.answers import percent

UNSURE = 0.6  # below this confidence the answer says it is a guess

# Callback data of the buttons under an answer: PREFIX + action + ":" + token (+ ":" + digit).
CALLBACK_PREFIX = "digits:"
STAGES = f"{CALLBACK_PREFIX}stages"  # show the preprocessing stages
WRONG = f"{CALLBACK_PREFIX}wrong"  # ask for the right digit
SET = f"{CALLBACK_PREFIX}set"  # store the 28×28 input with the digit the user picked
DIGITS = frozenset("0123456789")  # what SET may carry; anything else was not made by the bot

MAX_PIECES = 3  # a digit seldom falls apart into more pieces than its strokes (see pieces_of_one)

Rows = list[list[tuple[str, str]]]  # keyboard rows of (label, callback data)


# --------------------------------------------------------------------------- reading


def read_photo(photo: Decoded, keep_stages: bool = False) -> NumberResult:
    """A number when the photo holds several digits, else the one digit it shows.

    The bot's answer, and `nnbot digits --number`'s. Raises ImageProblem.
    """
    reader = get_reader()
    number = reader.read_number(photo, keep_stages)
    if len(number.digits) > MAX_PIECES:  # no digit falls into that many pieces
        return number
    try:
        digit = reader.read_digit(photo, keep_stages)
    except ImageProblem:
        if len(number.digits) > 1:  # digits the one-digit reading finds no single one among
            return number
        raise
    if len(number.digits) > 1 and not pieces_of_one(number, digit, photo.grey.shape):
        return number
    return NumberResult(str(digit.digit), [digit], digit.stages)


def pieces_of_one(number: NumberResult, digit: DigitResult, shape: tuple[int, int]) -> bool:
    """Whether the "digits" of a number are the pieces of the one digit read on its own.

    A stroke broken by the threshold or by a printed line falls apart into pieces, and the
    number's reading takes each for a digit (a 4 as "61", a 9 as "11"). The reading of one
    digit joins the pieces near its heaviest stroke. When that digit is narrower than it is
    tall, as one digit is and two side by side are not (`touching.MIN_JUDGED`), and holds
    nearly all of the ink boxes of the number's two or three "digits", the photo shows that one
    digit. (More are a page of digits, whose joined box can be narrow too.)
    `shape` is the photo's (height, width): the boxes are fractions of its sides.
    """
    if len(number.digits) > MAX_PIECES:
        return False
    h, w = shape
    x0, y0, x1, y1 = digit.box
    if (x1 - x0) * w > touching.MIN_JUDGED * (y1 - y0) * h:
        return False
    inside = total = 0.0
    for d in number.digits:
        a0, b0, a1, b1 = d.box
        total += (a1 - a0) * (b1 - b0)
        inside += max(0.0, min(a1, x1) - max(a0, x0)) * max(0.0, min(b1, y1) - max(b0, y0))
    return total > 0 and inside >= 0.9 * total


def answer(data: bytes, max_pixels: int, lang: str) -> tuple[NumberResult, bytes, KeptPhoto]:
    """Everything a photo costs, in one go and one decode: the reading, its picture, and what
    the buttons under the answer need later. Raises ImageProblem."""
    photo = decode(data, max_pixels)
    result = read_photo(photo)
    single = len(result.digits) == 1
    image28 = result.digits[0].image28 if single else None
    return result, answer_picture(result, lang), KeptPhoto(photo.grey, single, image28)


# --------------------------------------------------------------------------- the reply


def compose_reply(result: NumberResult, lang: str) -> str:
    """The caption: the digit with confidence and runners-up, or the number digit by digit."""
    if len(result.digits) == 1:
        d = result.digits[0]
        runners = ", ".join(
            t("digits.runner", lang, digit=digit, confidence=percent(p))
            for digit, p in d.runners_up(2)
            if p >= 0.005
        ) or t("digits.runner_none", lang)
        key = "digits.answer" if d.confidence >= UNSURE else "digits.answer_unsure"
        return t(key, lang, digit=d.digit, confidence=percent(d.confidence), runners=runners)
    details = " ".join(f"{d.digit} ({percent(d.confidence)})" for d in result.digits)
    text = t("digits.number", lang, number=result.text, count=len(result.digits), details=details)
    if len(result.lines) > 1:  # one line of digits per line of writing
        lines = "\n".join(f"<b>{line}</b>" for line in result.lines)
        text = t("digits.lines", lang, count=len(result.lines), lines=lines, details=details)
    weakest = min(range(len(result.digits)), key=lambda i: result.digits[i].confidence)
    if result.digits[weakest].confidence < UNSURE:
        d = result.digits[weakest]
        text += t(
            "digits.number_unsure",
            lang,
            position=weakest + 1,
            digit=d.digit,
            confidence=percent(d.confidence),
        )
    return text


def answer_picture(result: NumberResult, lang: str) -> bytes:
    """The digit's input beside its probability bars, or each digit of the number, one row per
    line of writing."""
    if len(result.digits) == 1:
        d = result.digits[0]
        return pictures.digit_picture(d.image28, d.probs, lang)
    # each digit's line of writing, from the lines' lengths (the digits are in reading order)
    lines = [n for n, line in enumerate(result.lines) for _ in line]
    if len(lines) != len(result.digits):  # a result made without its lines: one row
        lines = [0] * len(result.digits)
    return pictures.number_picture(
        [d.image28 for d in result.digits],
        [d.digit for d in result.digits],
        [d.confidence for d in result.digits],
        lang,
        lines,
    )


def stages_png(kept: KeptPhoto, lang: str) -> bytes:
    """Every preprocessing stage of a kept photo, read the way its answer was (digit or number)."""
    reader = get_reader()
    photo = Decoded(kept.grey)
    if kept.single:
        stages = reader.read_digit(photo, keep_stages=True).stages
    else:
        stages = reader.read_number(photo, keep_stages=True).stages
    return pictures.stages_picture(stages, lang)


def correction_png(kept: KeptPhoto) -> bytes:
    """What "Wrong?" stores: the 28×28 input the network saw, as a greyscale PNG (ink white,
    as in MNIST) — under a kilobyte, where the photo itself could be megabytes."""
    from PIL import Image

    if kept.image28 is None:
        raise ValueError("only a one-digit answer has a 28×28 input to correct")
    pixels = np.clip(np.round(kept.image28 * 255), 0, 255).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels, "L").save(out, "PNG")
    return out.getvalue()


# --------------------------------------------------------------------------- buttons


def answer_buttons(token: str, single: bool, lang: str) -> Rows:
    """The buttons under an answer: how I saw it, and for one digit: wrong? tell me the digit."""
    rows = [[(t("digits.button.stages", lang), f"{STAGES}:{token}")]]
    if single:
        rows.append([(t("digits.button.wrong", lang), f"{WRONG}:{token}")])
    return rows


def digit_buttons(token: str) -> Rows:
    """Ten buttons 0–9 in two rows, each storing the photo `token` with that digit."""
    return [
        [(str(d), f"{SET}:{token}:{d}") for d in range(row * 5, row * 5 + 5)] for row in range(2)
    ]


def parse_button(data: str) -> tuple[str, str, int | None]:
    """A button's callback data as (action, token, digit): action is STAGES, WRONG or SET (or
    anything else for a stale or foreign button); digit is the picked one for SET, else None."""
    parts = data.split(":")
    action = ":".join(parts[:2])
    token = parts[2] if len(parts) > 2 else ""
    digit = int(parts[3]) if len(parts) == 4 and parts[3] in DIGITS else None
    return action, token, digit
