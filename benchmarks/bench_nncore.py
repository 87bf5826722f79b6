"""nncore against PyTorch CPU: the same networks, data, batch size, dtype and thread count.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_nncore.py

(a) MLP 784-128-10 with ReLU, one epoch of 60 000 samples;
(b) CNN conv(1→8, 3×3) → ReLU → maxpool 2 → conv(8→16, 3×3) → ReLU → maxpool 2 → Dense(→10),
    one epoch of 10 000 samples of 1×28×28.

Both: float32, batch 64, shuffled each epoch, softmax cross-entropy, plain SGD (lr 0.05), the same
random data, `--threads` threads (default 2). Each epoch is timed `--repeats` times, nncore and
PyTorch alternating, and the medians are compared: ratio = nncore time / PyTorch time, by the
wall clock and by the CPU clock (CPU time of this process, all threads: on a shared machine it
leaves out the time other programs had the cores, so it is steadier).
For the MLP the script also prints nncore's achieved GFLOP/s against the peak of a large
float32 NumPy matmul measured in the same run. PyTorch comes from the `bench` extra
(`pip install -e '.[bench]'`); without it only the nncore figures are printed.

The thread count must be fixed before NumPy loads its BLAS, so it is read from the command line
before the imports below.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--repeats", type=int, default=3)
parser.add_argument("--only", choices=["mlp", "cnn"], default=None)
ARGS = parser.parse_args()
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = str(ARGS.threads)

import numpy as np  # noqa: E402

import nncore as nn  # noqa: E402

try:
    import torch
except ImportError:  # the bench extra is not installed
    torch = None

BATCH, LR = 64, 0.05


class Clock:
    """Wall time and CPU time (all threads of this process) of a block."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def epoch_nncore(model: nn.Sequential, X: np.ndarray, y: np.ndarray) -> Clock:
    optimizer = nn.SGD(LR)
    with Clock() as clock:
        model.fit(X, y, nn.SoftmaxCrossEntropy(), optimizer, epochs=1, batch_size=BATCH, seed=0)
    return clock


def epoch_torch(model, X, y) -> Clock:
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    loss_fn = torch.nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(0)
    with Clock() as clock:
        _torch_epoch(model, X, y, optimizer, loss_fn, generator)
    return clock


def _torch_epoch(model, X, y, optimizer, loss_fn, generator) -> None:
    order = torch.randperm(len(X), generator=generator)
    for begin in range(0, len(X), BATCH):
        rows = order[begin : begin + BATCH]
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(X[rows]), y[rows])
        loss.backward()
        optimizer.step()


def nncore_mlp() -> nn.Sequential:
    return nn.Sequential(
        [nn.Dense(784, 128, init="he", rng=0), nn.ReLU(), nn.Dense(128, 10, rng=1)]
    )


def nncore_cnn() -> nn.Sequential:
    return nn.Sequential(
        [
            nn.Conv2D(1, 8, 3, rng=0),
            nn.ReLU(),
            nn.MaxPool2D(2),
            nn.Conv2D(8, 16, 3, rng=1),
            nn.ReLU(),
            nn.MaxPool2D(2),
            nn.Flatten(),
            nn.Dense(16 * 5 * 5, 10, rng=2),
        ]
    )


def torch_mlp():
    return torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))


def torch_cnn():
    return torch.nn.Sequential(
        torch.nn.Conv2d(1, 8, 3),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(8, 16, 3),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Linear(16 * 5 * 5, 10),
    )


def matmul_peak() -> dict[str, float]:
    """GFLOP/s of a 1024×1024 float32 NumPy matmul: the best of 20, by wall and CPU clock."""
    a = np.random.default_rng(0).random((1024, 1024), dtype=np.float32)
    b = a.T.copy()
    a @ b
    clocks = []
    for _ in range(20):
        with Clock() as clock:
            a @ b
        clocks.append(clock)
    flops = 2 * 1024**3
    return {kind: flops / min(getattr(c, kind) for c in clocks) / 1e9 for kind in ("wall", "cpu")}


