"""End-to-end fixtures: the real bot polling the local Bot API server over HTTP.

`bot_env` is a `bot.localapi.session.LocalSession`: the server on a free 127.0.0.1 port and
the Application from `bot.app.build_application` (the code `nnbot run` runs), with a fresh
DATA_DIR. Use `bot_env.user(id, name, language_code)` to act, `await user.replies()` to read,
and `await bot_env.restart()` to stop the bot and start a new one on the same data.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.config import Config, Limits
from bot.localapi.session import LocalSession

SHARED_DATASETS = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"


def e2e_config(data_dir: Path) -> Config:
    """A small, quiet bot: one training worker (CI has two cores), warnings only."""
    limits = dataclasses.replace(Limits(), workers=1, job_seconds=60.0)
    return Config(data_dir=data_dir, log_level="WARNING", limits=limits)


@pytest.fixture
async def bot_env(tmp_path):
    async with LocalSession(e2e_config(tmp_path / "data"), quiet=0.4, timeout=90) as session:
        yield session


@pytest.fixture
def shared_datasets() -> Path:
    if not SHARED_DATASETS.is_dir():
        pytest.skip(f"shared datasets not found: {SHARED_DATASETS}")
    return SHARED_DATASETS
