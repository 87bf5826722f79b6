"""What an RQ work horse runs for one nnbot job (`nnbot worker` forks one per job).

`perform(target, payload, seconds)` imports the job function named by `target` — only names
the worker was started with are allowed (NNBOT_JOB_TARGETS), so a job in Redis cannot make a
worker call anything else — and runs it as the local pool would: `function(payload, report,
should_stop)` with the deadline in the payload. Beside it a thread keeps the heartbeat key
alive and looks at the stop key, so the bot learns quickly if this process dies and a stop
request reaches the training within a fraction of a second.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

from rq import get_current_job

from bot.backends.redis_queue import ALIVE_TTL, key

TARGETS_VARIABLE = "NNBOT_JOB_TARGETS"
DEFAULT_TARGETS = ("bot.training.wire:run_wire_job",)
BEAT = 0.25  # seconds between two heartbeats (and two looks at the stop key)
NICENESS = 10  # as the local pool's workers: replies on the same machine stay quick


def allowed_targets() -> tuple[str, ...]:
    raw = os.environ.get(TARGETS_VARIABLE, "")
    return tuple(t.strip() for t in raw.split(",") if t.strip()) or DEFAULT_TARGETS


def load_target(target: str) -> Callable[..., Any]:
    """The function "module:function" names, if this worker was started to run it."""
    if target not in allowed_targets():
        raise PermissionError(f"this worker does not run {target!r}")
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def perform(target: str, payload: Any, seconds: float) -> Any:
    """Run one job in this work horse; its JSON-able result goes back through RQ."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the worker decides when jobs stop
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    function = load_target(target)
    job = get_current_job()
    connection, job_id = job.connection, job.id
    stop = threading.Event()
    done = threading.Event()
    alive, progress = key("alive", job_id), key("progress", job_id)
    connection.set(alive, f"{os.uname().nodename}:{os.getpid()}", px=int(ALIVE_TTL * 1000))

    def beat() -> None:
        while not done.wait(BEAT):
            with contextlib.suppress(Exception):
                connection.set(
                    alive, f"{os.uname().nodename}:{os.getpid()}", px=int(ALIVE_TTL * 1000)
                )
                if connection.exists(key("stop", job_id)):
                    stop.set()

    def report(data: dict) -> None:
        connection.rpush(progress, json.dumps(data))
        connection.expire(progress, 3600)

    thread = threading.Thread(target=beat, name="nnbot-heartbeat", daemon=True)
    thread.start()
    deadline = time.monotonic() + seconds
    if isinstance(payload, dict):
        payload = {**payload, "deadline": deadline}
    try:
        outcome = function(payload, report, stop.is_set)
    finally:
        done.set()
        thread.join(timeout=2)
    if time.monotonic() >= deadline:  # it stopped at the cap: say so, unless asked earlier
        connection.set(key("stop", job_id), "timeout", nx=True, ex=3600)
    return outcome
