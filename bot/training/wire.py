"""The training job as JSON, for the task queue (`QUEUE_URL`): nothing on the way is pickled.

The bot sends `payload_to_wire(payload)`; a `nnbot worker` runs `run_wire_job`, which rebuilds
the table and the settings from plain dicts, trains with `bot.training.job.run_job` and sends
back the outcome as JSON, bytes in base64 (the network as nncore `.npz` bytes, which the bot
loads with `allow_pickle=False`, and the loss curve as PNG); `outcome_from_wire` turns that
back into a `TrainOutcome` for the same `finish_training` the local pool feeds.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from dataclasses import asdict
from typing import Any

from bot.lab import wire as lab_wire
from bot.lesson import wire as lesson_wire
from bot.tables.table import Table
from bot.training.job import run_job
from bot.training.run import TrainOutcome
from bot.training.settings import TrainSettings

TARGET = "bot.training.wire:run_wire_job"  # what the bot asks a worker to run
_BYTES = ("model_bytes", "plot_png")
JSON_KINDS = ("compare",)  # jobs whose payload and outcome are plain JSON already (/compare)
FEATURE_WIRES = (lab_wire, lesson_wire)  # features that write their own kinds' JSON


def _feature_wire(kind: object):
    """The feature module (same three functions as this one) that owns job `kind`, if any."""
    return next((wire for wire in FEATURE_WIRES if kind in wire.KINDS), None)


def payload_to_wire(payload: Mapping[str, Any]) -> dict[str, Any]:
    """{"table": Table, "settings": TrainSettings, "lang"?} as plain JSON-able data (a digits
    lab payload, with its "kind", is the lab's to write; a lesson step's, the lesson's)."""
    wire = _feature_wire(payload.get("kind"))
    if wire is not None:
        return wire.payload_to_wire(payload)
    if payload.get("kind") in JSON_KINDS:
        return dict(payload)
    return {
        "table": payload["table"].to_dict(),
        "settings": payload["settings"].to_dict(),
        "lang": payload.get("lang"),
    }


def run_wire_job(
    payload: Mapping[str, Any],
    report: Callable[[dict[str, Any]], None],
    should_stop: Callable[[], bool],
) -> dict[str, Any]:
    """In the worker: the training of `run_job`, with JSON in and JSON out."""
    wire = _feature_wire(payload.get("kind"))
    if wire is not None:
        return wire.run_wire_job(payload, report, should_stop)
    if payload.get("kind") in JSON_KINDS:
        return run_job(payload, report, should_stop)
    job = {
        "table": Table.from_dict(payload["table"]),
        "settings": TrainSettings.from_dict(payload["settings"]),
        "lang": payload.get("lang"),
        "deadline": payload.get("deadline"),
    }
    outcome = asdict(run_job(job, report, should_stop))
    for name in _BYTES:
        if outcome[name] is not None:
            outcome[name] = base64.b64encode(outcome[name]).decode("ascii")
    return outcome


def outcome_from_wire(data: Mapping[str, Any] | None) -> Any:
    """Back in the bot: the `TrainOutcome` a worker sent (None stays None; a lab job's outcome,
    marked by its "kind", is the lab's to read; a JSON kind's outcome stays the dict it is)."""
    if data is None:
        return None
    wire = _feature_wire(data.get("kind"))
    if wire is not None:
        return wire.outcome_from_wire(data)
    if data.get("kind") in JSON_KINDS:
        return dict(data)
    known = {k: v for k, v in data.items() if k in TrainOutcome.__dataclass_fields__}
    for name in _BYTES:
        if known.get(name) is not None:
            known[name] = base64.b64decode(known[name])
    return TrainOutcome(**known)
