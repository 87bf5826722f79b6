"""The job runner with real worker processes, driven by small fake jobs, on both backends:
the local pool (spawned processes) and the Redis task queue (`nnbot worker` processes).

The fake jobs live in this module so the workers can import them by name. The Redis runs are
skipped, with the reason, where Redis is not installed.
"""

import asyncio
import os
import time

import pytest

from bot import jobs
from bot.jobs import JobBusy, JobRunner, QueueFull
from tests.support.servers import Workers

pytestmark = pytest.mark.timeout(60)


def steps_job(payload, report, should_stop):
    """Count to payload["steps"], reporting each step; honours stop and the deadline."""
    done = 0
    for done in range(1, payload["steps"] + 1):
        time.sleep(payload.get("dt", 0.01))
        report({"step": done})
        if should_stop():
            return {"reason": "stopped", "steps": done}
        if time.monotonic() > payload["deadline"]:
            return {"reason": "timeout", "steps": done}
    return {"reason": "done", "steps": done}


def crashing_job(payload, report, should_stop):
    os._exit(3)


def failing_job(payload, report, should_stop):
    raise ValueError("bad table")


def stubborn_job(payload, report, should_stop):
    time.sleep(30)


THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NNCORE_THREADS")


def threads_job(payload, report, should_stop):
    """What the worker was started with: the thread variables and nncore's thread count."""
    from nncore import parallel

    return {
        "env": {name: os.environ.get(name) for name in THREAD_VARIABLES},
        "nncore": parallel.threads(),
    }


class Collector:
    """Callbacks that remember what the runner reported."""

    def __init__(self):
        self.progress = []
        self.done = asyncio.Queue()

    def on_progress(self, data):
        self.progress.append(data)

    async def on_done(self, result):
        await self.done.put(result)

    async def result(self, timeout=20):
        return await asyncio.wait_for(self.done.get(), timeout)


def target_name(function) -> str:
    return f"{function.__module__}:{function.__name__}"


FAKE_JOBS = [steps_job, crashing_job, failing_job, stubborn_job]


@pytest.fixture(params=["local", "redis"])
async def runner(request, tmp_path):
    """`await runner(workers=…, target=…, …)`: a started runner of the backend under test."""
    made, pools = [], []

    async def make(**kwargs):
        target = kwargs.pop("target", steps_job)
        workers = kwargs.pop("workers", 1)
        encode, decode = kwargs.pop("encode", None), kwargs.pop("decode", None)
        if request.param == "local":
            r = JobRunner(target, workers, **kwargs)
        else:
            from bot.backends.redis_queue import RedisJobRunner

            url = request.getfixturevalue("redis_url")
            names = [target_name(f) for f in (*FAKE_JOBS, target)]
            pool = Workers(url, names, tmp_path)
            pools.append(pool)
            pool.start(workers)
            codec = {"encode": encode, "decode": decode} if encode else {}
            r = RedisJobRunner(url, target_name(target), **kwargs, **codec)
        await r.start()
        made.append(r)
        return r

    make.backend = request.param
    yield make
    for r in made:
        await r.stop(timeout=2)
    for pool in pools:
        pool.stop()


async def until(condition, step=0.02):
    """Wait until `condition()` holds (the test's timeout bounds the wait)."""
    while not condition():
        await asyncio.sleep(step)


async def test_a_job_reports_progress_and_its_result(runner):
    r = await runner(workers=1)
    c = Collector()
    assert r.submit(1, {"steps": 5}, c.on_progress, c.on_done) == 0
    assert r.is_active(1) and r.position(1) == 0
    result = await c.result()
    assert result.reason == "done" and result.outcome == {"reason": "done", "steps": 5}
    assert [p["step"] for p in c.progress] == [1, 2, 3, 4, 5]
    assert not r.is_active(1) and r.stats()["completed"] == 1


