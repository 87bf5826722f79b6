"""Per-chat state in SQLite: it survives restarts, and every write is one transaction.

One row per chat holds the small JSON-able state (language, table, settings, last history,
the marker of a running training) and the trained network as an nncore `.npz` blob.
Digit corrections sent by the user ("wrong? the right digit is …") go to their own table, and
bigger per-chat files (the digits lab's networks) to `chat_files`, read only when needed.
WAL mode keeps readers and the single writer from blocking each other, and `synchronous=FULL`
means a `kill -9` right after a write loses nothing that was committed.
"""

from __future__ import annotations

import json
import logging
import math
import sqlite3
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

UNREADABLE = (ValueError, TypeError, RecursionError)  # what reading a damaged state row raises

SCHEMA = """
CREATE TABLE IF NOT EXISTS chats (
    chat_id   INTEGER PRIMARY KEY,
    state     TEXT    NOT NULL,
    model     BLOB,
    updated   REAL    NOT NULL
);
CREATE TABLE IF NOT EXISTS corrections (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id   INTEGER NOT NULL,
    label     INTEGER NOT NULL CHECK (label BETWEEN 0 AND 9),
    image     BLOB    NOT NULL,
    created   REAL    NOT NULL
);
CREATE INDEX IF NOT EXISTS corrections_chat ON corrections (chat_id);
CREATE TABLE IF NOT EXISTS quarantine (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id   INTEGER NOT NULL,
    state     TEXT,
    model     BLOB,
    problem   TEXT    NOT NULL,
    moved     REAL    NOT NULL
);
CREATE TABLE IF NOT EXISTS chat_files (
    chat_id   INTEGER NOT NULL,
    name      TEXT    NOT NULL,
    data      BLOB    NOT NULL,
    updated   REAL    NOT NULL,
    PRIMARY KEY (chat_id, name)
);
CREATE TABLE IF NOT EXISTS shares (
    code      TEXT    PRIMARY KEY,
    chat_id   INTEGER NOT NULL,
    data      TEXT    NOT NULL,
    created   REAL    NOT NULL
);
CREATE INDEX IF NOT EXISTS shares_chat ON shares (chat_id);
"""
CORRECTIONS_PER_CHAT = 200  # "Wrong?" corrections kept per chat, the latest ones
SHARES_PER_CHAT = 20  # /share links a chat keeps working, the latest ones


@dataclass
class ChatState:
    """Everything the bot remembers about one chat.

    `table`, `settings`, `history` and `training` are plain JSON-able dicts owned by the
    features that use them; `model` is the trained network as nncore `.npz` bytes and
    `encoding` how it reads the table's numbers (kept apart from the learner's `settings`).
    `training` is set while a training job runs, so a restart can report it as interrupted.
    `pending` names what the next plain message is expected to be (e.g. "table").
    """

    chat_id: int
    lang: str | None = None
    table: dict[str, Any] | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    history: dict[str, Any] | None = None
    training: dict[str, Any] | None = None
    pending: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    encoding: dict[str, Any] | None = None
    model: bytes | None = None

    def to_json(self) -> str:
        """Strict JSON (what SQLite's JSON functions accept): inf and nan are written as null."""
        data = asdict(self)
        del data["model"], data["chat_id"]
        try:
            return _strict_json(data)
        except ValueError:  # a non-finite number somewhere: the slow walk, only then
            return _strict_json(finite(data))

    @classmethod
    def from_row(cls, chat_id: int, state: str, model: bytes | None) -> ChatState:
        """The state of a stored row; ValueError (or TypeError) when the row is not a state."""
        data = json.loads(state)
        if not isinstance(data, dict):
            raise ValueError(f"the state is a JSON {type(data).__name__}, not an object")
        data = _migrated(data)
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(chat_id=chat_id, model=model, **known)


