"""Data parallelism for one mini-batch: each thread runs the whole network on its share of rows.

Splitting each layer's loops across threads (`nncore.parallel` inside Conv2D, MaxPool2D and
big products) leaves everything between them — activations, the loss, small products — on one
core, and pays a hand-over per layer. Splitting the *batch* instead pays one hand-over per
step and puts all of the work on every thread:

    rows 0…31  → replica 0: forward, loss, backward   ┐
    rows 32…63 → replica 1: forward, loss, backward   ┴→ ∂L/∂w = Σ over replicas, one update

A replica is a shallow copy of each layer: it reads the model's own weight arrays and keeps its
own gradients and remembered inputs. The loss of the whole batch is the mean over its rows, so
replica r's loss gradient (a mean over its n_r rows) is scaled by n_r / n, and the model's
gradient is then the plain sum of the replicas' — the same formula as one thread, summed in
another order, so equal up to float rounding. Dropout masks are drawn for the whole batch from
the layer's own generator, as one thread would, and each replica uses its rows of them.

Which way is fastest depends on the network and the machine — halves of a small batch pay more
overhead per row, and two cores share one memory bus — so `Plan` measures instead of guessing:
the first full batches of a fit are run each way in turn ("rows": the batch split here;
"layers": each layer splits its own loops; "serial": one thread), and the rest of the fit, and
later fits of the same model and batch shape, use the way whose median step was shortest — a
threaded way only if it saves THREADED_MUST_SAVE of one thread's step, so a near tie, which a
few noisy timings cannot settle, goes to one thread.
Every way computes the same numbers (up to rounding), so the choice changes only the speed.
"""

from __future__ import annotations

import copy
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from nncore import parallel
from nncore.conv import Conv2D
from nncore.layers import Dense, Dropout, Layer, backward_to_weights
from nncore.losses import Loss


def flops_per_sample(layers: list[Layer], sample_shape: tuple[int, ...]) -> float:
    """Multiply-adds ×2 of forward + backward for one row: the products of Dense and Conv2D
    layers (backward costs about twice forward). Element-wise work is left out: it is cheap."""
    total, shape = 0.0, tuple(sample_shape)
    for layer in layers:
        out = layer.output_shape(shape)
        if isinstance(layer, Dense):
            total += 6.0 * layer.n_in * layer.n_out
        elif isinstance(layer, Conv2D):
            total += 6.0 * layer.c_in * layer.kernel**2 * math.prod(out)
        shape = out
    return total


class _Drawn:
    """Stands in for a Dropout layer's generator: hands out numbers drawn beforehand."""

    def __init__(self, values: np.ndarray) -> None:
        self.values = values

    def random(self, shape: tuple[int, ...], dtype: type = np.float64) -> np.ndarray:
        if tuple(shape) != self.values.shape:
            raise RuntimeError(f"dropout drew {self.values.shape}, asked for {tuple(shape)}")
        return self.values.astype(dtype, copy=False)


@dataclass
class _Replica:
    layers: list[Layer]
    loss: Loss