async def test_a_real_training_runs_in_a_worker(runner):
    from bot.training import wire
    from bot.training.job import run_job
    from bot.training.settings import settings_for
    from tests.support.tables import XOR, as_table

    if runner.backend == "local":
        r = await runner(workers=1, target=run_job)
    else:
        r = await runner(
            workers=1,
            target=wire.run_wire_job,
            encode=wire.payload_to_wire,
            decode=wire.outcome_from_wire,
        )
    c = Collector()
    table = as_table(XOR)
    settings = settings_for(table, {"epochs": 300, "custom": ["epochs"]})
    payload = {"table": table, "settings": settings, "lang": "ru"}
    r.submit(7, payload, None, c.on_done)
    result = await c.result(timeout=40)
    assert result.reason == "done"
    assert result.outcome.model_bytes and len(result.outcome.history_dict["loss"]) == 300
    assert result.outcome.plot_png.startswith(b"\x89PNG")  # drawn in the worker


async def test_one_job_per_chat_a_bounded_queue_and_positions(runner):
    r = await runner(workers=1, queue_size=2)
    c = Collector()
    assert r.submit(1, {"steps": 50, "dt": 0.02}, None, c.on_done) == 0
    await until(lambda: r.position(1) == 0 and r.running_count == 1)
    with pytest.raises(JobBusy):
        r.submit(1, {"steps": 1}, None, c.on_done)
    assert r.submit(2, {"steps": 1}, None, c.on_done) == 1
    assert r.submit(3, {"steps": 1}, None, c.on_done) == 2
    assert r.position(3) == 2 and r.queued_count == 2
    with pytest.raises(QueueFull):
        r.submit(4, {"steps": 1}, None, c.on_done)
    assert r.cancel(1)
    finished = [await c.result() for _ in range(3)]
    assert [f.chat_id for f in finished] == [1, 2, 3]
    assert finished[0].reason == "cancelled" and finished[0].outcome["reason"] == "stopped"
    await until(lambda: r.running_count == 0 and r.queued_count == 0)  # RQ tidies up after


async def test_cancelling_a_waiting_job_drops_it(runner):
    r = await runner(workers=1, queue_size=4)
    c = Collector()
    r.submit(1, {"steps": 20, "dt": 0.02}, None, c.on_done)
    r.submit(2, {"steps": 1}, None, c.on_done)
    assert r.cancel(2)
    dropped = await c.result()
    assert dropped.chat_id == 2 and dropped.reason == "cancelled" and dropped.outcome is None
    assert not r.cancel(99)


async def test_two_workers_run_two_chats_at_once(runner):
    r = await runner(workers=2)
    c = Collector()
    assert r.submit(1, {"steps": 10, "dt": 0.05}, None, c.on_done) == 0
    assert r.submit(2, {"steps": 10, "dt": 0.05}, None, c.on_done) == 0
    await until(lambda: r.running_count == 2)
    results = {(await c.result()).chat_id, (await c.result()).chat_id}
    assert results == {1, 2}


async def test_the_time_cap_stops_a_job_and_keeps_its_result(runner):
    r = await runner(workers=1, job_seconds=0.5)
    c = Collector()
    r.submit(1, {"steps": 1000, "dt": 0.01}, None, c.on_done)
    result = await c.result()
    assert result.reason == "timeout"
    assert result.outcome["steps"] < 1000 and result.seconds < 5


async def test_a_job_that_ignores_stop_is_killed_and_the_worker_replaced(runner, monkeypatch):
    from bot.backends import redis_queue

    monkeypatch.setattr(jobs, "KILL_GRACE", 0.3)
    monkeypatch.setattr(redis_queue, "KILL_GRACE", 0.3)
    r = await runner(workers=1, job_seconds=0.3, target=stubborn_job)
    c = Collector()
    r.submit(1, {}, None, c.on_done)
    result = await c.result()
    assert result.reason == "timeout" and result.outcome is None


async def test_a_crashed_worker_is_reported_and_replaced(runner):
    r = await runner(workers=1, target=crashing_job)
    c = Collector()
    r.submit(1, {}, None, c.on_done)
    assert (await c.result()).reason == "crashed"
    r.submit(2, {}, None, c.on_done)
    assert (await c.result()).reason == "crashed"
    assert r.stats()["failed"] == 2


async def test_an_exception_in_the_job_becomes_an_error_result(runner):
    r = await runner(workers=1, target=failing_job)
    c = Collector()
    r.submit(1, {}, None, c.on_done)
    result = await c.result()
    assert result.reason == "error" and "bad table" in result.error


