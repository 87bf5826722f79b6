"""/compare: the variants of one setting trained as one job, then their curves and a verdict.

The job goes through the same pool as /train (one job per chat, the host's limits), with the
same progress message and Stop button; when it ends, nothing of the chat is saved: the learner
reads which variant won and the /settings line that adopts it.
"""

from __future__ import annotations

import asyncio
import contextlib

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application

from bot.config import Limits
from bot.context import BotContext, command_argument
from bot.i18n import plural, t
from bot.inside.compare import CompareError, compare_payload, parse_compare
from bot.inside.compare_views import compare_picture, details_text, progress_label, verdict
from bot.jobs import JobBusy, JobResult, QueueFull
from bot.tables.table import Table
from bot.text import split_message
from bot.training import views
from bot.training.handlers.common import chat_settings, markup, reply, with_table
from bot.training.handlers.train import ProgressView, deliver, train_refusal
from bot.training.settings import SettingsError


async def compare_command(update: Update, context: BotContext) -> None:
    """Trains 2–5 variants of one setting with the same seed, as one job with a Stop button."""
    svc = context.services
    if (chat := await with_table(update, context)) is None:
        return
    state, lang, table = chat
    base = chat_settings(state, table)
    try:
        _, variants = parse_compare(
            command_argument(update.effective_message), base, table, svc.config.limits
        )
    except CompareError as error:
        await reply(update, t(error.key, lang, **error.values))
        return
    except SettingsError as error:
        await reply(update, views.settings_error_text(error, lang))
        return
    refusal = train_refusal(update, context, lang)  # what /train would say: busy, or no job pool
    if refusal is not None:
        await reply(update, refusal)
        return
    shape = ", ".join(dict.fromkeys(views.shape_text(table, v.settings) for v in variants))
    view = ProgressView(context.bot, state.chat_id, lang, shape)

    def on_progress(data: dict):
        if "variant" in data:
            current = views.shape_text(table, variants[data["variant"] - 1].settings)
            view.shape = progress_label(data, len(variants), current, lang)
        return view.on_progress(data)

    async def on_done(result: JobResult) -> None:
        await _finish(context.application, view, table, svc.config.limits, result)

    try:
        position = svc.jobs.submit(
            state.chat_id, compare_payload(table, variants, lang), on_progress, on_done
        )
    except JobBusy:
        await reply(update, t("train.error.busy", lang))
        return
    except QueueFull:
        jobs = svc.jobs
        await reply(
            update,
            t("train.error.queue_full", lang, running=jobs.running_count, queued=jobs.queued_count),
        )
        return
    seed = variants[0].settings.seed
    if position:
        text = t("train.queued", lang, position=position)
    else:
        count = plural(len(variants), lang, "inside.word.variant")
        text = t("inside.compare.starting", lang, variants=count, shape=shape, seed=seed)
    try:
        sent = await update.effective_message.reply_text(
            text, parse_mode=ParseMode.HTML, reply_markup=markup(views.stop_rows(lang))
        )
        view.message_id, view.shown = sent.message_id, text
    finally:
        view.ready.set()


async def _finish(
    application: Application,
    view: ProgressView,
    table: Table,
    limits: Limits,
    result: JobResult,
) -> None:
    """The verdict in the progress message, then the curves and a line per variant."""
    view.finished = True
    with contextlib.suppress(TimeoutError):  # no message to edit: the results still follow
        await asyncio.wait_for(view.ready.wait(), timeout=30)
    outcome, lang = result.outcome, view.lang
    if result.reason == "shutdown":
        return
    if not isinstance(outcome, dict) or not outcome.get("variants"):
        await view.edit(views.failure_text(result.reason, limits, lang), None, final=True)
        return
    variants = plural(len(outcome["variants"]), lang, "inside.word.variant")
    await view.edit(t("inside.compare.done", lang, variants=variants), None, final=True)
    picture = await asyncio.to_thread(compare_picture, outcome, lang)
    bot, chat_id = application.bot, view.chat_id
    await deliver(
        lambda: bot.send_photo(chat_id, picture, caption=verdict(outcome, lang)),
        "compare picture",
        chat_id,
    )
    for part in split_message(details_text(outcome, len(table.X), lang)):
        await deliver(
            lambda part=part: bot.send_message(chat_id, part, parse_mode=ParseMode.HTML),
            "compare summary",
            chat_id,
        )
