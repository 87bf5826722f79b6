"""Wiring: the Application that `nnbot run` and `nnbot chat` both start, and `nnbot run` itself.

`build_application` is the one place where the bot is put together — handlers, services, the
job runner, the command menu, the heartbeat, start and stop hooks — so the bot a learner tries
offline with `nnbot chat` is exactly the bot that runs against Telegram.

Start (`post_init`): start the job runner, publish the command menu in English and Russian,
tell chats whose training was cut short by a crash or restart, start the heartbeat.
Stop (`post_stop`, on SIGTERM/SIGINT — python-telegram-bot installs the signal handlers):
stop the heartbeat, cancel running trainings and tell their chats, then close the store
(`post_shutdown`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import logging
import secrets
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import urlparse

from telegram import BotCommand, Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import Application, ApplicationBuilder, BaseUpdateProcessor, ContextTypes
from telegram.request import BaseRequest

from bot.backends.choose import job_runner, open_store, share_rate_limits, shared_updates
from bot.common.handlers import command_text
from bot.common.handlers.gate import screen_on_arrival, screen_update
from bot.common.ratelimit import MAX_WAITING
from bot.config import Config, ConfigError
from bot.context import COMMANDS, BotContext
from bot.features import MODULES, all_commands
from bot.i18n import LANGUAGES, t
from bot.logs import add_secrets, install_redaction, redact, setup_logging
from bot.services import SERVICES, Services
from bot.store import StoreUnusable, check_database
from bot.training import wire
from bot.training.job import run_job

logger = logging.getLogger("nnbot")

HEARTBEAT_SECONDS = 30.0
HEARTBEAT_TASK = "heartbeat_task"  # bot_data: the task refreshing the heartbeat file
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]

NO_TOKEN = """\
nnbot run: no bot token. Set TELEGRAM_BOT_TOKEN (or TELEGRAM_BOT_TOKEN_FILE).

To get a token:
  1. In Telegram, open a chat with @BotFather (https://t.me/BotFather).
  2. Send /newbot and choose a name and a username for your bot.
  3. BotFather replies with a token like 123456789:AAE…; put it in .env as
     TELEGRAM_BOT_TOKEN=… (see .env.example) or export it, then run `nnbot run` again.

Just want to try the bot? `nnbot chat` (or `make chat`) runs the real bot offline in this
terminal, with no token and no internet."""


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Different chats are served concurrently; one chat's updates in order, one at a time.

    So a slow reply in one chat never holds up the others, while a handler can load, change
    and save its chat's state without another update of the same chat interleaving.

    Each chat gets a bounded share. Its updates wait for their turn on the chat's own lock
    *before* they take one of the shared `max_concurrent_updates` slots (python-telegram-bot
    takes the slot first, so one chat's backlog could hold every slot), at most
    MAX_WAITING of them wait at all, and `screen` (the rate-limit gate, set by
    `build_application`) may drop an update on arrival, before it waits for anything.
    """

    def __init__(self, max_concurrent_updates: int = 64, shared: Any = None) -> None:
        super().__init__(max_concurrent_updates)
        self.shared = shared  # bot.backends.shared.SharedUpdates when replicas share Redis
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}
        self._processing = 0
        self.screen: Callable[[object, int], bool] | None = None  # (update, waiting) → admit?
        # (update, chat) → admit? On receipt, with replicas (bot.common.handlers.gate)
        self.arrive_screen: Callable[[Update, int | None], Awaitable[bool]] | None = None

    @property
    def processing(self) -> int:
        """Updates taken from the queue and not finished yet (waiting for their turn included)."""
        return self._processing

    async def process_update(self, update: object, coroutine: Awaitable[object]) -> None:
        key = _chat_key(update)
        waiting = self._users.get(key, 0) if key is not None else 0
        shared = self.shared is not None and isinstance(update, Update)
        fresh = shared and update.update_id not in self.shared.admitted  # not via ArrivalQueue
        if fresh and not await self.arrive(update):
            coroutine.close()  # another replica has it, or it is over the limit
            return
        if self.screen is not None and not self.screen(update, waiting):
            await self._drop(update, coroutine)  # before it took anything shared; never started
            return
        if self.screen is None and key is not None and waiting >= MAX_WAITING:
            logger.info("chat %s has %d updates waiting: one more dropped", key, waiting)
            await self._drop(update, coroutine)
            return
        if shared:
            coroutine = self._in_chat_turn(key, update.update_id, coroutine)
        self._processing += 1
        try:
            await self.do_process_update(update, coroutine)
        finally:
            self._processing -= 1

    async def arrive(self, update: object) -> bool:
        """With replicas: on receipt, claim the update and count its chat's rate limit in
        Redis (`arrive_screen`, set by `build_application`); False: not to be handled."""
        if self.shared is None or not isinstance(update, Update):
            return True
        if self.arrive_screen is None:
            return await self.shared.first_time(update.update_id, _chat_key(update))
        return await self.arrive_screen(update, _chat_key(update))

    async def _drop(self, update: object, coroutine: Awaitable) -> None:
        coroutine.close()
        if self.shared is not None and isinstance(update, Update):
            await self.shared.leave(_chat_key(update), update.update_id)

    async def do_process_update(self, update: object, coroutine: Awaitable) -> None:
        """The chat's lock first, then a shared slot: a chat holds at most one slot."""
        key = _chat_key(update)
        if key is None:
            async with self._semaphore:
                await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock, self._semaphore:
                await coroutine
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key], self._locks[key]

    async def _in_chat_turn(self, key: int | None, update_id: int, coroutine: Awaitable) -> None:
        """The update's handling, holding its chat across replicas."""
        if key is None:  # nobody else can write for it: no turn to wait for
            try:
                await coroutine
            finally:
                await self.shared.leave(None, update_id)
            return
        async with self.shared.chat_turn(key, update_id):
            await coroutine

    async def initialize(self) -> None:
        """With replicas: start beating in Redis (this replica's line entries are alive)."""
        if self.shared is not None:
            await self.shared.start()

    async def shutdown(self) -> None:
        """Release the shared connection, if any."""
        if self.shared is not None:
            await self.shared.close()


