"""`nnbot repair`: a damaged database set aside, and what can still be read copied to a new one.

`nnbot run` checks the database before it starts (`bot.store.check_database`) and, when SQLite
reports damage, stops with one line that names this command. Repair never deletes anything:
the damaged file (with its -wal and -shm companions) is renamed to `<name>.damaged-<time>`,
a new database is created in its place, and the rows of every table are copied across one
stretch at a time, stepping over the stretches SQLite can no longer read. `--fresh` only sets
the damaged file aside, for a host who prefers to start empty.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

from bot.config import Config, ConfigError
from bot.store import SCHEMA, StoreUnusable, check_database

TABLES = ("chats", "corrections", "quarantine")
BATCH = 200  # rows read at a time while the pages are sound


def set_aside(path: Path) -> Path:
    """Rename the database and its -wal/-shm files to `<name>.damaged-<time>`; the new name."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        source = path.with_name(path.name + suffix)
        if source.exists():
            source.rename(kept.with_name(kept.name + suffix))
    return kept


def copy_readable(source: Path, target: Path) -> dict[str, tuple[int, int]]:
    """Copy every row of TABLES that SQLite can read: {table: (rows copied, stretches lost)}."""
    old = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    new = sqlite3.connect(target)
    new.executescript(SCHEMA)
    counts = {}
    try:
        for table in TABLES:
            counts[table] = _copy_table(old, new, table)
        new.commit()
    finally:
        old.close()
        new.close()
    return counts


def _copy_table(old: sqlite3.Connection, new: sqlite3.Connection, table: str) -> tuple[int, int]:
    try:
        columns = [row[1] for row in old.execute(f"PRAGMA table_info({table})")]
    except sqlite3.DatabaseError:
        return 0, 1
    if not columns:
        return 0, 0
    last = _edge(old, f"SELECT max(rowid) FROM {table}", 2**62)
    after = _edge(old, f"SELECT min(rowid) FROM {table}", 1) - 1
    names = ", ".join(columns)
    select = f"SELECT rowid, {names} FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT ?"
    insert = f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"
    copied = lost = 0
    skip = 1
    while after < last:
        rows = _read(old, select, after)
        if rows is None:  # unreadable here: step over, further each time (1, 2, 4, … rowids)
            lost += 1
            after, skip = after + skip, skip * 2
            continue
        if not rows:
            break
        new.executemany(insert, [row[1:] for row in rows])
        copied += len(rows)
        after, skip = rows[-1][0], 1
    return copied, lost


def _edge(db: sqlite3.Connection, query: str, fallback: int) -> int:
    """The smallest or largest rowid, or `fallback` when the pages on the way are damaged."""
    try:
        value = db.execute(query).fetchone()[0]
    except sqlite3.DatabaseError:
        return fallback
    return fallback if value is None else int(value)


def _read(db: sqlite3.Connection, select: str, after: int) -> list[tuple] | None:
    """The next rows after rowid `after` (a batch, else one row), or None when unreadable."""
    for limit in (BATCH, 1):
        try:
            return db.execute(select, (after, limit)).fetchall()
        except sqlite3.DatabaseError:
            continue
    return None


def main(argv: list[str] | None = None) -> int:
    """`nnbot repair [--fresh]` on the database in DATA_DIR."""
    parser = argparse.ArgumentParser(
        prog="nnbot repair",
        description="Set a damaged database aside (renamed, never deleted) and copy what can "
        "still be read into a new one. Stop the bot first.",
    )
    parser.add_argument(
        "--fresh", action="store_true", help="only set the damaged file aside: start empty"
    )
    args = parser.parse_args(argv)
    try:
        path = Config.from_env().database_path
    except ConfigError as exc:
        print(f"nnbot repair: {exc}", file=sys.stderr)
        return 2
    if not path.exists():
        print(f"nnbot repair: there is no database at {path}", file=sys.stderr)
        return 2
    kept = set_aside(path)
    print(f"nnbot repair: the damaged database is kept as {kept}")
    if args.fresh:
        print(f"nnbot repair: {path} will be created empty when the bot starts")
        return 0
    counts = copy_readable(kept, path)
    for table, (copied, lost) in counts.items():
        note = f", {lost} unreadable stretches skipped" if lost else ""
        print(f"  {table}: {copied} rows copied{note}")
    try:
        check_database(path)
    except StoreUnusable as exc:
        print(f"nnbot repair: the new database is not usable either: {exc}", file=sys.stderr)
        return 1
    print(f"nnbot repair: {path} is ready; start the bot again")
    return 0
