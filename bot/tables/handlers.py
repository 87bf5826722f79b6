"""Tables in the chat: /table, /examples, table files and plain text.

Thin adapters: each handler reads the update, calls plain functions (`bot.tables.parse`,
`bot.tables.preview`, `bot.tables.files`, `bot.tables.views`) off the event loop where they
compute, and replies in HTML. Image documents go to the digit reader (`bot.digits.handlers`,
which knows nothing of tables). The plain-text router lives here and is registered last, so
it only sees messages no other feature took.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.context import BotContext
from bot.digits import handlers as digits
from bot.i18n import t
from bot.tables import files
from bot.tables.examples import EXAMPLES, suggested_settings
from bot.tables.parse import looks_like_table, parse_table
from bot.tables.preview import describe_error, preview
from bot.tables.state import PENDING_TABLE, set_table
from bot.tables.table import TableError
from bot.tables.views import (
    EXAMPLE_CALLBACK,
    Keyboard,
    example_key,
    example_text,
    examples_keyboard,
)

COMMANDS = ["table", "examples"]

logger = logging.getLogger(__name__)


# --- helpers ----------------------------------------------------------------------------------


async def _reply(message: Message, text: str, **kwargs: Any) -> None:
    await message.reply_text(
        text, parse_mode=ParseMode.HTML, disable_web_page_preview=True, **kwargs
    )


def _markup(rows: Keyboard) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def _training_active(context: BotContext, chat_id: int) -> bool:
    jobs = context.services.jobs
    return bool(jobs is not None and jobs.is_active(chat_id))


async def accept_table(update: Update, context: BotContext, text: str) -> None:
    """Parses a table the user sent and replies with what was understood, or where it breaks."""
    svc = context.services
    state = context.chat_state(update)
    lang = context.lang(update, state)
    if _training_active(context, update.effective_chat.id):
        await _reply(update.effective_message, t("train.error.table_during_training", lang))
        return
    try:
        table = await asyncio.to_thread(parse_table, text, svc.config.limits)
    except TableError as error:
        if state.pending:
            state.pending = None
            svc.store.save(state)
        await _reply(update.effective_message, describe_error(error, lang))
        return
    state = context.chat_state(update)  # reload: the parse awaited
    set_table(state, table)
    svc.store.save(state)
    await _reply(update.effective_message, preview(table, lang))


# --- /table and plain text ------------------------------------------------------------------


async def table_command(update: Update, context: BotContext) -> None:
    """/table with a table in the message reads it; a bare /table waits for the next message."""
    full = update.effective_message.text or ""
    command = full.split(maxsplit=1)[0] if full.strip() else ""
    text = full.replace(command, "", 1)  # keeps the lines, so errors name the message's lines
    if text.strip():
        await accept_table(update, context, text)
        return
    state = context.chat_state(update)
    lang = context.lang(update, state)
    state.pending = PENDING_TABLE
    context.services.store.save(state)
    await _reply(update.effective_message, t("table.ask", lang))


async def plain_text(update: Update, context: BotContext) -> None:
    """Any other text: a table when expected or when it plainly is one, else a friendly hint."""
    text = update.effective_message.text or ""
    state = context.chat_state(update)
    lang = context.lang(update, state)
    if state.pending == PENDING_TABLE or looks_like_table(text):
        await accept_table(update, context, text)
        return
    if update.effective_chat.type == "private":  # in a group, chat is not meant for the bot
        await _reply(update.effective_message, t("table.hint", lang))


# --- documents ----------------------------------------------------------------------------------


async def document(update: Update, context: BotContext) -> None:
    """A file: tables (CSV/TSV/TXT) are read, images go to the digit reader, others refused."""
    doc = update.effective_message.document
    kind = files.document_kind(doc.file_name, doc.mime_type)
    if kind == files.IMAGE:
        await digits.handle_image_document(update, context)
        return
    lang = context.lang(update, context.chat_state(update))
    if kind != files.TABLE:
        await _reply(update.effective_message, t("table.file.unknown", lang))
        return
    limit = context.services.config.limits.max_file_bytes
    size = files.kilobytes(doc.file_size or 0)
    too_big = t("table.file.too_big", lang, size=size, limit=limit // 1000)
    if doc.file_size and doc.file_size > limit:
        await _reply(update.effective_message, too_big)
        return
    try:
        telegram_file = await doc.get_file()
        data = bytes(await telegram_file.download_as_bytearray())
    except TelegramError as error:
        logger.info("table file download failed: %s", type(error).__name__)
        await _reply(update.effective_message, t("table.file.download_failed", lang))
        return
    if len(data) > limit:
        await _reply(update.effective_message, too_big)
        return
    text = files.decode_table_bytes(data)
    if text is None:
        await _reply(update.effective_message, t("table.file.unreadable", lang))
        return
    await accept_table(update, context, text)


# --- /examples --------------------------------------------------------------------------------


async def examples_command(update: Update, context: BotContext) -> None:
    """Shows the ready tables as buttons, one tap each."""
    lang = context.lang(update, context.chat_state(update))
    markup = _markup(examples_keyboard(lang))
    await _reply(update.effective_message, t("table.examples", lang), reply_markup=markup)


async def example_button(update: Update, context: BotContext) -> None:
    """The user sees the chosen example become the chat's table, with its suggested settings."""
    query = update.callback_query
    svc = context.services
    state = context.chat_state(update)
    lang = context.lang(update, state)
    key = example_key(query.data)
    if key is None:
        await query.answer(t("table.example.gone", lang), show_alert=True)
        return
    await query.answer()
    if _training_active(context, update.effective_chat.id):
        await _reply(update.effective_message, t("train.error.table_during_training", lang))
        return
    table = parse_table(EXAMPLES[key].text_for(lang), svc.config.limits)
    set_table(state, table, suggested_settings(key, table, svc.config.limits))
    svc.store.save(state)
    await _reply(update.effective_message, example_text(key, table, lang))


# --- wiring -------------------------------------------------------------------------------------


def register(application: Application) -> None:
    """Adds the table commands, the examples' buttons, documents and (last) the text router."""
    application.add_handler(CommandHandler("table", table_command))
    application.add_handler(CommandHandler("examples", examples_command))
    application.add_handler(CallbackQueryHandler(example_button, pattern=f"^{EXAMPLE_CALLBACK}"))
    application.add_handler(MessageHandler(filters.Document.ALL, document))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, plain_text))
