"""Robustness figures of issue 11: a flood with JPEG bombs, and memory under big images.

    .venv/bin/python -m benchmarks.bench_robustness              # both scenarios
    .venv/bin/python -m benchmarks.bench_robustness --only flood
    .venv/bin/python -m benchmarks.bench_robustness --only memory --chats 50 --images 5

The bot runs as `nnbot run` in its own process (so its memory is its own), polling a local
Bot API server in this process; every user is simulated through that server.

flood   Another chat (the probe) talks to the bot closed-loop — /lang, a photo of a digit,
        /help, … — first alone (the reference), then while one chat sends two progressive-
        JPEG bombs (6000×6000, thousands of scans) and 80 messages at once. Prints the probe's
        latency (its message sent → the bot's first answer) p50/p99 in both runs and their
        ratio; target p99 ≤ 1 s under the flood.
memory  N chats each send M large image documents (4032×3024 JPEGs of a digit on noisy
        paper, ~4 MB each) at once. Prints the bot process's resident memory at start and
        its peak (VmHWM) and checks every image was answered; target peak ≤ 400 MB.

Exits 1 when a target or a check fails.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
from PIL import Image

from bot.localapi.server import LocalBotApi
from tests.stress.harness import BotProcess, apologies, bot_messages, client_for, wait_until
from tests.support.hostile_images import progressive_jpeg_bomb
from tests.support.synthetic_photos import random_digit_photo


def proc_status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


async def first_answer(server: LocalBotApi, chat_id: int, after: int, timeout: float = 120.0):
    """Seconds until the bot sends anything to `chat_id` after message `after`."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if any(m.message_id > after for m in bot_messages(server, chat_id)):
            return time.perf_counter() - start
        await asyncio.sleep(0.005)
    return float("inf")


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


async def probe(server: LocalBotApi, user, photos: list[bytes], steps: int) -> list[float]:
    """The other chat: closed loop, like a person; the latency of each step."""
    latencies = []
    for i in range(steps):
        kind = i % 3
        if kind == 0:
            sent = await user.send("/lang")
        elif kind == 1:
            sent = await user.send_photo(photos[i % len(photos)])
        else:
            sent = await user.send("/help")
        latencies.append(await first_answer(server, user.chat_id, sent))
        await asyncio.sleep(1.0)  # reading the answer: the probe stays under the rate limit
    return latencies


@contextlib.asynccontextmanager
async def bot_process(folder: Path, name: str) -> AsyncIterator[tuple[LocalBotApi, BotProcess]]:
    """A local Bot API server here and `nnbot run` polling it, stopped (SIGTERM) on exit."""
    server = LocalBotApi()
    await server.start()
    bot = BotProcess(server, folder / f"{name}-data", folder / f"{name}.log")
    await bot.start()
    try:
        yield server, bot
    finally:
        bot.terminate()
        await bot.wait()
        await server.stop()


async def flood_scenario(folder: Path, steps: int, scans: int) -> tuple[list[float], ...]:
    async with bot_process(folder, "flood") as (server, _bot):
        client = client_for(server)
        rng = np.random.default_rng(5)
        photos = [random_digit_photo(None, d, rng, stroke="normal") for d in (3, 7, 1)]
        alone = await probe(server, client.user(9001, "Alone"), photos, steps)
        bomb = progressive_jpeg_bomb(6000, 6000, scans)
        print(f"bomb: 6000×6000 progressive JPEG, {scans} scans, {len(bomb) / 1e6:.1f} MB")
        flooder = client.user(9002, "Flood")
        await flooder.send_document(bomb, "bomb1.jpg", "image/jpeg")
        await flooder.send_document(bomb, "bomb2.jpg", "image/jpeg")
        for i in range(80):
            await flooder.send("/help" if i % 2 else f"message {i}")
        flooded = await probe(server, client.user(9003, "Probe"), photos, steps)
        await client.wait_idle(timeout=120)
        problems = apologies(server)
        refused = sum("passes" in m.text for m in flooder.messages())
        print(f"flooding chat: {len(flooder.messages())} answers, {refused} bombs refused")
        if problems:
            print(f"FAIL: apologies {problems}")
        return alone, flooded, [float(bool(problems))]


