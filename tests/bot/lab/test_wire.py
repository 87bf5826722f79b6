"""Lab jobs as JSON for the task queue: what the bot sends, what a worker runs and sends back."""

from __future__ import annotations

import dataclasses
import json

import numpy as np

import nncore as nn
from bot.digits import styles
from bot.lab import personal
from bot.lab.job import LabOutcome
from bot.lab.personal import PersonalOutcome
from bot.lab.settings import PRESETS
from bot.training import wire


def through_json(data):
    """What Redis carries: JSON text, strict (no NaN), read back."""
    return json.loads(json.dumps(data, allow_nan=False))


def test_a_lab_training_goes_out_and_comes_back_as_plain_json():
    settings = dataclasses.replace(PRESETS["cnn"], images=300, epochs=1)
    payload = {"kind": "lab", "settings": settings.to_dict(), "lang": "ru"}
    sent = through_json(wire.payload_to_wire(payload))
    assert sent == {"kind": "lab", "settings": settings.to_dict(), "lang": "ru"}
    reports = []
    back = wire.outcome_from_wire(
        through_json(wire.run_wire_job(sent, reports.append, lambda: False))
    )
    assert isinstance(back, LabOutcome) and back.reason == "done"
    assert set(back.pictures) == {"curves", "confusion", "gallery", "filters"}
    assert all(png.startswith(b"\x89PNG") for png in back.pictures.values())
    assert nn.from_bytes(back.model_bytes).param_count() == back.parameters
    assert np.asarray(back.confusion).sum() == back.test_count == 2_000
    assert reports and all(json.dumps(r) for r in reports)


def test_a_personal_job_carries_its_examples_as_base64_pixels(monkeypatch):
    monkeypatch.setattr(personal, "REPEATS", 1)
    monkeypatch.setattr(personal, "MNIST_MIX", 64)
    labels = np.repeat(np.arange(10), 2)
    images = personal.as_uint8(styles.draw_many(labels, np.random.default_rng(4)))
    payload = {"kind": "personal", "images": images, "labels": labels, "seed": 1, "epochs": 1}
    sent = through_json(wire.payload_to_wire(payload))
    assert isinstance(sent["images"], str) and sent["labels"] == labels.tolist()
    assert sent["epochs"] == 1
    rebuilt = wire.lab_wire.payload_from_wire(sent)
    assert np.array_equal(rebuilt["images"], images) and rebuilt["images"].dtype == np.uint8
    returned = wire.run_wire_job(sent, lambda _: None, lambda: False)
    back = wire.outcome_from_wire(through_json(returned))
    assert isinstance(back, PersonalOutcome) and back.reason == "done"
    assert (back.held_out, back.trained_on) == (10, 10)
    assert nn.from_bytes(back.model_bytes).param_count() == 421_642


def test_a_table_outcome_still_reads_as_a_table_outcome():
    from bot.training.run import TrainOutcome

    fields = {name: None for name in TrainOutcome.__dataclass_fields__}
    assert isinstance(wire.outcome_from_wire(fields), TrainOutcome)
    assert wire.outcome_from_wire(None) is None
