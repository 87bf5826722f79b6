"""Several bot replicas sharing Redis (and the state), behind one distributor playing the
reverse proxy: for the replica tests and `benchmarks.bench_scale`.

The distributor takes the local Bot API's updates (getUpdates) and hands each to the next
replica in turn; every `twice_every`-th also goes to the replica after it, as a retried
webhook would. Like Telegram's webhook, it hands over the next update only once the replica
has taken the last one (`await update_queue.put`, which is what the webhook handler awaits
before it answers).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import AsyncIterator

from bot.config import Config
from bot.localapi.client import BotClient
from bot.localapi.server import LocalBotApi
from tests.stress.harness import LogCapture


class Replicas:
    """The running replicas, the users' client and what the distributor did."""

    def __init__(self, server: LocalBotApi, apps: list, capture: LogCapture, twice_every: int):
        self.server, self.apps, self.capture = server, apps, capture
        self.twice_every = twice_every
        self.client = BotClient(server, busy=self.busy, quiet=0.5, timeout=60)
        self.sent = 0
        self.resent = 0

    async def distribute(self) -> None:
        """getUpdates once, hand each update to the next replica (and some to two)."""
        bot, offset = self.apps[0].bot, 0
        while True:
            updates = await bot.get_updates(offset=offset, timeout=1)
            for update in updates:
                offset = update.update_id + 1
                self.sent += 1
                await self.apps[self.sent % len(self.apps)].update_queue.put(update)
                if self.twice_every and self.sent % self.twice_every == 0:
                    self.resent += 1
                    await self.apps[(self.sent + 1) % len(self.apps)].update_queue.put(update)

    def user(self, *args, **kwargs):
        return self.client.user(*args, **kwargs)

    def jobs(self):
        return self.apps[0].bot_data["services"].jobs

    def counts(self) -> tuple[int, int]:
        """Updates dropped as duplicates, and handled after a later one of their chat."""
        shared = [app.update_processor.shared for app in self.apps]
        return sum(s.duplicates for s in shared), sum(s.out_of_order for s in shared)

    def busy(self) -> bool:
        jobs = self.jobs()
        return any(
            app.update_queue.qsize() or app.update_processor.processing for app in self.apps
        ) or bool(jobs.running_count or jobs.queued_count or jobs.callbacks_pending)


@contextlib.asynccontextmanager
async def replicas(
    config: Config, count: int = 2, twice_every: int = 10, record: dict | None = None
) -> AsyncIterator[Replicas]:
    """`count` replicas of the bot built from `config` (which must set QUEUE_URL) on one local
    Bot API; `record` gets the distributor's and the replicas' counts at the end."""
    from bot.app import build_application

    server = LocalBotApi()
    base = await server.start()
    config = dataclasses.replace(config, token=server.token, api_base_url=base)
    capture = LogCapture(logging.WARNING)
    logging.getLogger().addHandler(capture)
    apps = [build_application(config) for _ in range(count)]
    for app in apps:
        await app.initialize()
        await app.post_init(app)
        await app.start()
    host = Replicas(server, apps, capture, twice_every)
    distributor = asyncio.create_task(host.distribute())
    try:
        yield host
    finally:
        duplicates, late = host.counts()
        if record is not None:
            record.update(sent=host.sent, resent=host.resent, duplicates=duplicates, late=late)
        distributor.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await distributor
        for app in apps:
            await app.stop()
            await app.post_stop(app)
            await app.shutdown()
            await app.post_shutdown(app)
        logging.getLogger().removeHandler(capture)
        await server.stop()
