"""Photos of handwritten digits in the lesson: the right digit comes back, in either language,
from a synthetic photo and from a real phone photo; a correction lands in the store.
(The digit feature's own e2e tests are in test_e2e_digits.py.)"""

from __future__ import annotations

import re

import numpy as np
import pytest

from bot.i18n import t
from tests.support import synthetic_photos
from tests.support.e2e import joined

pytestmark = pytest.mark.e2e


def answered_digit(text: str, lang: str = "en") -> int | None:
    """The digit in the bot's answer ("I see the digit 7 …" / "My best guess is 7 …")."""
    for key in ("digits.answer", "digits.answer_unsure"):
        before = re.sub(r"<[^>]+>", "", t(key, lang).split("{digit}")[0])
        match = re.search(re.escape(before) + r"(\d)", text)
        if match:
            return int(match.group(1))
    return None


@pytest.mark.parametrize("digit", [0, 3, 7])
async def test_a_photo_of_a_handwritten_digit_gets_the_right_digit(bot_env, digit):
    rng = np.random.default_rng(0)
    photo = synthetic_photos.random_digit_photo(
        None, digit, rng, stroke="normal", dark=False, orientation=1
    )
    ann = bot_env.user(3101, "Ann")
    await ann.send_photo(photo)
    replies = await ann.replies()
    assert answered_digit(joined(replies)) == digit, joined(replies)
    pictures = [m for m in replies if m.kind == "photo"]
    assert pictures, "no picture of what the network saw"
    assert [b for m in replies for b in m.buttons], "no stages / wrong-digit buttons"


async def test_a_real_phone_photo_is_read_in_russian(bot_env, shared_datasets):
    olga = bot_env.user(3102, "Ольга", language_code="ru")
    await olga.send_photo(shared_datasets / "photos-dev" / "0_a.jpg")
    assert answered_digit(joined(await olga.replies()), "ru") == 0


async def test_a_correction_from_the_wrong_digit_button_is_stored(bot_env):
    rng = np.random.default_rng(0)
    photo = synthetic_photos.random_digit_photo(
        None, 7, rng, stroke="normal", dark=False, orientation=1
    )
    ann = bot_env.user(3103, "Ann")
    await ann.send_photo(photo)
    await ann.replies()
    await ann.press(re.sub(r"<[^>]+>", "", t("digits.button.wrong", "en")))
    await ann.replies()
    await ann.press("1")
    thanks = await ann.replies()
    assert thanks or ann.last.edits, "no answer after picking the right digit"
    store = bot_env.application.bot_data["services"].store
    corrections = store.corrections(ann.chat_id)
    assert [label for label, _ in corrections] == [1]
    assert corrections[0][1].startswith(b"\x89PNG")  # the 28×28 input, kept for training
