"""nncore against PyTorch CPU, at 1 and at 2 threads, in one command:

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_nncore.py

Workloads (float32, batch 64, shuffled, softmax cross-entropy, the same random data in both):
  mlp     MLP 784-128-10 ReLU, one epoch of 60 000 samples, SGD lr 0.05;
  cnn     conv(1→8, 3×3) → ReLU → pool 2 → conv(8→16, 3×3) → ReLU → pool 2 → Dense(→10),
          one epoch of 10 000 samples of 1×28×28, SGD lr 0.05;
  reader  the shipped digit reader (bot/digits/train.py): conv(1→32, 3×3, padding 1) → ReLU →
          pool 2 → conv(32→64, 3×3, padding 1) → ReLU → pool 2 → Dense(3136→128) → ReLU →
          Dropout 0.35 → Dense(→10), one epoch of 5 000 samples, Adam lr 0.002;
  tiny    a 2-2-1 tanh/sigmoid network on the 4 rows of XOR, batch 1, 1 000 epochs, SGD lr 0.1
          (binary cross-entropy) — the size of the bot's table lessons.

"t threads" means: PyTorch with torch.set_num_threads(t); nncore with NNCORE_THREADS=t (its own
batch splitting, `nncore.parallel`) and one BLAS thread per call (OPENBLAS_NUM_THREADS=1).
Thread counts must be fixed before NumPy loads BLAS, so the script starts one worker
process per thread count (1 and 2) and framework, and keeps all four alive; the parent then
asks them for one timed run at a time, alternating thread counts and frameworks (nncore 1t,
PyTorch 1t, nncore 2t, PyTorch 2t, …), `--repeats` rounds, and prints medians. Each ratio is
therefore between runs taken seconds apart on the same (shared, noisy) machine:

  nncore / PyTorch at the same thread count   (targets: MLP ≤ 0.8, CNN ≤ 1.0, reader ≤ 1.0)
  nncore 2 threads / nncore 1 thread           (target ≤ 1.0: a second thread never hurts)
  MLP GFLOP/s as a share of a 1024² float32 NumPy matmul peak at 1 thread (target ≥ 65 %),
    beside the share of its five products alone and of the same epoch as a bare NumPy loop
  PyTorch / nncore for the tiny table          (target ≥ 5: small networks stay cheap)
  and, to show what a split by threads can win: the µs of one hand-over to nncore's second
  thread and back, beside the µs of half of the MLP's biggest product (a split's best saving)

Times are wall clock (CPU time is printed beside it: on a shared machine it leaves out the time
other programs held the cores). PyTorch comes from the `bench` extra (`pip install -e
'.[bench]'`); without it only nncore's figures are printed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

WORKLOADS = ("mlp", "cnn", "reader", "tiny")
THREADS = (1, 2)
BATCH = 64


# ---- the worker: one process per thread count --------------------------------------------


def worker(threads: int, framework: str) -> None:
    """Answer "<workload> <framework>" lines on stdin with one JSON timing line each.

    nncore gets `threads` threads of its own (NNCORE_THREADS) with one BLAS thread per call,
    as nncore.parallel recommends; PyTorch gets `threads` intra-op threads. Each framework has
    its own process: PyTorch's OpenMP threads stay awake a while after its run, and in a
    shared process they cost nncore's next 2-thread MLP epoch 4 % and 11 % in two of three
    sittings measured on this machine (none in the third).
    """
    for variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "NNCORE_THREADS"):
        os.environ[variable] = str(threads)
    os.environ["OPENBLAS_NUM_THREADS"] = "1"  # NumPy's BLAS (PyTorch brings its own)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's nncore
    import numpy as np

    import nncore as nn

    torch = None
    if framework == "PyTorch":
        with contextlib.suppress(ImportError):
            import torch
    if torch is not None:
        torch.set_num_threads(threads)
        torch.set_num_interop_threads(1)
        torch.manual_seed(0)

    rng = np.random.default_rng(0)
    data = {
        "mlp": (rng.random((60_000, 784), dtype=np.float32), rng.integers(0, 10, 60_000)),
        "cnn": (rng.random((10_000, 1, 28, 28), dtype=np.float32), rng.integers(0, 10, 10_000)),
        "reader": (rng.random((5_000, 1, 28, 28), dtype=np.float32), rng.integers(0, 10, 5_000)),
        "tiny": (
            np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32),
            np.array([[0], [1], [1], [0]], dtype=np.float32),
        ),
    }
    models: dict[tuple[str, str], object] = {}

    def build_nncore(name: str):
        if name == "mlp":
            layers = [nn.Dense(784, 128, init="he", rng=0), nn.ReLU(), nn.Dense(128, 10, rng=1)]
        elif name == "cnn":
            layers = [
                nn.Conv2D(1, 8, 3, rng=0), nn.ReLU(), nn.MaxPool2D(2),
                nn.Conv2D(8, 16, 3, rng=1), nn.ReLU(), nn.MaxPool2D(2),
                nn.Flatten(), nn.Dense(16 * 5 * 5, 10, rng=2),
            ]  # fmt: skip
        elif name == "reader":
            layers = [
                nn.Conv2D(1, 32, 3, padding=1, rng=1), nn.ReLU(), nn.MaxPool2D(2),
                nn.Conv2D(32, 64, 3, padding=1, rng=2), nn.ReLU(), nn.MaxPool2D(2),
                nn.Flatten(), nn.Dense(64 * 7 * 7, 128, init="he", rng=3), nn.ReLU(),
                nn.Dropout(0.35, rng=4), nn.Dense(128, 10, rng=5),
            ]  # fmt: skip
        else:
            layers = [nn.Dense(2, 2, rng=0), nn.Tanh(), nn.Dense(2, 1, rng=1), nn.Sigmoid()]
        return nn.Sequential(layers)

    def build_torch(name: str):
        t = torch.nn
        if name == "mlp":
            return t.Sequential(t.Linear(784, 128), t.ReLU(), t.Linear(128, 10))
        if name == "cnn":
            return t.Sequential(
                t.Conv2d(1, 8, 3), t.ReLU(), t.MaxPool2d(2),
                t.Conv2d(8, 16, 3), t.ReLU(), t.MaxPool2d(2),
                t.Flatten(), t.Linear(16 * 5 * 5, 10),
            )  # fmt: skip
        if name == "reader":
            return t.Sequential(
                t.Conv2d(1, 32, 3, padding=1), t.ReLU(), t.MaxPool2d(2),
                t.Conv2d(32, 64, 3, padding=1), t.ReLU(), t.MaxPool2d(2),
                t.Flatten(), t.Linear(64 * 7 * 7, 128), t.ReLU(),
                t.Dropout(0.35), t.Linear(128, 10),
            )  # fmt: skip
        return t.Sequential(t.Linear(2, 2), t.Tanh(), t.Linear(2, 1))  # sigmoid fused in the loss

    def run_nncore(name: str, rows: slice | None = None) -> None:
        X, y = data[name]
        X, y = (X, y) if rows is None else (X[rows], y[rows])
        model = models.setdefault((name, "nncore"), build_nncore(name))
        if name == "tiny":
            loss, optimizer, epochs, batch = nn.BinaryCrossEntropy(), nn.SGD(0.1), 1000, 1
        else:
            loss, epochs, batch = nn.SoftmaxCrossEntropy(), 1, BATCH
            optimizer = nn.Adam(0.002) if name == "reader" else nn.SGD(0.05)
        model.fit(X, y, loss, optimizer, epochs=epochs, batch_size=batch, seed=0)

    def run_torch(name: str, rows: slice | None = None) -> None:
        key = (name, "PyTorch")
        if key not in models:
            X, y = data[name]
            labels = torch.from_numpy(y) if name == "tiny" else torch.from_numpy(y.astype(np.int64))
            models[key] = (build_torch(name), torch.from_numpy(X), labels)
        model, X, y = models[key]
        if rows is not None:
            X, y = X[rows], y[rows]
        if name == "tiny":
            loss_fn, epochs, batch = torch.nn.BCEWithLogitsLoss(), 1000, 1
            optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        else:
            loss_fn, epochs, batch = torch.nn.CrossEntropyLoss(), 1, BATCH
            optimizer = (
                torch.optim.Adam(model.parameters(), lr=0.002)
                if name == "reader"
                else torch.optim.SGD(model.parameters(), lr=0.05)
            )
        model.train()
        generator = torch.Generator().manual_seed(0)
        for _ in range(epochs):
            order = torch.randperm(len(X), generator=generator)
            for begin in range(0, len(X), batch):
                picked = order[begin : begin + batch]
                optimizer.zero_grad(set_to_none=True)
                loss = loss_fn(model(X[picked]), y[picked])
                loss.backward()
                optimizer.step()

    def matmul_peak() -> float:
        """GFLOP/s of a 1024×1024 float32 NumPy matmul at this thread count, best of 20 (wall)."""
        a = np.random.default_rng(0).random((1024, 1024), dtype=np.float32)
        b = a.T.copy()
        a @ b
        best = float("inf")
        for _ in range(20):
            start = time.perf_counter()
            a @ b
            best = min(best, time.perf_counter() - start)
        return 2 * 1024**3 / best / 1e9

    def mlp_products_only() -> float:
        """GFLOP/s of just the MLP's five matrix products at batch 64 for one epoch (wall)."""
        x, w1 = rng.random((BATCH, 784), dtype=np.float32), rng.random((784, 128), np.float32)
        h, g1 = rng.random((BATCH, 128), np.float32), rng.random((BATCH, 128), np.float32)
        w2, g2 = rng.random((128, 10), np.float32), rng.random((BATCH, 10), np.float32)
        steps = 60_000 // BATCH
        start = time.perf_counter()
        for _ in range(steps):
            x @ w1, h @ w2, h.T @ g2, g2 @ w2.T, x.T @ g1
        return MLP_FLOPS * steps * BATCH / 60_000 / (time.perf_counter() - start) / 1e9

    def mlp_numpy_loop() -> float:
        """GFLOP/s of one epoch of the same MLP written as a bare NumPy loop — no framework,
        nothing but the step's own operations: what NumPy itself allows around the products."""
        X, y = data["mlp"]
        w1 = (rng.standard_normal((784, 128)) * 0.05).astype(np.float32)
        w2 = (rng.standard_normal((128, 10)) * 0.1).astype(np.float32)
        b1, b2, lr = np.zeros(128, np.float32), np.zeros(10, np.float32), np.float32(0.05)
        order = rng.permutation(len(X))
        start = time.perf_counter()
        for begin in range(0, len(X), BATCH):
            rows = order[begin : begin + BATCH]
            xb, yb, n = X[rows], y[rows], len(rows)
            h = xb @ w1
            h += b1
            a = np.maximum(h, 0)
            z = a @ w2
            z += b2
            z -= z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(n), yb] -= 1
            p /= n
            g_w2, g_b2 = a.T @ p, p.sum(axis=0)
            g_a = p @ w2.T
            g_a *= h > 0
            g_w1, g_b1 = xb.T @ g_a, g_a.sum(axis=0)
            w1 -= lr * g_w1
            w2 -= lr * g_w2
            b1 -= lr * g_b1
            b2 -= lr * g_b2
        return MLP_FLOPS / (time.perf_counter() - start) / 1e9

    def handover() -> dict[str, float]:
        """Median µs of handing work to nncore's second thread and back (nncore.parallel.run of
        two empty parts), and of what a split would give it: half of the MLP's first product."""
        from nncore import parallel

        x, w = rng.random((BATCH, 784), np.float32), rng.random((784, 64), np.float32)
        out = np.empty((BATCH, 64), np.float32)

        def timed(call) -> float:
            times = []
            for _ in range(2000):
                start = time.perf_counter()
                call()
                times.append(time.perf_counter() - start)
            return 1e6 * statistics.median(times[200:])  # the first calls warm up

        parts = [slice(0, 1), slice(1, 2)]
        return {
            "handover": timed(lambda: parallel.run(lambda part: None, parts)),
            "half_product": timed(lambda: np.matmul(x, w, out=out)),
        }

    print(json.dumps({"torch": getattr(torch, "__version__", None), "numpy": np.__version__}))
    sys.stdout.flush()
    for line in sys.stdin:
        name, framework = line.split()
        if framework == "PyTorch" and torch is None:
            print(json.dumps(None))
        elif name == "handover":
            print(json.dumps(handover()))
        elif name == "peak":
            peak, products, loop = matmul_peak(), mlp_products_only(), mlp_numpy_loop()
            print(json.dumps({"gflops": peak, "products": products, "numpy_loop": loop}))
        else:
            run = run_nncore if framework == "nncore" else run_torch
            if (name, framework) not in models:  # first call: build and warm up
                run(name, slice(0, 4) if name == "tiny" else slice(0, 20 * BATCH))
            wall, cpu = time.perf_counter(), time.process_time()
            run(name)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            print(json.dumps({"wall": wall, "cpu": cpu}))
        sys.stdout.flush()


