"""End-to-end fixtures: the real bot polling the local Bot API server over HTTP.

`bot_env` is a `bot.chat.session.LocalSession`: the server on a free 127.0.0.1 port and
the Application from `bot.app.build_application` (the code `nnbot run` runs), with a fresh
DATA_DIR. Use `bot_env.user(id, name, language_code)` to act, `await user.replies()` to read,
and `await bot_env.restart()` to stop the bot and start a new one on the same data.

After each test the fixture fails it if the bot logged an ERROR, apologised with the generic
"something went wrong" message, or sent HTML that Telegram would refuse (an unescaped `<`).
A test that provokes errors on purpose lists the expected log text in `bot_env.expected_errors`.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import pytest

from bot.chat.session import LocalSession
from bot.config import Config, Limits
from tests.support.e2e import plain
from tests.support.paths import SHARED_DATASETS

# Error answers that mean a bug in the bot: HTML Telegram cannot parse, texts over the limits,
# a method the local server does not implement (so the tests would not cover it).
REFUSED_BY_TELEGRAM = (
    "can't parse entities",
    "message is too long",
    "caption is too long",
    "MESSAGE_TOO_LONG",
    "Not Found",
)


def e2e_config(data_dir: Path) -> Config:
    """A small, quiet bot: one training worker (CI has two cores), warnings only."""
    limits = dataclasses.replace(Limits(), workers=1, job_seconds=60.0)
    return Config(data_dir=data_dir, log_level="WARNING", limits=limits)


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
async def bot_env(tmp_path):
    errors = _Errors()
    logging.getLogger().addHandler(errors)
    session = LocalSession(e2e_config(tmp_path / "data"), quiet=0.4, timeout=90)
    session.expected_errors = []
    try:
        async with session:
            yield session
    finally:
        logging.getLogger().removeHandler(errors)
    unexpected = [
        r.getMessage()
        for r in errors.records
        if not any(part in r.getMessage() for part in session.expected_errors)
    ]
    assert not unexpected, f"the bot logged errors: {unexpected}"
    refused = [e for e in session.server.errors if any(r in e[1] for r in REFUSED_BY_TELEGRAM)]
    assert not refused, f"Telegram would refuse these messages: {refused}"
    apology = plain("error.internal")
    for chat_id in session.server.chats:
        for message in session.server.chat_messages(chat_id):
            assert apology not in message.data.get("text", ""), f"chat {chat_id} got an apology"


@pytest.fixture
def shared_datasets() -> Path:
    if not SHARED_DATASETS.is_dir():
        pytest.skip(f"shared datasets not found: {SHARED_DATASETS}")
    return SHARED_DATASETS


from tests.support.server_fixtures import (  # noqa: E402, F401  (PostgreSQL and Redis)
    postgres_server_url,
    postgres_url,
    redis_server_url,
    redis_url,
)
