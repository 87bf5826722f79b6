"""The local Bot API fixtures (`api`, `bot`, `client`) of tests/bot/localapi, for the chat tests."""

from tests.bot.localapi.conftest import api, bot, client  # noqa: F401
