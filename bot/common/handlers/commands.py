"""/start, /help, /lang, /reset and /stats, with the /lang and /reset buttons."""

from __future__ import annotations

import logging
import time

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.common import reset
from bot.common.views import (
    COMMANDS,
    LANG_CALLBACK,
    RESET_CALLBACK,
    RESET_NO,
    RESET_YES,
    Keyboard,
    chosen_language,
    help_text,
    lang_keyboard,
    reset_keyboard,
    start_text,
    stats_text,
)
from bot.context import COMMANDS as COMMANDS_KEY
from bot.context import BotContext, edit_quietly
from bot.digits.kept import PHOTOS
from bot.i18n import LANGUAGES, t
from bot.text import split_message

logger = logging.getLogger(__name__)


def _markup(rows: Keyboard) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


async def _reply(update: Update, text: str, markup: Keyboard | None = None) -> None:
    await update.effective_message.reply_text(
        text, parse_mode=ParseMode.HTML, reply_markup=_markup(markup) if markup else None
    )


# --- /start and /help --------------------------------------------------------------------


async def start(update: Update, context: BotContext) -> None:
    """Greets the user and shows what the bot can do."""
    await _send_help(update, context, greet=True)


async def help_command(update: Update, context: BotContext) -> None:
    """Shows what the bot does, a three-step quick start and every command."""
    await _send_help(update, context, greet=False)


async def _send_help(update: Update, context: BotContext, *, greet: bool) -> None:
    lang = context.lang(update, context.chat_state(update))
    user = update.effective_user
    commands = context.application.bot_data.get(COMMANDS_KEY, COMMANDS)
    is_admin = context.services.config.is_admin(user.id if user else None)
    if greet:
        first_name = user.first_name if user and user.first_name else ""
        text = start_text(lang, commands, first_name, is_admin=is_admin)
    else:
        text = help_text(lang, commands, is_admin=is_admin)
    for part in split_message(text):
        await update.effective_message.reply_text(
            part, parse_mode=ParseMode.HTML, disable_web_page_preview=True
        )


# --- /lang -------------------------------------------------------------------------------


async def lang_command(update: Update, context: BotContext) -> None:
    """Switches the language (`/lang ru`), or offers buttons to choose it."""
    state = context.chat_state(update)
    current = context.lang(update, state)
    wanted = (context.args[0].lower() if context.args else "")[:2]
    if wanted in LANGUAGES:
        state.lang = wanted
        context.services.store.save(state)
        await _reply(update, t("app.lang.set", wanted))
        return
    await _reply(update, t("app.lang.choose", current), lang_keyboard(current))


async def lang_button(update: Update, context: BotContext) -> None:
    """The user sees the message turn into "language set", in the language picked."""
    query = update.callback_query
    wanted = chosen_language(query.data)
    if wanted is None:
        await query.answer()
        return
    state = context.chat_state(update)
    state.lang = wanted
    context.services.store.save(state)
    await query.answer()
    await edit_quietly(
        query.edit_message_text(t("app.lang.set", wanted), parse_mode=ParseMode.HTML)
    )


# --- /reset ------------------------------------------------------------------------------


async def reset_command(update: Update, context: BotContext) -> None:
    """Asks for confirmation before forgetting the chat's table, settings and network."""
    lang = context.lang(update, context.chat_state(update))
    await _reply(update, t("app.reset.confirm", lang), reset_keyboard(lang))


async def reset_button(update: Update, context: BotContext) -> None:
    """The user sees the lesson forgotten (a running training cancelled), or kept as it was."""
    query = update.callback_query
    state = context.chat_state(update)
    lang = context.lang(update, state)
    await query.answer()
    if query.data not in (RESET_CALLBACK + RESET_YES, RESET_CALLBACK + RESET_NO):
        return  # not a button this bot made
    if query.data != RESET_CALLBACK + RESET_YES:
        key = "app.reset.kept"
    elif reset.expired(query.message.date.timestamp() if query.message else 0.0, time.time()):
        key = "app.reset.expired"
    else:
        cancelled = reset.forget_chat(context.services, state, context.bot_data.get(PHOTOS))
        logger.info("chat %s reset (training cancelled: %s)", state.chat_id, cancelled)
        key = "app.reset.done_cancelled" if cancelled else "app.reset.done"
    await edit_quietly(query.edit_message_text(t(key, lang), parse_mode=ParseMode.HTML))


# --- /stats (admins) ---------------------------------------------------------------------


async def stats_command(update: Update, context: BotContext) -> None:
    """For admins: chats, trainings running and queued, uptime and memory."""
    svc = context.services
    user = update.effective_user
    lang = context.lang(update, context.chat_state(update))
    if not svc.config.is_admin(user.id if user else None):
        await _reply(update, t("app.stats.refused", lang))
        return
    await _reply(update, stats_text(svc, lang))


COMMAND_HANDLERS = {
    "start": start,
    "help": help_command,
    "lang": lang_command,
    "reset": reset_command,
    "stats": stats_command,
}


def register(application: Application) -> None:
    """The common commands and the /lang and /reset buttons."""
    for name, callback in COMMAND_HANDLERS.items():
        application.add_handler(CommandHandler(name, callback))
    application.add_handler(CallbackQueryHandler(lang_button, pattern=f"^{LANG_CALLBACK}"))
    application.add_handler(CallbackQueryHandler(reset_button, pattern=f"^{RESET_CALLBACK}"))
