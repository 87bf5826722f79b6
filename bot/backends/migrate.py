"""`nnbot migrate --to postgresql://…`: copy the SQLite state (DATA_DIR's) into PostgreSQL.

The SQLite file is opened read-only, so the bot may keep running while it is read (its WAL
keeps the snapshot consistent), but stop it before switching, or the chats it changes after
the copy stay behind. The copy is one transaction: it lands whole or not at all. `--check`
compares both databases row by row (state text, network bytes, every correction in order, the
chats' files such as the lab's networks, the /share codes) and says what differs; after a copy
the check runs by itself.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import sys
from pathlib import Path

from bot.config import Config, ConfigError


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="nnbot migrate",
        description="Copy nnbot's SQLite database into PostgreSQL, then check the copy.",
    )
    p.add_argument("--to", required=True, metavar="URL", help="postgresql://user:pass@host/db")
    p.add_argument(
        "--from",
        dest="source",
        metavar="FILE",
        help="the SQLite file (default: nnbot.sqlite3 in DATA_DIR)",
    )
    p.add_argument("--check", action="store_true", help="only compare, copy nothing")
    return p


def sqlite_rows(path: Path) -> tuple[list[tuple], list[tuple]]:
    """Every chat (id, state, model, updated) and correction (chat, label, image, created)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        chats = db.execute("SELECT chat_id, state, model, updated FROM chats ORDER BY chat_id")
        chats = [(c, s, None if m is None else bytes(m), u) for c, s, m, u in chats]
        corrections = db.execute(
            "SELECT chat_id, label, image, created FROM corrections ORDER BY id"
        ).fetchall()
    finally:
        db.close()
    return chats, [(c, lab, bytes(img), t) for c, lab, img, t in corrections]


def _rows_if_any(path: Path, query: str) -> list[tuple]:
    """The rows of a read-only query; none when its table is younger than the database."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return db.execute(query).fetchall()
    except sqlite3.OperationalError:  # no such table: written before the feature existed
        return []
    finally:
        db.close()


def sqlite_files(path: Path) -> list[tuple]:
    """Every chat's file (chat, name, data, updated); none in databases older than the lab."""
    rows = _rows_if_any(
        path, "SELECT chat_id, name, data, updated FROM chat_files ORDER BY chat_id, name"
    )
    return [(c, name, bytes(data), u) for c, name, data, u in rows]


def sqlite_shares(path: Path) -> list[tuple]:
    """Every /share code (code, chat, data, created), oldest first; none before /share."""
    return _rows_if_any(
        path, "SELECT code, chat_id, data, created FROM shares ORDER BY created, rowid"
    )


def share_differences(shares: list[tuple], url: str) -> list[str]:
    """The /share codes PostgreSQL holds differently (empty: an exact copy)."""
    import psycopg

    with psycopg.connect(url) as db:
        theirs = db.execute("SELECT code, chat_id, data FROM shares ORDER BY code").fetchall()
    if sorted((code, c, data) for code, c, data, _ in shares) == [tuple(r) for r in theirs]:
        return []
    return [f"shared exercises differ ({len(shares)} in SQLite, {len(theirs)} in PostgreSQL)"]


def file_differences(files: list[tuple], url: str) -> list[str]:
    """The chats' files PostgreSQL holds differently (empty: an exact copy)."""
    import psycopg

    with psycopg.connect(url) as db:
        theirs = db.execute(
            "SELECT chat_id, name, data FROM chat_files ORDER BY chat_id, name"
        ).fetchall()
    mine = [(c, name, _digest(data)) for c, name, data, _ in files]
    if mine == [(c, name, _digest(bytes(data))) for c, name, data in theirs]:
        return []
    return [f"chat files differ ({len(files)} in SQLite, {len(theirs)} in PostgreSQL)"]


