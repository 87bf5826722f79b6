"""The real bot over HTTP: greeting, languages, buttons, isolation between chats, restarts."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


async def test_start_greets_the_user_by_name_with_the_quick_start(bot_env):
    ann = bot_env.user(1001, "Ann")
    await ann.send("/start")
    replies = await ann.replies()
    assert replies, "the bot did not answer /start"
    text = "\n".join(r.text for r in replies)
    assert "Ann" in text
    assert "/train" in text and "/examples" in text
    assert all("<b>" not in r.text for r in replies)  # HTML was parsed, not shown raw


async def test_start_speaks_russian_to_a_russian_telegram_user(bot_env):
    olga = bot_env.user(1002, "Ольга", language_code="ru")
    await olga.send("/start")
    text = "\n".join(r.text for r in await olga.replies())
    assert "Привет, Ольга" in text


async def test_the_command_menu_is_published_in_both_languages(bot_env):
    commands = bot_env.server.commands
    english = commands[('{"type": "default"}', "")]
    russian = commands[('{"type": "default"}', "ru")]
    assert [c["command"] for c in english] == [c["command"] for c in russian]
    assert {"start", "help"} <= {c["command"] for c in english}
    assert english != russian


async def test_pressing_a_language_button_switches_the_language(bot_env):
    ann = bot_env.user(1003, "Ann")
    await ann.send("/lang")
    replies = await ann.replies()
    assert replies[-1].buttons, "/lang shows no buttons"
    query = await ann.press("Русский")
    await bot_env.wait_idle()
    assert ann.answer(query) is not None, "the button press was never answered"
    await ann.send("/start")
    text = "\n".join(r.text for r in await ann.replies())
    assert "Привет" in text
