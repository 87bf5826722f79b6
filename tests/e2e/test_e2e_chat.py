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


def test_pictures_and_files_are_saved_and_state_survives_to_the_next_run(tmp_path):
    script = "/examples\n/press 3\n/settings epochs=300\n/train\n/weights\n/photo /no/such.jpg\n"
    first = run_chat(script, tmp_path, "--lang", "en")
    assert first.returncode == 0, first.stderr
    saved = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert saved[0].endswith(".png") and any(name.endswith(".npz") for name in saved)
    for name in saved:
        assert f"{tmp_path / 'out' / name}" in first.stdout
    assert "(cannot send: " in first.stdout  # a missing photo file is reported, not fatal

    again = run_chat("/lang ru\n/predict 1 0\n", tmp_path, "--lang", "en")
    assert again.returncode == 0, again.stderr
    assert "1 0 → 1" in again.stdout
