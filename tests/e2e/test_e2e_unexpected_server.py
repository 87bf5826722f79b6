"""A Bot API server that answers the cosmetic start-up calls with nonsense: the bot serves."""

from __future__ import annotations

import logging

import pytest

from bot.chat.session import LocalSession
from tests.e2e.conftest import e2e_config
from tests.support.e2e import plain

pytestmark = pytest.mark.e2e


async def test_nonsense_answers_to_the_menu_and_descriptions_are_warnings(tmp_path, caplog):
    session = LocalSession(e2e_config(tmp_path / "data"), quiet=0.3, timeout=60)
    server = session.server
    server.answer_next("getMyDescription", True)  # English: `true` where an object is due
    server.answer_next("getMyShortDescription", [1, 2])  # Russian, after a normal description
    server.answer_next("getMyDescription", {"description": "old"})
    server.answer_next("setMyDescription", "maybe")
    server.fail_next("setMyCommands", 500, "Internal Server Error")
    with caplog.at_level(logging.WARNING):
        async with session:
            ann = session.user(5101, "Ann")
            await ann.send("/help")
            replies = await ann.replies()
    assert plain("app.help.quickstart") in "\n".join(r.text for r in replies)
    warnings = [r.getMessage() for r in caplog.records if "could not publish" in r.getMessage()]
    assert any("en bot description" in w and "TypeError" in w for w in warnings), warnings
    assert any("ru bot description" in w for w in warnings), warnings
    assert any("en command menu" in w for w in warnings), warnings
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
