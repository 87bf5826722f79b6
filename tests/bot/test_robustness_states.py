"""Every command in every state gets a friendly answer, and the chat's state stays intact.

The real bot (with its real training worker) runs in this process against the local Bot API.
"Friendly" means: the bot answers (a message, or an answer to the button press), never with
the "something went wrong" apology, and logs no error.
"""

from __future__ import annotations

import pytest

from tests.stress.harness import (
    apologies,
    bot_messages,
    fragment,
    local_bot,
    long_table,
    plain,
    small_config,
)

pytestmark = pytest.mark.timeout(240)

TABLE = "/table\nx1 x2 y\n0 0 0\n0 1 1\n1 0 1\n1 1 0\n"


class Chat:
    """One user in one chat; `ask` sends and returns the texts the bot showed in reply."""

    def __init__(self, session, chat_id: int) -> None:
        self.session = session
        self.user = session.user(chat_id, "Tess")
        self.chat_id = chat_id

    def _seen(self) -> dict[int, int]:
        return {
            m.message_id: len(m.versions) for m in bot_messages(self.session.server, self.chat_id)
        }

    async def _changes(self, before: dict[int, int], jobs: bool) -> list[str]:
        # Do not wait for a training to end unless asked: only for this update's handling.
        busy = None if jobs else self.session.handling
        await self.session.wait_idle(busy=busy)
        shown = []
        for message in bot_messages(self.session.server, self.chat_id):
            for version in message.versions[before.get(message.message_id, 0) :]:
                shown.append(version.get("text", version.get("caption", "")) or "[media]")
        return shown

    async def ask(self, text: str, jobs: bool = False) -> list[str]:
        before = self._seen()
        await self.user.send(text)
        return await self._changes(before, jobs)

    async def press(self, data: str, message=None, jobs: bool = False) -> tuple[dict | None, list]:
        """Press a button with `data` under `message` (default: the bot's latest message)."""
        message = message or bot_messages(self.session.server, self.chat_id)[-1]
        before = self._seen()
        query = self.session.server.receive_callback(
            self.user.user, self.chat_id, message.message_id, data
        )
        shown = await self._changes(before, jobs)
        return self.session.server.callback_answers.get(query), shown

    def state(self):
        services = self.session.application.bot_data["services"]
        return services.store.load(self.chat_id)


def friendly(session) -> None:
    assert not apologies(session.server), apologies(session.server)
    assert not session.log.errors, session.log.errors[:3]


async def test_commands_before_any_table_and_before_training(tmp_path):
    async with local_bot(small_config(tmp_path / "data"), quiet=0.15) as session:
        fresh = Chat(session, 7001)
        for command in ("/train", "/predict 1 0", "/plot", "/explain", "/net", "/boundary"):
            replies = await fresh.ask(command)
            assert replies, f"{command} with no table: no answer"
        assert fragment("train.error.no_table") in "".join(await fresh.ask("/train"))
        assert plain("table.predict.no_table") in await fresh.ask("/predict 1 0")
        assert plain("train.stop.none") in await fresh.ask("/stop")
        for command in ("/weights", "/settings", "/stats", "/digit", "/lang", "/examples"):
            assert await fresh.ask(command), f"{command} with no table: no answer"
        assert fresh.state().table is None

        ready = Chat(session, 7002)
        await ready.ask(TABLE)
        table = ready.state().table
        assert table is not None
        assert plain("table.predict.not_trained") in await ready.ask("/predict 1 0")
        for command in ("/plot", "/net", "/weights", "/boundary"):
            assert fragment("train.error.no_model") in "".join(await ready.ask(command)), command
        assert await ready.ask("/explain")  # the untrained network's first step
        assert await ready.ask("/explain 999")  # no such row
        assert plain("train.stop.none") in await ready.ask("/stop")
        # bad arguments: a clear message each, the table untouched
        for command in (
            "/predict",
            "/predict 1",
            "/predict a b",
            "/predict 1 2 3 4 5",
            "/predict " + "; ".join(["1 0"] * 50),
            "/explain abc",
            "/settings =",
            "/settings foo=1",
            "/settings lr=abc",
            "/settings hidden=99999",
            "/settings epochs=-5",
            "/settings activation=magic",
            "/lang xx",
            "/table",  # then a message that is not a table
            "hello, what can you do?",
            "x" * 4000,
        ):
            assert await ready.ask(command), f"{command!r}: no answer"
        assert ready.state().table == table
        friendly(session)


