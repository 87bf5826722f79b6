"""Many simulated users at once against the real bot: the load scenario of issue 7.

The bot (`full_build`, i.e. what `nnbot run` builds) polls the local Bot API in this process.
Each user talks in its own private chat, closed-loop like a person: send, wait for the bot's
first answer, think a moment, send the next. The script mixes tables, settings, trainings
(waiting for the result), predictions, photos, button presses, /explain, pictures and files.
One more chat floods the bot to hit the per-chat rate limit.

Measured: latency from sending an update to the bot's first answer (message, edit or button
answer), event-loop lag (a 20 ms sleep's overshoot), resident memory of this process and of
the training workers, and the job runner's running/queued counts.

Checked: every update answered (none lost), no step answered more often than it should be
(none duplicated), no chat sees another chat's table, no apology and no ERROR log, at most
WORKERS trainings running and QUEUE_SIZE waiting at any moment, and the flooding chat gets
exactly RATE_PER_MINUTE answers plus one notice.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import multiprocessing
import random
import re
import resource
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.config import Config
from bot.i18n import t
from bot.localapi.server import LocalBotApi
from tests.stress.harness import (
    BotProcess,
    apologies,
    client_for,
    fragment,
    local_bot,
    plain,
    small_config,
)
from tests.support.synthetic_photos import random_digit_photo

ANSWER_KINDS = ("message", "edit", "answer")


@dataclass
class Step:
    kind: str  # "text" | "photo" | "press"
    payload: object
    expect: int | None  # bot messages this step must produce exactly (None: at least one)
    label: str


@dataclass
class Result:
    users: int = 0
    updates: int = 0
    answered: int = 0
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    wrong_chat: list[str] = field(default_factory=list)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    trainings: list[float] = field(default_factory=list)
    queue_full: int = 0
    busy: int = 0
    crashed: int = 0  # trainings whose worker died, told to the chat (then trained again)
    lag: list[float] = field(default_factory=list)
    max_running: int = 0
    max_queued: int = 0
    workers: int = 0
    queue_size: int = 0
    rss_start_mb: float = 0.0
    rss_peak_mb: float = 0.0
    workers_rss_peak_mb: float = 0.0
    total_rss_peak_mb: float = 0.0
    maxrss_mb: float = 0.0
    flood_sent: int = 0
    flood_answers: int = 0
    flood_notices: int = 0
    rate: int = 0
    apologies: int = 0
    errors: list[str] = field(default_factory=list)
    stuck: list[str] = field(default_factory=list)
    flood_texts: list[str] = field(default_factory=list)
    separate: bool = False  # the bot ran as its own process (`nnbot run`)
    delivered: int = 0  # distinct updates getUpdates handed to the bot
    redelivered: int = 0  # of those, handed over more than once
    seconds: float = 0.0

    @property
    def all_latencies(self) -> list[float]:
        return [v for values in self.latencies.values() for v in values]

    def failures(self) -> list[str]:
        problems = []
        if self.lost:
            problems.append(f"{len(self.lost)} updates never answered: {self.lost[:5]}")
        if self.redelivered:
            problems.append(f"{self.redelivered} updates delivered to the bot more than once")
        if self.duplicated:
            problems.append(f"{len(self.duplicated)} steps over-answered: {self.duplicated[:5]}")
        if self.wrong_chat:
            problems.append(f"replies in the wrong chat: {self.wrong_chat[:5]}")
        if self.apologies:
            problems.append(f"{self.apologies} 'something went wrong' apologies")
        if self.errors:
            problems.append(f"{len(self.errors)} ERROR log records: {self.errors[:2]}")
        if self.separate:  # job counts are not visible from outside the bot process
            pass
        elif self.max_running > self.workers:
            problems.append(f"{self.max_running} trainings ran at once (WORKERS={self.workers})")
        if self.max_queued > self.queue_size:
            problems.append(f"{self.max_queued} trainings waited (QUEUE_SIZE={self.queue_size})")
        if self.rate and (self.flood_answers != self.rate or self.flood_notices != 1):
            problems.append(
                f"flood: {self.flood_answers} answers + {self.flood_notices} notices for "
                f"{self.flood_sent} messages (limit {self.rate}/min)"
            )
        return problems

    def report(self) -> str:
        lat = sorted(self.all_latencies)
        lines = [
            f"users: {self.users} (+1 flooding chat), updates sent: {self.updates} "
            f"(+{self.flood_sent} flood), answered: {self.answered}, lost: {len(self.lost)}, "
            f"over-answered: {len(self.duplicated)}, wrong chat: {len(self.wrong_chat)}, "
            f"apologies: {self.apologies}, ERROR logs: {len(self.errors)}",
            f"updates delivered by getUpdates: {self.delivered}, more than once: "
            f"{self.redelivered}",
            f"wall time: {self.seconds:.1f} s ({self.updates / self.seconds:.1f} updates/s)",
            "latency to first answer (s): " + _percentiles(lat) + f" (n={len(lat)})",
        ]
        for label in sorted(self.latencies):
            values = sorted(self.latencies[label])
            lines.append(f"  {label:<10} {_percentiles(values)} (n={len(values)})")
        if self.trainings:
            lines.append(
                "training, /train → loss plot (s): " + _percentiles(sorted(self.trainings))
            )
        lines += [
            ("load generator's event-loop lag (s): " if self.separate else "event-loop lag (s): ")
            + f"{_percentiles(sorted(self.lag))}",
            (
                "jobs: (running/queued not visible from outside the bot process)"
                if self.separate
                else f"jobs: max running {self.max_running}/{self.workers} workers, max queued "
                f"{self.max_queued}/{self.queue_size}"
            )
            + f"; 'queue full' replies {self.queue_full}, 'busy' {self.busy}"
            + f", 'worker died' {self.crashed}",
            (
                "memory: bot process (nnbot run) RSS "
                if self.separate
                else "memory: process (bot + local Bot API + simulated users) RSS "
            )
            + f"{self.rss_start_mb:.0f} MB at start, peak {self.rss_peak_mb:.0f} MB, training "
            f"workers {self.workers_rss_peak_mb:.0f} MB, together {self.total_rss_peak_mb:.0f} MB",
            f"rate limit: flooding chat sent {self.flood_sent}, answered {self.flood_answers}, "
            f"notices {self.flood_notices} (limit {self.rate}/min)",
        ]
        return "\n".join(lines)


def _percentiles(values: list[float]) -> str:
    if not values:
        return "—"
    p = np.percentile(values, [50, 90, 99])
    return f"p50 {p[0]:.3f} p90 {p[1]:.3f} p99 {p[2]:.3f} max {values[-1]:.3f}"


# --- the script of one user -----------------------------------------------------------------


def user_table(uid: int, rng: random.Random) -> str:
    kind = rng.choice(["xor", "and", "or", "sum"])
    rows = []
    for a, b in [(0, 0), (0, 1), (1, 0), (1, 1)]:
        y = {"xor": a ^ b, "and": a & b, "or": a | b, "sum": a + b}[kind]
        rows.append(f"{a} {b} {y}")
    return f"u{uid}x u{uid}z y\n" + "\n".join(rows)


def script(uid: int, photos: list[bytes], rng: random.Random, short: bool) -> list[Step]:
    """What one user does; `expect` = exact number of bot messages when it is fixed."""
    steps = [
        Step("text", "/start", None, "start"),
        Step("text", user_table(uid, rng), 1, "table"),
        Step("text", f"/settings epochs={rng.randrange(100, 300)}", 1, "settings"),
        Step("train", "/train", None, "train"),
        Step("text", "/predict 0 1", 1, "predict"),
        Step("photo", rng.choice(photos), 1, "photo"),
        Step("press", "train:s:lr:half", 0, "button"),
        Step("text", "/predict 1 1; 0 0", 1, "predict"),
        Step("text", "/explain 2", None, "explain"),
        Step("text", "/plot", 1, "picture"),
        Step("text", "hello, what is this?", 1, "text"),
        Step("text", "/stop", 1, "command"),
    ]
    if not short:
        steps += [
            Step("text", "/net", 1, "picture"),
            Step("photo", rng.choice(photos), 1, "photo"),
            Step("text", "/help", None, "command"),
            Step("text", "/predict 0.5 0.5", 1, "predict"),
            Step("text", "/boundary", 1, "picture"),
            Step("text", "/digit", 1, "command"),
            Step("text", "/weights", 2, "files"),
            Step("text", "/lang ru", 1, "command"),
            Step("text", "/examples", 1, "command"),
            Step("press", "tables:ex:and", 1, "button"),
            Step("text", "/lang en", 1, "command"),
        ]
    return steps


class Chat:
    """Bot events of one chat, stamped when they happen."""

    def __init__(self) -> None:
        self.events: list[tuple[float, object]] = []
        self.changed = asyncio.Event()

    def add(self, stamp: float, event) -> None:
        self.events.append((stamp, event))
        self.changed.set()

    async def first_answer(self, since: int, timeout: float) -> float | None:
        """The time of the first answer event after index `since`, or None on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            for stamp, event in self.events[since:]:
                if _from_bot(event):
                    return stamp
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except TimeoutError:
                return None


