"""`nnbot chat`: talk to the real bot in this terminal — no token, no internet.

It starts the local Bot API server and the bot (`bot.app.build_application`, as `nnbot run`
does) in this process. Each line you type is a message; a line ending with `\\` continues the
same message, so tables can be typed. `/photo PATH`, `/file PATH` and `/press N` send a photo,
a document, or press the Nth button shown. Pictures and files the bot sends are saved into
`--out` and their paths printed.

With a terminal it is interactive (prompt, line editing, edits printed as they happen). When
stdin is not a terminal it runs a script: it echoes each message as `> …`, waits for every
reply before sending the next, shows only the final state of a fast series of edits, and
exits 0 at the end of input:

    printf '/examples\\n/press 1\\n/train\\n' | nnbot chat --out pictures
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import locale
import os
import queue
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from bot.chat.session import LocalSession
from bot.config import Config, ConfigError
from bot.localapi.client import BotMessage, LocalUser
from bot.localapi.state import Event

DEFAULT_USER_ID = 1001
PROMPT = "you> "
MORE = "...> "
HELP = (
    "nnbot chat: the real bot, offline. Type a message and press Enter; end a line with \\ to "
    "continue the message (tables).\n"
    "  /photo PATH   send a photo      /file PATH   send a file\n"
    "  /press N      press button [N]  /quit or Ctrl-D   leave\n"
    "Pictures and files from the bot go to {out}"
)


def join_continued(lines: Iterable[str]) -> Iterator[str]:
    """Lines → messages: a line ending with a backslash continues on the next line."""
    parts: list[str] = []
    for line in lines:
        line = line.rstrip("\r\n")
        if line.endswith("\\"):
            parts.append(line[:-1].rstrip())
            continue
        parts.append(line)
        yield "\n".join(parts)
        parts = []
    if parts:
        yield "\n".join(parts)


class Transcript:
    """Prints what happens in the chat and saves the bot's pictures and files."""

    def __init__(self, user: LocalUser, out: Path, stream: TextIO, coalesce: bool) -> None:
        self.user = user
        self.out = out
        self.stream = stream
        self.coalesce = coalesce  # script mode: only the last edit of a series is shown
        self.prompt: str | None = None  # interactive: the prompt to redraw after output
        self._pending_edits: dict[int, BotMessage] = {}
        self._shown_text: dict[int, str] = {}
        self._shown_buttons: dict[int, list[str]] = {}
        self._files = 0
        self.printed = 0  # how many things from the bot were shown so far
        self._queries: set[str] = set()
        self.queue: asyncio.Queue[Event] = user.server.subscribe()

    def expect_answer(self, query_id: str) -> None:
        self._queries.add(query_id)

    def handle(self, event: Event) -> None:
        if event.kind == "answer":
            if event.detail.get("query_id") in self._queries and event.detail.get("text"):
                self._flush_edits()
                self.say(f"(!) {event.detail['text']}")
            return
        if event.chat_id != self.user.chat_id or event.message is None:
            return
        if not event.message.from_bot:
            return
        stored = event.message
        version = event.detail.get("version")
        if version is not None and event.kind != "delete":
            stored = dataclasses.replace(stored, data=stored.versions[version])
        message = BotMessage(self.user.server, stored)
        if event.kind == "edit" and self.coalesce:
            if self._pending_edits and message.message_id not in self._pending_edits:
                self._flush_edits()
            self._pending_edits[message.message_id] = message
            return
        self._flush_edits()
        if event.kind == "message":
            self._show_new(message)
        elif event.kind == "edit":
            self._show_edit(message)
        elif event.kind == "delete":
            self.say(f"~ deleted: {_first_line(message.text)}")

    def flush(self) -> None:
        self._flush_edits()

    def drain(self) -> None:
        """Show every event that has arrived so far."""
        while not self.queue.empty():
            self.handle(self.queue.get_nowait())

    def _flush_edits(self) -> None:
        pending, self._pending_edits = self._pending_edits, {}
        for message in pending.values():
            self._show_edit(message)

    def _show_new(self, message: BotMessage) -> None:
        lines = []
        if message.kind == "photo":
            lines.append(f"[photo] {self._save(message.photo, 'photo', _image_suffix(message))}")
        elif message.kind == "document":
            name = message.file_name or "file"
            lines.append(f"[file] {self._save(message.document, name, '')}")
        if message.text:
            lines.append(message.text)
        lines += _keyboard_lines(message)
        self._remember(message)
        self.say("\n".join(lines) + "\n")

    def _show_edit(self, message: BotMessage) -> None:
        if message.deleted:
            return
        text_changed = self._shown_text.get(message.message_id) != message.text
        buttons_changed = self._shown_buttons.get(message.message_id) != _labels(message)
        lines = []
        if text_changed:
            lines.append(f"~ edited: {message.text}")
        elif buttons_changed:
            lines.append("~ buttons: " + ("" if message.buttons else "(removed)"))
        else:
            return
        if buttons_changed or text_changed:
            lines += _keyboard_lines(message)
        self._remember(message)
        self.say("\n".join(lines) + "\n")

    def _remember(self, message: BotMessage) -> None:
        self._shown_text[message.message_id] = message.text
        self._shown_buttons[message.message_id] = _labels(message)

    def _save(self, data: bytes, name: str, suffix: str) -> Path:
        self._files += 1
        self.out.mkdir(parents=True, exist_ok=True)
        path = self.out / f"{self._files:02d}-{Path(name).name}{suffix}"
        path.write_bytes(data)
        return path

    def say(self, text: str) -> None:
        if self.prompt is not None:
            self.stream.write("\r\x1b[K")
        self.stream.write(text + "\n")
        self.printed += 1
        if self.prompt is not None:
            self.stream.write(self.prompt + _line_buffer())
        self.stream.flush()


