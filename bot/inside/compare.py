"""/compare: train a few variants of the chat's settings side by side, as one job.

`/compare lr=0.01,0.1,1` changes one setting and keeps every other one (the seed too), so the
curves differ only by what the learner asked about. Each value goes through the /settings parser,
so a bad value gets the very message /settings gives. The job (`run_compare_job`) runs in the
job pool's worker and takes and returns plain JSON-able data, so the Redis queue can carry it.
It never touches the chat's network or settings. No Telegram here.
"""

from __future__ import annotations

import math
import random
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from bot.config import Limits
from bot.tables.table import Table
from bot.training.encoding import compute_encoding
from bot.training.run import TrainingWatch, bounded_history, evaluate, fit_table
from bot.training.settings import (
    KEY_ALIASES,
    SEED_RANGE,
    TrainSettings,
    check_settings,
    parse_settings,
)

KIND = "compare"  # the payload's "kind": bot.training.job sends it here
COMPARED = ("lr", "optimizer", "init", "activation", "hidden")
MIN_VARIANTS, MAX_VARIANTS = 2, 5


class CompareError(ValueError):
    """A /compare line that cannot be run; `key` is the i18n message that says what to type."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class Variant:
    label: str  # what the learner typed for it, as a /settings line: "lr=0.1"
    settings: TrainSettings


def parse_compare(
    text: str, base: TrainSettings, table: Table, limits: Limits
) -> tuple[str, list[Variant]]:
    """The compared setting's name and its variants, each `base` with one value changed.

    Raises CompareError (no or an unknown setting, too few or too many values) or the
    SettingsError the /settings parser raises for a bad value or one over the host's limits.
    """
    cleaned = re.sub(r"\s*([=:,])\s*", r"\1", text.strip())
    if not cleaned:
        raise CompareError("inside.compare.usage")
    head, _, values = re.split(r"\s+", cleaned, maxsplit=1)[0].partition("=")
    key = KEY_ALIASES.get(head.lower().replace("-", "_"))
    if key not in COMPARED or not values or len(cleaned.split()) > 1:
        raise CompareError("inside.compare.usage")
    raw_values = [value for value in values.split(",") if value]
    unique = list(dict.fromkeys(raw_values))
    if not MIN_VARIANTS <= len(unique) <= MAX_VARIANTS:
        raise CompareError(
            "inside.compare.count", count=len(unique), low=MIN_VARIANTS, high=MAX_VARIANTS
        )
    if base.seed is None:  # "seed=random": one draw, the same for every variant
        base = replace(base, seed=random.randint(*SEED_RANGE))
    variants = []
    for raw in unique:
        settings = parse_settings(f"{key}={raw}", base, limits)
        check_settings(table, settings, limits)
        variants.append(Variant(f"{key}={raw}", settings))
    return key, variants


def compare_payload(table: Table, variants: list[Variant], lang: str) -> dict[str, Any]:
    """The job's payload: plain JSON (the table and each variant's settings as dicts)."""
    return {
        "kind": KIND,
        "table": table.to_dict(),
        "variants": [{"label": v.label, "settings": v.settings.to_dict()} for v in variants],
        "lang": lang,
    }


def run_compare_job(
    payload: Mapping[str, Any],
    report: Callable[[dict[str, Any]], None],
    should_stop: Callable[[], bool],
) -> dict[str, Any]:
    """In the worker: every variant in turn, each with an equal share of the time left.

    Returns {"kind", "variants": [{"label", "settings", "loss", "epoch", "epochs_run",
    "final_loss", "accuracy", "diverged_at", "reason"}], "stopped"} — JSON only.
    A stop (the learner's, or the job's time) ends the comparison; variants not started are
    left out.
    """
    table = Table.from_dict(payload["table"])
    variants = payload["variants"]
    deadline = payload.get("deadline")
    results: list[dict[str, Any]] = []
    for index, variant in enumerate(variants):
        if should_stop() or (deadline is not None and time.monotonic() >= deadline):
            break
        share = None
        if deadline is not None:
            share = time.monotonic() + (deadline - time.monotonic()) / (len(variants) - index)

        def forward(data: dict[str, Any], index: int = index, label: str = variant["label"]):
            fraction = (index + float(data.get("fraction") or 0.0)) / len(variants)
            report({**data, "fraction": fraction, "variant": index + 1, "label": label})

        settings = TrainSettings.from_dict(variant["settings"])
        results.append(_run_variant(table, settings, variant["label"], forward, should_stop, share))
        if results[-1]["reason"] == "stopped":
            break
    stopped = len(results) < len(variants) or any(r["reason"] == "stopped" for r in results)
    return {"kind": KIND, "variants": results, "stopped": stopped}


def _run_variant(
    table: Table,
    settings: TrainSettings,
    label: str,
    report: Callable[[dict[str, Any]], None],
    should_stop: Callable[[], bool],
    deadline: float | None,
) -> dict[str, Any]:
    """One variant: the training of /train (the same network, seed and divergence guard)."""
    watch = TrainingWatch(report, should_stop, deadline)
    encoding = compute_encoding(table, settings)
    fitted = fit_table(table, settings, encoding, (watch,))
    model, history, guard = fitted.model, fitted.history, fitted.guard
    final = evaluate(model, table, encoding, settings)
    curve = bounded_history(history)
    reason = "timeout" if watch.timeout else "stopped" if history.stopped else "done"
    return {
        "label": label,
        "settings": settings.to_dict(),
        "loss": [value if math.isfinite(value) else None for value in curve["loss"]],
        "epoch": curve.get("epoch"),
        "epochs_run": history.epochs_run,
        "epochs": settings.epochs,
        "final_loss": final["loss"] if math.isfinite(final["loss"]) else None,
        "accuracy": final["accuracy"],
        "diverged_at": guard.diverged_at,
        "reason": "diverged" if guard.diverged else reason,
    }