def copy(
    chats: list[tuple],
    corrections: list[tuple],
    url: str,
    files: list[tuple] = (),
    shares: list[tuple] = (),
) -> None:
    """Write the rows (and the chats' files and /share codes) into PostgreSQL in one
    transaction; refuse a database that has chats."""
    import psycopg

    from bot.backends.postgres import PostgresStore

    PostgresStore(url).close()  # the schema
    with psycopg.connect(url) as db, db.transaction():
        present = db.execute("SELECT count(*) FROM chats").fetchone()[0]
        if present:
            raise MigrationError(f"the PostgreSQL database already has {present} chats")
        with db.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO chats (chat_id, state, model, training, updated) "
                "VALUES (%s, %s, %s, %s, %s)",
                [(c, s, m, _training(s), u) for c, s, m, u in chats],
            )
            cursor.executemany(
                "INSERT INTO corrections (chat_id, label, image, created) VALUES (%s, %s, %s, %s)",
                corrections,
            )
            cursor.executemany(
                "INSERT INTO chat_files (chat_id, name, data, updated) VALUES (%s, %s, %s, %s)",
                list(files),
            )
            cursor.executemany(
                "INSERT INTO shares (code, chat_id, data, created) VALUES (%s, %s, %s, %s)",
                list(shares),
            )


def differences(chats: list[tuple], corrections: list[tuple], url: str) -> list[str]:
    """What PostgreSQL holds differently from the SQLite rows (empty: an exact copy)."""
    import psycopg

    with psycopg.connect(url) as db:
        theirs = db.execute("SELECT chat_id, state, model FROM chats ORDER BY chat_id").fetchall()
        their_corrections = db.execute(
            "SELECT chat_id, label, image FROM corrections ORDER BY id"
        ).fetchall()
    mine = {c: (s, _digest(m)) for c, s, m, _ in chats}
    found = {c: (s, _digest(None if m is None else bytes(m))) for c, s, m in theirs}
    problems = [f"chat {c}: missing in PostgreSQL" for c in mine.keys() - found.keys()]
    problems += [f"chat {c}: only in PostgreSQL" for c in found.keys() - mine.keys()]
    problems += [
        f"chat {c}: {'state' if mine[c][0] != found[c][0] else 'network'} differs"
        for c in sorted(mine.keys() & found.keys())
        if mine[c] != found[c]
    ]
    if [(c, lab, _digest(img)) for c, lab, img, _ in corrections] != [
        (c, lab, _digest(bytes(img))) for c, lab, img in their_corrections
    ]:
        problems.append(
            f"corrections differ ({len(corrections)} in SQLite, {len(their_corrections)} in "
            "PostgreSQL)"
        )
    return sorted(problems)


class MigrationError(RuntimeError):
    """The copy cannot be made as asked; the message says why."""


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not args.to.startswith(("postgresql://", "postgres://")):
        print("nnbot migrate: --to must be a postgresql:// address", file=sys.stderr)
        return 2
    try:
        source = Path(args.source) if args.source else Config.from_env().database_path
    except ConfigError as error:
        print(f"nnbot migrate: {error}", file=sys.stderr)
        return 2
    if not source.is_file():
        print(f"nnbot migrate: no SQLite database at {source}", file=sys.stderr)
        return 2
    chats, corrections = sqlite_rows(source)
    files = sqlite_files(source)
    shares = sqlite_shares(source)
    try:
        if not args.check:
            copy(chats, corrections, args.to, files, shares)
            print(
                f"copied {len(chats)} chats, {len(corrections)} corrections, {len(files)} files, "
                f"{len(shares)} shared exercises"
            )
        problems = differences(chats, corrections, args.to) + file_differences(files, args.to)
        problems += share_differences(shares, args.to)
    except MigrationError as error:
        print(f"nnbot migrate: {error}; nothing was copied", file=sys.stderr)
        return 1
    except Exception as error:  # psycopg's errors: the server is down, refused, …
        print(f"nnbot migrate: PostgreSQL: {error}", file=sys.stderr)
        return 1
    for problem in problems:
        print(problem)
    if problems:
        print(f"check: {len(problems)} differences", file=sys.stderr)
        return 1
    print(
        f"check: {len(chats)} chats and {len(corrections)} corrections identical, "
        f"{len(files)} chat files and {len(shares)} shared exercises identical"
    )
    return 0


def _training(state: str) -> bool:
    try:
        return json.loads(state).get("training") is not None
    except (ValueError, AttributeError):
        return False


def _digest(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()
