"""The local Bot API server on a free port, a python-telegram-bot `Bot` using it, its users."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from telegram import Bot

from bot.localapi.client import BotClient
from bot.localapi.server import LocalBotApi


@pytest.fixture
async def api():
    server = LocalBotApi()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def bot(api):
    bot = Bot(api.token, base_url=f"{api.base_url}/bot", base_file_url=f"{api.base_url}/file/bot")
    async with bot:
        yield bot


@pytest.fixture
def client(api):
    return BotClient(api, quiet=0.05, timeout=5)


def png(width: int = 64, height: int = 48, color: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()
