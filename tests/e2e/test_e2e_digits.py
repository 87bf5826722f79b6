"""Digit photos through the real bot over HTTP: answer, picture, stages, corrections, refusals."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from tests.support import synthetic_photos as sp

pytestmark = pytest.mark.e2e


def digit_photo(digit: int, seed: int = 0) -> bytes:
    rng = np.random.default_rng(seed)
    return sp.random_digit_photo(
        None, digit, rng, stroke="normal", orientation=1, dark=False, size=(800, 600)
    )


def is_png(data: bytes) -> bool:
    return data.startswith(b"\x89PNG") and Image.open(io.BytesIO(data)).size[0] >= 400


async def test_a_photo_gets_the_digit_a_picture_and_two_buttons(bot_env):
    ann = bot_env.user(3001, "Ann")
    await ann.send_photo(digit_photo(4, seed=1))
    replies = await ann.replies()
    answer = replies[-1]
    assert answer.kind == "photo" and is_png(answer.photo)
    assert "digit 4" in answer.text and "%" in answer.text and "Runners-up" in answer.text
    assert [b.text for b in answer.buttons] == [
        "🔍 How I saw it",
        "✏️ Wrong? Tell me the right digit",
    ]
    assert all(b.callback_data.startswith("digits:") for b in answer.buttons)


async def test_stages_button_sends_the_preprocessing_album(bot_env):
    ann = bot_env.user(3002, "Ann")
    await ann.send_photo(digit_photo(2, seed=2))
    await ann.replies()
    await ann.press("🔍 How I saw it")
    await bot_env.wait_idle()
    stages = ann.last
    assert stages.kind == "photo" and is_png(stages.photo)
    assert "28×28" in stages.text


async def test_a_correction_is_stored_for_the_chat(bot_env):
    olga = bot_env.user(3003, "Ольга", language_code="ru")
    await olga.send_photo(digit_photo(7, seed=3))
    answer = (await olga.replies())[-1]
    assert "7" in answer.text and "уверен" in answer.text
    await olga.press("✏️ Ошибка? Подскажите верную цифру")
    await bot_env.wait_idle()
    picker = olga.last
    assert [b.text for b in picker.buttons] == [str(d) for d in range(10)]
    await olga.press("1", picker)
    await bot_env.wait_idle()
    assert "Спасибо" in olga.last.text and "<b>1</b>" in olga.last.html


async def test_a_number_is_read_as_a_number(bot_env):
    ann = bot_env.user(3004, "Ann")
    rng = np.random.default_rng(4)
    photo = sp.random_number_photo([None] * 3, [3, 0, 8], rng, stroke="normal", gap=0.45)
    await ann.send_photo(photo)
    answer = (await ann.replies())[-1]
    assert "number <b>308</b>" in answer.html or "number 308" in answer.text
    assert answer.kind == "photo" and is_png(answer.photo)


async def test_unusable_images_get_a_clear_reason_and_photo_tips(bot_env):
    ann = bot_env.user(3005, "Ann")
    blank = io.BytesIO()
    Image.new("RGB", (640, 480), (235, 233, 228)).save(blank, "JPEG")
    await ann.send_photo(blank.getvalue())
    text = (await ann.replies())[-1].text
    assert "blank" in text and "Tips for a good photo" in text

    await ann.send_document(b"this is not a picture", "digit.png", "image/png")
    text = (await ann.replies())[-1].text
    assert "not an image" in text


async def test_digit_command_explains_what_to_send(bot_env):
    ann = bot_env.user(3006, "Ann")
    await ann.send("/digit")
    text = (await ann.replies())[-1].text
    assert "photo" in text and "Tips" in text


async def test_an_image_sent_as_a_file_is_read_too(bot_env):
    ann = bot_env.user(3007, "Ann")
    await ann.send_document(digit_photo(3, seed=7), "three.jpg", "image/jpeg")
    answer = (await ann.replies())[-1]
    assert answer.kind == "photo" and "digit 3" in answer.text
