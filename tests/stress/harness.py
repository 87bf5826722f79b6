"""Shared pieces of the robustness tests and benchmarks (issue 7).

* `full_build` — `bot.app.build_application` with every feature module registered (a no-op
  once `bot.features.MODULES` lists them all);
* `local_bot` — the real bot in this process against the local Bot API (`LocalSession`), with
  every log record captured, for the in-process robustness tests;
* `BotProcess` — `nnbot run` as a separate process (what a host runs), pointed at a local
  Bot API server in this process, for the crash tests and the load benchmark;
* small waiting and reading helpers.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import importlib
import json
import logging
import os
import random
import signal
import sqlite3
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from bot.chat.session import LocalSession
from bot.config import Config, Limits
from bot.i18n import t
from bot.localapi.client import BotClient, LocalUser
from bot.localapi.entities import parse_html
from bot.localapi.server import LocalBotApi

ROOT = Path(__file__).resolve().parents[2]
FEATURES = ("bot.digits.handlers", "bot.training.handlers", "bot.tables.handlers")


def plain(key: str, lang: str = "en", **values: object) -> str:
    """A catalogue message as the user reads it (HTML applied)."""
    return parse_html(t(key, lang, **values))[0]


def fragment(key: str, lang: str = "en") -> str:
    """The longest fixed piece of a message with placeholders, as the user reads it."""
    pieces = t(key, lang).replace("}", "{").split("{")[::2]
    return max((parse_html(piece)[0].strip() for piece in pieces), key=len)


def full_build(config: Config):
    """The bot as `nnbot run` builds it, plus any feature module not yet in MODULES."""
    from bot.app import build_application
    from bot.features import MODULES, all_commands

    application = build_application(config)
    registered = {module.__name__ for module in MODULES}
    missing = [name for name in FEATURES if name not in registered]
    for name in missing:
        importlib.import_module(name).register(application)
    if missing:
        commands = all_commands()
        for name in missing:
            commands += [c for c in importlib.import_module(name).COMMANDS if c not in commands]
        application.bot_data["commands"] = commands
    return application


def small_config(data_dir: Path, **limits: object) -> Config:
    """One training worker (CI has two cores), quick jobs, everything else as shipped."""
    values = {"workers": 1, "job_seconds": 60.0, **limits}
    return Config(
        data_dir=data_dir, log_level="WARNING", limits=dataclasses.replace(Limits(), **values)
    )


class LogCapture(logging.Handler):
    """Every log record of the process, formatted (with tracebacks) as a handler would."""

    def __init__(self, level: int = logging.DEBUG) -> None:
        super().__init__(level)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        self.lines: list[str] = []
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = self.format(record)
        self.lines.append(text)
        if record.levelno >= logging.ERROR:
            self.errors.append(text)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@contextlib.asynccontextmanager
async def local_bot(
    config: Config, *, level: int = logging.INFO, quiet: float = 0.3
) -> AsyncIterator[LocalSession]:
    """The real bot polling a local Bot API in this event loop; `session.log` has its logs."""
    capture = LogCapture(level)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(capture)
    root.setLevel(min(old_level or logging.WARNING, level))
    session = LocalSession(config, build=full_build, quiet=quiet, timeout=90)
    session.log = capture
    try:
        async with session:
            yield session
    finally:
        root.removeHandler(capture)
        root.setLevel(old_level)


def bot_messages(server: LocalBotApi, chat_id: int) -> list:
    return [m for m in server.chat_messages(chat_id) if m.from_bot]


def texts(server: LocalBotApi, chat_id: int) -> list[str]:
    """Every text and caption the bot showed in a chat, edits included."""
    shown = []
    for message in bot_messages(server, chat_id):
        for version in message.versions:
            shown.append(version.get("text", version.get("caption", "")))
    return shown


def apologies(server: LocalBotApi) -> dict[int, int]:
    """How many "something went wrong" apologies each chat got (should be none)."""
    sorry = plain("error.internal")
    found = {}
    for chat_id in server.chats:
        count = sum(sorry in text for text in texts(server, chat_id))
        if count:
            found[chat_id] = count
    return found


async def wait_until(
    predicate: Callable[[], object], timeout: float = 30.0, interval: float = 0.05
) -> object:
    """Poll `predicate` until it returns something truthy; TimeoutError after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"condition not met after {timeout:.0f} s")
        await asyncio.sleep(interval)


async def wait_for_text(
    server: LocalBotApi, chat_id: int, needle: str, timeout: float = 30.0, after: int = 0
):
    """Wait until a bot message (any version) after message `after` contains `needle`."""

    def found():
        for message in bot_messages(server, chat_id):
            if message.message_id <= after:
                continue
            if any(needle in v.get("text", v.get("caption", "")) for v in message.versions):
                return message
        return None

    return await wait_until(found, timeout)


