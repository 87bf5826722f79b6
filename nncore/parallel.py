"""Threads for the big loops of one mini-batch: split the work into parts, one per thread.

NumPy releases the GIL inside its loops and matrix products, so Python threads running
NumPy on separate parts of a batch do run on separate cores. OpenBLAS on its own threads a
batch-64 product badly (the parts are too small) and leaves every element-wise pass on one
core; splitting the batch ourselves puts everything — copies, products, ReLU, pooling — on
all threads. Give BLAS one thread per call when nncore has several (OPENBLAS_NUM_THREADS=1
before NumPy is imported), or the two kinds of thread compete.

The count comes from the environment variable NNCORE_THREADS (default 1: no pool at all) or
`set_threads(n)`. Results do not depend on it beyond float rounding: each part computes the
same formula on its own rows, and partial sums (weight gradients) are added in a fixed order.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")

#: Below this many floating-point operations (≈ 0.1 ms at one core's matmul speed) a part is
#: not worth handing to another thread: waking it costs tens of µs, more on a busy machine.
MIN_WORK_PER_THREAD = 12_000_000


def _threads_from_environment() -> int:
    value = os.environ.get("NNCORE_THREADS", "1").strip() or "1"
    try:
        return max(1, int(value))
    except ValueError:
        raise ValueError(f"NNCORE_THREADS must be a whole number, got {value!r}") from None


_threads = _threads_from_environment()
_pool: ThreadPoolExecutor | None = None
_local = threading.local()  # .serial: this thread already runs one part of a split batch


def set_threads(n: int) -> None:
    """Use `n` threads (≥ 1) for the batch loops from now on."""
    global _threads, _pool
    n = int(n)
    if n < 1:
        raise ValueError(f"thread count must be at least 1, got {n}")
    if n != _threads and _pool is not None:
        _pool.shutdown(wait=True)
        _pool = None
    _threads = n


def threads() -> int:
    """The threads a loop may split into: 1 inside `serial()`, else the configured count."""
    if _threads == 1:  # the common case, checked first: tiny networks call this every layer
        return 1
    return 1 if getattr(_local, "serial", False) else _threads


@contextmanager
def serial() -> Iterator[None]:
    """Run everything in this block on the calling thread alone.

    Used by each thread of a split batch (`nncore.replicas`): its share is already one
    thread's work, and a pool thread that handed more parts to the pool could wait on itself.
    """
    before = getattr(_local, "serial", False)
    _local.serial = True
    try:
        yield
    finally:
        _local.serial = before


def parts(items: int, work: float) -> list[slice]:
    """Split range(items) into contiguous slices, one per thread, none with less than
    MIN_WORK_PER_THREAD operations (`work` is the total): a single slice when it is small."""
    affordable = work // MIN_WORK_PER_THREAD if MIN_WORK_PER_THREAD else items
    count = max(1, min(threads(), items, int(affordable)))
    bounds = [items * i // count for i in range(count + 1)]
    return [slice(bounds[i], bounds[i + 1]) for i in range(count)]


def run(task: Callable[[slice], T], slices: list[slice]) -> list[T]:
    """[task(s) for s in slices]: this thread runs the first part and the pool the others — but
    a part no pool thread has started when this thread is free is done here too, so a busy
    machine (the pool thread waiting for a core) never makes a step slower than one thread."""
    global _pool
    if len(slices) == 1:
        return [task(slices[0])]
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=_threads - 1, thread_name_prefix="nncore")
    results: list = [None] * len(slices)
    started = [True] + [False] * (len(slices) - 1)
    lock = threading.Lock()

    def attempt(i: int) -> None:
        with lock:
            if started[i]:
                return
            started[i] = True
        results[i] = task(slices[i])

    futures = [_pool.submit(attempt, i) for i in range(1, len(slices))]
    results[0] = task(slices[0])
    for i in range(1, len(slices)):
        attempt(i)
    for future in futures:
        future.result()  # waits for parts a pool thread took; re-raises their errors
    return results
