"""/share and `/start <code>`: a teacher's link, and a learner's chat loading it (after asking,
with buttons, before it replaces a table)."""

from __future__ import annotations

import html

from telegram import Update
from telegram.constants import ParseMode

from bot.context import BotContext, edit_quietly
from bot.i18n import plural, t
from bot.inside.share import LIMIT, Exercise, exercise_of, link, share, shared_exercise
from bot.tables.preview import preview
from bot.tables.state import set_table
from bot.text import short
from bot.training import views
from bot.training.handlers.common import markup, reply

CALLBACK = "share:"
LOAD = f"{CALLBACK}load:"  # + the code: replace my table with the shared one
KEEP = f"{CALLBACK}keep"
COLUMNS_SHOWN = 80  # characters of the shared table's column names in the question


async def share_command(update: Update, context: BotContext) -> None:
    """Gives the link that loads this chat's table and settings in another chat."""
    svc = context.services
    state = context.chat_state(update)
    lang = context.lang(update, state)
    exercise = exercise_of(state)
    if exercise is None:
        await reply(update, t("inside.share.no_table", lang))
        return
    shared = share(svc.store, state, exercise)
    text = t(
        "inside.share.link",
        lang,
        link=link(context.bot.username, shared.code),
        rows=plural(len(exercise.table.X), lang, "word.row"),
        shape=views.shape_text(exercise.table, exercise.settings),
        limit=LIMIT,
    )
    if shared.dropped:
        text += "\n\n" + t("inside.share.dropped", lang, limit=LIMIT)
    await update.effective_message.reply_text(
        text, parse_mode=ParseMode.HTML, disable_web_page_preview=True
    )


async def start_with_code(update: Update, context: BotContext) -> None:
    """`/start <code>` (a /share link opened): loads the exercise, or asks first when the chat
    already has a table of its own."""
    svc = context.services
    state = context.chat_state(update)
    lang = context.lang(update, state)
    code = context.args[0]
    exercise = shared_exercise(svc.store, code)
    if exercise is None:
        await reply(update, t("inside.share.unknown", lang))
        return
    if state.table is None:
        await _load(update, context, exercise, lang)
        return
    if state.table == exercise.table.to_dict() and state.settings == exercise.settings.to_dict():
        await reply(update, t("inside.share.already", lang))
        return
    rows = [
        [(t("inside.share.button.load", lang), f"{LOAD}{code}")],
        [(t("inside.share.button.keep", lang), KEEP)],
    ]
    question = t(
        "inside.share.ask",
        lang,
        rows=plural(len(exercise.table.X), lang, "word.row"),
        columns=html.escape(short(", ".join(exercise.table.columns), COLUMNS_SHOWN)),
    )
    await update.effective_message.reply_text(
        question, parse_mode=ParseMode.HTML, reply_markup=markup(rows)
    )


async def share_button(update: Update, context: BotContext) -> None:
    """The answer to "replace your table?": load the shared exercise, or keep the chat's own."""
    query = update.callback_query
    state = context.chat_state(update)
    lang = context.lang(update, state)
    if query.data == KEEP:
        await query.answer()
        await edit_quietly(query.edit_message_text(t("inside.share.kept", lang)))
        return
    exercise = shared_exercise(context.services.store, query.data.removeprefix(LOAD))
    if exercise is None:
        await query.answer(t("inside.share.unknown_short", lang), show_alert=True)
        return
    await query.answer()
    await edit_quietly(query.edit_message_reply_markup(None))
    await _load(update, context, exercise, lang)


async def _load(update: Update, context: BotContext, exercise: Exercise, lang: str) -> None:
    """The shared table and settings become the chat's (its old network goes with its table)."""
    svc = context.services
    jobs = svc.jobs
    if jobs is not None and jobs.is_active(update.effective_chat.id):
        await reply(update, t("train.error.table_during_training", lang))
        return
    state = context.chat_state(update)
    set_table(state, exercise.table, exercise.settings.to_dict())
    svc.store.save(state)
    shape = views.shape_text(exercise.table, exercise.settings)
    text = "\n\n".join(
        [
            t("inside.share.loaded", lang),
            preview(exercise.table, lang),
            t("inside.share.next", lang, shape=shape),
        ]
    )
    await reply(update, text)
