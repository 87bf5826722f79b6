"""Training end to end through the local Bot API: settings buttons, the Stop button during a
live training, and the follow-up pictures and files."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from tests.support.e2e import assert_png, fragment, joined, plain

pytestmark = pytest.mark.e2e

XOR_TABLE = "x1 x2 | y\n0 0 | 0\n0 1 | 1\n1 0 | 1\n1 1 | 0"
PRICES_TABLE = "area price\n30 35000\n50 55000\n70 75000\n90 95000"


async def until(check, timeout: float = 40.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


async def test_settings_buttons_change_the_settings_message(bot_env):
    ann = bot_env.user(3001, "Аня", language_code="ru")
    await ann.send(XOR_TABLE)
    await ann.replies()
    await ann.send("/settings")
    shown = (await ann.replies())[-1]
    assert fragment("settings.help", "ru") in shown.text
    query = await ann.press("скорость ×2")  # the Russian button
    await ann.replies(after=shown.message_id - 1)
    assert ann.answer(query) is not None
    state = bot_env.application.bot_data["services"].store.load(ann.chat_id)
    assert state.settings["lr"] == pytest.approx(0.1)
    assert "lr=0.1" in ann.keyboard_message().text


async def test_stop_button_keeps_the_network_and_the_pictures_follow(bot_env):
    ann = bot_env.user(3002, "Ann")
    await ann.send(XOR_TABLE)
    await ann.replies()
    await ann.send("/settings epochs=100000 batch=1")
    await ann.replies()
    sent = await ann.send("/train")
    progress = await until(
        lambda: [m for m in ann.since(sent) if m.buttons and m.edits >= 1 and "%" in m.text]
    )
    await ann.press(plain("train.button.stop"), progress[0])
    replies = await ann.replies(after=sent)
    text = joined(replies)
    assert fragment("train.end.stopped") in text
    assert fragment("train.summary.rows") in text
    assert not [m for m in replies if m.buttons], "a Stop button is still shown"
    assert [m for m in replies if m.kind == "photo"], "no loss plot"

    for command in ("/plot", "/net", "/boundary"):
        await ann.send(command)
        pictures = [m for m in await ann.replies() if m.kind == "photo"]
        assert len(pictures) == 1, command
        width, height = assert_png(pictures[0].photo)
        assert width >= 600 and height >= 400
    await ann.send("/weights")
    files = [m for m in await ann.replies() if m.kind == "document"]
    assert [m.file_name for m in files] == ["nnbot-network.npz", "nnbot-network.json"]
    assert files[0].document.startswith(b"PK")  # .npz is a zip
    assert json.loads(files[1].document)["inputs"] == ["x1", "x2"]


async def test_commands_at_the_wrong_moment_get_friendly_answers(bot_env):
    bob = bot_env.user(3003, "Bob")
    await bob.send("/train")
    assert joined(await bob.replies()) == plain("train.error.no_table")
    await bob.send("/stop")
    assert joined(await bob.replies()) == plain("train.stop.none")
    await bob.send("/plot")
    assert joined(await bob.replies()) == plain("train.error.no_model")
    await bob.send(PRICES_TABLE)
    await bob.replies()
    await bob.send("/boundary")
    assert joined(await bob.replies()) == plain("train.boundary.not_two", count=1)
    await bob.send("/settings lr=fast")
    assert fragment("settings.error.range") in joined(await bob.replies())
