"""Trainings on an RQ task queue in Redis (`QUEUE_URL`): the `bot.jobs.JobRunner` interface.

Any number of `nnbot worker` processes, on any number of machines, take jobs from the queue
(`bot.backends.worker`). RQ does the queueing, the hand-out to one worker, the work-horse
process per job and the hard time limit; the jobs travel as JSON (RQ's `JSONSerializer`), so
nothing from Redis is ever unpickled. What RQ has no word for is kept in a few Redis keys:

- `nnbot:chat:<chat>`: the chat's job, taken with SET NX (one job per chat, across every
  replica) and held until the reply has gone out; a lease the owning replica renews, so a
  replica that dies frees its chats within CHAT_LEASE seconds;
- `nnbot:progress:<job>`: the reports of a running job, in order, read by the replica that
  submitted it and handed to `on_progress`;
- `nnbot:stop:<job>`: why the job should stop ("cancelled", "timeout", "shutdown"); the job
  polls it, stops cleanly and returns what it learned;
- `nnbot:places:<queue>`: the places in the queue, QUEUE_SIZE beyond the live workers: a job
  takes one atomically before it is enqueued (a Lua script, so two replicas cannot both take
  the last one) and gives it back when it ends, however it ends; a lease the owning replica
  renews, so the places of a replica that died come back within CHAT_LEASE seconds;
- `nnbot:gone:<worker>`: a worker whose work horse stopped beating mid-job, so it is not
  counted as free while RQ still lists it;
- `nnbot:alive:<job>`: the work-horse's heartbeat (a key with a short TTL). RQ itself only
  notices a dead worker machine minutes later; a heartbeat that lapses tells the chat within
  ALIVE_TTL seconds that its worker died, and frees the chat.

The bot side stays synchronous for the handlers (`submit`, `cancel`, `is_active`: one or two
quick Redis calls) and polls its own jobs every WATCH_INTERVAL seconds in one pipeline.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import redis
from rq import Queue, Worker
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry
from rq.serializers import JSONSerializer

from bot.jobs import Callbacks, JobBusy, JobEntry, JobResult, OnDone, OnProgress, QueueFull

log = logging.getLogger(__name__)

QUEUE_NAME = "nnbot-training"
PERFORM = "bot.backends.horse.perform"  # what RQ runs in the work horse
WATCH_INTERVAL = 0.2
CHAT_LEASE = 60.0  # seconds a chat stays taken if its replica stops renewing
ALIVE_TTL = 5.0  # seconds without a heartbeat after which a running job counts as dead
GONE_SECONDS = 90.0  # longer than RQ keeps a worker that died mid-job registered (61 s)
KILL_GRACE = 10.0  # seconds past the cap before RQ kills a job that ignores "stop"
RESULT_TTL = 600  # seconds RQ keeps a result for the replica to collect
KEY = "nnbot:{}:{}"

# Take a place (KEYS[1], a sorted set of job ids by lease end) if fewer than ARGV[1] are taken.
RESERVE = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
return 1
"""
# Renew the leases of places still held (ARGV[2…], job ids) by ARGV[1] seconds.
RENEW = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
for i = 2, #ARGV do
  redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i])
