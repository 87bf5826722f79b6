"""`nnbot chat` in script mode: a transcript from piped input, exit status 0 at the end."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.e2e


def run_chat(script: str, tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATA_DIR": str(tmp_path / "data"), "WORKERS": "1"}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--out", str(tmp_path / "out"), *args],
        input=script,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_a_piped_script_gives_a_readable_transcript_and_exits_0(tmp_path):
    result = run_chat("/start\n/lang\n/press 2\n/start\n", tmp_path, "--lang", "en")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("> /start\nHi, Learner!")
    assert "[1] ✓ English  [2] Русский" in out
    assert "> /press 2   (Русский)" in out
    assert "~ edited: Готово" in out
    assert "Привет, Learner" in out.split("> /press 2")[1]
    assert "Traceback" not in result.stderr


def test_the_chat_keeps_state_in_data_dir_between_runs(tmp_path):
    assert run_chat("/lang\n/press 2\n", tmp_path, "--lang", "en").returncode == 0
    again = run_chat("/start\n", tmp_path, "--lang", "en")
    assert "Привет, Learner" in again.stdout
