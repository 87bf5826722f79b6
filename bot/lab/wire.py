"""The digits lab's jobs as JSON, for the task queue (`QUEUE_URL`): nothing on the way is pickled.

    {"kind": "lab", "settings": {…}, "lang": "ru"}            → the same, already plain data
    {"kind": "personal", "images": uint8 (n, 28, 28), …}     → the images as base64 bytes

`bot.training.wire` hands a payload with a lab "kind" here, both ways: a `nnbot worker` runs
`run_wire_job`, which rebuilds the payload, runs `run_lab_job` or `run_personal_job` as the
local pool would, and sends back the outcome as JSON (the network as nncore `.npz` bytes and
the pictures as PNG, both in base64, plus "kind" so the bot knows which outcome it is);
`outcome_from_wire` turns it back into the `LabOutcome` or `PersonalOutcome` the lab's
handlers finish with.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from dataclasses import asdict
from typing import Any

import numpy as np

from bot.lab.job import LabOutcome, run_lab_job
from bot.lab.personal import PersonalOutcome, run_personal_job

KINDS = ("lab", "personal")
OUTCOMES = {"lab": LabOutcome, "personal": PersonalOutcome}
RUNS = {"lab": run_lab_job, "personal": run_personal_job}


def _text(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def payload_to_wire(payload: Mapping[str, Any]) -> dict[str, Any]:
    """A lab payload as JSON-able data: the personal examples' pixels become base64."""
    if payload["kind"] == "lab":
        return {"kind": "lab", "settings": dict(payload["settings"]), "lang": payload.get("lang")}
    images = np.ascontiguousarray(payload["images"], dtype=np.uint8).reshape(-1, 28, 28)
    return {
        "kind": "personal",
        "images": _text(images.tobytes()),
        "labels": [int(label) for label in payload["labels"]],
        "seed": int(payload.get("seed", 1)),
        "epochs": payload.get("epochs"),
        "lang": payload.get("lang"),
    }


def payload_from_wire(data: Mapping[str, Any]) -> dict[str, Any]:
    """In the worker: the payload the job functions take, from its JSON form."""
    payload = dict(data)
    if payload["kind"] == "personal":
        pixels = np.frombuffer(base64.b64decode(payload["images"]), dtype=np.uint8)
        payload["images"] = pixels.reshape(-1, 28, 28)
        payload["labels"] = np.asarray(payload["labels"], dtype=np.int64)
    return payload


def run_wire_job(
    payload: Mapping[str, Any],
    report: Callable[[dict[str, Any]], None],
    should_stop: Callable[[], bool],
) -> dict[str, Any]:
    """A lab job with JSON in and JSON out (its progress goes to `report` as it is)."""
    kind = payload["kind"]
    outcome = asdict(RUNS[kind](payload_from_wire(payload), report, should_stop))
    outcome["model_bytes"] = _text(outcome["model_bytes"])
    if "pictures" in outcome:
        outcome["pictures"] = {name: _text(png) for name, png in outcome["pictures"].items()}
    return {**outcome, "kind": kind}


def outcome_from_wire(data: Mapping[str, Any]) -> LabOutcome | PersonalOutcome:
    """Back in the bot: the outcome a worker sent for a lab job."""
    kind = OUTCOMES[data["kind"]]
    known = {k: v for k, v in data.items() if k in kind.__dataclass_fields__}
    known["model_bytes"] = base64.b64decode(known["model_bytes"])
    if "pictures" in known:
        known["pictures"] = {name: base64.b64decode(png) for name, png in known["pictures"].items()}
    return kind(**known)