end
return 0
"""


def key(kind: str, name: object) -> str:
    return KEY.format(kind, name)


@dataclass
class _Tracked(JobEntry):
    """A job this replica submitted and will report on (its RQ id, its last place in line)."""

    job_id: str = ""
    place: int | None = None


class RedisJobRunner:
    """`bot.jobs.JobRunner` on RQ. `target` is "module:function", run by the worker as
    `function(payload, report, should_stop)`; `encode` turns a payload into JSON-able data,
    `decode` turns the function's JSON result back into the outcome `on_done` expects.
    """

    def __init__(
        self,
        url: str,
        target: str,
        queue_size: int = 16,
        job_seconds: float = 120.0,
        encode: Callable[[Any], Any] = lambda payload: payload,
        decode: Callable[[Any], Any] = lambda outcome: outcome,
        queue_name: str = QUEUE_NAME,
    ) -> None:
        self.url, self.target = url, target
        self.queue_size = max(0, int(queue_size))
        self.job_seconds = float(job_seconds)
        self._encode, self._decode = encode, decode
        self._redis = redis.Redis.from_url(url, socket_timeout=10, health_check_interval=30)
        self._queue = Queue(queue_name, connection=self._redis, serializer=JSONSerializer)
        self._places = key("places", queue_name)
        self._reserve = self._redis.register_script(RESERVE)
        self._renew = self._redis.register_script(RENEW)
        self._tracked: dict[str, _Tracked] = {}
        self._callbacks = Callbacks()
        self._watcher: asyncio.Task | None = None
        self._running = False
        self._closing = False

    # --- lifecycle --------------------------------------------------------------------------

    async def start(self) -> None:
        """Check that Redis answers, then watch this replica's jobs."""
        await asyncio.to_thread(self._redis.ping)
        self._running, self._closing = True, False
        self._watcher = asyncio.create_task(self._watch(), name="nnbot-queue-watch")

    async def stop(self, timeout: float = 10.0) -> None:
        """This replica stops: its waiting jobs are dropped, its running ones asked to stop
        (keeping what they learned); each gets its `on_done` as with the local pool."""
        if not self._running:
            return
        self._closing = True
        for tracked in list(self._tracked.values()):
            status = self._status(tracked.job_id)
            if status in (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED, None):
                self._cancel_queued(tracked.job_id)
                self._finish(tracked, JobResult(tracked.chat_id, "shutdown"))
            else:
                self._redis.set(key("stop", tracked.job_id), "shutdown", ex=RESULT_TTL)
        deadline = time.monotonic() + timeout
        while self._tracked and time.monotonic() < deadline:
            await asyncio.sleep(WATCH_INTERVAL)
        for tracked in list(self._tracked.values()):
            self._finish(tracked, JobResult(tracked.chat_id, "shutdown"))
        if self._watcher:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
        await self._callbacks.wait(timeout)
        self._running = False
        self._redis.close()

    # --- the public operations --------------------------------------------------------------

    def submit(
        self, chat_id: int, payload: Any, on_progress: OnProgress = None, on_done: OnDone = None
    ) -> int:
        """Queue a job; 0 if a worker is free for it, else its place in the line (1 = next).

        Raises JobBusy if the chat already has a job (on any replica), QueueFull if the line
        is full.
        """
        if not self._running or self._closing:
            raise RuntimeError("RedisJobRunner is not running")
        job_id = uuid.uuid4().hex
        if self._callbacks.finishing(chat_id) or not self._redis.set(
            key("chat", chat_id), job_id, nx=True, px=int(CHAT_LEASE * 1000)
        ):
            raise JobBusy(chat_id)
        idle = self._idle_workers()
        places = self.queue_size + self.workers  # waiting and running, cluster-wide
        if not self._reserve(keys=[self._places], args=[places, CHAT_LEASE, job_id]):
            self._redis.delete(key("chat", chat_id))
            raise QueueFull(chat_id)
        tracked = _Tracked(chat_id, None, on_progress, on_done, job_id=job_id)
        self._tracked[job_id] = tracked
        try:
            self._queue.enqueue_call(
                PERFORM,
                args=(self.target, self._encode(payload), self.job_seconds),
                job_id=job_id,
                timeout=math.ceil(self.job_seconds + KILL_GRACE),
                result_ttl=RESULT_TTL,
                failure_ttl=RESULT_TTL,
                description=f"chat {chat_id}",
            )
        except Exception:
            del self._tracked[job_id]
            with contextlib.suppress(redis.RedisError):
                self._redis.zrem(self._places, job_id)
                self._redis.delete(key("chat", chat_id))
            raise
        tracked.place = self._place(job_id, idle)
        return tracked.place

    def cancel(self, chat_id: int) -> bool:
        """Stop this chat's job, whichever replica submitted it: a waiting one is dropped,
        a running one stops cleanly and keeps what it learned."""
        job_id = self._chat_job(chat_id)
        if job_id is None:
            return False
        if self._status(job_id) in (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED):
            self._cancel_queued(job_id)
        self._redis.set(key("stop", job_id), "cancelled", ex=RESULT_TTL, nx=True)
        return True

    def is_active(self, chat_id: int) -> bool:
        """True from submit until the job's `on_done` has finished, on any replica."""
        return self._callbacks.finishing(chat_id) or bool(self._redis.exists(key("chat", chat_id)))

    @property
    def callbacks_pending(self) -> int:
        return self._callbacks.pending

    def position(self, chat_id: int) -> int | None:
        """0 if running (or about to), n if n-th in line, None if this chat has no job."""
        job_id = self._chat_job(chat_id)
        if job_id is None:
            return None
        status = self._status(job_id)
        if status == JobStatus.QUEUED:
            return self._place(job_id, self._idle_workers())
        return 0 if status == JobStatus.STARTED else None

    @property
    def running_count(self) -> int:
        return StartedJobRegistry(queue=self._queue).get_job_count(cleanup=False)  # workers tidy

    @property
    def queued_count(self) -> int:
        return self._queue.count

    @property
    def workers(self) -> int:
        """Live workers: RQ's registered ones, less those whose work horse died under them
        (RQ keeps a worker killed mid-job registered for a minute, its last heartbeat's TTL)."""
        prefix = Worker.redis_worker_namespace_prefix
        names = [k.removeprefix(prefix) for k in Worker.all_keys(queue=self._queue)]
        if not names:
            return 0
        return self._redis.mget([key("gone", name) for name in names]).count(None)

    def stats(self) -> dict[str, int]:
        """Figures for /stats: the workers and the line are the whole cluster's."""
        completed, failed = self._redis.mget(key("count", "completed"), key("count", "failed"))
        return {
            "workers": self.workers,
            "running": self.running_count,
            "queued": self.queued_count,
            "queue_size": self.queue_size,
            "completed": int(completed or 0),
            "failed": int(failed or 0),
        }

    # --- inside the runner ------------------------------------------------------------------

    def _chat_job(self, chat_id: int) -> str | None:
        value = self._redis.get(key("chat", chat_id))
        return value.decode() if value else None

    def _status(self, job_id: str) -> JobStatus | None:
        job = Job.fetch_many([job_id], connection=self._redis, serializer=JSONSerializer)[0]
        return job.get_status(refresh=False) if job is not None else None

    def _cancel_queued(self, job_id: str) -> None:
        job = Job.fetch_many([job_id], connection=self._redis, serializer=JSONSerializer)[0]
        if job is not None:
            with contextlib.suppress(Exception):  # it may have started meanwhile
                job.cancel()

    def _idle_workers(self) -> int:
        return max(0, self.workers - self.running_count)

    def _place(self, job_id: str, idle: int) -> int:
        index = self._queue.get_job_position(job_id)
        return 0 if index is None else max(0, index + 1 - idle)

    def _finish(self, tracked: _Tracked, result: JobResult) -> None:
        if self._tracked.pop(tracked.job_id, None) is None:
            return
        with contextlib.suppress(redis.RedisError):
            self._redis.zrem(self._places, tracked.job_id)  # its place in the queue is free
        result.chat_id = tracked.chat_id
        counter = "failed" if result.reason in ("error", "crashed") else "completed"
        if result.reason != "cancelled":
            self._redis.incr(key("count", counter))
        self._callbacks.call(
            tracked.on_done,
            result,
            chat_id=tracked.chat_id,
            then=lambda: self._release(tracked),
        )

    def _release(self, tracked: _Tracked) -> None:
        """The reply is out: free the chat (if it is still this job's) and forget the job."""
        chat = key("chat", tracked.chat_id)
        with contextlib.suppress(redis.RedisError):
            if self._redis.get(chat) == tracked.job_id.encode():
                self._redis.delete(chat)
            self._redis.delete(
                key("progress", tracked.job_id),
                key("stop", tracked.job_id),
                key("alive", tracked.job_id),
            )

    async def _watch(self) -> None:
        """Every WATCH_INTERVAL: progress, places in line, heartbeats and ends of our jobs."""
        while True:
            await asyncio.sleep(WATCH_INTERVAL)
            if not self._tracked:
                continue
            try:
                self._look()
            except redis.RedisError as error:
                log.warning("the task queue did not answer: %s", error)

    def _look(self) -> None:
        tracked = list(self._tracked.values())
        ids = [t.job_id for t in tracked]
        pipe = self._redis.pipeline(transaction=False)
        for t in tracked:
            pipe.lpop(key("progress", t.job_id), 1000)
            pipe.exists(key("alive", t.job_id))
            pipe.get(key("stop", t.job_id))
            pipe.pexpire(key("chat", t.chat_id), int(CHAT_LEASE * 1000))
        self._renew(keys=[self._places], args=[CHAT_LEASE, *ids], client=pipe)
        answers = pipe.execute()[:-1]
        jobs = Job.fetch_many(ids, connection=self._redis, serializer=JSONSerializer)
        line: dict[str, int] | None = None  # the queue's order, read once per look
        for i, (t, job) in enumerate(zip(tracked, jobs, strict=True)):
            progress, alive, stop, _ = answers[4 * i : 4 * i + 4]
            for raw in progress or []:
                self._callbacks.call(t.on_progress, json.loads(raw))
            status = job.get_status(refresh=False) if job is not None else None
            if status == JobStatus.QUEUED:
                if line is None:
                    line = {job_id: n for n, job_id in enumerate(self._queue.get_job_ids(), 1)}
                self._moved(t, line.get(t.job_id, 0))
            elif status == JobStatus.STARTED:
                self._running_job(t, job, bool(alive), stop)
            else:  # the job may have set its stop reason just before it ended: read it again
                stop = self._redis.get(key("stop", t.job_id))
                self._ended(t, job, status, stop.decode() if stop else None)

    def _moved(self, t: _Tracked, place: int) -> None:
        if place and t.place is not None and place < t.place:
            self._callbacks.call(t.on_progress, {"queued": place})
        t.place = place

    def _running_job(self, t: _Tracked, job: Job, alive: bool, stop: bytes | None) -> None:
        now = time.monotonic()
        t.started = t.started or now
        elapsed = now - t.started
        if not alive and elapsed > ALIVE_TTL:
            log.error("worker died (chat %s, job %s)", t.chat_id, t.job_id)
            if job.worker_name:  # not counted as a place for waiting jobs any more
                self._redis.set(key("gone", job.worker_name), 1, px=int(GONE_SECONDS * 1000))
            self._forget_started(t.job_id)  # RQ would take a minute to see it abandoned
            self._finish(t, JobResult(t.chat_id, "crashed", seconds=elapsed))
        elif elapsed > self.job_seconds and stop is None:
            self._redis.set(key("stop", t.job_id), "timeout", ex=RESULT_TTL, nx=True)

    def _forget_started(self, job_id: str) -> None:
        """Take a dead worker's job out of RQ's started registry (members: "job:execution")."""
        registry = StartedJobRegistry(queue=self._queue).key
        with contextlib.suppress(redis.RedisError):
            for member in self._redis.zrange(registry, 0, -1):
                if member.decode().split(":", 1)[0] == job_id:
                    self._redis.zrem(registry, member)

    def _ended(self, t: _Tracked, job: Job | None, status: Any, stop: str | None) -> None:
        now = time.monotonic()
        seconds = now - (t.started or now)
        waited = (t.started or now) - t.submitted
        if status == JobStatus.FINISHED:
            outcome = self._decode(job.return_value())
            reason = stop or getattr(outcome, "reason", None) or "done"
            result = JobResult(t.chat_id, reason, outcome, seconds=seconds, waited=waited)
        elif status == JobStatus.CANCELED:
            result = JobResult(t.chat_id, stop or "cancelled", seconds=seconds, waited=waited)
        elif status == JobStatus.FAILED:
            result = self._failure(t, job, stop, seconds, waited)
        elif job is None:  # gone from Redis (flushed, or expired while nobody looked)
            result = JobResult(t.chat_id, "crashed", seconds=seconds, waited=waited)
        else:
            return  # deferred or scheduled: not ours to see; wait
        self._finish(t, result)

    def _failure(self, t: _Tracked, job: Job, stop: str | None, seconds: float, waited: float):
        latest = job.latest_result()
        error = (latest.exc_string if latest is not None else None) or ""
        if "JobTimeoutException" in error:
            reason = "timeout"
        elif "terminated unexpectedly" in error or "work-horse terminated" in error:
            reason = "crashed"
        else:
            log.error("job for chat %s failed:\n%s", t.chat_id, error)
            reason = "error"
        return JobResult(t.chat_id, reason, error=error, seconds=seconds, waited=waited)