def mlp_matmuls_only() -> dict[str, float]:
    """GFLOP/s of just the MLP's five matrix products at batch 64 (its arithmetic, no overhead)."""
    rng = np.random.default_rng(1)
    x = rng.random((BATCH, 784), dtype=np.float32)
    w1, w2 = rng.random((784, 128), dtype=np.float32), rng.random((128, 10), dtype=np.float32)
    h, g1 = rng.random((BATCH, 128), dtype=np.float32), rng.random((BATCH, 128), dtype=np.float32)
    g2 = rng.random((BATCH, 10), dtype=np.float32)
    steps = 60_000 // BATCH
    with Clock() as clock:
        for _ in range(steps):
            x @ w1, h @ w2, h.T @ g2, g2 @ w2.T, x.T @ g1
    flops = steps * BATCH * (2 * 2 * 784 * 128 + 3 * 2 * 128 * 10)
    return {kind: flops / getattr(clock, kind) / 1e9 for kind in ("wall", "cpu")}


def compare(name: str, build_nncore, build_torch, X: np.ndarray, y: np.ndarray) -> dict:
    """Time one epoch in each framework `repeats` times (alternating); print medians and ratios."""
    warm = slice(0, 20 * BATCH)
    ours = build_nncore()
    epoch_nncore(ours, X[warm], y[warm])
    if torch is not None:
        theirs = build_torch()
        X_t, y_t = torch.from_numpy(X), torch.from_numpy(y.astype(np.int64))
        epoch_torch(theirs, X_t[warm], y_t[warm])
    runs: dict[str, list[Clock]] = {"nncore": [], "PyTorch": []}
    for _ in range(ARGS.repeats):
        runs["nncore"].append(epoch_nncore(ours, X, y))
        if torch is not None:
            runs["PyTorch"].append(epoch_torch(theirs, X_t, y_t))
    medians = {}
    for framework, clocks in runs.items():
        if not clocks:
            print(f"{name}: PyTorch not installed (pip install -e '.[bench]')")
            continue
        walls = [c.wall for c in clocks]
        medians[framework] = {
            "wall": statistics.median(walls),
            "cpu": statistics.median(c.cpu for c in clocks),
        }
        print(
            f"{name}: {framework:7s} wall {medians[framework]['wall']:.3f} s, "
            f"cpu {medians[framework]['cpu']:.3f} s  (wall runs: "
            + ", ".join(f"{t:.3f}" for t in walls)
            + ")"
        )
    if "PyTorch" in medians:
        wall = medians["nncore"]["wall"] / medians["PyTorch"]["wall"]
        cpu = medians["nncore"]["cpu"] / medians["PyTorch"]["cpu"]
        print(f"{name}: ratio nncore / PyTorch = {wall:.2f} (wall), {cpu:.2f} (cpu)")
    return medians["nncore"]


def main() -> None:
    rng = np.random.default_rng(0)
    print(
        f"numpy {np.__version__}, torch {getattr(torch, '__version__', 'absent')}, "
        f"threads {ARGS.threads}, batch {BATCH}, float32, repeats {ARGS.repeats}, "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    if torch is not None:
        torch.set_num_threads(ARGS.threads)
        torch.manual_seed(0)
    if ARGS.only in (None, "mlp"):
        X = rng.random((60_000, 784), dtype=np.float32)
        y = rng.integers(0, 10, size=60_000)
        peak = matmul_peak()
        ours = compare("MLP 784-128-10, 60 000 samples", nncore_mlp, torch_mlp, X, y)
        flops = 60_000 * (2 * 2 * 784 * 128 + 3 * 2 * 128 * 10)  # forward + weight grads + dX₂
        bare = mlp_matmuls_only()
        for kind in ("wall", "cpu"):
            achieved = flops / ours[kind] / 1e9
            print(
                f"MLP ({kind} clock): nncore {achieved:.1f} GFLOP/s = "
                f"{100 * achieved / peak[kind]:.0f}% of the NumPy float32 1024² matmul peak "
                f"({peak[kind]:.1f} GFLOP/s); the same five products alone at batch 64 reach "
                f"{bare[kind]:.1f} GFLOP/s ({100 * bare[kind] / peak[kind]:.0f}% of peak)"
            )
    if ARGS.only in (None, "cnn"):
        X = rng.random((10_000, 1, 28, 28), dtype=np.float32)
        y = rng.integers(0, 10, size=10_000)
        compare("CNN 2×(conv3×3+ReLU+pool2)+Dense, 10 000 samples", nncore_cnn, torch_cnn, X, y)


if __name__ == "__main__":
    main()
