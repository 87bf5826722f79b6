"""/train and /stop: a training job in the job runner, one progress message edited in place.

While a job runs, the progress message is edited at most about once a second and
`state.training` marks the chat, so a restart can tell the chat its training was interrupted.
When the job ends, what was learned is saved and the summary and the loss curve are sent.
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import RetryAfter, TelegramError
from telegram.ext import Application
from telegram.warnings import PTBDeprecationWarning

from bot.context import BotContext, edit_quietly
from bot.i18n import t
from bot.jobs import JobBusy, JobResult, QueueFull
from bot.services import Services
from bot.tables.table import Table
from bot.text import split_message
from bot.training import views
from bot.training.handlers.common import chat_settings, markup, reply, with_table
from bot.training.pictures import loss_plot
from bot.training.quality import diagnosis_rows, diagnosis_text
from bot.training.settings import SettingsError, TrainSettings, check_settings

EDIT_INTERVAL = 1.0  # seconds between edits of the progress message
FINAL_RETRIES = 3  # tries of the last edit when Telegram says "retry after"
LONGEST_WAIT = 30  # seconds a final edit waits out a "retry after"; longer ones are dropped
FLOOD_RETRIES = 3  # how often a result message waits out Telegram's "retry after"

logger = logging.getLogger(__name__)


def retry_seconds(error: RetryAfter) -> float:
    """How long Telegram asked us to wait (PTB 22 warns that the type will become timedelta)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


@dataclass
class ProgressView:
    """The one progress message of a running training, edited at most every EDIT_INTERVAL s."""

    bot: Any
    chat_id: int
    lang: str
    shape: str
    message_id: int | None = None
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    last_edit: float = 0.0
    blocked_until: float = 0.0
    editing: bool = False
    finished: bool = False
    shown: str = ""

    def on_progress(self, data: dict) -> Awaitable[None] | None:
        """Called by the job runner for each report; returns an edit coroutine when one is due."""
        now = time.monotonic()
        if self.finished or self.editing or self.message_id is None:
            return None
        if "queued" in data:  # the line moved: a new place, not throttled (it changes rarely)
            text = t("train.queued", self.lang, position=data["queued"])
        elif now - self.last_edit < EDIT_INTERVAL or now < self.blocked_until:
            return None
        else:
            text = views.progress_text(data, self.shape, self.lang)
        self.editing, self.last_edit = True, now
        return self._progress_edit(text)

    async def _progress_edit(self, text: str) -> None:
        try:
            await self._edit(text, markup(views.stop_rows(self.lang)))
        finally:
            self.editing = False

    async def edit(
        self, text: str, keyboard: InlineKeyboardMarkup | None, final: bool = False
    ) -> None:
        """Edit the message now; `final` first lets a progress edit in flight land, and waits
        out a retry-after (up to LONGEST_WAIT s) so the last word is never lost."""
        if final:
            for _ in range(100):
                if not self.editing:
                    break
                await asyncio.sleep(0.05)
        for _ in range(FINAL_RETRIES if final else 1):
            wait = self.blocked_until - time.monotonic()
            if wait > LONGEST_WAIT:
                return
            if wait > 0:
                await asyncio.sleep(wait)
            if await self._edit(text, keyboard):
                return

    async def _edit(self, text: str, keyboard: InlineKeyboardMarkup | None) -> bool:
        """One edit; False when Telegram said "retry after" (blocked_until is set then)."""
        if self.message_id is None or text == self.shown:
            return True
        self.last_edit = time.monotonic()
        try:
            await edit_quietly(
                self.bot.edit_message_text(
                    text,
                    chat_id=self.chat_id,
                    message_id=self.message_id,
                    parse_mode=ParseMode.HTML,
                    reply_markup=keyboard,
                )
            )
            self.shown = text
        except RetryAfter as error:
            self.blocked_until = time.monotonic() + retry_seconds(error)
            return False
        except TelegramError as error:
            logger.warning("progress edit failed in chat %s: %s", self.chat_id, error)
        return True


async def train_command(update: Update, context: BotContext) -> None:
    """Starts training: one progress message with a Stop button, then the summary and plot."""
    await start_training(update, context)


def train_refusal(update: Update, context: BotContext, lang: str) -> str | None:
    """Why this chat cannot start a training now (the text to answer), or None."""
    svc = context.services
    if svc.jobs is None:
        return t("train.error.failed", lang)
    if svc.jobs.is_active(update.effective_chat.id):
        return t("train.error.busy", lang)
    return None


async def start_training(update: Update, context: BotContext) -> None:
    """Check the table and the settings, queue the job, show the progress message."""
    svc = context.services
    chat = await with_table(update, context)
    if chat is None:
        return
    state, lang, table = chat
    refusal = train_refusal(update, context, lang)
    if refusal is not None:
        await reply(update, refusal)
        return
    settings = chat_settings(state, table)
    try:
        check_settings(table, settings, svc.config.limits)
    except SettingsError as error:
        await reply(update, views.settings_error_text(error, lang))
        return
    view = ProgressView(context.bot, state.chat_id, lang, views.shape_text(table, settings))
    trained_on = state.table
    payload = {"table": table, "settings": settings, "lang": lang}

    async def on_done(result: JobResult) -> None:
        await finish_training(context.application, svc, view, trained_on, settings, result)

    jobs = svc.jobs
    try:
        position = jobs.submit(state.chat_id, payload, view.on_progress, on_done)
    except JobBusy:
        await reply(update, t("train.error.busy", lang))
        return
    except QueueFull:
        running, queued = jobs.running_count, jobs.queued_count
        await reply(update, t("train.error.queue_full", lang, running=running, queued=queued))
        return
    state.training = {"started": time.time(), "lang": lang, "epochs": settings.epochs}
    svc.store.save(state)
    if position:
        text = t("train.queued", lang, position=position)
    else:
        text = t("train.starting", lang, shape=view.shape, rows=len(table.X))
    try:
        sent = await update.effective_message.reply_text(
            text, parse_mode=ParseMode.HTML, reply_markup=markup(views.stop_rows(lang))
        )
        view.message_id = sent.message_id
        view.shown = text
    finally:
        view.ready.set()


