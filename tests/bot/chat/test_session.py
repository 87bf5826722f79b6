"""The session knows when the bot is busy from public counts: the update queue, the updates
being processed (`PerChatUpdateProcessor.processing`) and the job runner."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest
from telegram import Update
from telegram.ext import ApplicationHandlerStop, MessageHandler, filters

from bot.app import PerChatUpdateProcessor, build_application
from bot.chat.session import LocalSession
from bot.config import Config, Limits
from tests.support.fakebot import message


async def test_processing_counts_an_update_while_its_handler_awaits_then_returns_to_zero():
    processor = PerChatUpdateProcessor()
    entered, release = asyncio.Event(), asyncio.Event()

    async def handler() -> None:
        entered.set()
        await release.wait()

    assert processor.processing == 0
    first = asyncio.create_task(processor.process_update(message("a", user_id=1), handler()))
    await entered.wait()
    assert processor.processing == 1
    # The same chat's next update waits for its turn, and counts while it waits.
    second = asyncio.create_task(
        processor.process_update(message("b", user_id=1), asyncio.sleep(0))
    )
    await asyncio.sleep(0.01)
    assert processor.processing == 2
    release.set()
    await asyncio.gather(first, second)
    assert processor.processing == 0


async def test_processing_returns_to_zero_when_a_handler_fails():
    processor = PerChatUpdateProcessor()

    async def broken() -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await processor.process_update(message("x"), broken())
    assert processor.processing == 0


async def test_the_session_is_handling_while_a_handler_awaits(tmp_path):
    entered, release = asyncio.Event(), asyncio.Event()

    async def hold(update: Update, context: object) -> None:
        entered.set()
        await release.wait()
        raise ApplicationHandlerStop

    def build(config: Config):
        application = build_application(config)
        application.add_handler(MessageHandler(filters.Regex("^hold$"), hold), group=-100)
        return application

    limits = dataclasses.replace(Limits(), workers=1)
    config = Config(data_dir=tmp_path / "data", log_level="WARNING", limits=limits)
    async with LocalSession(config, build=build, quiet=0.05, timeout=20) as session:
        await session.wait_idle()
        assert not session.handling() and not session.busy()
        await session.user(1001, "Ann").send("hold")
        await asyncio.wait_for(entered.wait(), 10)
        assert session.handling() and session.busy()
        assert session.application.update_processor.processing == 1
        release.set()
        await session.wait_idle()
        assert not session.handling()
        assert session.application.update_processor.processing == 0
