"""The store's promises, on both backends: SQLite (the default) and PostgreSQL (DATABASE_URL).

The PostgreSQL runs are skipped, with the reason, where PostgreSQL is not installed.
"""

import sqlite3

import numpy as np
import pytest

from bot.common.reset import forget_chat
from bot.config import Config
from bot.digits.kept import KeptPhoto, PhotoCache
from bot.services import Services
from bot.store import SCHEMA, ChatState, Store
from tests.support.fakebot import TOKEN


class Backend:
    """Opens the same database again and again (a restart), on one backend."""

    def __init__(self, kind, where):
        self.kind, self.where = kind, where

    def open(self):
        if self.kind == "sqlite":
            return Store(self.where)
        from bot.backends.postgres import PostgresStore

        return PostgresStore(self.where)

    @property
    def integrity_error(self):
        if self.kind == "sqlite":
            return sqlite3.IntegrityError
        import psycopg

        return psycopg.IntegrityError


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, tmp_path):
    if request.param == "sqlite":
        return Backend("sqlite", tmp_path / "db.sqlite3")
    return Backend("postgresql", request.getfixturevalue("postgres_url"))


@pytest.fixture
def store(backend):
    s = backend.open()
    yield s
    s.close()


def test_new_chat_gets_fresh_state_without_writing(store):
    state = store.load(7)
    assert state == ChatState(chat_id=7)
    assert not store.exists(7)


def test_state_survives_a_restart(backend):
    first = backend.open()
    state = ChatState(chat_id=5, lang="ru", table={"rows": [[1, 0]]}, settings={"lr": 0.5})
    state.model = b"\x93NUMPY-bytes"
    state.history = {"loss": [0.5, 0.25]}
    first.save(state)
    first.close()
    second = backend.open()
    assert second.load(5) == state
    assert second.integrity_check() == "ok"
    second.close()


def test_chats_do_not_see_each_other(store):
    store.save(ChatState(chat_id=1, table={"who": "one"}))
    store.save(ChatState(chat_id=2, table={"who": "two"}))
    assert store.load(1).table == {"who": "one"}
    assert store.load(2).table == {"who": "two"}
    assert store.chat_ids() == [1, 2]


def test_delete_forgets_state_and_corrections(store):
    store.save(ChatState(chat_id=3, lang="en"))
    store.add_correction(3, b"png", 4)
    store.add_correction(4, b"png", 1)
    store.delete(3)
    assert not store.exists(3)
    assert store.corrections(3) == []
    assert store.corrections(4) == [(1, b"png")]


def test_corrections_keep_the_latest_per_chat(store):
    for i in range(7):
        store.add_correction(8, f"png{i}".encode(), i, keep=3)
    store.add_correction(9, b"other", 1, keep=3)
    assert store.corrections(8) == [(4, b"png4"), (5, b"png5"), (6, b"png6")]
    assert store.corrections(9) == [(1, b"other")]  # another chat's are not touched


def test_corrections_of_older_versions_holding_whole_photos_still_load(tmp_path):
    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(SCHEMA)
    photo = b"\xff\xd8" + bytes(3_000_000)  # a whole 3 MB photo, as earlier versions stored
    old.execute(
        "INSERT INTO corrections (chat_id, label, image, created) VALUES (5, 3, ?, 0)", (photo,)
    )
    old.commit()
    old.close()
    store = Store(path)
    try:
        assert store.corrections(5) == [(3, photo)]
        store.add_correction(5, b"png", 7)
        assert [label for label, _ in store.corrections(5)] == [3, 7]
    finally:
        store.close()


def test_bad_correction_label_is_rejected_and_nothing_is_written(store, backend):
    with pytest.raises(backend.integrity_error):
        store.add_correction(3, b"png", 12)
    assert store.corrections(3) == []


def test_interrupted_trainings_are_found(store):
    store.save(ChatState(chat_id=1, training={"started": 1.0}))
    store.save(ChatState(chat_id=2))
    assert [s.chat_id for s in store.interrupted_trainings()] == [1]


def test_unknown_fields_in_old_rows_are_ignored(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    store._db.execute('INSERT INTO chats VALUES (9, \'{"lang": "ru", "gone": 1}\', NULL, 0)')
    assert store.load(9).lang == "ru"


def test_an_old_state_with_the_encoding_in_its_settings_is_migrated(tmp_path):
    path = tmp_path / "db.sqlite3"
    Store(path).close()
    old = '{"lang":"en","settings":{"lr":0.5,"custom":["lr"],"encoding":{"inputs":null}}}'
    db = sqlite3.connect(path)
    with db:
        db.execute(
            "INSERT INTO chats (chat_id, state, model, updated) VALUES (1, ?, NULL, 0)", (old,)
        )
    db.close()
    store = Store(path)
    state = store.load(1)
    assert state.settings == {"lr": 0.5, "custom": ["lr"]}
    assert state.encoding == {"inputs": None}
    store.close()


def test_chat_files_are_kept_per_chat_replaced_by_name_and_reset_with_the_chat(store):
    store.save(ChatState(chat_id=21))
    store.save_file(21, "lab.npz", b"first")
    store.save_file(21, "lab.npz", b"second")
    store.save_file(22, "lab.npz", b"theirs")
    assert store.load_file(21, "lab.npz") == b"second"
    assert store.load_file(21, "personal.npz") is None
    store.delete(21)
    assert store.load_file(21, "lab.npz") is None
    assert store.load_file(22, "lab.npz") == b"theirs"


def test_reset_forgets_everything_a_chat_saved_and_keeps_its_language(store, tmp_path):
    config = Config.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "DATA_DIR": str(tmp_path)})
    extra = {
        "lesson": {"step": 4, "loaded": {"columns": ["x"]}, "saved": {"columns": ["a", "y"]}},
        "quiz": {"pending": None, "right": 3, "answered": 5, "asked": 5},
        "lab": {"settings": {"preset": "mlp"}},
    }
    for chat_id in (31, 32):  # 32 is another chat: nothing of it may go
        store.save(
            ChatState(chat_id=chat_id, lang="ru", table={"columns": ["a", "y"]}, extra=extra)
        )
        store.add_correction(chat_id, b"example", 7)
        for name in ("lab.npz", "personal.npz", "lesson-own-model"):  # lab and lesson networks
            store.save_file(chat_id, name, b"network")
        store.save_share(f"code{chat_id}", chat_id, '{"table": {}}')
    photos = PhotoCache()
    token = photos.put(31, KeptPhoto(np.zeros(4, dtype=np.uint8), True))
    forget_chat(Services(config, store), store.load(31), photos)
    assert store.load(31) == ChatState(chat_id=31, lang="ru")
    assert store.corrections(31) == []
    files = ("lab.npz", "personal.npz", "lesson-own-model")
    assert all(store.load_file(31, name) is None for name in files)
    assert store.load_share("code31") is None and photos.get(31, token) is None
    other = store.load(32)
    assert other.extra == extra and other.table == {"columns": ["a", "y"]}
    assert store.corrections(32) == [(7, b"example")]
    assert store.load_file(32, "lab.npz") == b"network"
    assert store.load_share("code32") == '{"table": {}}'