async def finish_training(
    application: Application,
    svc: Services,
    view: ProgressView,
    trained_on: dict,
    settings: TrainSettings,
    result: JobResult,
) -> None:
    """Save what was learned (reloading the state first) and tell the chat how it went."""
    view.finished = True
    try:
        await asyncio.wait_for(view.ready.wait(), timeout=30)
    except TimeoutError:
        logger.warning("chat %s: progress message never appeared", view.chat_id)
    state = svc.store.load(view.chat_id)
    outcome = result.outcome
    if state.table is None:  # /reset during training: keep nothing, its reply said it all
        await view.edit(t("train.end.forgotten", view.lang), None, final=True)
        return
    same_table = state.table == trained_on
    if outcome is not None and same_table and outcome.model_bytes is not None:
        state.model = outcome.model_bytes
        state.history = outcome.history_dict
        state.encoding = outcome.encoding
    if result.reason == "shutdown":
        # The app tells the chat after the pool stopped (and clears the marker then).
        if state.training is not None:
            state.training = {**state.training, "kept": outcome is not None and same_table}
        svc.store.save(state)
        return
    state.training = None
    svc.store.save(state)
    lang, limits = view.lang, svc.config.limits
    if outcome is None:
        await view.edit(views.failure_text(result.reason, limits, lang), None, final=True)
        return
    head = views.end_text(outcome, result.reason, view.shape, settings, limits, lang)
    await view.edit(head, None, final=True)
    if not same_table:
        await _send(application, view.chat_id, t("train.error.table_changed", lang))
        return
    if outcome.model_bytes is None:  # diverged at once: the previous network stays
        await _send_diagnosis(application, view.chat_id, outcome, settings, lang)
        return
    table = Table.from_dict(trained_on)
    for part in split_message(views.summary_text(table, settings, outcome.evaluation, lang)):
        await _send(application, view.chat_id, part)
    if outcome.history_dict.get("loss"):
        picture = outcome.plot_png or await asyncio.to_thread(loss_plot, outcome.history_dict, lang)
        await _send_photo(application, view.chat_id, picture, t("train.plot.caption", lang))
    await _send_diagnosis(application, view.chat_id, outcome, settings, lang)


async def _send_diagnosis(
    application: Application, chat_id: int, outcome: Any, settings: TrainSettings, lang: str
) -> None:
    """The symptoms the training shows, each fix a button (nothing when all is well)."""
    text = diagnosis_text(outcome.diagnosis, lang)
    if text is None:
        return
    keyboard = markup(diagnosis_rows(outcome.diagnosis, settings, lang))
    await deliver(
        lambda: application.bot.send_message(
            chat_id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard
        ),
        "diagnosis",
        chat_id,
    )


async def stop_command(update: Update, context: BotContext) -> None:
    """Stops this chat's training (the network learned so far is kept)."""
    svc = context.services
    state = context.chat_state(update)
    lang = context.lang(update, state)
    stopped = svc.jobs is not None and svc.jobs.cancel(update.effective_chat.id)
    await reply(update, t("train.stop.requested" if stopped else "train.stop.none", lang))


async def training_button(update: Update, context: BotContext) -> None:
    """Stop under the progress message stops the training; Train under /settings starts one."""
    query = update.callback_query
    if query.data == views.GO:
        await query.answer()
        await start_training(update, context)
        return
    if query.data != views.STOP:  # not a button this bot made: answered, nothing done
        await query.answer()
        return
    svc = context.services
    state = context.chat_state(update)
    lang = context.lang(update, state)
    stopped = svc.jobs is not None and svc.jobs.cancel(update.effective_chat.id)
    await query.answer(t("train.stop.requested" if stopped else "train.stop.none", lang))


# --- sending the results -------------------------------------------------------------------------


async def deliver(call: Callable[[], Awaitable[Any]], what: str, chat_id: int) -> None:
    """Send a training result; wait out flood control instead of losing the message."""
    for attempt in range(FLOOD_RETRIES + 1):
        try:
            await call()
            return
        except RetryAfter as error:
            if attempt == FLOOD_RETRIES:
                logger.warning("could not send the %s to chat %s: %s", what, chat_id, error)
                return
            await asyncio.sleep(retry_seconds(error))
        except TelegramError as error:
            logger.warning("could not send the %s to chat %s: %s", what, chat_id, error)
            return


async def _send(application: Application, chat_id: int, text: str) -> None:
    await deliver(
        lambda: application.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML),
        "training result",
        chat_id,
    )


async def _send_photo(application: Application, chat_id: int, picture: bytes, caption: str) -> None:
    await deliver(
        lambda: application.bot.send_photo(chat_id, picture, caption=caption),
        "loss plot",
        chat_id,
    )