def _strict_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def finite(value: Any) -> Any:
    """`value` with every non-finite float (inf, -inf, nan) replaced by None, at any depth."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [finite(item) for item in value]
    return value


def _migrated(data: dict[str, Any]) -> dict[str, Any]:
    """A state written by an older version, in today's form.

    Before `encoding` had its own field, the trained network's encoding was kept in
    `settings["encoding"]`, next to the learner's choices: move it out.
    """
    settings = data.get("settings")
    if isinstance(settings, dict) and "encoding" in settings:
        encoding = settings.pop("encoding")
        data.setdefault("encoding", encoding)
    return data


class Store:
    """A small SQLite store. Thread-safe; cheap calls, fine to use from the event loop."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def load(self, chat_id: int) -> ChatState:
        """The chat's state, or a fresh one if the chat is new (nothing is written).

        A row that is not a readable state is moved to the quarantine table (see `repair`)
        and the chat starts fresh, rather than failing at every message.
        """
        with self._lock:
            row = self._db.execute(
                "SELECT state, model FROM chats WHERE chat_id = ?", (chat_id,)
            ).fetchone()
        if not row:
            return ChatState(chat_id=chat_id)
        try:
            return ChatState.from_row(chat_id, *row)
        except UNREADABLE as error:
            self._quarantine(chat_id, row[0], row[1], str(error))
            return ChatState(chat_id=chat_id)

    def exists(self, chat_id: int) -> bool:
        with self._lock:
            return (
                self._db.execute("SELECT 1 FROM chats WHERE chat_id = ?", (chat_id,)).fetchone()
                is not None
            )

    def save(self, state: ChatState) -> None:
        """Write the whole state atomically (one transaction)."""
        with self._lock, self._transaction():
            self._db.execute(
                "INSERT INTO chats (chat_id, state, model, updated) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (chat_id) DO UPDATE SET state = excluded.state, "
                "model = excluded.model, updated = excluded.updated",
                (state.chat_id, state.to_json(), state.model, time.time()),
            )

    def delete(self, chat_id: int) -> None:
        """Forget a chat entirely: state, networks, corrections and files (`/reset`)."""
        with self._lock, self._transaction():
            self._db.execute("DELETE FROM chats WHERE chat_id = ?", (chat_id,))
            self._db.execute("DELETE FROM corrections WHERE chat_id = ?", (chat_id,))
            self._db.execute("DELETE FROM chat_files WHERE chat_id = ?", (chat_id,))
            self._db.execute("DELETE FROM shares WHERE chat_id = ?", (chat_id,))

    def add_correction(
        self, chat_id: int, image: bytes, label: int, keep: int = CORRECTIONS_PER_CHAT
    ) -> int:
        """Store a user-corrected digit (the 28×28 input as PNG bytes), keeping the chat's
        latest `keep` only. Rows of older versions (whole photos) are read back the same way."""
        with self._lock, self._transaction():
            cursor = self._db.execute(
                "INSERT INTO corrections (chat_id, label, image, created) VALUES (?, ?, ?, ?)",
                (chat_id, int(label), image, time.time()),
            )
            self._db.execute(
                "DELETE FROM corrections WHERE chat_id = ? AND id NOT IN "
                "(SELECT id FROM corrections WHERE chat_id = ? ORDER BY id DESC LIMIT ?)",
                (chat_id, chat_id, keep),
            )
            return int(cursor.lastrowid)

    def corrections(self, chat_id: int) -> list[tuple[int, bytes]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT label, image FROM corrections WHERE chat_id = ? ORDER BY id", (chat_id,)
            ).fetchall()
        return [(int(label), bytes(image)) for label, image in rows]

    def save_file(self, chat_id: int, name: str, data: bytes) -> None:
        """Keep one named file of a chat (replacing an older one of that name)."""
        with self._lock, self._transaction():
            self._db.execute(
                "INSERT INTO chat_files (chat_id, name, data, updated) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (chat_id, name) DO UPDATE SET data = excluded.data, "
                "updated = excluded.updated",
                (chat_id, name, data, time.time()),
            )

    def load_file(self, chat_id: int, name: str) -> bytes | None:
        with self._lock:
            row = self._db.execute(
                "SELECT data FROM chat_files WHERE chat_id = ? AND name = ?", (chat_id, name)
            ).fetchone()
        return bytes(row[0]) if row else None

    def save_share(self, code: str, chat_id: int, data: str, keep: int = SHARES_PER_CHAT) -> int:
        """Keep a /share exercise (JSON text) under `code`, and only the chat's latest `keep`
        codes; returns how many older codes stopped working."""
        with self._lock, self._transaction():
            self._db.execute(
                "INSERT INTO shares (code, chat_id, data, created) VALUES (?, ?, ?, ?)",
                (code, chat_id, data, time.time()),
            )
            dropped = self._db.execute(
                "DELETE FROM shares WHERE chat_id = ? AND code NOT IN (SELECT code FROM shares "
                "WHERE chat_id = ? ORDER BY created DESC, rowid DESC LIMIT ?)",
                (chat_id, chat_id, keep),
            )
            return dropped.rowcount

    def load_share(self, code: str) -> str | None:
        """The exercise shared under `code` (None: no such code)."""
        with self._lock:
            row = self._db.execute("SELECT data FROM shares WHERE code = ?", (code,)).fetchone()
        return row[0] if row else None

    def share_code(self, chat_id: int, data: str) -> str | None:
        """The code this chat already shares `data` under, if it does."""
        with self._lock:
            row = self._db.execute(
                "SELECT code FROM shares WHERE chat_id = ? AND data = ?", (chat_id, data)
            ).fetchone()
        return row[0] if row else None

    def chat_ids(self) -> list[int]:
        with self._lock:
            return [r[0] for r in self._db.execute("SELECT chat_id FROM chats ORDER BY chat_id")]

    def interrupted_trainings(self) -> list[ChatState]:
        """Chats whose training was running when the bot stopped (reported on start).

        Rows SQLite cannot read as JSON are repaired or set aside first (`repair`), so one bad
        row never stops the others from being served.
        """
        self.repair()
        with self._lock:
            rows = self._db.execute(
                "SELECT chat_id, state, model FROM chats WHERE CASE WHEN json_valid(state) "
                "THEN json_extract(state, '$.training') END IS NOT NULL"
            ).fetchall()
        states = []
        for chat_id, state, model in rows:
            try:
                states.append(ChatState.from_row(chat_id, state, model))
            except UNREADABLE as error:
                self._quarantine(chat_id, state, model, str(error))
        return states

    def repair(self) -> int:
        """Make every row strict JSON again; returns how many rows were changed or set aside.

        A state an older version wrote with NaN or Infinity (Python reads it, SQLite refuses
        it) is rewritten with null in their place. A row that is not a state at all is moved,
        as it was, to the `quarantine` table with the reason, and logged: the host can look at
        it there; the chat starts fresh.
        """
        with self._lock:
            rows = self._db.execute(
                "SELECT chat_id, state, model FROM chats WHERE NOT json_valid(state)"
            ).fetchall()
        for chat_id, state, model in rows:
            try:
                fixed = ChatState.from_row(chat_id, state, model)
            except UNREADABLE as error:
                self._quarantine(chat_id, state, model, str(error))
                continue
            self.save(fixed)
            logger.warning("chat %s: stored state had non-finite numbers; rewritten", chat_id)
        return len(rows)

    def quarantined(self) -> list[tuple[int, str]]:
        """(chat id, problem) of every row set aside, oldest first."""
        with self._lock:
            rows = self._db.execute("SELECT chat_id, problem FROM quarantine ORDER BY id")
            return [(int(chat_id), str(problem)) for chat_id, problem in rows]

    def _quarantine(self, chat_id: int, state: Any, model: Any, problem: str) -> None:
        with self._lock, self._transaction():
            self._db.execute(
                "INSERT INTO quarantine (chat_id, state, model, problem, moved) "
                "VALUES (?, ?, ?, ?, ?)",
                (chat_id, state, model, problem[:500], time.time()),
            )
            self._db.execute("DELETE FROM chats WHERE chat_id = ?", (chat_id,))
        logger.warning(
            "chat %s: unreadable stored state moved to the quarantine table (%s); "
            "the chat starts fresh",
            chat_id,
            problem[:200],
        )

    def integrity_check(self) -> str:
        with self._lock:
            return self._db.execute("PRAGMA integrity_check").fetchone()[0]

    def _transaction(self):
        return _Transaction(self._db)


