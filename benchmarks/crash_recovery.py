"""Crash-recovery run: `kill -9` the real bot again and again under writes and trainings.

    .venv/bin/python -m benchmarks.crash_recovery               # 20 kills
    .venv/bin/python -m benchmarks.crash_recovery --kills 5

`nnbot run` runs as a separate process (as a host runs it) against a local Bot API server in
this process, with one DATA_DIR for the whole run. In every cycle several chats keep sending
new tables (each confirmed by the bot after it is saved), one chat trains a big network, and
after a random 0.3–3 s the bot and its training worker are killed with SIGKILL. Then:

* SQLite's `PRAGMA integrity_check` must say ok;
* every table the bot had confirmed must be in the database (or a later one of that chat);
* the networks trained before the first kill must be byte-for-byte the same;
* after the restart, the chat whose training was cut short is told so, exactly once;
* the time from the restart to the first answer is measured.

At the end the bot gets SIGTERM during a training and must exit 0 and tell the chat.
Exits 1 if anything fails. The CI test tests/stress/test_crash_recovery.py is one such cycle.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

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

WRITERS = list(range(201, 211))
TRAINED = [101, 102]
LONG = 150


async def run(kills: int, folder: Path, seed: int) -> list[str]:
    rng = random.Random(seed)
    problems: list[str] = []
    server = LocalBotApi()
    await server.start()
    data = folder / "data"
    db_path = data / "nnbot.sqlite3"
    bot = BotProcess(server, data, folder / "bot.log")
    client = client_for(server)
    users = {c: client.user(c, f"U{c}") for c in [*TRAINED, LONG, *WRITERS]}
    understood = fragment("table.understood")
    interrupted = plain("app.training_interrupted")
    confirmed = {c: -1 for c in WRITERS}
    version = {c: 0 for c in WRITERS}
    recoveries: list[float] = []
    writes = 0
    reported = 0
    try:
        await bot.start()
        for chat in TRAINED:
            await say(users[chat], small_table(chat, 0), understood)
            await say(users[chat], "/settings epochs=300", "Training settings")
            await say(users[chat], "/train", plain("train.plot.caption"), timeout=120)
        await say(users[LONG], long_table(), understood)
        await say(users[LONG], "/settings hidden=64 epochs=100000", "Training settings")
        networks = {c: read_db(db_path)[c]["model"] for c in TRAINED}

        for cycle in range(1, kills + 1):
            started = await say(users[LONG], "/train", "4-64-1", timeout=60)

            async def writer(chat: int) -> None:
                nonlocal writes
                while True:
                    v = version[chat] = version[chat] + 1
                    await say(users[chat], small_table(chat, v), f"x{chat}v{v}", timeout=30)
                    confirmed[chat] = v
                    writes += 1

            tasks = [asyncio.create_task(writer(c)) for c in WRITERS]
            await wait_until(lambda started=started: len(started.versions) >= 2, timeout=60)
            await asyncio.sleep(rng.uniform(0.3, 3.0))
            bot.kill9()
            await bot.wait()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

            check = integrity(db_path)
            if check != "ok":
                problems.append(f"cycle {cycle}: integrity_check says {check}")
            rows = read_db(db_path)
            for chat, v in confirmed.items():
                header = rows[chat]["state"]["table"]["inputs"][0]
                if int(header.split("v")[1]) < v:
                    problems.append(f"cycle {cycle}: chat {chat} lost confirmed table v{v}")
            for chat, model in networks.items():
                if rows[chat]["model"] != model:
                    problems.append(f"cycle {cycle}: chat {chat}'s network changed")
            marked = rows[LONG]["state"]["training"] is not None

            before = sum(interrupted in text for text in texts(server, LONG))
            restart = time.monotonic()
            await bot.start()
            await say(users[WRITERS[0]], "/help", plain("app.help.commands"), timeout=60)
            recoveries.append(time.monotonic() - restart)
            if marked:
                try:
                    await wait_until(
                        lambda before=before: (
                            sum(interrupted in t for t in texts(server, LONG)) > before
                        ),
                        timeout=30,
                    )
                    reported += 1
                except TimeoutError:
                    problems.append(f"cycle {cycle}: the interrupted training was not reported")
            await asyncio.sleep(0.5)
            count = sum(interrupted in text for text in texts(server, LONG)) - before
            if count > 1:
                problems.append(f"cycle {cycle}: interrupted training reported {count} times")
            print(
                f"cycle {cycle}: killed, integrity {check}, {writes} confirmed writes so far, "
                f"training marked {marked}, restart → first answer {recoveries[-1]:.2f} s",
                flush=True,
            )

        started = await say(users[LONG], "/train", "4-64-1", timeout=60)
        await wait_until(lambda: len(started.versions) >= 2, timeout=60)
        bot.terminate()
        code = await bot.wait(timeout=60)
        if code != 0:
            problems.append(f"SIGTERM: exit code {code}")
        try:
            await wait_for_text(server, LONG, plain("app.training_stopped_shutdown"), timeout=5)
        except TimeoutError:
            problems.append("SIGTERM: the chat was not told its training stopped")
        if integrity(db_path) != "ok":
            problems.append("after SIGTERM: integrity_check failed")
        log = bot.log()
        if server.token in log or server.token.split(":")[1] in log:
            problems.append("the token is in the bot's log")
        print(
            f"\n{kills} kill -9 cycles: {writes} confirmed table writes, all present after "
            f"every kill: {not any('lost' in p for p in problems)}; integrity ok every time: "
            f"{not any('integrity' in p for p in problems)}; interrupted trainings reported "
            f"{reported}/{kills}; restart → first answer median "
            f"{sorted(recoveries)[len(recoveries) // 2]:.2f} s, max {max(recoveries):.2f} s; "
            f"SIGTERM exit code {code}"
        )
    finally:
        if bot.process is not None and bot.process.returncode is None:
            bot.kill9()
            await bot.wait()
        await server.stop()
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="nnbot-crash-") as folder:
        problems = asyncio.run(run(args.kills, Path(folder), args.seed))
    for problem in problems:
        print(f"FAIL: {problem}")
    print("PASS" if not problems else "FAILED")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
