"""Memory for /stats, read from /proc where there is one."""

import sys

import pytest

from bot.common.memory import memory_mb, resident_mb


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")
def test_this_process_uses_some_memory():
    assert resident_mb() > 1
    current, peak, workers = memory_mb()
    assert current > 1 and peak > 1 and workers >= 0


def test_a_process_that_does_not_exist_has_no_memory():
    assert resident_mb("no-such-process") is None
