"""Figures for overfitting on the "Few noisy rows" example (issue 13, item 2).

    .venv/bin/python -m benchmarks.bench_overfitting [--seeds 1-10]

For each seed: the example trained with its own settings (the reference, in the same run), the
epoch of its lowest validation loss and its final validation loss; then each fix the diagnosis
offers, followed, with its final validation loss as a ratio to the reference's (below 1: the
fix helped). The last line counts, per fix, the seeds on which it helped.
"""

from __future__ import annotations

import argparse

from bot.config import Limits
from bot.tables.examples import EXAMPLES, suggested_settings
from bot.tables.parse import parse_table
from bot.training.quality import fix_data, fix_of
from bot.training.run import run_training
from bot.training.settings import TrainSettings, parse_settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="1-10", help="a range such as 1-10")
    low, high = (int(v) for v in parser.parse_args().seeds.split("-"))
    limits = Limits()
    table = parse_table(EXAMPLES["noisy"].text, limits)
    base = TrainSettings.from_dict(suggested_settings("noisy", table, limits))
    helped: dict[str, int] = {}
    for seed in range(low, high + 1):
        settings = parse_settings(f"seed={seed}", base, limits)
        reference = run_training(table, settings, lambda _: None, lambda: False)
        val = reference.evaluation["val_loss"]
        line = [f"seed {seed:2}: best epoch {reference.evaluation['best_epoch']:4}, val {val:.3f}"]
        fixes = next(f["fixes"] for f in reference.diagnosis if f["symptom"] == "overfitting")
        for change in fixes:
            fixed = fix_of(fix_data(change), settings, limits)[1]
            after = run_training(table, fixed, lambda _: None, lambda: False).evaluation
            ratio = after["val_loss"] / val
            helped[change] = helped.get(change, 0) + (ratio < 1)
            line.append(f"{change} → {after['val_loss']:.3f} (×{ratio:.2f})")
        print("  ".join(line))
    seeds = high - low + 1
    print("helped on:", ", ".join(f"{change} {n}/{seeds}" for change, n in helped.items()))


if __name__ == "__main__":
    main()