def _labels(message: BotMessage) -> list[str]:
    return [button.text for button in message.buttons]


def _keyboard_lines(message: BotMessage) -> list[str]:
    lines, number = [], 0
    for row in message.keyboard:
        cells = []
        for button in row:
            number += 1
            cells.append(f"[{number}] {button.text}")
        lines.append("  ".join(cells))
    return lines


def _first_line(text: str) -> str:
    return text.splitlines()[0] if text else ""


def _image_suffix(message: BotMessage) -> str:
    data = message.photo
    if data.startswith(b"\x89PNG"):
        return ".png"
    return ".jpg" if data.startswith(b"\xff\xd8") else ""


def _line_buffer() -> str:
    with contextlib.suppress(ImportError):
        import readline

        return readline.get_line_buffer()
    return ""


async def send(user: LocalUser, text: str, transcript: Transcript) -> None:
    """One message from the user: text, or the /photo, /file, /press commands of this tool."""
    command, _, argument = text.partition(" ")
    argument = argument.strip()
    try:
        if command == "/photo" and argument:
            await user.send_photo(Path(argument).expanduser())
        elif command == "/file" and argument:
            await user.send_document(Path(argument).expanduser())
        elif command == "/press" and argument:
            number = int(argument) if argument.isdigit() else argument
            transcript.expect_answer(await user.press(number))
        else:
            await user.send(text)
    except (OSError, ValueError, LookupError) as error:
        transcript.say(f"(cannot send: {error})\n")


async def run_script(session: LocalSession, user: LocalUser, transcript: Transcript, stdin) -> None:
    await session.wait_idle()  # e.g. "your training was interrupted" after a restart
    transcript.drain()
    for message in join_continued(stdin):
        if not message.strip():
            continue
        transcript.flush()
        lines = message.split("\n")
        echo = ["> " + lines[0]] + ["  " + line for line in lines[1:]]
        label = _button_label(user, message)
        if label:
            echo[0] += f"   ({label})"
        transcript.say("\n".join(echo))
        before = transcript.printed
        await send(user, message, transcript)
        await session.wait_idle()
        transcript.drain()
        transcript.flush()
        if transcript.printed == before:
            transcript.say("(no reply)\n")
    transcript.flush()


