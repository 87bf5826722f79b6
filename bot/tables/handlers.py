"""Tables in the chat: /table, /examples, /predict, /explain, table files and plain text.

Thin adapters: each handler reads the update, calls plain functions (`bot.tables.table`,
`bot.tables.examples`, `bot.training.run`, `bot.training.explain`) off the event loop where they compute, and
replies in HTML. The plain-text router lives here and is registered last, so it only sees
messages no other feature took.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import PurePath
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

from bot.context import BotContext, chat_lang
from bot.i18n import t
from bot.store import ChatState
from bot.tables.examples import EXAMPLES, suggested_settings
from bot.tables.table import (
    Table,
    TableError,
    describe_error,
    looks_like_table,
    parse_table,
    preview,
)
from bot.training import run as training

COMMANDS = ["table", "examples"]
CALLBACK_PREFIX = "tables:"
TABLE_EXTENSIONS = {".csv", ".tsv", ".txt", ".tab", ".dat"}
IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif", ".tif", ".tiff", ".heic"}

logger = logging.getLogger(__name__)


# --- helpers ----------------------------------------------------------------------------------


def _load(update: Update, context: BotContext) -> tuple[ChatState, str]:
    state = context.services.store.load(update.effective_chat.id)
    return state, chat_lang(update, state)


async def _reply(message: Message, text: str, **kwargs: Any) -> None:
    await message.reply_text(
        text, parse_mode=ParseMode.HTML, disable_web_page_preview=True, **kwargs
    )


def _training_active(context: BotContext, chat_id: int) -> bool:
    jobs = context.services.jobs
    return bool(jobs is not None and jobs.is_active(chat_id))


def _set_table(state: ChatState, table: Table, settings: dict[str, Any] | None = None) -> None:
    """A new table: the trained network belonged to the old one, so it goes."""
    state.table = table.to_dict()
    state.pending = None
    training.forget_model(state)
    if settings is not None:
        state.settings = settings


async def accept_table(update: Update, context: BotContext, text: str) -> None:
    """Parses a table the user sent and replies with what was understood, or where it breaks."""
    svc = context.services
    chat_id = update.effective_chat.id
    state, lang = _load(update, context)
    if _training_active(context, chat_id):
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
    state = svc.store.load(chat_id)  # reload: the parse awaited
    _set_table(state, table)
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
    state, lang = _load(update, context)
    state.pending = "table"
    context.services.store.save(state)
    await _reply(update.effective_message, t("table.ask", lang))


async def plain_text(update: Update, context: BotContext) -> None:
    """Any other text: a table when expected or when it plainly is one, else a friendly hint."""
    text = update.effective_message.text or ""
    state, lang = _load(update, context)
    if state.pending == "table" or looks_like_table(text):
        await accept_table(update, context, text)
        return
    if update.effective_chat.type == "private":  # in a group, chat is not meant for the bot
        await _reply(update.effective_message, t("table.hint", lang))


# --- documents ----------------------------------------------------------------------------------


def _document_kind(file_name: str | None, mime: str | None) -> str:
    """'image', 'table' or 'other', from the file's extension and MIME type."""
    suffix = PurePath(file_name or "").suffix.lower()
    mime = (mime or "").lower()
    if mime.startswith("image/") or suffix in IMAGE_EXTENSIONS:
        return "image"
    if suffix in TABLE_EXTENSIONS or mime in ("text/csv", "text/tab-separated-values"):
        return "table"
    if mime.startswith("text/") and not suffix:
        return "table"
    return "other"


def decode_table_bytes(data: bytes) -> str | None:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1251; None for binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251")
    except UnicodeDecodeError:
        return None


async def document(update: Update, context: BotContext) -> None:
    """A file: tables (CSV/TSV/TXT) are read, images go to the digit reader, others refused."""
    doc = update.effective_message.document
    kind = _document_kind(doc.file_name, doc.mime_type)
    if kind == "image":
        from bot.digits import handlers as digits

        await digits.handle_image_document(update, context)
        return
    _, lang = _load(update, context)
    if kind != "table":
        await _reply(update.effective_message, t("table.file.unknown", lang))
        return
    limit = context.services.config.limits.max_file_bytes
    too_big = t(
        "table.file.too_big",
        lang,
        size=-(-(doc.file_size or 0) // 1000),
        limit=limit // 1000,
    )
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
    text = decode_table_bytes(data)
    if text is None:
        await _reply(update.effective_message, t("table.file.unreadable", lang))
        return
    await accept_table(update, context, text)


# --- /examples --------------------------------------------------------------------------------


def examples_keyboard(lang: str) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            t(f"table.example.{key}.title", lang), callback_data=f"{CALLBACK_PREFIX}ex:{key}"
        )
        for key in EXAMPLES
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    return InlineKeyboardMarkup(rows)


async def examples_command(update: Update, context: BotContext) -> None:
    """Shows the ready tables as buttons, one tap each."""
    _, lang = _load(update, context)
    await _reply(
        update.effective_message, t("table.examples", lang), reply_markup=examples_keyboard(lang)
    )


async def example_button(update: Update, context: BotContext) -> None:
    """A tap on an example: it becomes the chat's table, with its suggested settings."""
    query = update.callback_query
    svc = context.services
    chat_id = update.effective_chat.id
    state, lang = _load(update, context)
    key = (query.data or "").removeprefix(f"{CALLBACK_PREFIX}ex:")
    if key not in EXAMPLES:
        await query.answer(t("table.example.gone", lang), show_alert=True)
        return
    await query.answer()
    if _training_active(context, chat_id):
        await _reply(update.effective_message, t("train.error.table_during_training", lang))
        return
    table = parse_table(EXAMPLES[key].text, svc.config.limits)
    _set_table(state, table, suggested_settings(key, table, svc.config.limits))
    svc.store.save(state)
    text = "\n\n".join(
        [
            t(f"table.example.{key}.about", lang),
            preview(table, lang),
            t(f"table.example.{key}.next", lang),
        ]
    )
    await _reply(update.effective_message, text)


# --- wiring -------------------------------------------------------------------------------------


def register(application: Application) -> None:
    """Adds the table commands, the examples' buttons, documents and (last) the text router."""
    application.add_handler(CommandHandler("table", table_command))
    application.add_handler(CommandHandler("examples", examples_command))
    application.add_handler(CallbackQueryHandler(example_button, pattern=f"^{CALLBACK_PREFIX}ex:"))
    application.add_handler(MessageHandler(filters.Document.ALL, document))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, plain_text))
