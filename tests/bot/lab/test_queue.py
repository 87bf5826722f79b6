"""Lab trainings on the Redis task queue, run by a real `nnbot worker`: JSON only, progress,
Stop, and the pictures and networks back in the bot. Skipped, with the reason, where Redis
(or the `queue` extra) is not installed."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

import nncore as nn
from bot.digits import styles
from bot.lab import personal
from bot.lab.job import LabOutcome
from bot.lab.personal import PersonalOutcome
from bot.lab.settings import PRESETS
from tests.bot.infra.test_jobs import Collector, until
from tests.support.queue import stored_jobs

pytestmark = pytest.mark.timeout(240)
pytest.importorskip("rq")


def lab_payload(preset: str, **changes) -> dict:
    settings = dataclasses.replace(PRESETS[preset], **changes)
    return {"kind": "lab", "settings": settings.to_dict(), "lang": "ru"}


async def test_a_lab_training_runs_on_a_worker_and_sends_back_its_pictures(queue, redis_url):
    c = Collector()
    queue.submit(7, lab_payload("cnn", images=300, epochs=2), c.on_progress, c.on_done)
    result = await c.result(timeout=200)
    assert result.reason == "done", result.error
    outcome = result.outcome
    assert isinstance(outcome, LabOutcome) and len(outcome.history["loss"]) == 2
    assert set(outcome.pictures) == {"curves", "confusion", "gallery", "filters"}
    assert all(png.startswith(b"\x89PNG") for png in outcome.pictures.values())
    assert nn.from_bytes(outcome.model_bytes).param_count() == outcome.parameters
    assert c.progress and c.progress[-1]["fraction"] == 1.0
    assert {"epoch", "epochs", "loss"} <= set(c.progress[0])
    assert stored_jobs(redis_url), "no job was kept in Redis as JSON"


async def test_stop_reaches_a_lab_training_on_the_worker_and_keeps_its_network(queue):
    c = Collector()
    queue.submit(8, lab_payload("mlp", images=2000, epochs=200), c.on_progress, c.on_done)
    await until(lambda: c.progress)
    assert queue.cancel(8)
    result = await c.result(timeout=120)
    assert result.reason == "cancelled" and result.outcome.reason == "stopped"
    assert len(result.outcome.history["loss"]) < 200
    assert nn.from_bytes(result.outcome.model_bytes).param_count() == 50_890
    await until(lambda: not queue.is_active(8))


async def test_a_personal_reader_is_fine_tuned_on_a_worker(queue, redis_url):
    labels = np.repeat(np.arange(10), 2)
    images = personal.as_uint8(styles.draw_many(labels, np.random.default_rng(5)))
    payload = {"kind": "personal", "images": images, "labels": labels, "seed": 1, "epochs": 1}
    c = Collector()
    queue.submit(9, payload, c.on_progress, c.on_done)
    result = await c.result(timeout=200)
    assert result.reason == "done", result.error
    outcome = result.outcome
    assert isinstance(outcome, PersonalOutcome)
    assert (outcome.held_out, outcome.trained_on, outcome.mnist_count) == (10, 10, 2_000)
    assert outcome.mnist_before > 0.97 and nn.from_bytes(outcome.model_bytes)
    sent = [job for job in stored_jobs(redis_url) if "personal" in json.dumps(job)]
    assert sent, "the personal job was not JSON in Redis"