async def run_load(
    data_dir: Path,
    users: int = 50,
    short: bool = False,
    workers: int = 2,
    queue_size: int = 16,
    rate: int = 60,
    flood: int = 90,
    retry: float = 4.0,
    seed: int = 1,
    timeout: float = 120.0,
    think: float = 0.3,
    separate: bool = False,
    backends: dict | None = None,
    host: Callable | None = None,
) -> Result:
    """Run the scenario; returns the figures (see `Result.failures()` for the verdict).

    `backends` sets Config fields (DATABASE_URL, QUEUE_URL: `database_url`, `queue_url`);
    `host(config, data_dir)` replaces how the bot is run (an async context manager giving
    what `_bot` gives), e.g. several replicas behind one distributor (benchmarks/bench_scale).
    """
    rng = random.Random(seed)
    photo_rng = np.random.default_rng(seed)
    photos = [
        random_digit_photo(None, d, photo_rng, size=(800, 600), orientation=1) for d in range(10)
    ]
    config: Config = small_config(data_dir, workers=workers, queue_size=queue_size)
    config = dataclasses.replace(
        config, limits=dataclasses.replace(config.limits, rate_per_minute=rate), **(backends or {})
    )
    result = Result(users=users, workers=workers, queue_size=queue_size, rate=rate)
    result.separate = separate
    chats: dict[int, Chat] = defaultdict(Chat)
    running = host(config, data_dir) if host else _bot(config, data_dir, separate)
    async with running as session:
        server = session.server
        listener = server.subscribe()
        stored_photos = {photo: server.store_photo(photo) for photo in photos}
        result.rss_start_mb = session.rss()[0]
        delivered: Counter = Counter()
        original_get_updates = server._m_getUpdates

        async def get_updates(params):  # count deliveries of each update
            updates = await original_get_updates(params)
            delivered.update(u["update_id"] for u in updates)
            return updates

        server._methods["getupdates"] = get_updates
        stop = asyncio.Event()

        queries: dict[str, int] = {}  # callback query id → the chat whose button it was

        async def route() -> None:
            while True:
                event = await listener.get()
                chat_id = event.chat_id
                if event.kind == "answer":  # the server files button answers under chat 0
                    chat_id = queries.get(event.detail.get("query_id"), chat_id)
                chats[chat_id].add(time.monotonic(), event)

        async def watch() -> None:
            rss_peak = workers_peak = total_peak = 0.0
            while not stop.is_set():
                started = time.monotonic()
                await asyncio.sleep(0.02)
                result.lag.append(time.monotonic() - started - 0.02)
                jobs = session.jobs()
                if jobs is not None:
                    result.max_running = max(result.max_running, jobs.running_count)
                    result.max_queued = max(result.max_queued, jobs.queued_count)
                if len(result.lag) % 5 == 0:
                    own, children = session.rss()
                    rss_peak = max(rss_peak, own)
                    workers_peak = max(workers_peak, children)
                    total_peak = max(total_peak, own + children)
            result.rss_peak_mb, result.workers_rss_peak_mb = rss_peak, workers_peak
            result.total_rss_peak_mb = total_peak

        def says(key: str, lang: str) -> str:
            return fragment(key, lang) if "{" in t(key, lang) else plain(key, lang)

        async def act(uid: int, user, step: Step) -> tuple[int, float | None]:
            chat = chats[uid]
            since = len(chat.events)
            sent = time.monotonic()
            if step.kind == "photo":  # the same photo again: Telegram reuses its file ids
                user._receive({"photo": stored_photos[step.payload]})
            elif step.kind == "press":
                target = _latest_with_button(user, step.payload)
                if target is None:
                    buttons = [b.callback_data for m in user.messages() for b in m.buttons]
                    result.lost.append(f"{uid}:{step.payload}: no such button in {buttons}")
                    return since, None
                query = server.receive_callback(user.user, uid, target, step.payload)
                queries[query] = uid
            else:
                await user.send(step.payload)
            result.updates += 1
            answered = await chat.first_answer(since, timeout)
            if answered is None:
                result.lost.append(f"{uid}:{step.payload!s:.30}")
                return since, None
            result.answered += 1
            result.latencies[step.label].append(answered - sent)
            return since, answered

        async def train(uid: int, user, step: Step) -> None:
            chat = chats[uid]
            lang = user.user.get("language_code", "en")
            busy_text = says("train.error.busy", lang)
            full_text = says("train.error.queue_full", lang)
            done_text = says("train.plot.caption", lang)
            crashed_text = says("train.error.crashed", lang)
            for _attempt in range(15):
                started = time.monotonic()
                since, answered = await act(uid, user, step)
                if answered is None:
                    return
                await asyncio.sleep(0.05)
                first = _new_texts(chat, since)
                if any(full_text in text or busy_text in text for text in first):
                    result.queue_full += any(full_text in text for text in first)
                    result.busy += any(busy_text in text for text in first)
                    await asyncio.sleep(retry + 2 * rng.random())
                    continue
                try:
                    await _wait_text(chat, since, (done_text, crashed_text), timeout)
                except TimeoutError:
                    result.lost.append(f"{uid}:training result")
                    result.stuck.append("\n".join(_new_texts(chat, since))[-600:])
                    return
                if any(crashed_text in text for text in _new_texts(chat, since)):
                    result.crashed += 1  # its worker died: the chat was told; train again
                    continue
                result.trainings.append(time.monotonic() - started)
                return

        async def person(uid: int) -> None:
            user = session.user(uid, f"User{uid}", language_code="ru" if uid % 2 else "en")
            await asyncio.sleep(rng.random() * 2)
            for step in script(uid, photos, random.Random(uid), short):
                if step.kind == "train":
                    await train(uid, user, step)
                else:
                    since, answered = await act(uid, user, step)
                    if answered is None:
                        continue
                    chat = chats[uid]
                    if step.expect is None:  # a reply of several messages: until it is quiet
                        await _quiet(chat, 1.0, timeout)
                        continue
                    with contextlib.suppress(TimeoutError):
                        await _wait_messages(chat, since, step.expect, timeout)
                    await asyncio.sleep(0.3)
                    made = _new_messages(chat, since)
                    if made != step.expect:
                        shown = " | ".join(x[:60] for x in _new_texts(chat, since))
                        result.duplicated.append(f"{uid}:{step.label}: {made} msgs: {shown}")
                await asyncio.sleep(rng.random() * think)

        async def flooder() -> None:
            uid = 999_999
            user = session.user(uid, "Flood")
            await asyncio.sleep(1.0)
            for i in range(flood):
                await user.send(f"/predict {i} {i}")
                result.flood_sent += 1
                await asyncio.sleep(0.01)

        router = asyncio.create_task(route())
        watcher = asyncio.create_task(watch())
        began = time.monotonic()
        await asyncio.gather(*(person(10_000 + i) for i in range(users)), flooder())
        await session.settle()
        result.seconds = time.monotonic() - began
        stop.set()
        await watcher
        router.cancel()
        server.unsubscribe(listener)

        notice = fragment("app.rate_limited")
        flood_texts = [
            e.message.data.get("text", "")
            for _, e in chats[999_999].events
            if e.kind == "message" and _from_bot(e)
        ]
        result.flood_texts = flood_texts
        result.flood_notices = sum(notice in text for text in flood_texts)
        result.flood_answers = len(flood_texts) - result.flood_notices
        for uid, chat in chats.items():
            for _, event in chat.events:
                if event.message is None or not _from_bot(event):
                    continue
                text = event.message.data.get("text", event.message.data.get("caption", ""))
                for other in re.findall(r"u(\d+)x", text):
                    if int(other) != uid:
                        result.wrong_chat.append(f"chat {uid} saw u{other}x")
        result.apologies = sum(apologies(server).values())
        result.delivered = len(delivered)
        result.redelivered = sum(1 for count in delivered.values() if count > 1)
        result.errors = session.errors()
    result.maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


