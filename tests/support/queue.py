"""A Redis task queue with a real `nnbot worker`, for tests of jobs that travel as JSON.

`queue` (a fixture: import it into a conftest beside `redis_url`) is a started bot-side
`RedisJobRunner` for the training target, with one worker process allowed to run only that;
`stored_jobs` reads back every job RQ keeps in Redis as JSON (a pickle would not parse).
"""

from __future__ import annotations

import json
import zlib

import pytest

from bot.training import wire
from tests.support.servers import Workers


@pytest.fixture
async def queue(redis_url, tmp_path):
    """A bot-side runner and one worker process allowed to run the training target only."""
    from bot.backends.redis_queue import RedisJobRunner

    workers = Workers(redis_url, [wire.TARGET], tmp_path)
    workers.start(1)
    runner = RedisJobRunner(
        redis_url,
        wire.TARGET,
        job_seconds=200,
        encode=wire.payload_to_wire,
        decode=wire.outcome_from_wire,
    )
    await runner.start()
    yield runner
    await runner.stop(timeout=5)
    workers.stop()


def stored_jobs(redis_url) -> list[dict]:
    """Every job RQ keeps in Redis, read as JSON (a pickle would not parse)."""
    import redis

    connection = redis.Redis.from_url(redis_url)
    jobs = []
    for name in connection.keys("rq:job:*"):
        if connection.type(name) == b"hash" and connection.hget(name, "data") is not None:
            jobs.append(json.loads(zlib.decompress(connection.hget(name, "data"))))
    return jobs
