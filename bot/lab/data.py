"""The digits the lab trains and tests on: a shipped MNIST subset, or the host's full set.

    data = lab_digits()             # loaded once per process (each training worker loads its own)
    data.x_train, data.y_train      # uint8 (n, 28, 28) and (n,), ink = 255
    data.x_test, data.y_test        # held out: never seen in training

Out of the box the lab reads `bot/assets/mnist_subset.npz`: 10 000 training and 2 000 test
digits of MNIST (LeCun, Cortes and Burges; CC BY-SA 3.0), drawn with a fixed seed and balanced
per digit, so a fresh clone runs every preset offline. A host with the full set points
`MNIST_PATH` at an `.npz` with `x_train`, `y_train`, `x_test`, `y_test` (the Keras layout that
`nncore.datasets` also reads).

`nnbot lab-data --data PATH/mnist.npz` rebuilds the shipped subset from the full set.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nncore import datasets

SUBSET = Path(__file__).resolve().parents[1] / "assets" / "mnist_subset.npz"
DEFAULT_FULL = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "mnist" / "mnist.npz"
TRAIN_PER_DIGIT = 1_000
TEST_PER_DIGIT = 200
SUBSET_SEED = 14


@dataclass(frozen=True)
class LabDigits:
    """Training and test digits as uint8, and where they came from (for the model card)."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str  # "subset" or the file name of the full set


_loaded: dict[str, LabDigits] = {}
_lock = threading.Lock()


def data_path() -> Path:
    """The host's full set (`MNIST_PATH`) when set, else the shipped subset."""
    configured = os.environ.get("MNIST_PATH", "").strip()
    return Path(configured) if configured else SUBSET


def lab_digits(path: Path | None = None) -> LabDigits:
    """The lab's digits, read once per process and shared afterwards."""
    path = path or data_path()
    with _lock:
        key = str(path)
        if key not in _loaded:
            arrays = datasets.load_mnist(path)
            if "x_train" not in arrays:
                raise datasets.DatasetError(f"{path.name}: no training digits (x_train)")
            _loaded[key] = LabDigits(
                x_train=arrays["x_train"],
                y_train=arrays["y_train"].astype(np.int64),
                x_test=arrays["x_test"],
                y_test=arrays["y_test"].astype(np.int64),
                source="subset" if path == SUBSET else path.name,
            )
        return _loaded[key]


@functools.cache
def _counts(path: Path) -> tuple[int, int]:
    """(training, test) digits in the file, reading the two label arrays only."""
    try:
        with np.load(path, allow_pickle=False) as npz:
            return len(npz["y_train"]), len(npz["y_test"])
    except (OSError, ValueError, KeyError) as error:
        raise datasets.DatasetError(
            f"{path.name} cannot be read ({type(error).__name__})"
        ) from error


def training_count() -> int:
    """How many training digits the lab has (without loading the images); DatasetError when
    the host's MNIST_PATH cannot be read."""
    return _counts(data_path())[0]


def test_count() -> int:
    return _counts(data_path())[1]


def balanced_pick(labels: np.ndarray, per_digit: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of `per_digit` random examples of each digit, in a shuffled order."""
    chosen = [
        rng.choice(np.flatnonzero(labels == digit), per_digit, replace=False) for digit in range(10)
    ]
    return rng.permutation(np.concatenate(chosen))


def build_subset(full: Path, out: Path) -> dict[str, int]:
    """Write the shipped subset of `full` to `out` (compressed); return how many of each."""
    arrays = datasets.load_mnist(full)
    rng = np.random.default_rng(SUBSET_SEED)
    train = balanced_pick(arrays["y_train"], TRAIN_PER_DIGIT, rng)
    test = balanced_pick(arrays["y_test"], TEST_PER_DIGIT, rng)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        x_train=arrays["x_train"][train].astype(np.uint8),
        y_train=arrays["y_train"][train].astype(np.uint8),
        x_test=arrays["x_test"][test].astype(np.uint8),
        y_test=arrays["y_test"][test].astype(np.uint8),
    )
    return {"train": len(train), "test": len(test)}


CARD = SUBSET.with_suffix(".json")
ATTRIBUTION = {
    "name": "MNIST subset for the nnbot digits lab",
    "authors": "Yann LeCun, Corinna Cortes, Christopher J. C. Burges (the MNIST database)",
    "licence": "CC BY-SA 3.0 (https://creativecommons.org/licenses/by-sa/3.0/), as MNIST is "
    "commonly distributed; this subset is shared under the same licence",
}


def write_card(full: Path, counts: dict[str, int], card: Path = CARD) -> None:
    """The subset's data card: what it is, where it came from, its licence."""
    record = {
        **ATTRIBUTION,
        "made_by": "nnbot lab-data (bot/lab/data.py)",
        "from": {"file": full.name, "sha256": hashlib.sha256(full.read_bytes()).hexdigest()},
        "train": f"{counts['train']} digits of the MNIST training set, "
        f"{TRAIN_PER_DIGIT} per digit, picked with seed {SUBSET_SEED}",
        "test": f"{counts['test']} digits of the MNIST test set, "
        f"{TEST_PER_DIGIT} per digit, picked with seed {SUBSET_SEED}",
        "arrays": "x_train, y_train, x_test, y_test (uint8; images 28×28, ink = 255)",
    }
    card.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="nnbot lab-data", description="Build the MNIST subset the digits lab ships with."
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_FULL, help="the full mnist.npz")
    parser.add_argument("--out", type=Path, default=SUBSET)
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"nnbot lab-data: {args.data} not found (pass --data PATH/mnist.npz)")
        return 2
    counts = build_subset(args.data, args.out)
    write_card(args.data, counts, args.out.with_suffix(".json"))
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()
    size = args.out.stat().st_size
    print(f"{args.out}: {counts['train']} training + {counts['test']} test digits")
    print(f"{size / 1e6:.2f} MB, sha256 {digest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
