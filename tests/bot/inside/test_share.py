"""/share's codes: unguessable, capped per chat, the exercise only (no chat id, no network, no
history), the same in SQLite and PostgreSQL, forgotten on /reset, copied by `nnbot migrate`."""

import json
import re

import pytest

from bot.backends import migrate
from bot.config import Limits
from bot.inside.share import (
    CODE_PATTERN,
    exercise_of,
    link,
    share,
    shared_exercise,
)
from bot.store import ChatState, Store
from bot.tables.parse import parse_table
from bot.training.settings import parse_settings, settings_for

XOR = parse_table("x1 x2 | y\n0 0 | 0\n0 1 | 1\n1 0 | 1\n1 1 | 0", Limits())
SECRET_CHAT = 987654321


@pytest.fixture(params=["sqlite", "postgres"])
def store(request, tmp_path):
    if request.param == "sqlite":
        made = Store(tmp_path / "nnbot.sqlite3")
    else:
        pytest.importorskip("psycopg")
        from bot.backends.postgres import PostgresStore

        made = PostgresStore(request.getfixturevalue("postgres_url"))
    yield made
    made.close()


def teacher(chat_id: int = SECRET_CHAT) -> ChatState:
    settings = parse_settings("lr=0.3 hidden=3", settings_for(XOR, None), Limits())
    return ChatState(
        chat_id=chat_id,
        table=XOR.to_dict(),
        settings=settings.to_dict(),
        history={"loss": [0.7, 0.1]},
        model=b"trained weights",
        extra={"private": "notes"},
    )


def test_a_code_brings_back_the_table_and_settings_and_nothing_else(store):
    state = teacher()
    shared = share(store, state, exercise_of(state))
    assert CODE_PATTERN.fullmatch(shared.code) and len(shared.code) == 12
    stored = store.load_share(shared.code)
    assert set(json.loads(stored)) == {"table", "settings"}
    assert str(SECRET_CHAT) not in stored and "trained" not in stored and "private" not in stored
    assert str(SECRET_CHAT) not in shared.code
    found = shared_exercise(store, shared.code)
    assert found.table == XOR
    assert (found.settings.lr, found.settings.hidden) == (0.3, (3,))


def test_sharing_the_same_exercise_again_gives_the_same_code(store):
    state = teacher()
    first = share(store, state, exercise_of(state))
    assert share(store, state, exercise_of(state)).code == first.code
    state.settings = parse_settings("lr=0.5", settings_for(XOR, None), Limits()).to_dict()
    assert share(store, state, exercise_of(state)).code != first.code


def test_unknown_and_forged_codes_find_nothing(store):
    share(store, teacher(), exercise_of(teacher()))
    for code in ("AAAAAAAAAAAA", "", "x" * 65, "bad!code", "' OR 1=1 --", "../../etc"):
        assert shared_exercise(store, code) is None


def test_a_chat_keeps_at_most_its_limit_of_codes_the_oldest_go(store):
    dropped = [store.save_share(f"code{k}", 1, json.dumps({"n": k}), keep=3) for k in range(4)]
    assert dropped == [0, 0, 0, 1]
    assert store.load_share("code0") is None
    assert [json.loads(store.load_share(f"code{k}")) for k in (1, 2, 3)] == [
        {"n": 1},
        {"n": 2},
        {"n": 3},
    ]
    store.save_share("other", 2, "{}", keep=3)  # another chat's code takes none of these
    assert store.load_share("code1") is not None


def test_reset_forgets_the_chats_codes_only(store):
    mine = share(store, teacher(1), exercise_of(teacher(1)))
    other = share(store, teacher(2), exercise_of(teacher(2)))
    store.delete(1)
    assert store.load_share(mine.code) is None
    assert store.load_share(other.code) is not None


def test_codes_are_random_not_counted():
    class Memory:
        def __init__(self):
            self.rows = {}

        def share_code(self, chat_id, data):
            return None

        def save_share(self, code, chat_id, data, keep):
            self.rows[code] = data
            return 0

    memory = Memory()
    codes = {share(memory, teacher(), exercise_of(teacher())).code for _ in range(200)}
    assert len(codes) == 200
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{12}", code) for code in codes)


def test_the_link_is_a_telegram_deep_link():
    assert link("nnbot_local_bot", "abc_-9") == "https://t.me/nnbot_local_bot?start=abc_-9"


def test_a_chat_without_a_table_has_nothing_to_share():
    assert exercise_of(ChatState(chat_id=1)) is None


def test_migrate_copies_the_shared_exercises(tmp_path, postgres_url, capsys):
    pytest.importorskip("psycopg")
    path = tmp_path / "nnbot.sqlite3"
    sqlite = Store(path)
    state = teacher()
    sqlite.save(state)
    code = share(sqlite, state, exercise_of(state)).code
    sqlite.close()
    assert migrate.main(["--from", str(path), "--to", postgres_url]) == 0
    assert "1 shared exercises identical" in capsys.readouterr().out
    from bot.backends.postgres import PostgresStore

    postgres = PostgresStore(postgres_url)
    try:
        assert shared_exercise(postgres, code).table == XOR
    finally:
        postgres.close()
