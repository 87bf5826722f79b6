"""Lesson steps on the Redis task queue, run by a real `nnbot worker`: a step that trains (1)
and a step that only draws (9) come back as the local pool has them. Skipped, with the reason,
where Redis (or the `queue` extra) is not installed."""

from __future__ import annotations

import json

import numpy as np
import pytest

import nncore as nn
from bot.config import Limits
from bot.lesson import steps, work
from bot.lesson.texts import step_text
from tests.bot.infra.test_jobs import Collector
from tests.support.queue import stored_jobs

pytestmark = pytest.mark.timeout(240)
pytest.importorskip("rq")


async def run_on_worker(queue, chat_id: int, payload: dict):
    c = Collector()
    queue.submit(chat_id, payload, c.on_progress, c.on_done)
    result = await c.result(timeout=200)
    assert result.reason == "done", result.error
    return result.outcome, c.progress


async def test_the_single_neuron_trains_on_a_worker_and_ends_on_the_articles_number(
    queue, redis_url
):
    payload = steps.payload(steps.STEPS[1], "ru", Limits())
    outcome, progress = await run_on_worker(queue, 31, payload)
    assert f"{outcome['facts']['answer']:.8f}" == "0.99993704"  # the article's prediction
    local = work.run_lesson_job(payload, lambda report: None, lambda: False)
    assert outcome == local
    assert step_text(1, outcome["facts"], "ru") == step_text(1, local["facts"], "ru")
    assert nn.from_bytes(outcome["load"]["model"]).param_count() == 3
    assert outcome["pictures"][0].startswith(b"\x89PNG")
    assert progress and progress[-1]["epochs"] == 10_000
    sent = [job for job in stored_jobs(redis_url) if '"kind": "lesson"' in json.dumps(job)]
    assert sent, "the lesson job was not JSON in Redis"


async def test_the_convolution_step_draws_the_learners_digit_on_a_worker(queue):
    image = np.zeros((28, 28), dtype=np.uint8)
    image[4:24, 12:16] = 255  # a "1"
    payload = steps.payload(steps.STEPS[9], "en", Limits(), image)
    outcome, _ = await run_on_worker(queue, 32, payload)
    assert outcome["facts"] == {"filters": 32, "shown": 8, "own": True}
    assert outcome["load"] is None
    local = work.run_lesson_job(payload, lambda report: None, lambda: False)
    assert outcome["pictures"] == local["pictures"]  # the same digit's maps, to the byte
