"""The worker process's side of `bot.jobs.JobRunner`: its loop, and the environment it starts in.

It runs in a fresh interpreter ("spawn"), so it imports only what a job needs: the job function
it is handed arrives by name, and progress and results go back through one outbox queue.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import time
import traceback
from collections.abc import Callable
from typing import Any

WORKER_NICENESS = 10  # added to the workers' nice value


def worker_main(target: Callable, inbox: Any, outbox: Any, stop: Any, parent: int) -> None:
    """Loop in the worker process: take a job, run it, send progress and the result back.

    Ctrl+C reaches the whole process group; the bot decides when workers stop, so the worker
    ignores SIGINT. If the bot dies (kill -9), the worker notices its parent is gone and exits
    instead of training on as an orphan. Workers run at a lower CPU priority than the bot, so
    replies stay quick when every core trains.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError):  # let the event loop win the CPU when cores are busy
        os.nice(WORKER_NICENESS)

    def orphaned() -> bool:
        return os.getppid() != parent

    def should_stop() -> bool:
        return stop.is_set() or orphaned()

    while True:
        try:
            message = inbox.get(timeout=1.0)
        except queue.Empty:
            if orphaned():
                return
            continue
        if message is None:
            return
        job_id, payload, seconds = message
        if isinstance(payload, dict):
            payload = {**payload, "deadline": time.monotonic() + seconds}

        def report(progress: dict, job_id: int = job_id) -> None:
            outbox.put(("progress", job_id, progress))

        try:
            outcome = target(payload, report, should_stop)
        except BaseException:  # any failure goes back to the bot as text, the worker lives on
            outbox.put(("error", job_id, traceback.format_exc(limit=8)))
        else:
            outbox.put(("done", job_id, outcome))


@contextlib.contextmanager
def thread_environment(threads: int):
    """Environment for a spawned worker: BLAS one thread per call, nncore `threads` threads.

    The child inherits os.environ at start and NumPy reads these when it is first imported
    there (before the job's target is even unpickled), so they are set just around start().
    """
    wanted = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    wanted["NNCORE_THREADS"] = str(threads)
    before = {name: os.environ.get(name) for name in wanted}
    os.environ.update(wanted)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