class Replicas:
    """Runs a mini-batch of the first `upto` layers on several threads, one replica each."""

    def __init__(
        self, layers: list[Layer], loss: Loss, sample_shape: tuple[int, ...], plans: dict
    ) -> None:
        self.layers, self.plans, self.sample_shape = layers, plans, tuple(sample_shape)
        self.copies = [
            _Replica([layer.replica() for layer in layers], copy.copy(loss))
            for _ in range(parallel.threads())
        ]
        self.row_work = flops_per_sample(layers, sample_shape)
        # where each Dropout sits, and the shape of one row entering it
        self.dropouts: list[tuple[int, tuple[int, ...]]] = []
        shape = tuple(sample_shape)
        for i, layer in enumerate(layers):
            if isinstance(layer, Dropout) and layer.training and layer.p > 0:
                self.dropouts.append((i, shape))
            shape = layer.output_shape(shape)

    def run(
        self, xb: np.ndarray, yb: np.ndarray, whole: Callable[[], tuple[float, float | None]]
    ) -> tuple[float, float | None]:
        """One batch the planned way: split by rows here, or `whole` (the model's own forward
        and backward) with layer threads or on one thread. Returns (loss, accuracy or None)."""
        parts = parallel.parts(len(xb), self.row_work * len(xb))
        key = (parallel.threads(), len(xb), self.sample_shape, len(self.layers))
        if key not in self.plans:
            ways = WAYS if len(parts) > 1 else tuple(w for w in WAYS if w != "rows")
            self.plans[key] = Plan(ways)
        plan = self.plans[key]
        way = plan.next_way()
        start = time.perf_counter()
        if way == "rows":
            result = self.step(xb, yb, parts)
        elif way == "serial":
            with parallel.serial():
                result = whole()
        else:
            result = whole()
        plan.record(way, time.perf_counter() - start)
        return result

    def step(
        self, xb: np.ndarray, yb: np.ndarray, parts: list[slice]
    ) -> tuple[float, float | None]:
        """Forward, loss and backward of one batch, its rows split as `parts`; the summed
        gradients land in the model's layers. Returns (batch loss, accuracy or None)."""
        rows = len(xb)
        for i, shape in self.dropouts:
            values = self.layers[i].rng.random((rows, *shape), dtype=np.float32)
            for replica, part in zip(self.copies, parts, strict=False):
                replica.layers[i].rng = _Drawn(values[part])

        def run(k: int) -> tuple[float, float | None]:
            part, replica = parts[k], self.copies[k]
            with parallel.serial():
                return self._run_replica(replica, xb[part], yb[part], rows)

        results = parallel.run(lambda s: run(s.start), [slice(k, k + 1) for k in range(len(parts))])
        self._sum_gradients(len(parts))
        shares = [(p.stop - p.start) / rows for p in parts]
        loss = sum(share * r[0] for share, r in zip(shares, results, strict=True))
        if results[0][1] is None:
            return loss, None
        return loss, sum(share * r[1] for share, r in zip(shares, results, strict=True))

    def _run_replica(
        self, replica: _Replica, x: np.ndarray, y: np.ndarray, rows: int
    ) -> tuple[float, float | None]:
        out = x
        for layer in replica.layers:
            out = layer.forward(out)
        loss = replica.loss.forward(out, y)
        accuracy = replica.loss.accuracy(out, y)
        grad = replica.loss.backward()
        grad *= len(x) / rows  # this replica's mean over its rows → its part of the batch's mean
        backward_to_weights(replica.layers, grad)
        return loss, accuracy

    def _sum_gradients(self, used: int) -> None:
        for i, layer in enumerate(self.layers):
            for name, total in layer.grads.items():
                np.copyto(total, self.copies[0].layers[i].grads[name])
                for replica in self.copies[1:used]:
                    total += replica.layers[i].grads[name]


#: The ways a batch may run with several threads (tests narrow it to force one).
WAYS = ("rows", "layers", "serial")
#: Timed steps per way before choosing, after one untimed warm-up step each.
TRIAL_STEPS = 3
#: A way with threads is chosen only if its median step is this much shorter than one
#: thread's: timing a few steps on a shared machine is noisy, and a near tie taken for a
#: threaded way made whole epochs slower than one thread (a hand-over to the second thread
#: costs 50–150 µs here, `benchmarks/bench_nncore.py`), so a tie goes to one thread.
THREADED_MUST_SAVE = 0.05


@dataclass
class Plan:
    """Chooses, by timing real training steps, how a batch of one shape runs on the threads."""

    ways: tuple[str, ...]
    times: dict[str, list[float]] = field(default_factory=dict)
    chosen: str | None = None

    def next_way(self) -> str:
        """The way to run the next full batch: the chosen one, or the next to try."""
        if self.chosen is not None:
            return self.chosen
        if len(self.ways) == 1:
            self.chosen = self.ways[0]
            return self.chosen
        return min(self.ways, key=lambda way: len(self.times.get(way, [])))  # round robin

    def record(self, way: str, seconds: float) -> None:
        if self.chosen is not None:
            return
        self.times.setdefault(way, []).append(seconds)
        if all(len(self.times.get(w, [])) > TRIAL_STEPS for w in self.ways):  # 1st: warm-up
            median = {w: statistics.median(self.times[w][1:]) for w in self.ways}
            fastest = min(self.ways, key=median.__getitem__)
            if "serial" in median and median[fastest] > (1 - THREADED_MUST_SAVE) * median["serial"]:
                fastest = "serial"
            self.chosen = fastest
            self.times.clear()
