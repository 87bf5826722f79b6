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
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

#: Below this many floating-point operations (≈ 0.1 ms at one core's matmul speed) a part is
#: not worth handing to another thread: waking it costs tens of µs, more on a busy machine.
MIN_WORK_PER_THREAD = 8_000_000


def _threads_from_environment() -> int:
    value = os.environ.get("NNCORE_THREADS", "1").strip() or "1"
    try:
        return max(1, int(value))
    except ValueError:
        raise ValueError(f"NNCORE_THREADS must be a whole number, got {value!r}") from None


_threads = _threads_from_environment()
_pool: ThreadPoolExecutor | None = None


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
    return _threads


def parts(items: int, work: float) -> list[slice]:
    """Split range(items) into contiguous slices, one per thread, none with less than
    MIN_WORK_PER_THREAD operations (`work` is the total): a single slice when it is small."""
    affordable = work // MIN_WORK_PER_THREAD if MIN_WORK_PER_THREAD else items
    count = max(1, min(_threads, items, int(affordable)))
    bounds = [items * i // count for i in range(count + 1)]
    return [slice(bounds[i], bounds[i + 1]) for i in range(count)]


def run(task: Callable[[slice], T], slices: list[slice]) -> list[T]:
    """[task(s) for s in slices], the first in this thread and the others in the pool."""
    global _pool
    if len(slices) == 1:
        return [task(slices[0])]
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=_threads - 1, thread_name_prefix="nncore")
    futures = [_pool.submit(task, s) for s in slices[1:]]
    first = task(slices[0])
    return [first, *(f.result() for f in futures)]