class _InProcess:
    """The bot in this process (LocalSession): job counts, logs and lag are all visible."""

    def __init__(self, session) -> None:
        self.session, self.server = session, session.server

    def user(self, *args, **kwargs):
        return self.session.user(*args, **kwargs)

    def jobs(self):
        return self.session.application.bot_data["services"].jobs

    def rss(self) -> tuple[float, float]:
        children = sum(_rss_mb(p.pid) for p in multiprocessing.active_children())
        return _rss_mb("self"), children

    def errors(self) -> list[str]:
        return self.session.log.errors

    async def settle(self) -> None:
        await self.session.wait_idle(busy=self.session.handling)


class _Separate:
    """`nnbot run` as its own process: its RSS and its workers' are measured from /proc."""

    def __init__(self, server, bot) -> None:
        self.server, self.bot = server, bot
        self.client = client_for(server)

    def user(self, *args, **kwargs):
        return self.client.user(*args, **kwargs)

    def jobs(self):
        return None

    def rss(self) -> tuple[float, float]:
        pid = self.bot.pid
        return _rss_mb(pid), sum(_rss_mb(child) for child in _descendants(pid))

    def errors(self) -> list[str]:
        return [line for line in self.bot.log().splitlines() if " ERROR " in line]

    async def settle(self) -> None:
        await self.client.wait_idle(quiet=1.0, timeout=120)


