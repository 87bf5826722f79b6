"""Figures for the digits lab (issue 14), measured on one core.

    .venv/bin/python -m benchmarks.bench_lab [--presets softmax,mlp,cnn,reader,overfit]
        [--skip-personal] [--pictures DIR]

Prints, for every preset with its default settings on the shipped MNIST subset (10 000 training
and 2 000 test digits, bot/assets/mnist_subset.npz): test accuracy, training time and the peak
memory of the process (a stand-in for a worker), with the wall-clock time of the training and the
CPU time of the whole process (data loading, training, testing and the pictures: on a shared
machine the CPU time is the figure for "one core"); for `overfit`, the training and validation
loss per epoch and the epoch where validation turns up; and personal fine-tuning: digits drawn by
bot/digits/styles.py and written with the page turned (rotated 50° counter-clockwise — a style
the shipped reader gets wrong), the reader's accuracy on held-out digits of that style before
and after `bot.lab.personal.fine_tune` on a few of the learner's examples, and on MNIST test
digits before and after (all 10 000 when ../shared/datasets has them, else the subset's 2 000).
Each preset runs in a fresh process, so the memory figure is that preset's own.
"""

from __future__ import annotations

import os

# one core, set before NumPy is imported
os.environ["OMP_NUM_THREADS"] = "1"
os.environ["OPENBLAS_NUM_THREADS"] = "1"

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

TARGETS = {"softmax": 0.90, "mlp": 0.95, "cnn": 0.97, "reader": 0.985, "overfit": None}
ROTATION = 50  # degrees, counter-clockwise: the learner's style
EXAMPLES_PER_DIGIT = 4  # the learner's own examples the personal reader trains on
HELD_PER_DIGIT = 30  # held-out examples of that style per digit


def run_preset(name: str, pictures: Path | None) -> dict:
    """Train one preset here (called in a child process) and return its figures."""
    from bot.lab.job import run_lab_job
    from bot.lab.settings import PRESETS

    settings = PRESETS[name]
    outcome = run_lab_job({"settings": settings.to_dict(), "lang": "en"}, lambda _: None,
                          lambda: False)  # fmt: skip
    if pictures is not None:
        pictures.mkdir(parents=True, exist_ok=True)
        for picture, data in outcome.pictures.items():
            (pictures / f"lab_{name}_{picture}.png").write_bytes(data)
    return {
        "preset": name,
        "layers": settings.layer_text,
        "images": settings.images,
        "epochs": len(outcome.history["loss"]),
        "parameters": outcome.parameters,
        "accuracy": outcome.test_accuracy,
        "seconds": outcome.seconds,
        "cpu_seconds": time.process_time(),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "loss": outcome.history["loss"],
        "val_loss": outcome.history["val_loss"],
        "turn": outcome.turn_epoch,
    }


def turned_page(images: np.ndarray) -> np.ndarray:
    """Digits written with the page turned: each rotated ROTATION° and framed like MNIST again."""
    from PIL import Image

    from bot.digits.mnist_frame import crop_to_ink, to_mnist

    out = []
    for image in images:
        big = Image.fromarray((image * 255).astype(np.uint8)).resize((112, 112), Image.BILINEAR)
        big = big.crop((-40, -40, 152, 152)).rotate(ROTATION, resample=Image.BILINEAR)
        out.append(to_mnist(crop_to_ink(np.asarray(big, dtype=np.float32) / 255, 0.5)))
    return np.stack(out)


def mnist_test() -> tuple[np.ndarray, np.ndarray, str]:
    from bot.lab.data import DEFAULT_FULL, lab_digits
    from nncore import datasets

    if DEFAULT_FULL.exists():
        full = datasets.load_mnist(DEFAULT_FULL)
        return full["x_test"], full["y_test"].astype(np.int64), "MNIST test (10 000)"
    data = lab_digits()
    return data.x_test, data.y_test, "the subset's test digits (2 000)"