# ---- the parent: start the workers, alternate the runs, print the table --------------------


class Worker:
    def __init__(self, threads: int, framework: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--worker", str(threads), "--framework", framework],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.versions = json.loads(self.process.stdout.readline())

    def ask(self, name: str, framework: str):
        self.process.stdin.write(f"{name} {framework}\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


MLP_FLOPS = 60_000 * (2 * 2 * 784 * 128 + 3 * 2 * 128 * 10)  # forward + weight grads + dX₂
TITLES = {
    "mlp": "MLP 784-128-10, 60 000 samples, SGD",
    "cnn": "small CNN conv8/conv16, 10 000 samples, SGD",
    "reader": "reader CNN conv32/conv64 p1 + dense128 + dropout, 5 000 samples, Adam",
    "tiny": "tiny table 2-2-1, batch 1, 1 000 epochs of 4 rows",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", choices=WORKLOADS, action="append")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--framework", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.framework)
        return
    workloads = args.only or list(WORKLOADS)
    workers = {(t, f): Worker(t, f) for t in THREADS for f in ("nncore", "PyTorch")}
    versions = {**workers[1, "nncore"].versions, "torch": workers[1, "PyTorch"].versions["torch"]}
    has_torch = versions["torch"] is not None
    frameworks = ["nncore", "PyTorch"] if has_torch else ["nncore"]
    print(
        f"numpy {versions['numpy']}, torch {versions['torch'] or 'absent'}, batch {BATCH}, "
        f"float32, threads {THREADS}, repeats {args.repeats} (alternating), "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    times: dict[tuple[str, int, str], list[dict]] = {}
    peaks = []  # of a 1-thread BLAS: both workers call BLAS with one thread
    for _ in range(args.repeats):
        peaks.append(workers[1, "nncore"].ask("peak", "nncore"))
        for name in workloads:
            for t in THREADS:
                for framework in frameworks:
                    run = workers[t, framework].ask(name, framework)
                    times.setdefault((name, t, framework), []).append(run)
    handovers = [workers[2, "nncore"].ask("handover", "nncore") for _ in range(args.repeats)]
    for w in workers.values():
        w.close()

    def median(name: str, t: int, framework: str, kind: str = "wall") -> float:
        return statistics.median(r[kind] for r in times[(name, t, framework)])

    print()
    for name in workloads:
        print(TITLES[name])
        for t in THREADS:
            for framework in frameworks:
                walls = ", ".join(f"{r['wall']:.3f}" for r in times[(name, t, framework)])
                wall, cpu = median(name, t, framework), median(name, t, framework, "cpu")
                print(
                    f"  {t} thread{'s' if t > 1 else ' '} {framework:7s} median wall "
                    f"{wall:7.3f} s, cpu {cpu:7.3f} s   (runs: {walls})"
                )
    print(
        "\nRatios of medians. wall: elapsed time, what the targets mean. cpu: CPU time of the\n"
        "process (all its threads), which leaves out time other programs held the cores — the\n"
        "steadier figure for nncore / PyTorch on a shared machine, but no measure of speed-up."
    )
    rows = []  # (label, wall figure, cpu figure or None, target)
    targets = {"mlp": "≤ 0.8", "cnn": "≤ 1.0", "reader": "≤ 1.0 (stretch 0.8)"}
    for name in workloads:
        for t in THREADS:
            if has_torch:
                wall = median(name, t, "nncore") / median(name, t, "PyTorch")
                cpu = median(name, t, "nncore", "cpu") / median(name, t, "PyTorch", "cpu")
                if name == "tiny":
                    label = f"{name}: PyTorch / nncore at {t} thread(s)"
                    rows.append((label, 1 / wall, 1 / cpu, "≥ 5"))
                else:
                    label = f"{name}: nncore / PyTorch at {t} thread(s)"
                    rows.append((label, wall, cpu, targets[name]))
        if name != "tiny":
            scaling = median(name, 2, "nncore") / median(name, 1, "nncore")
            target = "≤ 1.0" if name == "mlp" else "≤ 1.0 (stretch 0.7)"
            rows.append((f"{name}: nncore 2 threads / 1 thread", scaling, None, target))
    if "mlp" in workloads:
        peak = statistics.median(p["gflops"] for p in peaks)
        products = statistics.median(p["products"] for p in peaks)
        label = f"mlp: its five products alone, % of that peak ({products:.1f} GFLOP/s)"
        rows.append((label, 100 * products / peak, None, "— (the ceiling)"))
        loop = statistics.median(p["numpy_loop"] for p in peaks)
        label = f"mlp: a bare NumPy loop, no framework, % of that peak ({loop:.1f} GFLOP/s)"
        rows.append((label, 100 * loop / peak, None, "— (NumPy's own floor)"))
        for t in THREADS:
            achieved = MLP_FLOPS / median("mlp", t, "nncore") / 1e9
            label = (
                f"mlp at {t} thread(s): % of the 1-thread 1024² matmul peak "
                f"({achieved:.1f} of {peak:.1f} GFLOP/s)"
            )
            rows.append((label, 100 * achieved / peak, None, "≥ 65" if t == 1 else "—"))
    handover = statistics.median(h["handover"] for h in handovers)
    half = statistics.median(h["half_product"] for h in handovers)
    rows.append(("hand-over to nncore's 2nd thread and back, µs", handover, None, "—"))
    rows.append(("half of the MLP's first product (64×784 · 784×64), µs", half, None, "—"))
    width = max(len(r[0]) for r in rows)
    print(f"  {'':<{width}}    wall     cpu")
    for label, wall, cpu, target in rows:
        shown = "      —" if cpu is None else f"{cpu:7.2f}"
        print(f"  {label:<{width}}  {wall:6.2f} {shown}   target {target}")


if __name__ == "__main__":
    main()
