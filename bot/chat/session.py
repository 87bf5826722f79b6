"""The local Bot API server and the real bot, together in this process and event loop.

    async with LocalSession(config) as session:     # server on a free port, bot polling it
        ann = session.user(1001, "Ann")
        await ann.send("/start")
        print([m.text for m in await ann.replies()])
        await session.restart()                     # a new Application on the same DATA_DIR

The bot is built by `bot.app.build_application` and run by `bot.app.running`, the same code
`nnbot run` uses; only the Bot API address and the token differ. Used by `nnbot chat` and by
the end-to-end tests (tests/e2e/conftest.py).
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable

from telegram.ext import Application

from bot.app import PerChatUpdateProcessor, build_application, running
from bot.config import Config
from bot.localapi.client import BotClient, LocalUser
from bot.localapi.server import LocalBotApi
from bot.services import SERVICES, Services


class LocalSession:
    """Server + bot + simulated users. `build` replaces bot.app.build_application (tests)."""

    def __init__(
        self,
        config: Config,
        *,
        build: Callable[[Config], Application] | None = None,
        quiet: float = 0.4,
        timeout: float = 90.0,
    ) -> None:
        self.server = LocalBotApi()
        self.config = config
        self._build = build or build_application
        self.application: Application | None = None
        self._running: contextlib.AbstractAsyncContextManager | None = None
        self.client = BotClient(self.server, busy=self.busy, quiet=quiet, timeout=timeout)

    async def __aenter__(self) -> LocalSession:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def start(self) -> None:
        base_url = await self.server.start()
        self.config = dataclasses.replace(
            self.config, token=self.server.token, api_base_url=base_url, webhook_url=""
        )
        await self.start_bot()

    async def start_bot(self) -> None:
        self.application = self._build(self.config)
        self._running = running(self.application)
        await self._running.__aenter__()

    async def stop_bot(self) -> None:
        if self._running is not None:
            running, self._running = self._running, None
            await running.__aexit__(None, None, None)

    async def restart(self, wait: bool = True) -> None:
        """Stop the Application and build a new one on the same server and DATA_DIR.

        With `wait=False` the bot is stopped at once, e.g. in the middle of a training.
        """
        if wait:
            await self.wait_idle()
        await self.stop_bot()
        await self.start_bot()

    async def stop(self) -> None:
        try:
            await self.stop_bot()
        finally:
            await self.server.stop()

    def user(
        self,
        user_id: int,
        first_name: str,
        language_code: str | None = "en",
        chat_id: int | None = None,
    ) -> LocalUser:
        return self.client.user(user_id, first_name, language_code, chat_id)

    async def wait_idle(
        self, quiet: float | None = None, timeout: float | None = None, busy=None
    ) -> None:
        await self.client.wait_idle(quiet=quiet, timeout=timeout, busy=busy)

    def handling(self) -> bool:
        """True while the bot is processing an update (not counting training jobs)."""
        application = self.application
        if application is None or self._running is None:
            return False
        processor = application.update_processor
        processing = processor.processing if isinstance(processor, PerChatUpdateProcessor) else 0
        return bool(application.update_queue.qsize() or processing)

    def busy(self) -> bool:
        """True while the bot processes an update or a training job is queued or running."""
        if self.handling():
            return True
        services = self.application.bot_data.get(SERVICES) if self.application else None
        jobs = services.jobs if isinstance(services, Services) else None
        if jobs is None:
            return False
        # A finished job's on_done (which sends the result) runs as a task after the slot frees.
        return bool(jobs.running_count or jobs.queued_count or jobs.callbacks_pending)