# --- `nnbot run` as a separate process ----------------------------------------------------

# `nnbot run`, i.e. `bot.cli.main(["run"])`; feature modules not yet listed in
# bot.features.MODULES are added first (nothing changes once they all are).
RUN_BOT = f"""
import importlib, sys
import bot.features as handlers
from bot.cli import main
names = {{m.__name__ for m in handlers.MODULES}}
extra = tuple(importlib.import_module(n) for n in {FEATURES!r} if n not in names)
handlers.MODULES = handlers.MODULES + extra
sys.exit(main(["run"]))
"""


class BotProcess:
    """`python -m bot run` against `server`, with its own DATA_DIR; stderr goes to a file."""

    def __init__(self, server: LocalBotApi, data_dir: Path, log_path: Path, **env: str) -> None:
        self.server, self.data_dir, self.log_path = server, data_dir, log_path
        self.env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": server.token,
            "TELEGRAM_API_BASE_URL": server.base_url,
            "DATA_DIR": str(data_dir),
            "WORKERS": "1",
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        self.env.pop("TELEGRAM_BOT_TOKEN_FILE", None)
        self.process: asyncio.subprocess.Process | None = None
        self.started_polls = 0

    async def start(self, timeout: float = 60.0) -> None:
        """Start the bot and wait until it polls (its start-up messages are sent by then)."""
        before = self._polls()
        with open(self.log_path, "ab") as log:
            log.write(f"--- start {time.strftime('%H:%M:%S')}\n".encode())
            log.flush()
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-c",
                RUN_BOT,
                cwd=ROOT,
                env=self.env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        await wait_until(
            lambda: self._polls() > before or self.process.returncode is not None, timeout
        )
        if self.process.returncode is not None:
            raise RuntimeError(f"nnbot run exited with {self.process.returncode}: {self.log()}")

    def _polls(self) -> int:
        return sum(1 for name, _ in self.server.calls if name.lower() == "getupdates")

    @property
    def pid(self) -> int:
        return self.process.pid

    def kill9(self) -> None:
        """SIGKILL the bot and its training workers (the whole process group), like a crash."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def terminate(self) -> None:
        self.process.send_signal(signal.SIGTERM)

    async def wait(self, timeout: float = 60.0) -> int:
        return await asyncio.wait_for(self.process.wait(), timeout)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def read_db(path: Path) -> dict[int, dict]:
    """Every chat row as {chat_id: {"state": dict, "model": bytes|None}} (read-only)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        rows = db.execute("SELECT chat_id, state, model FROM chats").fetchall()
    finally:
        db.close()
    return {cid: {"state": json.loads(state), "model": model} for cid, state, model in rows}


def integrity(path: Path) -> str:
    db = sqlite3.connect(path, timeout=10)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()


def client_for(server: LocalBotApi) -> BotClient:
    """Simulated users for a bot running in another process (no busy hook)."""
    return BotClient(server, quiet=0.5, timeout=60)


__all__ = [
    "BotProcess",
    "LocalUser",
    "LogCapture",
    "apologies",
    "bot_messages",
    "client_for",
    "fragment",
    "full_build",
    "integrity",
    "local_bot",
    "plain",
    "read_db",
    "small_config",
    "texts",
    "wait_for_text",
    "wait_until",
]


# --- the crash scenario's tables, shared by the CI test and the benchmark -------------------


def small_table(chat: int, version: int = 0) -> str:
    """A tiny XOR table whose header names the chat and the version (to find it after a crash)."""
    return f"/table\nx{chat}v{version} z{chat} y\n0 0 0\n0 1 1\n1 0 1\n1 1 0\n"


def long_table(rows: int = 140, seed: int = 7) -> str:
    """A table big enough that a training on it is still running when the bot is killed."""
    rng = random.Random(seed)
    lines = ["p q r s label"]
    for _ in range(rows):
        values = [rng.uniform(-3, 3) for _ in range(4)]
        lines.append(" ".join(f"{v:.2f}" for v in values) + f" {int(sum(values) > 0)}")
    return "/table\n" + "\n".join(lines)


async def say(user, text: str, expect: str, timeout: float = 60.0):
    """Send `text` and wait for a bot message containing `expect` after it."""
    after = max((m.message_id for m in bot_messages(user.server, user.chat_id)), default=0)
    await user.send(text)
    return await wait_for_text(user.server, user.chat_id, expect, timeout, after=after)
