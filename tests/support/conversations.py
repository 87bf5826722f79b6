"""A property-based conversation fuzzer: hypothesis' stateful testing drives the real bot.

`Conversation` is a `RuleBasedStateMachine`; one run of it (one hypothesis example) is one
learner's conversation with the bot, in a chat of its own. Its rules send commands, tables
(good and malformed), settings (sensible and absurd), free text, photos and documents,
press buttons (the newest and old ones, and forged callback data) and restart the bot.
After every step it checks the invariants of issue 11:

* no apology: the generic "something went wrong" text never appears;
* no ERROR in the log;
* every update answered: a message gets at least one bot message after it, a button press
  gets its callback query answered;
* a restart on the same data always works, and nothing the chat saved (table, settings,
  trained network) is lost by it.

The bot runs in a background thread's event loop (`BotDriver`) so the synchronous state
machine can wait for it; one driver serves every conversation of a run. The fast version
(tests/e2e/test_fuzz_conversations.py) runs a few short conversations in CI; the long one is
`python -m benchmarks.fuzz_conversations --steps N`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from bot.config import Config, Limits
from bot.localapi.client import LocalUser
from tests.stress.harness import local_bot, plain
from tests.support import synthetic_photos

FUZZ_LIMITS = {
    "workers": 1,
    "job_seconds": 20.0,
    "max_epochs": 400,  # trainings stay short; larger asks get the "limit" answer
    "rate_per_minute": 0,  # a fuzzer types faster than any learner
}

COMMANDS = [
    "/start", "/help", "/train", "/stop", "/net", "/boundary", "/weights", "/plot",
    "/predict", "/predict 1 0", "/predict 1,5", "/predict x", "/predict 1 2 3 4 5",
    "/explain", "/explain 1", "/explain ²", "/explain ①", "/explain 0", "/explain 99999",
    "/explain -1", "/settings", "/examples", "/lang", "/reset", "/digit", "/stats",
    "/table", "/nonexistent", "/start payload_x-1", "/HELP",
]  # fmt: skip

TABLES = [
    "x1 x2 | y\n0 0 | 0\n0 1 | 1\n1 0 | 1\n1 1 | 0",
    "x y\n1 2\n2 4\n3 6\n4 8",
    "рост вес | пол\n170 65 | м\n160 50 | ж\n180 80 | м\n155 45 | ж",
    "$x^$ cost$_in_$_ | class\n0 0 | _low\n0 1 | $hi$\n1 0 | $hi$\n1 1 | _low",
    "a;b;c\n1,5;2,5;1\n2,5;3,5;0\n3,5;1,5;1",
    "x y\n1\u200b 2\n2 4\u200f\n3 6",
    "x y\nnan 1\ninf 2\n3 -inf",
    "x y\n1 2",
    "x y\n1e308 1\n-1e308 2\n1e308 3",
    "<b>x</b> <i>y\n1 2\n3 4\n5 6",
    "name x y\n" + "\n".join(f"{'n' * 300}{i} {i} {2 * i}" for i in range(12)),
    "x | y\n1 | ?\n2 | 4\n3 | 6\n? | ?",
    "a b c d\n1 2 3\n4 5 6 7",
    "",
    "x y\n" + "\n".join(f"{i} {i % 2}" for i in range(200)),
]

SETTINGS = [
    "lr=10 optimizer=sgd epochs=100",
    "lr=0.1 epochs=50",
    "epochs=30 hidden=8,4 activation=relu",
    "epochs=200 batch=1 validation=0.25",
    "hidden=none epochs=20",
    "preset=article",
    "preset=default",
    "init=textbook epochs=10",
    "scale=on epochs=40",
    "lr=1e308",
    "lr=-1",
    "lr=nan",
    "epochs=0",
    "epochs=99999999999999999999",
    "hidden=99999",
    "hidden=1,1,1,1,1,1,1,1,1,1",
    "batch=-5",
    "validation=2",
    "seed=abc",
    "loss=ce",
    "activation=bogus",
    "lr",
    "=",
    "lr==0.1",
    "скорость=0.5 эпохи=30",
]

RESTART_EVERY = 6  # steps of a conversation between two restarts, at least

FORGED_PREFIXES = ["digits:set:0:", "digits:stages:", "train:s:", "train:", "app:lang:",
                   "app:reset:", "tables:ex:", "", "x:"]  # fmt: skip


@dataclasses.dataclass
class Tally:
    """What a run of the fuzzer did, for its report."""

    steps: int = 0
    conversations: int = 0
    restarts: int = 0
    trainings: int = 0
    lost: list[str] = dataclasses.field(default_factory=list)


class BotDriver:
    """The real bot (local Bot API, `tests.stress.harness.local_bot`) in a background thread."""

    def __init__(self, data_dir: Path, quiet: float = 0.15) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        limits = dataclasses.replace(Limits(), **FUZZ_LIMITS)
        config = Config(data_dir=data_dir, log_level="WARNING", limits=limits)
        self._context = local_bot(config, quiet=quiet)
        self.session = self.run(self._context.__aenter__(), timeout=120)
        self.tally = Tally()
        self._ids = itertools.count(700_001)

    def run(self, coroutine: Coroutine, timeout: float = 120.0) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def new_user(self) -> LocalUser:
        user_id = next(self._ids)
        lang = ("en", "ru", None)[user_id % 3]
        return self.session.user(user_id, f"Learner{user_id}", language_code=lang)

    @property
    def store(self):
        return self.session.application.bot_data["services"].store

    def close(self) -> None:
        try:
            self.run(self._context.__aexit__(None, None, None), timeout=120)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)


def _photos() -> list[bytes]:
    rng = np.random.default_rng(11)
    return [
        synthetic_photos.random_digit_photo(None, digit, rng, size=(480, 360), orientation=1)
        for digit in (3, 7)
    ]


PHOTOS: list[bytes] = []  # made on first use: drawing them costs a moment


def conversation_class(driver: BotDriver) -> type[RuleBasedStateMachine]:
    """The state machine class bound to a running bot (hypothesis builds one per example)."""

    class Conversation(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.driver = driver
            self.user = driver.new_user()
            driver.tally.conversations += 1
            self.apology = plain("error.internal")
            self.seen_errors = len(driver.session.log.errors)
            self.steps_here = 0  # steps since the conversation began or the bot restarted

        # --- acting -------------------------------------------------------------------

        def _message(self, send: Coroutine) -> None:
            sent = self.driver.run(send)
            replies = self.driver.run(self.user.replies(after=sent))
            self.driver.tally.steps += 1
            self.steps_here += 1
            assert replies, f"no answer to message {sent} in chat {self.user.chat_id}"

        def _press(self, message_id: int, data: str) -> None:
            server = self.driver.session.server
            query = server.receive_callback(self.user.user, self.user.chat_id, message_id, data)
            self.driver.run(self.user.replies())
            self.driver.tally.steps += 1
            self.steps_here += 1
            assert self.user.answer(query) is not None, f"button {data!r} never answered"

        @rule(command=st.sampled_from(COMMANDS))
        def command(self, command: str) -> None:
            if command == "/train":
                self.driver.tally.trainings += 1
            self._message(self.user.send(command))

        @rule(table=st.sampled_from(TABLES), as_command=st.booleans())
        def table(self, table: str, as_command: bool) -> None:
            text = f"/table {table}" if as_command or not table else table
            if len(text) > 4096:
                self._message(self.user.send_document(text.encode(), file_name="t.csv"))
            else:
                self._message(self.user.send(text))

        @rule(settings=st.sampled_from(SETTINGS))
        def settings(self, settings: str) -> None:
            self._message(self.user.send(f"/settings {settings}"))

        @rule(settings=st.sampled_from(SETTINGS[:9]), table=st.sampled_from(TABLES[:5]))
        def train(self, settings: str, table: str) -> None:
            """A whole training, as most learners do it: a table, settings, /train."""
            if self.driver.store.load(self.user.chat_id).table is None:
                self._message(self.user.send(f"/table {table}"))
            self._message(self.user.send(f"/settings {settings}"))
            self.driver.tally.trainings += 1
            self._message(self.user.send("/train"))

        @rule(text=st.text(min_size=1, max_size=200).filter(lambda s: s.strip()))
        def free_text(self, text: str) -> None:
            self._message(self.user.send(text))

        @rule(
            text=st.text(st.sampled_from("0123456789 ,.;|?-\n\t\u200bexy"), min_size=1, max_size=80)
        )
        def table_like_text(self, text: str) -> None:
            if text.strip():
                self._message(self.user.send(text))

        @rule(index=st.integers(0, 1))
        def photo(self, index: int) -> None:
            if not PHOTOS:
                PHOTOS.extend(_photos())
            self._message(self.user.send_photo(PHOTOS[index]))

        @rule(
            kind=st.sampled_from(["cp1252", "cp1251", "utf16", "binary", "empty", "image"]),
            name=st.sampled_from(["t.csv", "t.txt", "photo.png", "noext", "t.xlsx"]),
        )
        def document(self, kind: str, name: str) -> None:
            if kind == "image":
                if not PHOTOS:
                    PHOTOS.extend(_photos())
                data = PHOTOS[0]
            else:
                data = {
                    "cp1252": "Größe;Preis\n1,5;2\n2,5;3\n3,5;4".encode("cp1252"),
                    "cp1251": "рост;вес\n170;65\n160;50".encode("cp1251"),
                    "utf16": "x y\n1 2\n2 4\n3 6".encode("utf-16"),
                    "binary": bytes(range(256)) * 4,
                    "empty": b"",
                }[kind]
            self._message(self.user.send_document(data, file_name=name))

        @precondition(lambda self: self.user.keyboard_message() is not None)
        @rule(pick=st.integers(0, 10_000), newest=st.booleans())
        def press(self, pick: int, newest: bool) -> None:
            shown = [m for m in self.user.messages() if m.buttons and not m.deleted]
            message = shown[-1] if newest else shown[pick % len(shown)]  # old ones too
            buttons = [b for b in message.buttons if b.callback_data]
            if buttons:
                self._press(message.message_id, buttons[pick % len(buttons)].callback_data)

        @precondition(lambda self: self.user.messages())
        @rule(prefix=st.sampled_from(FORGED_PREFIXES), tail=st.text(max_size=30))
        def forged_button(self, prefix: str, tail: str) -> None:
            data = (prefix + tail).encode()[:64].decode(errors="ignore") or "x"
            self._press(self.user.messages()[-1].message_id, data)

        @precondition(lambda self: self.steps_here >= RESTART_EVERY)
        @rule()
        def restart(self) -> None:
            """Restart on the same data: it starts, answers, and the chat lost nothing."""
            store = self.driver.store
            before = store.load(self.user.chat_id)
            self.driver.run(self.driver.session.restart())
            self.driver.tally.restarts += 1
            self.steps_here = 0
            after = self.driver.store.load(self.user.chat_id)
            for name in ("table", "settings", "model", "encoding", "lang"):
                if getattr(before, name) != getattr(after, name):
                    self.driver.tally.lost.append(f"chat {self.user.chat_id}: {name}")
            assert not self.driver.tally.lost, self.driver.tally.lost
            self._message(self.user.send("/help"))

        # --- invariants -----------------------------------------------------------------

        @invariant()
        def no_apology_and_no_error(self) -> None:
            for message in self.user.messages():
                assert self.apology not in message.text, f"apology in chat {self.user.chat_id}"
            errors = self.driver.session.log.errors[self.seen_errors :]
            assert not errors, f"the bot logged errors: {errors}"

    return Conversation
