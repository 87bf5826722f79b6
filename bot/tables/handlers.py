"""Tables in the chat: /table, /examples, /predict, /explain, table files and plain text.

Thin adapters: each handler reads the update, calls plain functions (`bot.tables.table`,
`bot.tables.examples`, `bot.training.run`, `bot.training.explain`) off the event loop where they compute, and
replies in HTML. The plain-text router lives here and is registered last, so it only sees
messages no other feature took.
"""

from __future__ import annotations

import asyncio
import html
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
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.common.handlers import chat_lang
from bot.i18n import t
from bot.services import services
from bot.store import ChatState
from bot.tables.examples import EXAMPLES, suggested_settings
from bot.tables.table import (
    Table,
    TableError,
    describe_error,
    format_number,
    looks_like_table,
    parse_rows,
    parse_table,
    preview,
)
from bot.training import explain as lesson
from bot.training import run as training

COMMANDS = ["table", "examples", "predict", "explain"]
CALLBACK_PREFIX = "tables:"
TABLE_EXTENSIONS = {".csv", ".tsv", ".txt", ".tab", ".dat"}
IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif", ".tif", ".tiff", ".heic"}
MAX_PREDICT_ROWS = 20

logger = logging.getLogger(__name__)


# --- helpers ----------------------------------------------------------------------------------


def _load(update: Update, context: ContextTypes.DEFAULT_TYPE) -> tuple[ChatState, str]:
    state = services(context).store.load(update.effective_chat.id)
    return state, chat_lang(update, state)


async def _reply(message: Message, text: str, **kwargs: Any) -> None:
    await message.reply_text(
        text, parse_mode=ParseMode.HTML, disable_web_page_preview=True, **kwargs
    )


def _command_argument(message: Message) -> str:
    """The text after `/command` (and after `/command@bot`), newlines kept."""
    text = message.text or message.caption or ""
    first, _, rest = text.partition("\n")
    head = first.split(maxsplit=1)
    return ((head[1] if len(head) > 1 else "") + ("\n" + rest if rest else "")).strip()


def _training_active(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> bool:
    jobs = services(context).jobs
    return bool(jobs is not None and jobs.is_active(chat_id))


def _set_table(state: ChatState, table: Table, settings: dict[str, Any] | None = None) -> None:
    """A new table: the trained network belonged to the old one, so it goes."""
    state.table = table.to_dict()
    state.pending = None
    training.forget_model(state)
    if settings is not None:
        state.settings = settings


async def accept_table(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    """Parses a table the user sent and replies with what was understood, or where it breaks."""
    svc = services(context)
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


async def table_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/table with a table in the message reads it; a bare /table waits for the next message."""
    full = update.effective_message.text or ""
    command = full.split(maxsplit=1)[0] if full.strip() else ""
    text = full.replace(command, "", 1)  # keeps the lines, so errors name the message's lines
    if text.strip():
        await accept_table(update, context, text)
        return
    state, lang = _load(update, context)
    state.pending = "table"
    services(context).store.save(state)
    await _reply(update.effective_message, t("table.ask", lang))


async def plain_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
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


async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
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
    limit = services(context).config.limits.max_file_bytes
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


async def examples_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Shows the ready tables as buttons, one tap each."""
    _, lang = _load(update, context)
    await _reply(
        update.effective_message, t("table.examples", lang), reply_markup=examples_keyboard(lang)
    )


async def example_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A tap on an example: it becomes the chat's table, with its suggested settings."""
    query = update.callback_query
    svc = services(context)
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


# --- /predict -----------------------------------------------------------------------------------


def predict_text(state: ChatState, rows: list[list[float]], lang: str) -> str:
    """The trained network's answers for `rows` (runs the network: call off the event loop)."""
    model = training.load_model(state.model)
    X = training.encode_inputs(state.table, state.settings, rows)
    answers = training.decode_outputs(state.table, state.settings, model.predict(X))
    lines = [t("table.predict.title", lang)]
    for row, answer in zip(rows, answers, strict=True):
        shown = " ".join(format_number(v) for v in row)
        line = f"<code>{html.escape(shown)}</code> → <b>{html.escape(answer.text)}</b>"
        if answer.confidence is not None:
            line += " " + t("table.predict.confidence", lang, percent=f"{answer.confidence:.1%}")
        lines.append(line)
    return "\n".join(lines)


async def predict_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/predict 1 0 0 (rows separated by ; or new lines): the trained network answers."""
    state, lang = _load(update, context)
    message = update.effective_message
    if not state.table:
        await _reply(message, t("table.predict.no_table", lang))
        return
    if not state.model:
        await _reply(message, t("table.predict.not_trained", lang))
        return
    table = Table.from_dict(state.table)
    text = _command_argument(message)
    try:
        if text:
            rows = parse_rows(text, len(table.inputs))
        elif table.questions:
            rows = table.questions
        else:
            raise TableError("predict_empty", expected=len(table.inputs))
    except TableError as error:
        await _reply(message, describe_error(error, lang))
        return
    if len(rows) > MAX_PREDICT_ROWS:
        await _reply(message, t("table.predict.too_many", lang, limit=MAX_PREDICT_ROWS))
        return
    try:
        reply = await asyncio.to_thread(predict_text, state, rows, lang)
    except ValueError as error:  # a stored network that does not fit the table any more
        logger.warning("predict failed: %s", error)
        await _reply(message, t("table.predict.not_trained", lang))
        return
    await _reply(message, reply)


# --- /explain -----------------------------------------------------------------------------------


async def explain_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/explain [row]: one training step for one row, every number written out."""
    state, lang = _load(update, context)
    message = update.effective_message
    if not state.table:
        await _reply(message, t("lesson.no_table", lang))
        return
    table = Table.from_dict(state.table)
    choice = lesson.pick_row(table, _command_argument(message))
    if choice is None:
        await _reply(message, t("lesson.bad_row", lang, count=len(table.X)))
        return
    try:
        texts = await asyncio.to_thread(lesson.explain_row, state, table, choice, lang)
    except lesson.CannotExplain as error:
        await _reply(message, t(f"lesson.cannot.{error.reason}", lang))
        return
    for text in texts:
        await _reply(message, text)


# --- wiring -------------------------------------------------------------------------------------


def register(application: Application) -> None:
    """Adds the table commands, the examples' buttons, documents and (last) the text router."""
    application.add_handler(CommandHandler("table", table_command))
    application.add_handler(CommandHandler("examples", examples_command))
    application.add_handler(CommandHandler("predict", predict_command))
    application.add_handler(CommandHandler("explain", explain_command))
    application.add_handler(CallbackQueryHandler(example_button, pattern=f"^{CALLBACK_PREFIX}ex:"))
    application.add_handler(MessageHandler(filters.Document.ALL, document))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, plain_text))
