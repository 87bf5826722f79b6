"""A diverged training through the real bot: reported with tested advice, every follow-up
command answers, and a database row the old code wrote with NaN never stops a restart."""

from __future__ import annotations

import json

import pytest

from tests.support.e2e import fragment, joined, plain

pytestmark = pytest.mark.e2e

DOUBLE = "/table x y\n1 2\n2 4\n3 6\n4 8"
FOLLOW_UPS = ("/net", "/boundary", "/weights", "/predict 3", "/plot", "/explain 1")


async def _say_all(user, *messages: str) -> str:
    """Send each message in turn; the text of every answer to the last one."""
    for message in messages:
        sent = await user.send(message)
        replies = await user.replies(after=sent)
    return joined(replies)


async def test_the_issue_sequence_reports_divergence_and_every_follow_up_answers(bot_env):
    ann = bot_env.user(5101, "Ann")
    text = await _say_all(ann, DOUBLE, "/settings lr=10 optimizer=sgd epochs=100", "/train")
    assert fragment("train.end.diverged") in text
    assert "nan" not in text.lower().replace("inf/nan", "")
    advised = text.split("/settings lr=")[1].split(",")[0].split()[0]

    for command in FOLLOW_UPS:
        await ann.send(command)
        assert await ann.replies(), f"{command} got no answer"
    await bot_env.restart()
    await ann.send("/settings")
    assert await ann.replies(), "no answer after a restart"

    text = await _say_all(ann, f"/settings lr={advised}", "/train")
    assert fragment("train.end.diverged") not in text
    assert plain("train.end.done", shape="1-8-1", epochs=100, elapsed="")[:12] in text
    for command in FOLLOW_UPS:
        await ann.send(command)
        assert await ann.replies(), f"{command} got no answer"


async def test_a_nan_row_from_the_old_code_and_a_broken_row_never_stop_the_bot(bot_env):
    users = [bot_env.user(user_id, "U") for user_id in (5201, 5202, 5203)]
    for user in users:  # the chats exist on the server, as they would on Telegram
        await user.send("/start")
        await user.replies()
    store = bot_env.application.bot_data["services"].store
    old = {"lang": "en", "training": {"lang": "en"}, "history": {"loss": [1.0, float("nan")]}}
    with store._lock:
        store._db.execute(
            "INSERT OR REPLACE INTO chats (chat_id, state, updated) VALUES (?, ?, 0), (?, ?, 0)",
            (5201, json.dumps(old), 5202, '{"lang": "ru", "table": {'),
        )
    await bot_env.restart()  # used to fail at the stop hook and at every start
    told = bot_env.server.chat_messages(5201)
    stopped = fragment("app.training_stopped_shutdown")  # the stop hook finds it first
    assert any(stopped in m.data.get("text", "") for m in told)
    assert [chat for chat, _ in bot_env.application.bot_data["services"].store.quarantined()] == [
        5202
    ]
    for user in users:
        await user.send("/help")
        assert await user.replies(), f"chat {user.chat_id} was not served"
    await bot_env.restart()