def personal_figures() -> dict:
    """Before/after of fine-tuning the reader on a few digits of a style it reads badly."""
    import nncore as nn
    from bot.digits import styles
    from bot.digits.reader import WEIGHTS
    from bot.lab import personal
    from bot.lab.job import Watch, score

    rng = np.random.default_rng(7)
    own = np.repeat(np.arange(10), EXAMPLES_PER_DIGIT)
    held = np.repeat(np.arange(10), HELD_PER_DIGIT)
    x_own = personal.as_uint8(turned_page(styles.draw_many(own, rng)))
    x_held = personal.as_uint8(turned_page(styles.draw_many(held, rng)))
    x_mnist, y_mnist, mnist_name = mnist_test()
    model = nn.load(WEIGHTS)
    before = score(model, x_held, held)[1], score(model, x_mnist, y_mnist)[1]
    watch = Watch(lambda _: None, lambda: False, None)
    personal.fine_tune(model, x_own, own, watch, seed=1)
    model.eval()
    after = score(model, x_held, held)[1], score(model, x_mnist, y_mnist)[1]
    return {
        "trained_on": len(own),
        "held_out": len(held),
        "style_before": before[0],
        "style_after": after[0],
        "mnist": mnist_name,
        "mnist_before": before[1],
        "mnist_after": after[1],
        "seconds": time.monotonic() - watch.started,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_lab")
    parser.add_argument("--presets", default=",".join(TARGETS))
    parser.add_argument("--skip-personal", action="store_true")
    parser.add_argument("--pictures", type=Path, default=None)
    parser.add_argument("--one", help=argparse.SUPPRESS)  # child process: one preset, as JSON
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_preset(args.one, args.pictures)))
        return 0
    print("preset   layers                                   images epochs  params  "
          "test acc  target      wall s  CPU s  peak MB")  # fmt: skip
    results = []
    for name in args.presets.split(","):
        command = [sys.executable, "-m", "benchmarks.bench_lab", "--one", name]
        if args.pictures:
            command += ["--pictures", str(args.pictures)]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        row = json.loads(done.stdout.strip().splitlines()[-1])
        results.append(row)
        target = TARGETS[name]
        met = target is not None and row["accuracy"] >= target
        verdict = "—" if target is None else f"{target:.1%} {'ok' if met else 'MISSED'}"
        print(f"{name:<8} {row['layers']:<40} {row['images']:>6} {row['epochs']:>6} "
              f"{row['parameters']:>7}  {row['accuracy']:>7.2%}  {verdict:<10} "
              f"{row['seconds']:>6.1f} {row['cpu_seconds']:>6.1f}  {row['peak_mb']:>6.0f}",
              flush=True)  # fmt: skip
    for row in results:
        if row["preset"] == "overfit":
            print("\noverfit: epoch, training loss, validation loss")
            for epoch, (loss, val) in enumerate(zip(row["loss"], row["val_loss"], strict=True), 1):
                if epoch <= 10 or epoch % 5 == 0:
                    print(f"  {epoch:>3}  {loss:.4f}  {val:.4f}")
            print(f"  validation loss lowest after epoch {row['turn']} "
                  f"({min(row['val_loss']):.4f}), last {row['val_loss'][-1]:.4f}")  # fmt: skip
    if not args.skip_personal:
        p = personal_figures()
        print(f"\npersonal reader: {p['trained_on']} of the learner's digits (drawn, page turned "
              f"{ROTATION}°), {p['seconds']:.0f} s of fine-tuning")  # fmt: skip
        print(
            f"  held-out digits of that style ({p['held_out']}): "
            f"{p['style_before']:.1%} before → {p['style_after']:.1%} after"
        )
        print(
            f"  {p['mnist']}: {p['mnist_before']:.2%} before → {p['mnist_after']:.2%} after "
            f"({(p['mnist_after'] - p['mnist_before']) * 100:+.2f} points)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
