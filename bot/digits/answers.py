"""What the bot answers to a photo of handwriting, without Telegram: the reading, the caption,
the pictures, the buttons, and the few photos a chat remembers for those buttons.

A photo with several digits on a line is read as a number, else as the one digit it shows.
The reply is one picture — the 28×28 input with its probability bars, or each digit of a
number — captioned with the answer, its confidence and the runners-up, and two buttons: "how
I saw it" (the preprocessing stages) and "wrong? tell me the right digit" (0–9 buttons).
Everything here is blocking (decoding, the network, drawing): call it off the event loop.
"""

from __future__ import annotations

import io
from typing import TypedDict

from bot.digits import pictures
from bot.digits.reader import NumberResult, get_reader
from bot.i18n import t

KEEP_PHOTOS = 5  # photos per chat remembered for the buttons
KEEP_BYTES = 4_000_000  # bigger photos are remembered re-encoded at a smaller size
KEEP_SIDE = 1600  # … at most this many pixels on their long side
UNSURE = 0.6  # below this confidence the answer says it is a guess

# Callback data of the buttons under an answer: PREFIX + action + ":" + token (+ ":" + digit).
CALLBACK_PREFIX = "digits:"
STAGES = f"{CALLBACK_PREFIX}stages"  # show the preprocessing stages
WRONG = f"{CALLBACK_PREFIX}wrong"  # ask for the right digit
SET = f"{CALLBACK_PREFIX}set"  # store the photo with the digit the user picked

CHAT_DATA_KEY = "digits"  # chat_data: {"next": int, "photos": {token: KeptPhoto}}

Rows = list[list[tuple[str, str]]]  # keyboard rows of (label, callback data)


class KeptPhoto(TypedDict):
    """A photo kept for the buttons under its answer."""

    bytes: bytes  # as sent, or re-encoded smaller (remembered_bytes)
    single: bool  # read as one digit (else as a number)


# --------------------------------------------------------------------------- reading


def read_photo(data: bytes, max_pixels: int) -> NumberResult:
    """A number when the photo holds several digits on a line, else the one digit it shows."""
    reader = get_reader()
    number = reader.read_number(data, max_pixels=max_pixels)
    if len(number.digits) > 1:
        return number
    digit = reader.read_digit(data, max_pixels=max_pixels)
    return NumberResult(str(digit.digit), [digit])


def answer(data: bytes, max_pixels: int, lang: str) -> tuple[NumberResult, bytes, bytes]:
    """Everything a photo costs, in one go: the reading, its picture, and the copy to keep."""
    result = read_photo(data, max_pixels)
    return result, answer_picture(result, lang), remembered_bytes(data)


def remembered_bytes(data: bytes) -> bytes:
    """The photo as kept for the buttons: as sent, or re-encoded smaller when it is huge."""
    if len(data) <= KEEP_BYTES:
        return data
    from PIL import Image, ImageOps

    image = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
    image.thumbnail((KEEP_SIDE, KEEP_SIDE))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


# --------------------------------------------------------------------------- the reply


def percent(p: float) -> str:
    """A confidence as a percentage: whole below 99.5 %, one decimal above (99.7, not 100)."""
    return f"{p * 100:.0f}" if p < 0.995 else f"{p * 100:.1f}"


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
    details = " ".join(f"{d.digit} ({percent(d.confidence)}%)" for d in result.digits)
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
    """The digit's input beside its probability bars, or each digit of the number in a row."""
    if len(result.digits) == 1:
        d = result.digits[0]
        return pictures.digit_picture(d.image28, d.probs, lang)
    return pictures.number_picture(
        [d.image28 for d in result.digits],
        [d.digit for d in result.digits],
        [d.confidence for d in result.digits],
        lang,
    )


def stages_png(data: bytes, max_pixels: int, single: bool, lang: str) -> bytes:
    """Every preprocessing stage of a kept photo, read the way its answer was (digit or number)."""
    reader = get_reader()
    if single:
        stages = reader.read_digit(data, keep_stages=True, max_pixels=max_pixels).stages
    else:
        stages = reader.read_number(data, keep_stages=True, max_pixels=max_pixels).stages
    return pictures.stages_picture(stages, lang)


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
    digit = int(parts[3]) if len(parts) == 4 and parts[3].isdecimal() else None
    return action, token, digit


# --------------------------------------------------------------------------- kept photos


def remember(chat_data: dict, photo: bytes, single: bool) -> str:
    """Keep a photo for the buttons under its answer (the last KEEP_PHOTOS); return its token."""
    box = chat_data.setdefault(CHAT_DATA_KEY, {"next": 0, "photos": {}})
    token = str(box["next"])
    box["next"] += 1
    box["photos"][token] = KeptPhoto(bytes=photo, single=single)
    while len(box["photos"]) > KEEP_PHOTOS:
        box["photos"].pop(next(iter(box["photos"])))
    return token


def recall(chat_data: dict, token: str) -> KeptPhoto | None:
    """The kept photo behind a button, or None when it is too old."""
    return chat_data.get(CHAT_DATA_KEY, {}).get("photos", {}).get(token)
