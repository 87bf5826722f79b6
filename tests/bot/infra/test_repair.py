"""An unusable data directory at `nnbot run`: one line, exit 2, and `nnbot repair` recovers
what can be read while keeping the damaged file."""

from __future__ import annotations

import os
import random
import sqlite3

import pytest

from bot import app, repair
from bot.store import ChatState, Store, check_database, open_store

TOKEN = "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
CHATS = 400


@pytest.fixture
def run_env(monkeypatch, tmp_path):
    for name in ("TELEGRAM_BOT_TOKEN_FILE", "LOG_LEVEL", "WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def _damaged_database(data_dir, pages=(30, 31, 32)):
    """A database of CHATS chats with a few pages in the middle overwritten by noise."""
    path = data_dir / "nnbot.sqlite3"
    Store(path).close()
    state = ChatState(chat_id=0, lang="en", table={"inputs": ["x" * 50] * 20}).to_json()
    db = sqlite3.connect(path)
    db.executemany(
        "INSERT INTO chats (chat_id, state, updated) VALUES (?, ?, 0)",
        [(chat_id, state) for chat_id in range(1, CHATS + 1)],
    )
    db.execute(
        "INSERT INTO corrections (chat_id, label, image, created) VALUES (1, 3, x'706e67', 0)"
    )
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    noise = random.Random(0)
    with open(path, "r+b") as file:
        for page in pages:
            file.seek(4096 * page)
            file.write(noise.randbytes(4096))
    return path


def _one_line(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert err.startswith("nnbot run: ") and "\n" not in err and "Traceback" not in err
    return err


def test_a_damaged_database_stops_run_with_one_line_naming_repair(run_env, capsys):
    _damaged_database(run_env)
    assert app.main([]) == 2
    err = _one_line(capsys)
    assert "damaged" in err and "nnbot repair" in err and TOKEN not in err


def test_a_file_that_is_not_a_database_stops_run_the_same_way(run_env, capsys):
    run_env.mkdir()
    (run_env / "nnbot.sqlite3").write_bytes(b"this is not SQLite" * 300)
    assert app.main([]) == 2
    assert "nnbot repair" in _one_line(capsys)


def test_a_data_dir_that_cannot_be_created_stops_run_with_one_line(run_env, capsys):
    run_env.parent.mkdir(exist_ok=True)
    run_env.write_text("a file where the directory should be")
    assert app.main([]) == 2
    assert "DATA_DIR" in _one_line(capsys)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files: cannot test here")
def test_a_read_only_data_dir_stops_run_with_one_line(run_env, capsys):
    Store(run_env / "nnbot.sqlite3").close()
    for path in (run_env / "nnbot.sqlite3", run_env):
        path.chmod(0o555)
    try:
        assert app.main([]) == 2
        assert "writable" in _one_line(capsys)
    finally:
        run_env.chmod(0o755)


def test_repair_keeps_the_damaged_file_and_copies_what_can_be_read(run_env, capsys):
    path = _damaged_database(run_env)
    damaged = path.read_bytes()
    assert repair.main([]) == 0
    out = capsys.readouterr().out
    kept = [p for p in run_env.iterdir() if ".damaged-" in p.name and p.suffix != ".sqlite3"]
    assert [p.read_bytes() for p in kept if not p.name.endswith(("-wal", "-shm"))] == [damaged]
    assert "kept as" in out and "rows copied" in out
    check_database(path)  # the new file passes integrity_check
    store = open_store(path)
    chats = store.chat_ids()
    assert CHATS * 0.8 < len(chats) < CHATS  # most rows are back, the damaged pages' are not
    assert store.load(chats[-1]).lang == "en"
    assert store.corrections(1) == [(3, b"png")]
    assert len(chats) == int(out.split("chats: ")[1].split()[0])  # the count it printed
    store.close()


def test_repair_fresh_only_sets_the_file_aside(run_env, capsys):
    path = _damaged_database(run_env)
    assert repair.main(["--fresh"]) == 0
    assert not path.exists()
    assert any(".damaged-" in p.name for p in run_env.iterdir())
    assert Store(path).chat_ids() == []
