"""Crash tests: `nnbot run` as a separate process, killed with SIGKILL and stopped with SIGTERM.

The bot runs exactly as a host runs it (`python -m bot run`, polling), against the local Bot
API server in this test's event loop, with a temporary DATA_DIR. We

1. give several chats a table, settings and a trained network;
2. start a long training in one chat and a flood of table writes in others, then `kill -9`
   the bot (and its training worker) in the middle of both;
3. check SQLite's integrity, restart, and check that every chat kept its table, settings and
   network, that every table the bot had confirmed is there, that the interrupted training is
   reported to its chat, and that every chat still gets answers;
4. start a long training again and send SIGTERM: the bot stops cleanly (exit 0) and says so.
"""

from __future__ import annotations

import asyncio
import random

import pytest

from bot.localapi.server import LocalBotApi
from tests.stress.harness import (
    BotProcess,
    client_for,
    fragment,
    integrity,
    long_table,
    plain,
    read_db,
    say,
    small_table,
    texts,
    wait_for_text,
    wait_until,
)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

TRAINED = [101, 102, 103]  # chats with a finished training before the crash
TABLE_ONLY = [104, 105]  # chats with a table and settings only
LONG = 106  # the chat whose training is running when the bot is killed
FLOOD = list(range(201, 209))  # chats sending tables while the bot is killed
SETTINGS = "Training settings"


def lesson_part(row: dict) -> dict:
    """What must survive a crash: the table, the learner's settings and the network."""
    state = row["state"]
    return {"table": state["table"], "settings": state["settings"], "model": row["model"]}


async def test_kill_9_mid_training_and_mid_write_then_sigterm(tmp_path):
    server = LocalBotApi()
    await server.start()
    data = tmp_path / "data"
    db_path = data / "nnbot.sqlite3"
    bot = BotProcess(server, data, tmp_path / "bot.log")
    client = client_for(server)
    try:
        await bot.start()
        users = {c: client.user(c, f"U{c}") for c in [*TRAINED, *TABLE_ONLY, LONG, *FLOOD]}

        # 1. chats with a lesson in progress
        understood = fragment("table.understood")

        async def prepare(chat: int) -> None:
            await say(users[chat], small_table(chat), understood)
            await say(users[chat], f"/settings epochs={150 + chat} lr=0.{chat % 10 + 1}", SETTINGS)
            if chat in TRAINED:
                await say(users[chat], "/train", plain("train.plot.caption"), timeout=90)

        await asyncio.gather(*(prepare(c) for c in [*TRAINED, *TABLE_ONLY]))
        before = read_db(db_path)
        assert all(before[c]["model"] for c in TRAINED), "a training did not save its network"

        # 2. a long training, and a flood of writes, then kill -9
        long_user = users[LONG]
        await say(long_user, long_table(), understood)
        await say(long_user, "/settings hidden=32 epochs=100000", SETTINGS)
        started = await say(long_user, "/train", "4-32-1")
        await wait_until(lambda: len(started.versions) >= 3, timeout=60)  # the progress is moving
        assert read_db(db_path)[LONG]["state"]["training"] is not None

        acked: dict[int, int] = {c: -1 for c in FLOOD}

        async def flood(chat: int) -> None:
            user = users[chat]
            for version in range(1000):
                await say(user, small_table(chat, version), f"x{chat}v{version}", timeout=5)
                acked[chat] = version

        flooding = [asyncio.create_task(flood(c)) for c in FLOOD]
        await wait_until(lambda: min(acked.values()) >= 2, timeout=60)
        await asyncio.sleep(random.uniform(0.05, 0.4))
        bot.kill9()
        assert await bot.wait() == -9
        confirmed = dict(acked)
        for task in flooding:
            task.cancel()
        await asyncio.gather(*flooding, return_exceptions=True)

        # 3. the data after the crash, then a restart
        assert integrity(db_path) == "ok"
        after_crash = read_db(db_path)
        for chat in [*TRAINED, *TABLE_ONLY]:
            assert lesson_part(after_crash[chat]) == lesson_part(before[chat]), chat
        for chat, version in confirmed.items():
            header = after_crash[chat]["state"]["table"]["inputs"][0]
            assert int(header.split("v")[1]) >= version, (chat, header, version)

        await bot.start()
        interrupted = plain("app.training_interrupted")
        await wait_for_text(server, LONG, interrupted, timeout=30)
        assert sum(interrupted in text for text in texts(server, LONG)) == 1
        for chat in [c for c in users if c != LONG]:
            assert not any(interrupted in text for text in texts(server, chat)), chat
        restarted = read_db(db_path)
        assert restarted[LONG]["state"]["training"] is None
        for chat in [*TRAINED, *TABLE_ONLY]:
            assert lesson_part(restarted[chat]) == lesson_part(before[chat]), chat

        # every chat is answered, and the networks saved before the crash still work
        help_head = plain("app.help.commands")
        await asyncio.gather(*(say(u, "/help", help_head, timeout=30) for u in users.values()))
        for chat in TRAINED:
            await say(users[chat], "/predict 1 0", "→", timeout=30)

        # 4. SIGTERM during a training: clean exit 0, the chat is told
        started = await say(long_user, "/train", "4-32-1")
        await wait_until(lambda: len(started.versions) >= 3, timeout=60)
        bot.terminate()
        assert await bot.wait(timeout=60) == 0
        await wait_for_text(server, LONG, plain("app.training_stopped_shutdown"), timeout=5)
        final = read_db(db_path)
        assert final[LONG]["state"]["training"] is None
        assert integrity(db_path) == "ok"
        log = bot.log()
        assert "Traceback" not in log, log[-3000:]
        assert server.token not in log and server.token.split(":")[1] not in log
    finally:
        if bot.process is not None and bot.process.returncode is None:
            bot.kill9()
            await bot.wait()
        await server.stop()