class ArrivalQueue(asyncio.Queue):
    """The update queue of a replica sharing Redis: an update is claimed, counted and put in
    its chat's line (`PerChatUpdateProcessor.arrive`) before it enters the queue, and so
    before the webhook answers Telegram, which sends the next update only then."""

    def __init__(self, processor: PerChatUpdateProcessor) -> None:
        super().__init__()
        self.processor = processor

    async def put(self, item: object) -> None:
        if await self.processor.arrive(item):
            await super().put(item)


def _chat_key(update: object) -> int | None:
    if isinstance(update, Update):
        if update.effective_chat:
            return update.effective_chat.id
        if update.effective_user:
            return update.effective_user.id
    return None


def build_application(
    config: Config, services: Services | None = None, *, request: BaseRequest | None = None
) -> Application:
    """The bot, ready to run: every handler registered, services in `bot_data[SERVICES]`.

    `request` replaces the HTTP layer (tests answer API calls in-process with it);
    `config.api_base_url` points the bot at a local Bot API server instead of Telegram.
    """
    install_redaction([config.token, config.webhook_secret, *config.server_passwords])
    services = services or Services(config=config, store=open_store(config))
    builder = ApplicationBuilder().token(config.token)
    if config.base_url:
        builder = builder.base_url(config.base_url).base_file_url(config.base_file_url)
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    processor = PerChatUpdateProcessor(shared=shared_updates(config))
    if processor.shared is not None:
        builder = builder.update_queue(ArrivalQueue(processor))
    application = (
        builder.concurrent_updates(processor)
        .context_types(ContextTypes(context=BotContext))
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
        .build()
    )
    application.bot_data[SERVICES] = services
    register_all(application)
    processor.screen = functools.partial(screen_update, application)
    processor.arrive_screen = functools.partial(screen_on_arrival, application)
    share_rate_limits(config, application.bot_data)
    return application


def register_all(application: Application) -> None:
    """Adds every feature's handlers and remembers the command list for /help."""
    for module in MODULES:
        module.register(application)
    application.bot_data[COMMANDS] = all_commands()


# --- start and stop ----------------------------------------------------------------------


