"""The load scenario of benchmarks/bench_load.py, CI-sized: 10 users, about 150 updates.

Every update answered, none over-answered, no reply in the wrong chat, no apology or ERROR,
the job runner's bounds held (1 worker, a queue of 3, so some users hear "busy, try later"),
and the flooding chat gets exactly RATE_PER_MINUTE answers and one notice.
"""

from __future__ import annotations

import pytest

from tests.stress.loadgen import run_load

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]


async def test_ten_users_at_once_every_update_answered_once(tmp_path):
    result = await run_load(
        tmp_path / "data",
        users=10,
        short=True,
        workers=1,
        queue_size=3,
        rate=20,
        flood=30,
        retry=1.0,
        think=0.1,
    )
    print("\n" + result.report())
    assert result.updates + result.flood_sent >= 150
    assert not result.failures(), result.failures()
    assert result.max_running == 1 and result.max_queued <= 3
    assert len(result.trainings) == 10  # every user's training ran in the end
