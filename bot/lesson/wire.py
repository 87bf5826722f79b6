"""The lesson's jobs as JSON, for the task queue (`QUEUE_URL`): nothing on the way is pickled.

    {"kind": "lesson", "step", "lang", "table": Table, "settings": TrainSettings, "image"}
      → the table and the settings as their `to_dict()`, the step 9 digit as `.npy` bytes
        (written and read with `allow_pickle=False`) in base64

`bot.training.wire` hands a payload of kind "lesson" here, both ways: a `nnbot worker` runs
`run_wire_job`, which rebuilds the payload (with the deadline the worker set by its own clock:
the bot's monotonic clock means nothing on another machine), runs the step as the local pool
would, and sends back the outcome as JSON: the facts as plain numbers, lists and strings, the
PNGs and the trained network's nncore `.npz` bytes in base64, plus "kind" so the bot knows
whose outcome it is. `outcome_from_wire` turns it back into the dict `finish_step` takes.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from bot.lesson.work import run_lesson_job
from bot.tables.table import Table
from bot.training.settings import TrainSettings

KINDS = ("lesson",)


def _text(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _bytes(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def plain(value: Any) -> Any:
    """`value` with numpy scalars and arrays made Python numbers and lists, tuples made lists
    and keys made strings: what `json.dumps` writes and `json.loads` gives back unchanged."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _image_to_wire(image: Any) -> str | None:
    if image is None:
        return None
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(image), allow_pickle=False)
    return _text(buffer.getvalue())


def _image_from_wire(text: str | None) -> np.ndarray | None:
    if text is None:
        return None
    return np.load(io.BytesIO(_bytes(text)), allow_pickle=False)


def payload_to_wire(payload: Mapping[str, Any]) -> dict[str, Any]:
    """A lesson payload as JSON-able data (the bot's deadline stays behind, see above)."""
    data: dict[str, Any] = {
        "kind": "lesson",
        "step": int(payload["step"]),
        "lang": payload.get("lang"),
        "image": _image_to_wire(payload.get("image")),
    }
    if payload.get("table") is not None:
        data["table"] = payload["table"].to_dict()
        data["settings"] = payload["settings"].to_dict()
    return data


def payload_from_wire(data: Mapping[str, Any]) -> dict[str, Any]:
    """In the worker: the payload `run_lesson_job` takes, from its JSON form."""
    payload = dict(data)
    payload["image"] = _image_from_wire(data.get("image"))
    if data.get("table") is not None:
        payload["table"] = Table.from_dict(data["table"])
        payload["settings"] = TrainSettings.from_dict(data["settings"])
    return payload


def outcome_to_wire(outcome: Mapping[str, Any]) -> dict[str, Any]:
    """A step's result as JSON-able data: PNGs and the network in base64, the rest plain."""
    load = outcome.get("load")
    if load is not None:
        rest = plain({k: v for k, v in load.items() if k != "model"})
        load = {**rest, "model": _text(load["model"])}
    return {
        "kind": "lesson",
        "step": int(outcome["step"]),
        "facts": plain(outcome["facts"]),
        "pictures": [_text(png) for png in outcome["pictures"]],
        "load": load,
    }


def run_wire_job(
    payload: Mapping[str, Any],
    report: Callable[[dict[str, Any]], None],
    should_stop: Callable[[], bool],
) -> dict[str, Any]:
    """A lesson step with JSON in and JSON out (its progress goes to `report` as it is)."""
    return outcome_to_wire(run_lesson_job(payload_from_wire(payload), report, should_stop))


def outcome_from_wire(data: Mapping[str, Any]) -> dict[str, Any]:
    """Back in the bot: the step's result a worker sent, as `run_lesson_job` returned it."""
    load = data.get("load")
    if load is not None:
        load = {**load, "model": _bytes(load["model"])}
    return {
        "step": data["step"],
        "facts": data["facts"],
        "pictures": [_bytes(png) for png in data["pictures"]],
        "load": load,
    }