async def _post_init(application: Application) -> None:
    """After getMe succeeded: jobs, command menu, interrupted trainings, heartbeat."""
    services: Services = application.bot_data[SERVICES]
    config = services.config
    if services.jobs is None:
        services.jobs = job_runner(
            config, run_job, wire.TARGET, wire.payload_to_wire, wire.outcome_from_wire
        )
    await services.jobs.start()
    await publish_commands(application)
    await publish_profile(application)
    await report_interrupted_trainings(application)
    touch_heartbeat(config)
    application.bot_data[HEARTBEAT_TASK] = asyncio.create_task(
        _heartbeat(application), name="nnbot-heartbeat"
    )
    logger.info("nnbot started as @%s (%s)", application.bot.username, config.summary())


async def _post_stop(application: Application) -> None:
    """On SIGTERM/SIGINT, while the bot can still send: stop trainings and say so."""
    task = application.bot_data.pop(HEARTBEAT_TASK, None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    services: Services = application.bot_data[SERVICES]
    if services.jobs is not None:
        await services.jobs.stop()
    await _tell_stopped_trainings(application, "app.training_stopped_shutdown")
    logger.info("nnbot stopped")


async def _post_shutdown(application: Application) -> None:
    """Last step: close the database (every write is already committed).

    The job runner is normally stopped by `_post_stop` already; stopping it again is a no-op,
    and covers a start that failed after `_post_init` (no stop hook runs then).
    """
    services: Services = application.bot_data[SERVICES]
    if services.jobs is not None:
        await services.jobs.stop()
    services.store.close()


async def publish_commands(application: Application) -> None:
    """The command menu, in English (the default) and in Russian."""
    names = application.bot_data.get(COMMANDS, [])
    for lang in LANGUAGES:
        commands = [BotCommand(name, command_text(name, lang)[:256]) for name in names]
        try:
            await application.bot.set_my_commands(
                commands, language_code=None if lang == "en" else lang
            )
        except Exception as exc:  # cosmetic: whatever the server answers, the bot serves
            logger.warning("could not publish the %s command menu: %s", lang, redact(repr(exc)))


async def publish_profile(application: Application) -> None:
    """What a user sees before pressing Start, and on the bot's profile, in EN and RU.

    Telegram limits how often these may change, so each is set only when it differs.
    Best effort, like the menu: an error or an answer of the wrong shape (another Bot API
    implementation may answer `true` where an object is due) is a warning, and the bot serves.
    """
    bot = application.bot
    for lang in LANGUAGES:
        code = None if lang == "en" else lang
        try:
            description = t("app.description", lang)
            if (await bot.get_my_description(code)).description != description:
                await bot.set_my_description(description, code)
            short = t("app.short_description", lang)
            if (await bot.get_my_short_description(code)).short_description != short:
                await bot.set_my_short_description(short, code)
        except Exception as exc:  # cosmetic: whatever the server answers, the bot serves
            logger.warning("could not publish the %s bot description: %s", lang, redact(repr(exc)))


async def report_interrupted_trainings(application: Application) -> None:
    """Tell each chat whose training a crash or restart cut short, then clear the marker."""
    await _tell_stopped_trainings(application, "app.training_interrupted")


async def _tell_stopped_trainings(application: Application, key: str) -> None:
    """Tell every chat still marked as training that it stopped (`key`), clear the marks.

    The training handler sets `state.training` = {"lang": …, "kept": …}; "kept" says the
    network learned before the stop was saved, which the message then adds. Another feature's
    training (the digits lab) adds "texts", the prefix of its own two messages.
    """
    services = application.bot_data[SERVICES]
    store, jobs = services.store, services.jobs
    for state in store.interrupted_trainings():
        if jobs is not None and jobs.is_active(state.chat_id):
            continue  # still training, through another replica of the bot
        training = state.training or {}
        lang = state.lang if state.lang in LANGUAGES else training.get("lang")
        lang = lang if lang in LANGUAGES else "en"
        texts = training.get("texts")  # a feature's own words: "lab" → lab.training_interrupted
        text = t(f"{texts}.{key.removeprefix('app.')}" if texts else key, lang)
        if training.get("kept"):
            text += "\n\n" + t("app.training_kept", lang)
        try:
            await application.bot.send_message(state.chat_id, text, parse_mode="HTML")
        except TelegramError as exc:
            logger.warning("could not tell chat %s its training stopped: %s", state.chat_id, exc)
        fresh = store.load(state.chat_id)
        fresh.training = None
        store.save(fresh)
        logger.info("chat %s: training marked as stopped (%s)", state.chat_id, key)


# --- heartbeat ---------------------------------------------------------------------------


def touch_heartbeat(config: Config) -> None:
    """Refresh the file the container healthcheck looks at (`find … -mmin -2`)."""
    try:
        config.heartbeat_path.parent.mkdir(parents=True, exist_ok=True)
        config.heartbeat_path.touch()
    except OSError as exc:
        logger.warning("cannot touch the heartbeat file %s: %s", config.heartbeat_path, exc)


async def _heartbeat(application: Application) -> None:
    """Every 30 s: if the Bot API answers and updates are being fetched, touch the file."""
    config = application.bot_data[SERVICES].config
    while True:
        await asyncio.sleep(HEARTBEAT_SECONDS)
        try:
            await application.bot.get_me()
        except TelegramError as exc:
            logger.warning("heartbeat: the Bot API did not answer: %s", exc)
            continue
        updater = application.updater
        if updater is None or updater.running:
            touch_heartbeat(config)


# --- running inside an existing event loop (tests, `nnbot chat`) ---------------------------


@contextlib.asynccontextmanager
async def running(
    application: Application, *, poll_interval: float = 0.0, webhook: dict | None = None
) -> AsyncIterator:
    """Start the bot in the current event loop and stop it on exit.

    The same steps, hooks included, as `Application.run_polling` / `run_webhook` (which own
    their event loop and so cannot be used inside one). Polling unless `webhook` gives the
    options of `Updater.start_webhook` (see `webhook_options`).
    """
    await application.initialize()
    try:
        await application.post_init(application)
        if webhook is None:
            await application.updater.start_polling(
                poll_interval=poll_interval, allowed_updates=ALLOWED_UPDATES
            )
        else:
            await application.updater.start_webhook(**webhook)
        await application.start()
        yield application
    finally:
        if application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
            await application.post_stop(application)
        await application.shutdown()
        await application.post_shutdown(application)


# --- nnbot run ---------------------------------------------------------------------------


def webhook_options(config: Config) -> dict:
    """Where the webhook listens: all interfaces (inside a container, behind an HTTPS proxy),
    WEBHOOK_PORT, the path of WEBHOOK_URL; Telegram must send WEBHOOK_SECRET (random if unset).

    A random secret is registered for redaction here, before anything could log it
    (python-telegram-bot logs the parameters of `setWebhook` at DEBUG).
    """
    secret = config.webhook_secret or secrets.token_urlsafe(32)
    add_secrets(secret)
    return {
        "listen": "0.0.0.0",
        "port": config.webhook_port,
        "url_path": urlparse(config.webhook_url).path.lstrip("/"),
        "webhook_url": config.webhook_url,
        "secret_token": secret,
        "allowed_updates": ALLOWED_UPDATES,
    }


def main(argv: list[str] | None = None) -> int:
    """`nnbot run`: the bot against Telegram, polling (or a webhook when WEBHOOK_URL is set)."""
    parser = argparse.ArgumentParser(
        prog="nnbot run",
        description="Run the bot. Configuration comes from the environment; "
        "see .env.example or the README.",
    )
    parser.parse_args(argv)
    try:
        config = Config.from_env()
    except ConfigError as exc:
        print(f"nnbot run: {exc}", file=sys.stderr)
        return 2
    if not config.token:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    if not config.database_url:
        try:
            check_database(config.database_path)  # writable, and PRAGMA integrity_check says ok
        except StoreUnusable as exc:
            print(f"nnbot run: {exc}", file=sys.stderr)
            return 2
    setup_logging(
        config.log_level, secrets=[config.token, config.webhook_secret, *config.server_passwords]
    )
    application = build_application(config)
    try:
        if config.webhook_url:
            application.run_webhook(**webhook_options(config), bootstrap_retries=5)
        else:
            application.run_polling(allowed_updates=ALLOWED_UPDATES, bootstrap_retries=5)
    except InvalidToken:
        logger.error(
            "Telegram rejected the bot token. Check TELEGRAM_BOT_TOKEN: copy it again from "
            "@BotFather (/mybots → your bot → API Token)."
        )
        return 1
    except NetworkError as exc:
        where = config.api_base_url or "https://api.telegram.org"
        logger.error("Cannot reach the Bot API at %s: %s", where, redact(str(exc)))
        return 1
    return 0
