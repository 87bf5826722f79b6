"""What goes wrong: the error handler (log, apologise) and commands no feature knows."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import Conflict, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.common.views import command_name, unknown_command_text
from bot.context import BotContext, chat_lang
from bot.i18n import t

logger = logging.getLogger(__name__)


def _quiet(update: object, error: BaseException | None) -> bool:
    """Log the errors that get no apology (and no traceback); True when `error` was one."""
    if update is None and isinstance(error, Conflict):
        logger.error("Another copy of this bot is running with the same token: %s", error)
    elif update is None and isinstance(error, NetworkError):
        logger.warning("Telegram API problem (will retry): %s", error)
    elif isinstance(error, Forbidden):
        logger.info("cannot write to a chat (blocked or removed?): %s", error)
    elif isinstance(error, RetryAfter):  # flood control: an apology would only make it worse
        logger.warning("Telegram asked the bot to slow down: %s", error)
    elif not isinstance(update, Update):
        logger.error("Error outside an update", exc_info=error)
    else:
        return False
    return True


async def on_error(update: object, context: BotContext) -> None:
    """Logs what went wrong (token redacted by bot.logs) and apologises to the user."""
    error = context.error
    if _quiet(update, error):
        return
    chat = update.effective_chat
    logger.error(
        "Error while handling update %s in chat %s",
        update.update_id,
        chat.id if chat else None,
        exc_info=error,
    )
    if chat is None:
        return
    try:
        state = context.chat_state(update)
    except Exception:  # the store itself may be what failed
        state = None
    try:
        await context.bot.send_message(
            chat.id, t("error.internal", chat_lang(update, state)), parse_mode=ParseMode.HTML
        )
    except TelegramError as exc:
        logger.warning("could not send the apology to chat %s: %s", chat.id, exc)


def known_commands(application: Application) -> set[str]:
    """Every command some handler answers, whichever module registered it."""
    return {
        command
        for handlers in application.handlers.values()
        for handler in handlers
        if isinstance(handler, CommandHandler)
        for command in handler.commands
    }


async def unknown_command(update: Update, context: BotContext) -> None:
    """Answers a command no feature knows (a typo, usually) with a pointer to /help."""
    message = update.effective_message
    name, addressee = command_name(message.text or "")
    if addressee and addressee.lower() != (context.bot.username or "").lower():
        return  # meant for another bot in a group
    if name.lower() in known_commands(context.application):
        return  # a feature handled it in group 0
    lang = context.lang(update, context.chat_state(update))
    await message.reply_text(unknown_command_text(name, lang), parse_mode=ParseMode.HTML)


async def unknown_button(update: Update, context: BotContext) -> None:
    """Answers, quietly, a button press no feature takes (forged or from a foreign bot), so the
    user's app stops waiting; a feature that took it answered it already."""
    handlers = context.application.handlers.get(0, [])
    if any(isinstance(h, CallbackQueryHandler) and h.check_update(update) for h in handlers):
        return
    await update.callback_query.answer()


def register(application: Application) -> None:
    """The error handler, and the unknown-command and unknown-button answers in group 1
    (after every feature)."""
    application.add_error_handler(on_error)
    application.add_handler(MessageHandler(filters.COMMAND, unknown_command), group=1)
    application.add_handler(CallbackQueryHandler(unknown_button), group=1)