async def test_shutdown_stops_running_jobs_and_reports_waiting_ones(runner):
    r = await runner(workers=1, queue_size=3)
    c = Collector()
    r.submit(1, {"steps": 1000, "dt": 0.01}, None, c.on_done)
    r.submit(2, {"steps": 1}, None, c.on_done)
    await asyncio.sleep(0.8)
    await r.stop(timeout=5)
    results = {}
    while not c.done.empty():
        result = c.done.get_nowait()
        results[result.chat_id] = result
    assert results[2].reason == "shutdown" and results[2].outcome is None
    assert results[1].reason == "shutdown" and results[1].outcome["reason"] == "stopped"
    with pytest.raises(RuntimeError):
        r.submit(3, {"steps": 1})


async def test_a_chat_stays_active_until_its_on_done_has_finished(runner):
    r = await runner(workers=1)
    release, finished = asyncio.Event(), asyncio.Event()

    async def on_done(result):
        await release.wait()
        finished.set()

    r.submit(1, {"steps": 1}, None, on_done)
    await until(lambda: r.callbacks_pending == 1)
    assert r.is_active(1)
    release.set()
    await asyncio.wait_for(finished.wait(), 5)
    await asyncio.sleep(0.01)
    assert not r.is_active(1) and r.callbacks_pending == 0


async def test_ctrl_c_in_the_terminal_does_not_kill_a_training():
    import signal

    r = JobRunner(steps_job, 1)
    await r.start()
    c = Collector()
    r.submit(1, {"steps": 30, "dt": 0.02}, c.on_progress, c.on_done)
    while not c.progress:
        await asyncio.sleep(0.02)
    os.kill(r._slots[0].process.pid, signal.SIGINT)
    result = await c.result()
    assert result.reason == "done" and result.outcome["steps"] == 30
    await r.stop(timeout=2)


def orphan_probe(path):
    """In a child process: start a runner whose worker trains forever, then die with kill -9."""

    async def main():
        r = JobRunner(steps_job, workers=1)
        await r.start()
        r.submit(1, {"steps": 100_000, "dt": 0.01})
        while r._slots[0].process is None:
            await asyncio.sleep(0.01)
        with open(path, "w") as f:
            f.write(str(r._slots[0].process.pid))
        await asyncio.sleep(1.0)
        os.kill(os.getpid(), 9)

    asyncio.run(main())


async def test_workers_exit_when_the_bot_is_killed(tmp_path):
    import multiprocessing

    path = tmp_path / "worker.pid"
    bot = multiprocessing.get_context("spawn").Process(target=orphan_probe, args=(str(path),))
    bot.start()
    await asyncio.to_thread(bot.join, 30)
    worker = int(path.read_text())
    for _ in range(100):  # the worker notices within about a second
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            return
        await asyncio.sleep(0.1)
    os.kill(worker, 9)
    raise AssertionError("the worker outlived the bot")


async def test_waiting_jobs_hear_their_new_place_when_the_line_moves(runner):
    r = await runner(workers=1, queue_size=3)
    first, second, third = Collector(), Collector(), Collector()
    job = {"steps": 10, "dt": 0.05}
    r.submit(1, job, first.on_progress, first.on_done)
    await until(lambda: r.running_count == 1)
    r.submit(2, job, second.on_progress, second.on_done)
    assert r.submit(3, job, third.on_progress, third.on_done) == 2
    await first.result()
    await second.result()
    await third.result()
    assert {"queued": 1} in third.progress
    assert {"queued": 1} not in second.progress  # it went straight from place 1 to running


@pytest.mark.parametrize("threads", [None, 2], ids=["default", "two"])
async def test_workers_use_one_blas_thread_and_the_training_threads_setting(threads):
    """The local pool's spawned workers (`nnbot worker` processes read their own environment)."""
    before = {name: os.environ.get(name) for name in THREAD_VARIABLES}
    r = JobRunner(threads_job, 1, **({} if threads is None else {"threads": threads}))
    await r.start()
    try:
        c = Collector()
        r.submit(1, {}, None, c.on_done)
        outcome = (await c.result()).outcome
    finally:
        await r.stop()
    expected = threads or 1
    assert outcome["nncore"] == expected
    assert outcome["env"] == {
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "NNCORE_THREADS": str(expected),
    }
    assert {name: os.environ.get(name) for name in THREAD_VARIABLES} == before  # bot's own