def large_images(count: int) -> list[bytes]:
    """Phone-sized JPEGs (4032×3024) of a digit on grainy paper, about 4 MB each."""
    rng = np.random.default_rng(11)
    images = []
    for i in range(count):
        page = random_digit_photo(None, i % 10, rng, stroke="thick", size=(4032, 3024))
        grey = np.asarray(Image.open(io.BytesIO(page)).convert("RGB"), dtype=np.int16)
        grain = rng.integers(-18, 18, grey.shape, dtype=np.int16)
        out = io.BytesIO()
        Image.fromarray(np.clip(grey + grain, 0, 255).astype(np.uint8)).save(
            out, "JPEG", quality=92
        )
        images.append(out.getvalue())
    return images


async def memory_scenario(folder: Path, chats: int, per_chat: int) -> dict[str, float]:
    images = large_images(5)
    print(f"images: 4032×3024 JPEG, {np.mean([len(d) for d in images]) / 1e6:.1f} MB on average")
    async with bot_process(folder, "memory") as (server, bot):
        client = client_for(server)
        await asyncio.sleep(2.0)
        start_mb = proc_status_mb(bot.pid, "VmRSS")
        users = [client.user(9100 + c, f"Chat{c}") for c in range(chats)]
        began = time.perf_counter()
        for k in range(per_chat):
            for c, user in enumerate(users):
                await user.send_document(images[(c + k) % len(images)], f"page{k}.jpg")
        sent = chats * per_chat

        def answered() -> int:  # one answer per image: its reading, or why it was refused
            return sum(min(len(u.messages()), per_chat) for u in users)

        with contextlib.suppress(TimeoutError):
            await wait_until(lambda: answered() >= sent, timeout=1200, interval=0.5)
        seconds = time.perf_counter() - began
        read = sum(1 for u in users for m in u.messages() if m.kind == "photo")
        print(f"{read} of the {sent} images were read as digits, the others refused politely")
        return {
            "start": start_mb,
            "peak": proc_status_mb(bot.pid, "VmHWM"),
            "end": proc_status_mb(bot.pid, "VmRSS"),
            "answered": answered(),
            "sent": sent,
            "seconds": seconds,
            "apologies": float(bool(apologies(server))),
        }


def report_flood(alone: list[float], flooded: list[float], failed: list[float]) -> list[str]:
    p50a, p99a = percentile(alone, 50), percentile(alone, 99)
    p50f, p99f = percentile(flooded, 50), percentile(flooded, 99)
    print(f"probe alone       ({len(alone)} steps): p50 {p50a:.3f} s, p99 {p99a:.3f} s")
    print(f"probe under flood ({len(flooded)} steps): p50 {p50f:.3f} s, p99 {p99f:.3f} s")
    print(f"ratio under flood / alone: p50 ×{p50f / p50a:.2f}, p99 ×{p99f / p99a:.2f}")
    failures = [f"p99 under flood {p99f:.2f} s > 1 s"] if p99f > 1.0 else []
    return failures + (["apologies"] if failed[0] else [])


def report_memory(m: dict[str, float]) -> list[str]:
    print(
        f"bot process: {m['start']:.0f} MB at start, peak {m['peak']:.0f} MB, "
        f"{m['end']:.0f} MB at the end; {m['answered']:.0f}/{m['sent']:.0f} images answered "
        f"in {m['seconds']:.0f} s"
    )
    failures = [f"peak {m['peak']:.0f} MB > 400 MB"] if m["peak"] > 400 else []
    if m["answered"] < m["sent"]:
        failures.append(f"only {m['answered']:.0f} of {m['sent']:.0f} images answered")
    return failures + (["apologies"] if m["apologies"] else [])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["flood", "memory"])
    parser.add_argument("--steps", type=int, default=30, help="probe steps per run")
    parser.add_argument("--scans", type=int, default=20000, help="scans of each JPEG bomb")
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--images", type=int, default=5, help="image documents per chat")
    args = parser.parse_args(argv)
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="nnbot-robust-") as name:
        folder = Path(name)
        if args.only in (None, "flood"):
            failures += report_flood(*asyncio.run(flood_scenario(folder, args.steps, args.scans)))
        if args.only in (None, "memory"):
            failures += report_memory(asyncio.run(memory_scenario(folder, args.chats, args.images)))
    print(
        "\n".join([f"FAIL: {problem}" for problem in failures] + ["FAILED" if failures else "PASS"])
    )
    return int(bool(failures))


if __name__ == "__main__":
    sys.exit(main())
