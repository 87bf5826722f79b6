"""A bounded pool of worker processes for long jobs, driven from the asyncio event loop.

The pool knows no feature: whoever builds the `JobRunner` hands it the job function
(`bot.app` passes `bot.training.job.run_job`).

Rules the bot promises its users and its host:
- at most `workers` jobs run at once (one process each), and each chat has at most one job;
- up to `queue_size` more wait in line (the caller learns its position); past that, `QueueFull`;
- a job that runs longer than `job_seconds` is asked to stop and keeps what it learned; a
  process that ignores the request (or crashes) is killed and replaced;
- `cancel(chat_id)` removes a waiting job or asks a running one to stop cleanly;
- `stop()` ends everything on shutdown and reports each job's fate through its `on_done`.

Worker processes start with the "spawn" method (a clean interpreter, safe next to asyncio and
threads), lazily on the first job, and are reused. Each worker has its own inbox and stop flag;
all of them write progress and results into one outbox that a reader thread drains and hands to
the event loop with `call_soon_threadsafe`, so the loop itself never blocks on a queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import multiprocessing as mp
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.worker_process import thread_environment, worker_main

log = logging.getLogger(__name__)

KILL_GRACE = 10.0  # seconds a worker gets to honour "stop" before it is killed
WATCH_INTERVAL = 0.2


OnProgress = Callable[[dict], Any] | None  # a job's progress callback (plain or coroutine)
OnDone = Callable[["JobResult"], Any] | None  # its final callback


class JobBusy(Exception):
    """This chat already has a job running or waiting."""


class QueueFull(Exception):
    """Every worker is busy and the waiting line is full: try later."""


@dataclass
class JobResult:
    """How a job ended. `outcome` is what the job function returned (None if it never finished)."""

    chat_id: int
    reason: str  # "done" | "cancelled" | "timeout" | "crashed" | "error" | "shutdown"
    outcome: Any = None
    error: str | None = None
    seconds: float = 0.0
    waited: float = 0.0


class Callbacks:
    """The runners' callbacks in the event loop: a coroutine becomes a task, counted per chat.

    A chat counts as finishing while an `on_done` of its job still runs (saving, replying), so
    `is_active` stays true until the reply has gone out. Shared by both job runners.
    """

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task] = set()
        self._finishing: dict[int, int] = {}  # chat → on_done callbacks still running

    @property
    def pending(self) -> int:
        return len(self._tasks)

    def finishing(self, chat_id: int) -> bool:
        return chat_id in self._finishing

    async def wait(self, timeout: float) -> None:
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=timeout)

    def call(
        self,
        callback: Callable | None,
        argument: Any,
        chat_id: int | None = None,
        then: Callable[[], None] | None = None,
    ) -> None:
        """Run a callback; a coroutine becomes a task (counted for `is_active` if `chat_id`).

        `then` runs once the callback has finished, whether it was a coroutine or not.
        """
        value = None
        try:
            value = callback(argument) if callback is not None else None
        except Exception:
            log.exception("job callback failed")
        if not inspect.isawaitable(value):
            if then is not None:
                then()
            return
        task = asyncio.ensure_future(value)
        self._tasks.add(task)
        if chat_id is not None:
            self._finishing[chat_id] = self._finishing.get(chat_id, 0) + 1
        task.add_done_callback(lambda done: self._done(done, chat_id, then))

    def _done(
        self, task: asyncio.Task, chat_id: int | None, then: Callable[[], None] | None
    ) -> None:
        if then is not None:
            then()
        self._tasks.discard(task)
        if chat_id is not None:
            left = self._finishing.get(chat_id, 1) - 1
            if left > 0:
                self._finishing[chat_id] = left
            else:
                self._finishing.pop(chat_id, None)
        if not task.cancelled() and task.exception() is not None:
            log.error("job callback failed", exc_info=task.exception())


@dataclass
class JobEntry:
    """A job the runner knows: its chat, what to run, whom to tell, and when it moved."""

    chat_id: int
    payload: Any
    on_progress: Callable[[dict], Any] | None
    on_done: Callable[[JobResult], Any] | None
    submitted: float = field(default_factory=time.monotonic)
    started: float | None = None
    stop_reason: str | None = None  # why the runner asked it to stop


class _Worker:
    """One slot of the pool: a process (started on demand), its inbox and its stop flag."""

    def __init__(self, ctx: Any, target: Callable, outbox: Any, threads: int = 1) -> None:
        self.ctx, self.target, self.outbox, self.threads = ctx, target, outbox, threads
        self.process: Any = None
        self.inbox: Any = None
        self.stop = ctx.Event()
        self.job: JobEntry | None = None
        self.job_id = 0

    def ensure_started(self) -> None:
        if self.process is not None and self.process.is_alive():
            return
        self.inbox = self.ctx.Queue()
        self.process = self.ctx.Process(
            target=worker_main,
            args=(self.target, self.inbox, self.outbox, self.stop, os.getpid()),
            name="nnbot-trainer",
            daemon=True,
        )
        with thread_environment(self.threads):  # read by NumPy when the child imports it
            self.process.start()

    def kill(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)
        self.process = None


class JobRunner:
    """Run jobs in worker processes without blocking the event loop.

    `target(payload, report, should_stop)` is what a worker runs for each job; it must be a
    module-level function (the spawned workers import it by name).
    """

    def __init__(
        self,
        target: Callable[[Any, Callable[[dict], None], Callable[[], bool]], Any],
        workers: int = 1,
        queue_size: int = 16,
        job_seconds: float = 120.0,
        threads: int = 1,
    ) -> None:
        self.workers = max(1, int(workers))
        self.threads = max(1, int(threads))  # per worker: TRAINING_THREADS
        self.queue_size = max(0, int(queue_size))
        self.job_seconds = float(job_seconds)
        self._target = target
        self._ctx = mp.get_context("spawn")
        self._waiting: deque[JobEntry] = deque()
        self._slots: list[_Worker] = []
        self._outbox: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._reader: threading.Thread | None = None
        self._watcher: asyncio.Task | None = None
        self._closing = False
        self._next_id = 0
        self._callbacks = Callbacks()
        self.completed = 0
        self.failed = 0

    # --- lifecycle --------------------------------------------------------------------------

    async def start(self) -> None:
        """Prepare the pool; worker processes start when the first jobs arrive."""
        self._loop = asyncio.get_running_loop()
        self._closing = False
        self._outbox = self._ctx.Queue()
        self._slots = [
            _Worker(self._ctx, self._target, self._outbox, self.threads)
            for _ in range(self.workers)
        ]
        self._reader = threading.Thread(target=self._read_outbox, name="nnbot-jobs", daemon=True)
        self._reader.start()
        self._watcher = asyncio.create_task(self._watch(), name="nnbot-jobs-watch")

    async def stop(self, timeout: float = 10.0) -> None:
        """Shutdown: drop waiting jobs, ask running ones to stop, wait, then end the processes.

        Every job still known gets its `on_done` (reason "shutdown" unless it finished in time,
        in which case its outcome — the network learned so far — is delivered as usual).
        """
        if self._loop is None:
            return
        self._closing = True
        while self._waiting:
            self._finish(self._waiting.popleft(), JobResult(0, "shutdown"))
        for slot in self._slots:
            if slot.job is not None:
                slot.job.stop_reason = "shutdown"
                slot.stop.set()
        deadline = time.monotonic() + timeout
        while any(s.job for s in self._slots) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        for slot in self._slots:
            if slot.job is not None:
                self._finish(slot.job, JobResult(slot.job.chat_id, "shutdown"))
                slot.job = None
        await asyncio.to_thread(self._end_processes)
        if self._watcher:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
        self._outbox.put(None)
        await asyncio.to_thread(self._reader.join, 5)
        await self._callbacks.wait(timeout)
        self._loop = None

    def _end_processes(self) -> None:
        for slot in self._slots:
            if slot.process is not None and slot.process.is_alive():
                slot.inbox.put(None)
        for slot in self._slots:
            if slot.process is not None:
                slot.process.join(timeout=3)
                slot.kill()

    # --- the public operations --------------------------------------------------------------

    def submit(
        self,
        chat_id: int,
        payload: Any,
        on_progress: Callable[[dict], Any] | None = None,
        on_done: Callable[[JobResult], Any] | None = None,
    ) -> int:
        """Queue a job; return 0 if it starts now, else its place in the line (1 = next).

        Raises JobBusy if the chat already has a job, QueueFull if the line is full.
        Callbacks run in the event loop (plain functions or coroutines). While the job waits,
        `on_progress` gets {"queued": place} each time the line moves.
        """
        if self._loop is None or self._closing:
            raise RuntimeError("JobRunner is not running")
        if self.is_active(chat_id):
            raise JobBusy(chat_id)
        job = JobEntry(chat_id, payload, on_progress, on_done)
        idle = self._idle_slot()
        if idle is not None:
            self._run(idle, job)
            return 0
        if len(self._waiting) >= self.queue_size:
            raise QueueFull(chat_id)
        self._waiting.append(job)
        return len(self._waiting)

    def cancel(self, chat_id: int) -> bool:
        """Stop this chat's job: a waiting one is dropped, a running one stops cleanly."""
        for job in self._waiting:
            if job.chat_id == chat_id:
                self._waiting.remove(job)
                self._finish(job, JobResult(chat_id, "cancelled"))
                return True
        for slot in self._slots:
            if slot.job is not None and slot.job.chat_id == chat_id:
                slot.job.stop_reason = slot.job.stop_reason or "cancelled"
                slot.stop.set()
                return True
        return False

    def is_active(self, chat_id: int) -> bool:
        """True from submit until the job's `on_done` has finished (saving, replying)."""
        return (
            self._callbacks.finishing(chat_id)
            or any(j.chat_id == chat_id for j in self._waiting)
            or any(s.job is not None and s.job.chat_id == chat_id for s in self._slots)
        )

    @property
    def callbacks_pending(self) -> int:
        """Callbacks (progress edits, final replies) still running in the event loop."""
        return self._callbacks.pending

    def position(self, chat_id: int) -> int | None:
        """0 if running, n if n-th in line, None if this chat has no job."""
        if any(s.job is not None and s.job.chat_id == chat_id for s in self._slots):
            return 0
        for place, job in enumerate(self._waiting, start=1):
            if job.chat_id == chat_id:
                return place
        return None

    @property
    def running_count(self) -> int:
        return sum(1 for s in self._slots if s.job is not None)

    @property
    def queued_count(self) -> int:
        return len(self._waiting)

    def stats(self) -> dict[str, int]:
        """Figures for /stats."""
        return {
            "workers": self.workers,
            "running": self.running_count,
            "queued": self.queued_count,
            "queue_size": self.queue_size,
            "completed": self.completed,
            "failed": self.failed,
        }

    # --- inside the runner ------------------------------------------------------------------

    def _idle_slot(self) -> _Worker | None:
        return next((s for s in self._slots if s.job is None), None)

    def _run(self, slot: _Worker, job: JobEntry) -> None:
        self._next_id += 1
        slot.job_id = self._next_id
        slot.job = job
        job.started = time.monotonic()
        slot.stop.clear()
        slot.ensure_started()
        slot.inbox.put((slot.job_id, job.payload, self.job_seconds))

    def _dispatch(self) -> None:
        """Start waiting jobs on idle workers; tell the rest their new place in line."""
        moved = False
        while self._waiting and not self._closing:
            slot = self._idle_slot()
            if slot is None:
                break
            self._run(slot, self._waiting.popleft())
            moved = True
        if moved:
            for place, job in enumerate(self._waiting, start=1):
                self._callbacks.call(job.on_progress, {"queued": place})

    def _read_outbox(self) -> None:
        """Reader thread: move every message from the worker processes into the event loop."""
        while True:
            try:
                message = self._outbox.get()
            except (EOFError, OSError):
                return
            if message is None:
                return
            loop = self._loop
            if loop is None or loop.is_closed():
                return
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._on_message, message)

    def _slot_of(self, job_id: int) -> _Worker | None:
        return next((s for s in self._slots if s.job is not None and s.job_id == job_id), None)

    def _on_message(self, message: tuple) -> None:
        kind, job_id, data = message
        slot = self._slot_of(job_id)
        if slot is None:
            return  # a late message from a job already given up on
        job = slot.job
        if kind == "progress":
            self._callbacks.call(job.on_progress, data)
            return
        slot.job = None
        seconds = time.monotonic() - (job.started or job.submitted)
        waited = (job.started or job.submitted) - job.submitted
        if kind == "done":
            reason = job.stop_reason or getattr(data, "reason", None) or "done"
            result = JobResult(job.chat_id, reason, outcome=data, seconds=seconds, waited=waited)
        else:
            log.error("job for chat %s failed:\n%s", job.chat_id, data)
            result = JobResult(job.chat_id, "error", error=data, seconds=seconds, waited=waited)
        self._finish(job, result)
        self._dispatch()

    def _finish(self, job: JobEntry, result: JobResult) -> None:
        result.chat_id = job.chat_id
        if result.reason in ("error", "crashed"):
            self.failed += 1
        elif result.reason != "cancelled":
            self.completed += 1
        self._callbacks.call(job.on_done, result, chat_id=job.chat_id)

    async def _watch(self) -> None:
        """Enforce the time cap and replace crashed workers."""
        while True:
            await asyncio.sleep(WATCH_INTERVAL)
            now = time.monotonic()
            for slot in self._slots:
                job = slot.job
                if job is None:
                    continue
                elapsed = now - (job.started or now)
                if slot.process is not None and not slot.process.is_alive():
                    log.error("worker died (chat %s)", job.chat_id)
                    slot.job = None
                    slot.process = None
                    self._finish(job, JobResult(job.chat_id, "crashed", seconds=elapsed))
                    self._dispatch()
                elif elapsed > self.job_seconds + KILL_GRACE:
                    log.error("job for chat %s ignored stop; killing it", job.chat_id)
                    slot.job = None
                    await asyncio.to_thread(slot.kill)
                    self._finish(job, JobResult(job.chat_id, "timeout", seconds=elapsed))
                    self._dispatch()
                elif elapsed > self.job_seconds and not slot.stop.is_set():
                    job.stop_reason = "timeout"
                    slot.stop.set()
