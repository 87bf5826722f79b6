"""What only the PostgreSQL store promises: several replicas write one chat without losing an
update, a broken connection heals, and `nnbot migrate` copies a SQLite database exactly.

Skipped, with the reason, where PostgreSQL is not installed.
"""

import logging
import threading

import pytest

from bot.backends import migrate
from bot.store import ChatState, Store

psycopg = pytest.importorskip("psycopg")


@pytest.fixture
def replicas(postgres_url):
    """Two stores on one database, as two bot replicas have."""
    from bot.backends.postgres import PostgresStore

    made = [PostgresStore(postgres_url), PostgresStore(postgres_url)]
    yield made
    for store in made:
        store.close()


def test_two_replicas_changing_different_fields_keep_both_changes(replicas):
    a, b = replicas
    a.save(ChatState(chat_id=1, lang="en", table={"rows": 4}))
    on_a, on_b = a.load(1), b.load(1)
    on_a.model, on_a.history = b"trained", {"loss": [0.5, 0.1]}  # a training ends on A
    on_b.lang = "ru"  # meanwhile /lang ru is handled on B
    a.save(on_a)
    b.save(on_b)
    final = a.load(1)
    assert (final.lang, final.model, final.history) == ("ru", b"trained", {"loss": [0.5, 0.1]})
    assert final.table == {"rows": 4}


def test_the_same_field_changed_twice_keeps_the_later_write_and_says_so(replicas, caplog):
    a, b = replicas
    a.save(ChatState(chat_id=1, settings={"lr": 0.1}))
    on_a, on_b = a.load(1), b.load(1)
    on_a.settings, on_b.settings = {"lr": 0.5}, {"lr": 0.9}
    a.save(on_a)
    with caplog.at_level(logging.WARNING):
        b.save(on_b)
    assert a.load(1).settings == {"lr": 0.9}
    assert "settings" in caplog.text


def test_a_state_saved_twice_by_its_replica_is_not_taken_for_a_conflict(replicas, caplog):
    a, _ = replicas
    state = a.load(1)
    state.lang = "en"
    a.save(state)
    state.settings = {"lr": 0.2}
    with caplog.at_level(logging.WARNING):
        a.save(state)
    assert a.load(1).settings == {"lr": 0.2} and "two writes" not in caplog.text


def test_many_concurrent_writers_lose_no_update(replicas):
    """Two replicas, each appending to its own list in the chat 40 times, interleaved."""
    a, b = replicas
    a.save(ChatState(chat_id=1, settings={}, extra={}))

    def write(store, field):
        for i in range(40):
            state = store.load(1)
            mine = getattr(state, field)
            setattr(state, field, {**mine, "n": mine.get("n", 0) + 1, f"k{i}": i})
            store.save(state)

    threads = [
        threading.Thread(target=write, args=(a, "settings")),
        threading.Thread(target=write, args=(b, "extra")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    final = a.load(1)
    assert final.settings["n"] == 40 and final.extra["n"] == 40


def test_a_new_chat_created_by_two_replicas_at_once_keeps_both(replicas):
    a, b = replicas
    on_a, on_b = a.load(5), b.load(5)
    on_a.lang, on_b.table = "ru", {"rows": 2}
    a.save(on_a)
    b.save(on_b)
    assert (a.load(5).lang, a.load(5).table) == ("ru", {"rows": 2})


def test_a_fresh_state_replaces_the_chat_as_reset_does(replicas):
    a, b = replicas
    a.save(ChatState(chat_id=1, lang="ru", table={"rows": 2}, model=b"net"))
    b.save(ChatState(chat_id=1, lang="ru"))
    assert a.load(1) == ChatState(chat_id=1, lang="ru")


def test_a_lost_connection_is_opened_again(replicas, postgres_url):
    a, _ = replicas
    a.save(ChatState(chat_id=1, lang="en"))
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    assert a.load(1).lang == "en"


def test_interrupted_trainings_follow_the_training_mark(replicas):
    a, _ = replicas
    a.save(ChatState(chat_id=1, training={"started": 1.0}))
    a.save(ChatState(chat_id=2))
    state = a.load(1)
    state.training = None
    a.save(state)
    assert a.interrupted_trainings() == []


# --- nnbot migrate ------------------------------------------------------------------------


@pytest.fixture
def sqlite_file(tmp_path):
    path = tmp_path / "nnbot.sqlite3"
    store = Store(path)
    store.save(ChatState(chat_id=1, lang="ru", table={"rows": [[0, 1]]}, model=b"\x00net"))
    store.save(ChatState(chat_id=2, training={"started": 5.0, "lang": "en"}))
    store.add_correction(1, b"png-1", 7)
    store.add_correction(2, b"png-2", 3)
    store.add_correction(1, b"png-3", 0)
    store.save_file(1, "lab.npz", b"lab network")
    store.close()
    return path


def test_migrate_copies_every_chat_and_correction_and_checks_it(sqlite_file, postgres_url, capsys):
    from bot.backends.postgres import PostgresStore

    assert migrate.main(["--to", postgres_url, "--from", str(sqlite_file)]) == 0
    assert "2 chats and 3 corrections identical" in capsys.readouterr().out
    copy, original = PostgresStore(postgres_url), Store(sqlite_file)
    for chat_id in (1, 2):
        assert copy.load(chat_id) == original.load(chat_id)
        assert copy.corrections(chat_id) == original.corrections(chat_id)
    assert copy.load_file(1, "lab.npz") == b"lab network"  # the digits lab's network too
    assert [s.chat_id for s in copy.interrupted_trainings()] == [2]
    copy.close()
    original.close()


def test_migrate_check_finds_a_difference(sqlite_file, postgres_url, capsys):
    assert migrate.main(["--to", postgres_url, "--from", str(sqlite_file)]) == 0
    with psycopg.connect(postgres_url, autocommit=True) as db:
        db.execute("UPDATE chats SET model = 'changed' WHERE chat_id = 1")
        db.execute("DELETE FROM chats WHERE chat_id = 2")
    assert migrate.main(["--to", postgres_url, "--from", str(sqlite_file), "--check"]) == 1
    out = capsys.readouterr().out
    assert "chat 1: network differs" in out and "chat 2: missing in PostgreSQL" in out


def test_migrate_check_finds_a_missing_chat_file(sqlite_file, postgres_url, capsys):
    assert migrate.main(["--to", postgres_url, "--from", str(sqlite_file)]) == 0
    with psycopg.connect(postgres_url, autocommit=True) as db:
        db.execute("DELETE FROM chat_files")
    assert migrate.main(["--to", postgres_url, "--from", str(sqlite_file), "--check"]) == 1
    assert "chat files differ (1 in SQLite, 0 in PostgreSQL)" in capsys.readouterr().out


def test_migrate_refuses_a_database_that_already_has_chats(sqlite_file, postgres_url, capsys):
    assert migrate.main(["--to", postgres_url, "--from", str(sqlite_file)]) == 0
    assert migrate.main(["--to", postgres_url, "--from", str(sqlite_file)]) == 1
    assert "already has 2 chats; nothing was copied" in capsys.readouterr().err


def test_migrate_without_a_sqlite_file_says_where_it_looked(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "none"))
    assert migrate.main(["--to", "postgresql://x@127.0.0.1/db"]) == 2
    assert "no SQLite database at" in capsys.readouterr().err
