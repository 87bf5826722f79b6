"""Lesson steps as JSON for the task queue: every step's payload and result cross strict JSON
and come back as the local job pool has them, so the step's text and pictures are the same."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

import nncore as nn
from bot.config import Limits
from bot.lesson import steps, wire, work
from bot.lesson.texts import step_text
from bot.tables.table import Table
from bot.training import wire as training_wire
from bot.training.settings import TrainSettings

WORKED = sorted(work.WORK)  # steps 1–9; step 10 only invites to the lab, it sends no job
JSON_TYPES = (dict, list, str, int, float, bool, type(None))


def through_json(data):
    """What Redis carries: JSON text, strict (no NaN), read back."""
    return json.loads(json.dumps(data, allow_nan=False))


def json_only(value) -> bool:
    """True when `value` is made of JSON's own types only (no numpy scalar, tuple or bytes)."""
    if type(value) not in JSON_TYPES:
        return False
    if isinstance(value, dict):
        return all(isinstance(k, str) and json_only(v) for k, v in value.items())
    return all(json_only(v) for v in value) if isinstance(value, list) else True


def digit() -> np.ndarray:
    image = np.zeros((28, 28), dtype=np.uint8)
    image[4:24, 12:16] = 255  # a "1"
    return image


def quick_payload(number: int, epochs: int = 30) -> dict:
    """Step N's real payload, with few epochs (the steps' own epochs are tested elsewhere)."""
    payload = steps.payload(steps.STEPS[number], "ru", Limits(), digit() if number == 9 else None)
    if "settings" in payload:
        payload["settings"] = dataclasses.replace(payload["settings"], epochs=epochs)
    return payload


def test_step_ten_sends_no_job_so_every_other_step_is_covered():
    assert list(range(1, 10)) == WORKED and steps.STEPS[10].kind == "lab"


@pytest.mark.parametrize("number", WORKED)
def test_a_steps_payload_crosses_as_json_and_comes_back_whole(number):
    payload = {**quick_payload(number), "deadline": 123.0}  # the bot's clock: not sent
    sent = through_json(training_wire.payload_to_wire(payload))
    assert json_only(sent) and sent["kind"] == "lesson" and sent["step"] == number
    assert "deadline" not in sent
    back = wire.payload_from_wire(sent)
    if number == 9:
        assert "table" not in sent and "settings" not in sent
        assert back["image"].dtype == np.uint8 and np.array_equal(back["image"], digit())
    else:
        assert isinstance(back["table"], Table) and isinstance(back["settings"], TrainSettings)
        assert back["table"] == payload["table"] and back["settings"] == payload["settings"]
        assert back["settings"].epochs == 30
    assert back["lang"] == "ru"


@pytest.mark.parametrize("number", WORKED)
def test_a_steps_result_comes_back_as_the_local_pool_has_it(number):
    payload = quick_payload(number)
    local = work.run_lesson_job(payload, lambda report: None, lambda: False)
    sent = through_json(wire.outcome_to_wire(local))
    assert json_only(sent) and sent["kind"] == "lesson"
    back = training_wire.outcome_from_wire(sent)
    assert back == local
    assert back["pictures"] and all(png.startswith(b"\x89PNG") for png in back["pictures"])
    for lang in ("en", "ru"):
        assert step_text(number, back["facts"], lang) == step_text(number, local["facts"], lang)
    if steps.STEPS[number].loads:
        model = nn.from_bytes(back["load"]["model"])
        assert model.param_count() == nn.from_bytes(local["load"]["model"]).param_count()
        assert Table.from_dict(back["load"]["table"]) == payload["table"]
    else:
        assert back["load"] is None


def test_a_worker_runs_a_step_from_json_with_its_own_deadline():
    sent = through_json(training_wire.payload_to_wire(quick_payload(2, epochs=100_000)))
    reports = []
    outcome = training_wire.run_wire_job(
        {**sent, "deadline": 0.0}, reports.append, lambda: False
    )  # a deadline long past: the training stops at its first look and keeps what it has
    back = training_wire.outcome_from_wire(through_json(outcome))
    assert back["step"] == 2 and back["pictures"]
    assert len(back["load"]["history"]["loss"]) < 100_000
    assert all(json.dumps(report) for report in reports)


def test_numpy_numbers_and_tuples_become_plain_json():
    data = {"a": np.float32(0.5), 3: (np.int64(2), np.array([1.5, 2.5])), "b": [np.bool_(True)]}
    assert wire.plain(data) == {"a": 0.5, "3": [2, [1.5, 2.5]], "b": [True]}
    assert json_only(wire.plain(data))