@contextlib.asynccontextmanager
async def _bot(config: Config, data_dir: Path, separate: bool):
    if not separate:
        async with local_bot(config, quiet=0.3) as session:
            yield _InProcess(session)
        return
    server = LocalBotApi()
    await server.start()
    limits = config.limits
    bot = BotProcess(
        server,
        data_dir,
        data_dir.parent / "bot.log",
        WORKERS=str(limits.workers),
        QUEUE_SIZE=str(limits.queue_size),
        RATE_PER_MINUTE=str(limits.rate_per_minute),
        JOB_SECONDS=str(int(limits.job_seconds)),
        LOG_LEVEL="WARNING",
    )
    try:
        await bot.start()
        yield _Separate(server, bot)
        bot.terminate()
        await bot.wait(timeout=60)
    finally:
        if bot.process is not None and bot.process.returncode is None:
            bot.kill9()
            await bot.wait()
        await server.stop()


def _descendants(pid: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        children = [p for p, parent in parents.items() if parent == current]
        found += children
        frontier += children
    return found


def _rss_mb(pid: object) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _latest_with_button(user, data: str) -> int | None:
    for message in reversed(user.messages()):
        if any(b.callback_data == data for b in message.buttons):
            return message.message_id
    return None


def _from_bot(event) -> bool:
    """An answer of the bot: a button answer, or a message or edit by the bot."""
    if event.kind == "answer":
        return True
    return event.kind in ANSWER_KINDS and event.message is not None and event.message.from_bot


def _new_messages(chat: Chat, since: int) -> int:
    return sum(1 for _, e in chat.events[since:] if e.kind == "message" and _from_bot(e))


def _new_texts(chat: Chat, since: int) -> list[str]:
    shown = []
    for _, event in chat.events[since:]:
        if _from_bot(event) and event.message is not None:
            data = event.message.data
            shown.append(data.get("text", data.get("caption", "")))
    return shown


async def _wait_messages(chat: Chat, since: int, count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while _new_messages(chat, since) < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{count} messages")
        chat.changed.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(chat.changed.wait(), max(0.01, deadline - time.monotonic()))


async def _quiet(chat: Chat, seconds: float, timeout: float) -> None:
    """Wait until the chat had no new event for `seconds`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        last = chat.events[-1][0] if chat.events else 0.0
        left = last + seconds - time.monotonic()
        if left <= 0:
            return
        await asyncio.sleep(left)


async def _wait_text(chat: Chat, since: int, needle: str | tuple, timeout: float) -> None:
    """Until a new message holds `needle` (or one of several)."""
    needles = (needle,) if isinstance(needle, str) else needle
    deadline = time.monotonic() + timeout
    while not any(n in text for text in _new_texts(chat, since) for n in needles):
        if time.monotonic() > deadline:
            raise TimeoutError(needle)
        chat.changed.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(chat.changed.wait(), max(0.01, deadline - time.monotonic()))
