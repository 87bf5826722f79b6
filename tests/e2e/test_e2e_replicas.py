"""Two real bot replicas sharing PostgreSQL and Redis, fed round robin by a distributor that
plays the reverse proxy (some updates delivered to both, as a retried webhook would be): one
chat's updates are handled once each and in order, and its flood is one flood.

Skipped, with the reason, where PostgreSQL or Redis is not installed.
"""

from __future__ import annotations

import asyncio
import dataclasses

import pytest
from telegram.ext import TypeHandler

from tests.e2e.conftest import e2e_config
from tests.support.e2e import fragment
from tests.support.replicas import replicas

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]


@pytest.fixture
def scaled_config(tmp_path, postgres_url, redis_url):
    config = e2e_config(tmp_path)
    return dataclasses.replace(config, database_url=postgres_url, queue_url=redis_url)


def record_handling(apps) -> list[tuple[int, int]]:
    """(chat, update id) of every update a handler of any replica was given, in that order."""
    seen: list[tuple[int, int]] = []

    async def note(update, context) -> None:
        seen.append((update.effective_chat.id, update.update_id))

    for app in apps:
        app.add_handler(TypeHandler(object, note), group=-2)
    return seen


def slow_to_start(app, seconds: float) -> None:
    """This replica takes `seconds` before it starts on each update (a loaded machine)."""
    processor = app.update_processor
    process = processor.process_update

    async def later(update, coroutine):
        await asyncio.sleep(seconds)
        await process(update, coroutine)

    processor.process_update = later


async def test_one_chats_updates_are_handled_once_each_in_order_across_two_replicas(
    scaled_config,
):
    async with replicas(scaled_config, twice_every=4) as host:
        seen = record_handling(host.apps)
        slow_to_start(host.apps[0], 0.3)  # so the other replica could overtake it
        ann, bob = host.user(5001, "Ann"), host.user(5002, "Bob")
        for i in range(12):
            await (ann, bob)[i % 3 == 2].send(f"/start {i}")
        await host.client.wait_idle(quiet=1.0, timeout=90)
        assert host.resent >= 3  # some updates really were delivered twice
    for chat in (5001, 5002):
        ids = [update_id for who, update_id in seen if who == chat]
        assert ids == sorted(set(ids))  # in order, none twice
    assert len(seen) == 12


async def test_a_flood_across_two_replicas_is_answered_up_to_the_limit_and_told_once(
    scaled_config,
):
    limit = 5
    config = dataclasses.replace(
        scaled_config, limits=dataclasses.replace(scaled_config.limits, rate_per_minute=limit)
    )
    async with replicas(config, twice_every=3) as host:
        slow_to_start(host.apps[0], 0.3)
        flood = host.user(5003, "Flood")
        for i in range(3 * limit):
            await flood.send(f"/start {i}")
        await host.client.wait_idle(quiet=1.0, timeout=90)
        texts = [m.text for m in flood.messages()]
    told = [fragment("app.rate_limited") in text for text in texts]
    # the first `limit` messages answered, in order; the next one told to slow down, once
    assert told == [False] * limit + [True]
    assert host.resent == limit  # every third message was delivered to both replicas
