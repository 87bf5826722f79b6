"""What only the Redis task queue promises: a worker machine that dies mid-job is reported and
frees the chat, several bot replicas share one job per chat, and nothing in Redis is pickled.

Skipped, with the reason, where Redis is not installed.
"""

import asyncio
import json
import threading
import zlib

import pytest

from bot.jobs import JobBusy
from tests.bot.infra.test_jobs import Collector, steps_job, target_name, until
from tests.support.servers import Workers, deregister_dead_workers

pytestmark = pytest.mark.timeout(60)
pytest.importorskip("rq")


@pytest.fixture
async def cluster(redis_url, tmp_path):
    """`await cluster(replicas=…, workers=…)`: runners (bot replicas) and worker processes."""
    from bot.backends.redis_queue import RedisJobRunner

    made = []
    pool = Workers(redis_url, [target_name(steps_job)], tmp_path)

    async def make(replicas=1, workers=1, **kwargs):
        pool.start(workers)
        for _ in range(replicas):
            runner = RedisJobRunner(redis_url, target_name(steps_job), **kwargs)
            await runner.start()
            made.append(runner)
        return made, pool

    yield make
    for runner in made:
        await runner.stop(timeout=2)
    pool.stop()


def horse_pid(redis_url, runner, chat_id):
    """The pid of the work horse running this chat's job (from its heartbeat)."""
    import redis

    from bot.backends.redis_queue import key

    connection = redis.Redis.from_url(redis_url)
    job_id = connection.get(key("chat", chat_id)).decode()
    return int(connection.get(key("alive", job_id)).decode().rsplit(":", 1)[1])


async def test_a_killed_worker_is_reported_the_chat_is_freed_and_can_train_again(
    cluster, redis_url
):
    (runner,), pool = await cluster(workers=2)
    c = Collector()
    runner.submit(1, {"steps": 5000, "dt": 0.01}, c.on_progress, c.on_done)
    await until(lambda: c.progress)
    pool.kill_running(horse_pid(redis_url, runner, 1))
    result = await c.result(timeout=20)
    assert result.reason == "crashed" and result.chat_id == 1
    await until(lambda: not runner.is_active(1))
    assert runner.running_count == 0  # not left behind as running in RQ's registry
    assert runner.workers == 1  # the dead one no longer counts as a free place, though RQ lists it
    deregister_dead_workers(redis_url)
    again = Collector()
    assert runner.submit(1, {"steps": 3}, None, again.on_done) == 0  # the other worker
    assert (await again.result()).reason == "done"
    assert runner.stats()["failed"] == 1


async def test_two_replicas_share_one_job_per_chat_and_either_can_stop_it(cluster):
    (a, b), _ = await cluster(replicas=2, workers=1)
    c = Collector()
    a.submit(1, {"steps": 2000, "dt": 0.01}, c.on_progress, c.on_done)
    with pytest.raises(JobBusy):
        b.submit(1, {"steps": 1})
    assert b.is_active(1)
    await until(lambda: c.progress)
    assert b.position(1) == 0
    assert b.cancel(1)  # /stop handled by the other replica
    result = await c.result()
    assert result.reason == "cancelled" and result.outcome["reason"] == "stopped"
    await until(lambda: not b.is_active(1))


async def test_the_line_is_shared_by_every_replica(cluster):
    (a, b), _ = await cluster(replicas=2, workers=1, queue_size=1)
    from bot.jobs import QueueFull

    c = Collector()
    assert a.submit(1, {"steps": 200, "dt": 0.01}, None, c.on_done) == 0
    await until(lambda: a.running_count == 1)
    assert b.submit(2, {"steps": 1}, None, c.on_done) == 1
    with pytest.raises(QueueFull):
        a.submit(3, {"steps": 1}, None, c.on_done)
    assert {(await c.result()).chat_id, (await c.result()).chat_id} == {1, 2}


async def test_jobs_in_redis_are_json_not_pickles(cluster, redis_url):
    import redis

    (runner,), _ = await cluster(workers=1)
    c = Collector()
    runner.submit(1, {"steps": 2, "note": "табличка"}, None, c.on_done)
    await c.result()
    connection = redis.Redis.from_url(redis_url)
    stored = [k for k in connection.keys("rq:job:*") if connection.type(k) == b"hash"]
    assert stored
    for name in stored:
        data = connection.hget(name, "data")
        if data is not None:  # RQ zlib-compresses what its serializer wrote
            decoded = json.loads(zlib.decompress(data))  # a pickle would not parse as JSON
            assert "табличка" in json.dumps(decoded, ensure_ascii=False)


async def test_a_worker_runs_only_the_jobs_it_was_started_for(redis_url, tmp_path):
    from bot.backends.redis_queue import RedisJobRunner

    pool = Workers(redis_url, [target_name(steps_job)], tmp_path)
    pool.start(1)
    runner = RedisJobRunner(redis_url, "os:system")
    await runner.start()
    c = Collector()
    try:
        runner.submit(1, "echo owned", None, c.on_done)
        result = await c.result()
        assert result.reason == "error" and "does not run 'os:system'" in result.error
    finally:
        await runner.stop(timeout=2)
        pool.stop()


async def test_a_replica_that_stops_tells_its_chats_and_frees_them(cluster):
    (a, b), _ = await cluster(replicas=2, workers=1)
    c = Collector()
    a.submit(1, {"steps": 2000, "dt": 0.01}, c.on_progress, c.on_done)
    await until(lambda: c.progress)
    await a.stop(timeout=5)
    result = c.done.get_nowait()
    assert result.reason == "shutdown" and result.outcome["reason"] == "stopped"
    await asyncio.sleep(0.1)
    assert not b.is_active(1)


def submit_many(runner, chats, start: threading.Barrier) -> list[str]:
    """Submit a job for each chat, as fast as possible once every thread is ready."""
    from bot.jobs import QueueFull

    start.wait()
    outcomes = []
    for chat in chats:
        try:
            runner.submit(chat, {"steps": 1})
            outcomes.append("queued")
        except QueueFull:
            outcomes.append("full")
    return outcomes


async def test_two_replicas_enqueuing_at_once_never_pass_the_queue_size(cluster):
    (a, b), _ = await cluster(replicas=2, workers=0, queue_size=3)
    start = threading.Barrier(2)
    outcomes = await asyncio.gather(
        asyncio.to_thread(submit_many, a, range(100, 120), start),
        asyncio.to_thread(submit_many, b, range(200, 220), start),
    )
    assert sum(o.count("queued") for o in outcomes) == 3
    assert a.queued_count == 3


async def test_a_place_in_the_queue_comes_back_when_its_job_ends_or_its_replica_dies(
    cluster, monkeypatch
):
    from bot.backends import redis_queue
    from bot.jobs import QueueFull

    (a, b), _ = await cluster(replicas=2, workers=0, queue_size=1)
    a.submit(1, {"steps": 1})
    with pytest.raises(QueueFull):
        b.submit(2, {"steps": 1})
    assert a.cancel(1)  # a waiting job dropped: its place is free again
    await until(lambda: not a.is_active(1))
    monkeypatch.setattr(redis_queue, "CHAT_LEASE", 1.0)
    b.submit(2, {"steps": 1})
    b._watcher.cancel()  # b dies: nobody renews its place
    b._tracked.clear()
    await asyncio.sleep(1.5)
    a.submit(3, {"steps": 1})
