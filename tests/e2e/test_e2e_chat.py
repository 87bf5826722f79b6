"""`nnbot chat` in script mode: a transcript from piped input, files in --out, exit status 0."""

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


def test_a_piped_lesson_gives_a_transcript_files_in_out_and_state_for_the_next_run(tmp_path):
    script = (
        "/start\n/examples\n/press 3\n/settings epochs=300\n/train\n/weights\n"
        "/photo /no/such.jpg\n/lang\n/press 2\n"
    )
    first = run_chat(script, tmp_path, "--lang", "en")
    assert first.returncode == 0, first.stderr
    out = first.stdout
    assert out.startswith("> /start\nHi, Learner!")
    assert "> /press 3   (⊕ XOR)" in out  # the echo names the button pressed
    assert "[1] ✓ English  [2] Русский" in out  # keyboards as numbered buttons
    assert "~ edited: ✅ Trained" in out  # the progress message's final edit
    assert "(cannot send: " in out  # a missing photo file is reported, not fatal
    assert "~ edited: Готово" in out
    assert "Traceback" not in first.stderr
    saved = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert saved[0].endswith(".png") and any(name.endswith(".npz") for name in saved)
    for name in saved:
        assert f"{tmp_path / 'out' / name}" in out

    again = run_chat("/predict 1 0\n", tmp_path, "--lang", "en")
    assert again.returncode == 0, again.stderr
    assert "1 0 → 1" in again.stdout and "Ответы сети" in again.stdout
