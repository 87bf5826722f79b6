"""Flood control ("retry after N") on a training's replies delays them, never loses them."""

from __future__ import annotations

import pytest
from test_e2e_lesson import XOR_TABLE, train

pytestmark = pytest.mark.e2e


async def test_flood_control_on_the_result_delays_but_loses_nothing(bot_env):
    ann = bot_env.user(2013, "Ann")
    await ann.send(XOR_TABLE)
    await ann.replies()
    bot_env.server.fail_next("editMessageText", retry_after=1, times=2)
    bot_env.server.fail_next("sendPhoto", retry_after=1)
    replies = await train(ann, "epochs=6000")
    assert [m for m in replies if m.kind == "photo"], "the loss plot was lost to a 429"
    progress = [m for m in replies if m.edits]
    assert progress and not progress[0].buttons, "the progress message never reached its end"
    assert ("sendPhoto", "Too Many Requests: retry after 1") in bot_env.server.errors
