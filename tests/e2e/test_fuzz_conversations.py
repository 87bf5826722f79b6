"""The conversation fuzzer, short: a few conversations of a dozen steps against the real bot
(the long run is `python -m benchmarks.fuzz_conversations --steps N`)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from tests.support.conversations import BotDriver, conversation_class

pytestmark = pytest.mark.e2e


def test_random_conversations_never_apologise_lose_data_or_go_unanswered(tmp_path):
    driver = BotDriver(tmp_path / "data")
    try:
        run_state_machine_as_test(
            conversation_class(driver),
            settings=settings(
                max_examples=5,
                stateful_step_count=10,
                deadline=None,
                database=None,
                derandomize=True,  # the same conversations on every CI run
                suppress_health_check=list(HealthCheck),
            ),
        )
    finally:
        driver.close()
    tally = driver.tally
    assert tally.conversations >= 5 and tally.steps >= 20 and not tally.lost
