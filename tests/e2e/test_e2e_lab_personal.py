"""The digits lab's personal reader and its restarts through the real bot over HTTP: twenty
examples collected, /lab personal's before/after report, photos and image files read by the
personal reader, /lab off; a lab training cut short by a restart is told once and can start
again."""

from __future__ import annotations

import asyncio
import dataclasses
import io

import pytest
from PIL import Image

from bot.lab.chat import PERSONAL_FILE
from tests.e2e.test_e2e_lab import digit_photo
from tests.support.e2e import fragment, joined, plain

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(400)]


def as_png_file(photo: bytes) -> bytes:
    """The same photo as a PNG file, as "send as file" would carry it."""
    buffer = io.BytesIO()
    Image.open(io.BytesIO(photo)).save(buffer, "PNG")
    return buffer.getvalue()


async def collect_round(user, seed: int) -> None:
    """/lab collect, then a photo of each digit 0 to 9 as the bot asks for it."""
    await user.send("/lab collect")
    await user.replies()
    for digit in range(10):
        await user.send_photo(digit_photo(digit, seed=seed * 10 + digit))
        assert f"Kept as a {digit} " in (await user.replies())[-1].text


@pytest.fixture
async def quick_personal(bot_env):
    """`bot_env` whose /lab personal trains one epoch (LAB_PERSONAL_EPOCHS=1; the default is 3),
    with room for a loaded machine (12 s of CPU when idle; JOB_SECONDS=240)."""
    limits = dataclasses.replace(bot_env.config.limits, lab_personal_epochs=1, job_seconds=240.0)
    bot_env.config = dataclasses.replace(bot_env.config, limits=limits)
    await bot_env.restart()
    return bot_env


async def test_personal_reader_is_trained_reads_photos_and_files_then_stops(quick_personal):
    ann = quick_personal.user(4101, "Ann")
    await collect_round(ann, seed=1)
    assert "10 examples in all" in ann.last.text
    await collect_round(ann, seed=2)
    assert "20 examples in all" in ann.last.text
    sent = await ann.send("/lab personal")
    replies = await ann.replies(after=sent, timeout=300)
    report = joined(replies)
    assert "Your personal reader is ready" in report, report
    assert "of your examples it never trained on" in report and "MNIST test digits" in report
    assert not [m for m in replies if m.buttons], "the Stop button is still shown"
    store = quick_personal.application.bot_data["services"].store
    assert store.load_file(ann.chat_id, PERSONAL_FILE) is not None

    photo = digit_photo(5, seed=77)
    await ann.send_photo(photo)
    answer = (await ann.replies())[-1]
    assert answer.kind == "photo" and "your personal reader: " in answer.text
    assert "the shipped reader: 5 (" in answer.text
    await ann.send_document(as_png_file(photo), "five.png", "image/png")
    answer = (await ann.replies())[-1]
    assert answer.kind == "photo" and "your personal reader: " in answer.text

    await ann.send("/lab off")
    assert plain("lab.off") in (await ann.replies())[-1].text
    await ann.send_document(as_png_file(photo), "five.png", "image/png")
    answer = (await ann.replies())[-1]
    assert answer.kind == "photo" and "personal reader" not in answer.text


async def test_a_restart_during_a_lab_training_is_told_once_and_the_lab_trains_again(
    quick_personal,
):
    bot_env = quick_personal
    olga = bot_env.user(4102, "Ольга", language_code="ru")
    await olga.send("/lab preset=mlp epochs=200 images=5000")
    await olga.replies()
    sent = await olga.send("/lab train")
    for _ in range(1200):  # until the first live progress edit
        if any(m.edits for m in olga.since(sent)):
            break
        await asyncio.sleep(0.05)
    assert any(m.edits for m in olga.since(sent)), "the lab training never reported progress"

    await bot_env.restart(wait=False)
    await bot_env.wait_idle()
    notices = [fragment("lab.training_stopped_shutdown", "ru"),
               fragment("lab.training_interrupted", "ru")]  # fmt: skip
    told = [m for m in olga.since(sent) if any(n in m.text for n in notices)]
    assert len(told) == 1, [m.text for m in olga.since(sent)]
    assert "/lab train" in told[0].text and "/train " not in told[0].text
    state = bot_env.application.bot_data["services"].store.load(olga.chat_id)
    assert state.training is None

    await olga.send("/lab images=300 epochs=1")
    await olga.replies()
    again = await olga.send("/lab train")
    replies = await olga.replies(after=again, timeout=200)
    assert [m for m in replies if m.kind == "photo"], joined(replies)
