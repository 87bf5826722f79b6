"""Per-chat state in PostgreSQL (psycopg 3): the same methods and promises as `bot.store.Store`.

The tables mirror the SQLite ones; `training` is a real column (set when a training runs) so
finding interrupted trainings never parses JSON. Every write is one transaction.

Two bot replicas may write the same chat at once (a training ends on one while the next
message is handled on another). No update is lost: `save` locks the chat's row
(`SELECT … FOR UPDATE`) and, if someone else wrote it since this state was loaded (the row's
`version` moved on), writes only the fields this state changed on top of theirs. Only when
both changed the same field does the later write win for that field, and a warning says so.

One connection per store, guarded by a lock (the calls are short, like SQLite's); a broken
connection (the server restarted) is opened again on the next call.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from typing import Any, TypeVar

import psycopg

from bot.store import CORRECTIONS_PER_CHAT, SHARES_PER_CHAT, ChatState

logger = logging.getLogger(__name__)
T = TypeVar("T")

SCHEMA = """
CREATE TABLE IF NOT EXISTS chats (
    chat_id   BIGINT  PRIMARY KEY,
    state     TEXT    NOT NULL,
    model     BYTEA,
    training  BOOLEAN NOT NULL DEFAULT FALSE,
    updated   DOUBLE PRECISION NOT NULL,
    version   BIGINT  NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS corrections (
    id        BIGSERIAL PRIMARY KEY,
    chat_id   BIGINT  NOT NULL,
    label     INTEGER NOT NULL CHECK (label BETWEEN 0 AND 9),
    image     BYTEA   NOT NULL,
    created   DOUBLE PRECISION NOT NULL
);
CREATE INDEX IF NOT EXISTS corrections_chat ON corrections (chat_id);
CREATE TABLE IF NOT EXISTS chat_files (
    chat_id   BIGINT  NOT NULL,
    name      TEXT    NOT NULL,
    data      BYTEA   NOT NULL,
    updated   DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (chat_id, name)
);
CREATE INDEX IF NOT EXISTS chats_training ON chats (chat_id) WHERE training;
CREATE TABLE IF NOT EXISTS shares (
    code      TEXT    PRIMARY KEY,
    chat_id   BIGINT  NOT NULL,
    data      TEXT    NOT NULL,
    created   DOUBLE PRECISION NOT NULL,
    id        BIGSERIAL
);
CREATE INDEX IF NOT EXISTS shares_chat ON shares (chat_id);
"""

_BASE = "_postgres_base"  # attribute of a loaded ChatState: (version, fields, model digest)


class StoreError(RuntimeError):
    """PostgreSQL could not be reached or refused the schema."""


def _fields(state: ChatState) -> dict[str, Any]:
    data = asdict(state)
    del data["chat_id"], data["model"]
    return data


def _digest(model: bytes | None) -> str | None:
    return None if model is None else hashlib.blake2b(model, digest_size=16).hexdigest()


def _remember(state: ChatState, version: int) -> ChatState:
    snapshot = json.loads(state.to_json())
    object.__setattr__(state, _BASE, (version, snapshot, _digest(state.model)))
    return state


def merged(base: tuple, mine: ChatState, theirs: ChatState) -> tuple[ChatState, list[str]]:
    """`theirs` with every field `mine` changed since `base` (and the names both changed)."""
    _, base_fields, base_model = base
    mine_fields = json.loads(mine.to_json())
    theirs_fields = json.loads(theirs.to_json())
    clashes = []
    result = ChatState.from_row(mine.chat_id, theirs.to_json(), theirs.model)
    for name, value in mine_fields.items():
        if value != base_fields.get(name):
            if theirs_fields.get(name) != base_fields.get(name) and theirs_fields[name] != value:
                clashes.append(name)
            setattr(result, name, getattr(mine, name))
    if _digest(mine.model) != base_model:
        if _digest(theirs.model) not in (base_model, _digest(mine.model)):
            clashes.append("model")
        result.model = mine.model
    return result, clashes


class PostgresStore:
    """`bot.store.Store` on PostgreSQL. Thread-safe."""

    def __init__(self, url: str, connect_timeout: float = 10.0) -> None:
        self.url = url
        self.connect_timeout = connect_timeout
        self._lock = threading.Lock()
        self._db: psycopg.Connection | None = None
        self._run(lambda db: db.execute(SCHEMA))

    # --- the connection ---------------------------------------------------------------------

    def _connection(self) -> psycopg.Connection:
        if self._db is None or self._db.closed or self._db.broken:
            try:
                self._db = psycopg.connect(self.url, connect_timeout=int(self.connect_timeout))
            except psycopg.OperationalError as error:
                raise StoreError(f"cannot connect to PostgreSQL: {error}") from None
        return self._db

    def _run(self, body: Callable[[psycopg.Connection], T]) -> T:
        """`body(connection)` in one transaction; once more on a fresh connection if it broke."""
        with self._lock:
            for attempt in (1, 2):
                db = self._connection()
                try:
                    with db.transaction():
                        return body(db)
                except psycopg.OperationalError:
                    if attempt == 2 or not db.broken:
                        raise
                    logger.warning("the PostgreSQL connection broke; connecting again")
            raise AssertionError("unreachable")

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    # --- the Store interface ----------------------------------------------------------------

    def load(self, chat_id: int) -> ChatState:
        """The chat's state, or a fresh one if the chat is new (nothing is written)."""
        row = self._run(
            lambda db: db.execute(
                "SELECT state, model, version FROM chats WHERE chat_id = %s", (chat_id,)
            ).fetchone()
        )
        if row is None:
            return _remember(ChatState(chat_id=chat_id), 0)
        state, model, version = row
        return _remember(ChatState.from_row(chat_id, state, _bytes(model)), version)

    def exists(self, chat_id: int) -> bool:
        return self._run(
            lambda db: (
                db.execute("SELECT 1 FROM chats WHERE chat_id = %s", (chat_id,)).fetchone()
                is not None
            )
        )

    def save(self, state: ChatState) -> None:
        """Write the state in one transaction, merged with any write made since it was loaded.

        A state that was not loaded from this store (built from scratch, as /reset does)
        replaces the row as it is.
        """
        base = getattr(state, _BASE, None)
        version = self._run(lambda db: self._save(db, state, base))
        _remember(state, version)

    def _save(self, db: psycopg.Connection, state: ChatState, base: tuple | None) -> int:
        row = db.execute(
            "SELECT state, model, version FROM chats WHERE chat_id = %s FOR UPDATE",
            (state.chat_id,),
        ).fetchone()
        written = state
        if base is not None and (row[2] if row else 0) != base[0]:
            theirs = (
                ChatState.from_row(state.chat_id, row[0], _bytes(row[1]))
                if row
                else ChatState(chat_id=state.chat_id)
            )
            written, clashes = merged(base, state, theirs)
            if clashes:
                logger.warning(
                    "chat %s: two writes changed %s at once; the later one is kept",
                    state.chat_id,
                    ", ".join(clashes),
                )
        values = (written.to_json(), written.model, written.training is not None, time.time())
        if row is None:
            # A new chat: another writer may insert it first; the row lock then waits for them.
            inserted = db.execute(
                "INSERT INTO chats (chat_id, state, model, training, updated) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (chat_id) DO NOTHING RETURNING version",
                (state.chat_id, *values),
            ).fetchone()
            if inserted is not None:
                return inserted[0]
            return self._save(db, state, base)
        if written is not state:
            for name in (*_fields(written), "model"):
                setattr(state, name, getattr(written, name))
        return db.execute(
            "UPDATE chats SET state = %s, model = %s, training = %s, updated = %s, "
            "version = version + 1 WHERE chat_id = %s RETURNING version",
            (*values, state.chat_id),
        ).fetchone()[0]

    def delete(self, chat_id: int) -> None:
        """Forget a chat entirely: state, network and corrections (`/reset`)."""

        def body(db: psycopg.Connection) -> None:
            db.execute("DELETE FROM chats WHERE chat_id = %s", (chat_id,))
            db.execute("DELETE FROM corrections WHERE chat_id = %s", (chat_id,))
            db.execute("DELETE FROM chat_files WHERE chat_id = %s", (chat_id,))
            db.execute("DELETE FROM shares WHERE chat_id = %s", (chat_id,))

        self._run(body)

    def add_correction(
        self, chat_id: int, image: bytes, label: int, keep: int = CORRECTIONS_PER_CHAT
    ) -> int:
        """Store a user-corrected digit (the 28×28 input as PNG bytes), keeping the chat's
        latest `keep` only."""

        def body(db: psycopg.Connection) -> int:
            new_id = db.execute(
                "INSERT INTO corrections (chat_id, label, image, created) "
                "VALUES (%s, %s, %s, %s) RETURNING id",
                (chat_id, int(label), image, time.time()),
            ).fetchone()[0]
            db.execute(
                "DELETE FROM corrections WHERE chat_id = %s AND id NOT IN "
                "(SELECT id FROM corrections WHERE chat_id = %s ORDER BY id DESC LIMIT %s)",
                (chat_id, chat_id, keep),
            )
            return new_id

        return self._run(body)

    def save_file(self, chat_id: int, name: str, data: bytes) -> None:
        """Keep one named file of a chat (replacing an older one of that name)."""
        self._run(
            lambda db: db.execute(
                "INSERT INTO chat_files (chat_id, name, data, updated) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (chat_id, name) DO UPDATE SET data = excluded.data, "
                "updated = excluded.updated",
                (chat_id, name, data, time.time()),
            )
        )

    def load_file(self, chat_id: int, name: str) -> bytes | None:
        row = self._run(
            lambda db: db.execute(
                "SELECT data FROM chat_files WHERE chat_id = %s AND name = %s", (chat_id, name)
            ).fetchone()
        )
        return bytes(row[0]) if row else None

    def save_share(self, code: str, chat_id: int, data: str, keep: int = SHARES_PER_CHAT) -> int:
        """Keep a /share exercise under `code`; the chat's codes beyond its latest `keep` are
        deleted in the same transaction (their number is returned)."""

        def body(db: psycopg.Connection) -> int:
            db.execute(
                "INSERT INTO shares (code, chat_id, data, created) VALUES (%s, %s, %s, %s)",
                (code, chat_id, data, time.time()),
            )
            return db.execute(
                "DELETE FROM shares WHERE chat_id = %s AND code NOT IN (SELECT code FROM shares "
                "WHERE chat_id = %s ORDER BY created DESC, id DESC LIMIT %s)",
                (chat_id, chat_id, keep),
            ).rowcount

        return self._run(body)

    def load_share(self, code: str) -> str | None:
        row = self._run(
            lambda db: db.execute("SELECT data FROM shares WHERE code = %s", (code,)).fetchone()
        )
        return row[0] if row else None

    def share_code(self, chat_id: int, data: str) -> str | None:
        row = self._run(
            lambda db: db.execute(
                "SELECT code FROM shares WHERE chat_id = %s AND data = %s", (chat_id, data)
            ).fetchone()
        )
        return row[0] if row else None

    def corrections(self, chat_id: int) -> list[tuple[int, bytes]]:
        rows = self._run(
            lambda db: db.execute(
                "SELECT label, image FROM corrections WHERE chat_id = %s ORDER BY id", (chat_id,)
            ).fetchall()
        )
        return [(int(label), bytes(image)) for label, image in rows]

    def chat_ids(self) -> list[int]:
        rows = self._run(
            lambda db: db.execute("SELECT chat_id FROM chats ORDER BY chat_id").fetchall()
        )
        return [r[0] for r in rows]

    def interrupted_trainings(self) -> list[ChatState]:
        """Chats whose training was running when the bot stopped (reported on start)."""
        rows = self._run(
            lambda db: db.execute(
                "SELECT chat_id, state, model, version FROM chats WHERE training ORDER BY chat_id"
            ).fetchall()
        )
        return [
            _remember(ChatState.from_row(chat_id, state, _bytes(model)), version)
            for chat_id, state, model, version in rows
        ]

    def integrity_check(self) -> str:
        """ "ok" when every row's state is readable JSON and every label a digit."""
        bad = self._run(
            lambda db: db.execute(
                "SELECT (SELECT count(*) FROM corrections WHERE label NOT BETWEEN 0 AND 9)"
            ).fetchone()[0]
        )
        unreadable = [i for i in self.chat_ids() if not _readable(self, i)]
        if bad or unreadable:
            return f"{bad} bad corrections, unreadable chats: {unreadable[:10]}"
        return "ok"


def _readable(store: PostgresStore, chat_id: int) -> bool:
    try:
        store.load(chat_id)
    except (ValueError, TypeError):
        return False
    return True


def _bytes(value: Any) -> bytes | None:
    return None if value is None else bytes(value)