class StoreUnusable(Exception):
    """The database cannot be used at all; the message says why and what the host can do."""


DAMAGED = ("malformed", "not a database", "corrupt")  # how SQLite words a damaged file


def open_store(path: str | Path) -> Store:
    """The store, after checking that the file can be written and passes `integrity_check`.

    Raises StoreUnusable with one line for the host: a directory that cannot be created or
    written, or a damaged file (recover it with `nnbot repair`, which keeps the damaged copy).
    """
    path = Path(path)
    try:
        store = Store(path)
    except OSError as error:
        raise StoreUnusable(
            f"cannot use the data directory {path.parent}: {error.strerror or error}. "
            "Set DATA_DIR to a directory the bot's user can write."
        ) from None
    except sqlite3.DatabaseError as error:
        raise _unusable(path, error) from None
    try:
        result = store.integrity_check()
        store._db.execute("BEGIN IMMEDIATE")  # can we write? (a read-only file or directory)
        store._db.execute("ROLLBACK")
    except sqlite3.DatabaseError as error:
        store.close()
        raise _unusable(path, error) from None
    if result != "ok":
        store.close()
        raise _unusable(path, sqlite3.DatabaseError(f"integrity_check: {result[:200]}"))
    return store


def check_database(path: str | Path) -> None:
    """Raise StoreUnusable if `open_store` would (the store is closed again)."""
    open_store(path).close()


def _unusable(path: Path, error: sqlite3.DatabaseError) -> StoreUnusable:
    text = str(error)
    if any(word in text.lower() for word in DAMAGED) or text.startswith("integrity_check"):
        return StoreUnusable(
            f"the database {path} is damaged ({text}). Run `nnbot repair` to keep the damaged "
            "file aside and copy what can be read into a new one (`nnbot repair --fresh` "
            "to start empty), then start the bot again."
        )
    return StoreUnusable(
        f"cannot write the database {path} ({text}). Make DATA_DIR and the files in it "
        "writable by the bot's user."
    )


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK if the body raised."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, exc, tb) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