class LineReader:
    """input() on a daemon thread, so Ctrl-C or the end of the chat never waits for Enter."""

    def __init__(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._requests: queue.SimpleQueue = queue.SimpleQueue()
        threading.Thread(target=self._run, name="nnbot-chat-input", daemon=True).start()

    async def ask(self, prompt: str) -> str:
        """The next line typed after `prompt`; EOFError at Ctrl-D."""
        future = self._loop.create_future()
        self._requests.put((prompt, future))
        return await future

    def _run(self) -> None:
        while True:
            prompt, future = self._requests.get()
            try:
                line = input(prompt)
            except BaseException as error:  # EOFError (Ctrl-D) goes back to the chat
                self._loop.call_soon_threadsafe(_settle, future, None, error)
                return
            self._loop.call_soon_threadsafe(_settle, future, line, None)


def _settle(future: asyncio.Future, line: str | None, error: BaseException | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(line)


async def run_interactive(session: LocalSession, user: LocalUser, transcript: Transcript) -> None:
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401  (line editing and history for input())
    reader = LineReader()
    while True:
        parts: list[str] = []
        prompt = PROMPT
        while True:
            transcript.prompt = prompt
            try:
                line = await reader.ask(prompt)
            except EOFError:
                print()
                return
            finally:
                transcript.prompt = None
            if line.endswith("\\"):
                parts.append(line[:-1].rstrip())
                prompt = MORE
                continue
            parts.append(line)
            break
        message = "\n".join(parts)
        if message.strip() in {"/quit", "/exit"}:
            return
        if not message.strip():
            continue
        await send(user, message, transcript)
        # Quick replies first; a training keeps printing its progress above the prompt.
        await session.wait_idle(busy=session.handling)


def _button_label(user: LocalUser, message: str) -> str | None:
    """The text of the button `/press N` will press, for the echo line."""
    command, _, argument = message.partition(" ")
    shown = user.keyboard_message()
    if command != "/press" or not argument.strip().isdigit() or shown is None:
        return None
    number = int(argument)
    return shown.buttons[number - 1].text if 1 <= number <= len(shown.buttons) else None


async def _follow(transcript: Transcript) -> None:
    while True:
        transcript.handle(await transcript.queue.get())


async def chat(config: Config, args: argparse.Namespace, interactive: bool, log: TextIO) -> int:
    from bot.logs import setup_logging

    session = LocalSession(config)
    level = "INFO" if args.log else "WARNING"
    setup_logging(level, secrets=[session.server.token], stream=log)
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="nnbot-chat-"))
    user = session.user(args.user_id or _user_id(config), args.name, language_code=args.lang)
    transcript = Transcript(user, out, sys.stdout, coalesce=not interactive)
    try:
        await session.start()
    except Exception as error:
        print(f"nnbot chat: the bot did not start: {error}", file=sys.stderr)
        with contextlib.suppress(Exception):
            await session.stop()
        return 1
    follower = asyncio.create_task(_follow(transcript)) if interactive else None
    try:
        if interactive:
            print(HELP.format(out=out))
            await run_interactive(session, user, transcript)
        else:
            print(f"nnbot chat: pictures and files go to {out}", file=sys.stderr)
            await run_script(session, user, transcript, sys.stdin)
    finally:
        if follower is not None:
            follower.cancel()
        await session.stop()
    return 0


def _user_id(config: Config) -> int:
    """A user the bot lets in: with ALLOWED_USERS set, the first allowed (or admin) id."""
    allowed = config.allowed_users | config.admin_ids
    return min(allowed) if allowed and DEFAULT_USER_ID not in allowed else DEFAULT_USER_ID


def _default_language() -> str:
    code = os.environ.get("LC_ALL") or os.environ.get("LANG") or locale.getlocale()[0] or ""
    return "ru" if code.lower().startswith("ru") else "en"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="nnbot chat",
        description="Talk to the real bot in this terminal, without Telegram. "
        "Pipe a script into it for a transcript.",
    )
    parser.add_argument("--out", help="folder for pictures and files (default: a new temp dir)")
    parser.add_argument("--lang", choices=("en", "ru"), default=_default_language())
    parser.add_argument("--data-dir", help="where the bot keeps its state (default: DATA_DIR)")
    parser.add_argument("--name", default="Learner", help="your first name in the chat")
    parser.add_argument("--user-id", type=int, help="your Telegram user id in the chat")
    parser.add_argument("--log", help="write the bot's log (INFO) to this file")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    # The token and API address are the local server's; Telegram settings do not apply.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
    try:
        config = Config.from_env(env)
    except ConfigError as error:
        print(f"nnbot chat: {error}", file=sys.stderr)
        return 2
    if args.data_dir:
        config = dataclasses.replace(config, data_dir=Path(args.data_dir))
    interactive = sys.stdin.isatty()
    log = open(args.log, "a", encoding="utf-8") if args.log else sys.stderr  # noqa: SIM115
    try:
        return asyncio.run(chat(config, args, interactive, log))
    except KeyboardInterrupt:
        print()
        return 130
    finally:
        if log is not sys.stderr:
            log.close()
