"""The real bot on the distributed backends, through the local Bot API: state in PostgreSQL
(DATABASE_URL), trainings on the Redis task queue (QUEUE_URL) run by two `nnbot worker`
processes. A lesson runs; a worker killed with -9 mid-training is reported to the chat, which
can train again; a restart of the bot keeps every chat.

Skipped, with the reason, where PostgreSQL or Redis is not installed.
"""

from __future__ import annotations

import dataclasses

import pytest

from bot.training.wire import TARGET
from tests.e2e.test_e2e_lesson import NEURON_TABLE, train
from tests.e2e.test_e2e_training import XOR_TABLE, until
from tests.support.e2e import assert_png, fragment, joined, plain
from tests.support.servers import Workers, deregister_dead_workers

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]


@pytest.fixture
async def scaled_bot(bot_env, postgres_url, redis_url, tmp_path):
    """`bot_env`, restarted on PostgreSQL and Redis with two worker processes."""
    workers = Workers(redis_url, [TARGET], tmp_path)
    workers.start(2)
    bot_env.config = dataclasses.replace(
        bot_env.config, database_url=postgres_url, queue_url=redis_url
    )
    await bot_env.restart()
    bot_env.workers = workers
    try:
        yield bot_env
    finally:
        await bot_env.stop_bot()
        workers.stop()


def horse_pid(bot_env, chat_id: int) -> int | None:
    """The pid of the work horse training this chat, once its heartbeat is there."""
    from bot.backends.redis_queue import key

    jobs = bot_env.application.bot_data["services"].jobs
    job_id = jobs._chat_job(chat_id)
    alive = job_id and jobs._redis.get(key("alive", job_id))
    return int(alive.decode().rsplit(":", 1)[1]) if alive else None


async def test_a_lesson_a_killed_worker_and_a_restart_on_postgres_and_redis(scaled_bot):
    from bot.backends.postgres import PostgresStore

    services = scaled_bot.application.bot_data["services"]
    assert isinstance(services.store, PostgresStore)
    ann = scaled_bot.user(4001, "Ann")
    await ann.send(NEURON_TABLE)
    assert fragment("table.understood") in joined(await ann.replies())
    replies = await train(ann, "epochs=3000")
    assert [m for m in replies if m.kind == "text" and m.edits >= 1], "no progress shown"
    photos = [m for m in replies if m.kind == "photo"]
    assert photos, "no loss plot"
    assert_png(photos[0].photo)
    await ann.send("/predict 1 0 0")
    assert fragment("table.predict.title") in joined(await ann.replies())

    bob = scaled_bot.user(4002, "Боб", language_code="ru")
    await bob.send(XOR_TABLE)
    await bob.replies()
    await bob.send("/settings epochs=100000 batch=1")
    await bob.replies()
    sent = await bob.send("/train")
    await until(lambda: [m for m in bob.since(sent) if m.edits >= 1 and "%" in m.text])
    scaled_bot.expected_errors.append("worker died")
    scaled_bot.workers.kill_running(await until(lambda: horse_pid(scaled_bot, bob.chat_id)))
    told = await until(
        lambda: [m for m in bob.since(sent) if plain("train.error.crashed", "ru") in m.text]
    )
    assert told and not told[0].buttons
    await until(lambda: not services.jobs.is_active(bob.chat_id))
    deregister_dead_workers(scaled_bot.config.queue_url)

    replies = await train(bob, "epochs=200", lang="ru")
    assert [m for m in replies if m.kind == "photo"], "the chat could not train again"

    await scaled_bot.restart()
    store = scaled_bot.application.bot_data["services"].store
    assert isinstance(store, PostgresStore)
    assert store.load(ann.chat_id).model and store.load(bob.chat_id).model
    assert store.load(bob.chat_id).training is None
    await ann.send("/predict 1 0 0")
    assert fragment("table.predict.title") in joined(await ann.replies())
    await bob.send("/predict 0 1")
    assert fragment("table.predict.title", "ru") in joined(await bob.replies())
