"""/confusion and the fix buttons of the diagnosis after a training."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.constants import ParseMode

from bot.context import BotContext
from bot.i18n import t
from bot.text import plain
from bot.training import views
from bot.training.confusion import confusion, confusion_picture, confusion_problem, wrong_lines
from bot.training.encoding import encoding_for
from bot.training.handlers.common import chat_settings, chat_table, markup, reply, with_model
from bot.training.quality import fix_of
from bot.training.run import load_model
from bot.training.settings import SettingsError, check_settings

ALERT_LIMIT = 190  # characters of a callback answer shown as an alert


async def confusion_command(update: Update, context: BotContext) -> None:
    """Sends the confusion matrix of the trained network, then the rows it gets wrong."""
    chat = await with_model(update, context)
    if chat is None:
        return
    state, lang, table = chat
    if (problem := confusion_problem(table)) is not None:
        key, values = problem
        await reply(update, t(key, lang, **values))
        return
    encoding = encoding_for(table, state.encoding, chat_settings(state, table))
    model_bytes = state.model

    def draw() -> tuple[bytes, str]:
        result = confusion(table, encoding, load_model(model_bytes))
        return confusion_picture(result, lang), wrong_lines(table, result, lang)

    picture, wrong = await asyncio.to_thread(draw)
    message = update.effective_message
    await message.reply_photo(picture, caption=t("confusion.caption", lang))
    await reply(update, wrong)


async def fix_button(update: Update, context: BotContext) -> None:
    """A fix under the diagnosis: the setting changes, and the settings come with ▶ Train."""
    query = update.callback_query
    svc = context.services
    state = context.chat_state(update)
    lang = context.lang(update, state)
    table = chat_table(state)
    current = chat_settings(state, table)
    fixed = fix_of(query.data or "", current, svc.config.limits)
    if fixed is None:
        await query.answer(t("fix.forged", lang), show_alert=True)
        return
    change, changed = fixed
    try:
        if table:
            check_settings(table, changed, svc.config.limits)
    except SettingsError as error:
        await query.answer(
            plain(views.settings_error_text(error, lang))[:ALERT_LIMIT], show_alert=True
        )
        return
    state.settings = changed.to_dict()
    svc.store.save(state)
    await query.answer(t("settings.changed", lang))
    body = (
        t("fix.applied", lang, change=change) + "\n\n" + views.settings_text(table, changed, lang)
    )
    await update.effective_message.reply_text(
        body, parse_mode=ParseMode.HTML, reply_markup=markup(views.settings_rows(changed, lang))
    )