async def test_buttons_pressed_after_reset_or_from_old_messages(tmp_path):
    async with local_bot(small_config(tmp_path / "data"), quiet=0.15) as session:
        chat = Chat(session, 7101)
        await chat.ask(TABLE)
        await chat.ask("/settings epochs=50")
        settings_message = bot_messages(session.server, chat.chat_id)[-1]
        await chat.ask("/examples")
        examples_message = bot_messages(session.server, chat.chat_id)[-1]
        await chat.ask("/train", jobs=True)
        train_messages = bot_messages(session.server, chat.chat_id)
        progress = next(m for m in train_messages if "train:stop" in str(m.versions))
        await chat.ask("/reset")
        reset_message = bot_messages(session.server, chat.chat_id)[-1]
        answer, shown = await chat.press("app:reset:yes", reset_message)
        assert answer is not None and shown
        assert chat.state().table is None and chat.state().model is None

        # the old buttons, pressed after the reset
        old = [
            ("train:stop", progress),
            ("train:s:lr:half", settings_message),
            ("train:s:hidden:next", settings_message),
            ("train:go", settings_message),
        ]
        for data, message in old:
            answer, shown = await chat.press(data, message)
            assert answer is not None, f"{data}: the press was never answered"
        assert chat.state().table is None, "an old button brought the table back"

        # /reset twice in a row, both confirmed
        for _ in range(2):
            await chat.ask("/reset")
            answer, shown = await chat.press("app:reset:yes")
            assert answer is not None and shown
        assert chat.state().table is None

        # an old example button still works, and garbage in a button is answered
        answer, shown = await chat.press(
            examples_message.data["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
            examples_message,
        )
        assert answer is not None and shown
        assert chat.state().table is not None
        for data in (
            "tables:ex:no-such-example",
            "train:s:nope:next",
            "train:s:lr",
            "train:s:epochs:triple",
            "app:lang:xx",
            "app:reset:maybe",
            "digits:stages:999",
            "digits:set:999:3",
            "digits:wrong",
            "digits:",
        ):
            answer, _ = await chat.press(data, examples_message)
            assert answer is not None, f"{data}: the press was never answered"
        friendly(session)


async def test_a_new_table_and_other_commands_during_training(tmp_path):
    async with local_bot(small_config(tmp_path / "data"), quiet=0.15) as session:
        chat = Chat(session, 7201)
        await chat.ask(long_table(seed=5))
        await chat.ask("/settings hidden=32 epochs=100000")
        before = chat.state()
        replies = await chat.ask("/train")
        assert any("4-32-1" in r for r in replies)
        assert chat.state().training is not None

        refused = plain("train.error.table_during_training")
        assert refused in await chat.ask(TABLE)
        assert refused in await chat.ask("x y\n1 2\n3 4\n")
        await chat.ask("/examples")
        answer, shown = await chat.press("tables:ex:xor")
        assert refused in shown
        assert chat.state().table == before.table, "a new table replaced the one in training"
        assert plain("train.error.busy") in await chat.ask("/train")
        for command in ("/settings lr=0.5", "/predict 1 2 3 4", "/plot", "/explain 1", "/help"):
            assert await chat.ask(command), f"{command} during training: no answer"

        # /stop keeps the network learned so far; the table is the one trained on
        assert plain("train.stop.requested") in await chat.ask("/stop")
        await session.wait_idle()
        state = chat.state()
        assert state.training is None and state.model is not None
        assert state.table == before.table
        assert plain("train.stop.none") in await chat.ask("/stop")

        # /reset during a training cancels it and the network is not brought back
        await chat.ask("/train")
        await chat.ask("/reset")
        answer, shown = await chat.press("app:reset:yes")
        assert answer is not None
        await session.wait_idle()
        state = chat.state()
        assert state.table is None and state.model is None and state.training is None
        assert session.application.bot_data["services"].jobs.running_count == 0
        friendly(session)


async def test_double_tapping_a_button_is_harmless(tmp_path):
    async with local_bot(small_config(tmp_path / "data"), quiet=0.15) as session:
        chat = Chat(session, 7401)
        await chat.ask(TABLE)
        await chat.ask("/reset")
        message = bot_messages(session.server, chat.chat_id)[-1]
        server = session.server
        first = server.receive_callback(
            chat.user.user, chat.chat_id, message.message_id, "app:reset:yes"
        )
        second = server.receive_callback(
            chat.user.user, chat.chat_id, message.message_id, "app:reset:yes"
        )
        await session.wait_idle()
        assert server.callback_answers[first] is not None
        assert server.callback_answers[second] is not None
        await chat.ask("/lang")
        message = bot_messages(session.server, chat.chat_id)[-1]
        for _ in range(2):
            server.receive_callback(chat.user.user, chat.chat_id, message.message_id, "app:lang:en")
        await session.wait_idle()
        assert chat.state().table is None
        friendly(session)


async def test_unknown_commands_get_a_friendly_answer(tmp_path):
    async with local_bot(small_config(tmp_path / "data"), quiet=0.15) as session:
        chat = Chat(session, 7301)
        for command in ("/foo", "/trian", "/TRAIN", "/help@nnbot_local_bot", "/"):
            assert await chat.ask(command), f"{command}: no answer"
        # in a group, a command meant for another bot is not ours to answer
        assert not await chat.ask("/start@someone_elses_bot")
        friendly(session)


async def test_flood_control_from_telegram_is_no_reason_to_apologise(tmp_path):
    async with local_bot(small_config(tmp_path / "data"), quiet=0.15) as session:
        chat = Chat(session, 7501)
        await chat.ask(TABLE)
        session.server.fail_next("sendMessage", 429, retry_after=1)
        await chat.ask("/help")  # its reply is refused with "retry after 1"
        assert await chat.ask("/predict 1 0")  # the bot keeps answering
        assert chat.state().table is not None
        friendly(session)
