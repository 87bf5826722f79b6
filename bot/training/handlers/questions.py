"""/predict and /explain: the trained network answers new inputs and shows its arithmetic."""

from __future__ import annotations

import asyncio
import html
import logging

from telegram import Message, Update
from telegram.constants import ParseMode

from bot.context import BotContext, command_argument
from bot.i18n import t
from bot.store import ChatState
from bot.tables.table import Table, TableError, describe_error, parse_rows
from bot.text import number
from bot.training import explain as lesson
from bot.training.encoding import decode_outputs, encode_inputs, encoding_for
from bot.training.run import load_model
from bot.training.settings import settings_for

MAX_PREDICT_ROWS = 20

logger = logging.getLogger(__name__)


def _load(update: Update, context: BotContext) -> tuple[ChatState, str]:
    state = context.chat_state(update)
    return state, context.lang(update, state)


async def _reply(message: Message, text: str) -> None:
    await message.reply_text(text, parse_mode=ParseMode.HTML)


# --- /predict -----------------------------------------------------------------------------------


def predict_text(state: ChatState, rows: list[list[float]], lang: str) -> str:
    """The trained network's answers for `rows` (runs the network: call off the event loop)."""
    table = Table.from_dict(state.table)
    encoding = encoding_for(table, state.encoding, settings_for(table, state.settings))
    model = load_model(state.model)
    answers = decode_outputs(table, encoding, model.predict(encode_inputs(encoding, rows)))
    lines = [t("table.predict.title", lang)]
    for row, answer in zip(rows, answers, strict=True):
        shown = " ".join(number(v) for v in row)
        line = f"<code>{html.escape(shown)}</code> → <b>{html.escape(answer.text)}</b>"
        if answer.confidence is not None:
            line += " " + t("table.predict.confidence", lang, percent=f"{answer.confidence:.1%}")
        lines.append(line)
    return "\n".join(lines)


async def predict_command(update: Update, context: BotContext) -> None:
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
    text = command_argument(message)
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


async def explain_command(update: Update, context: BotContext) -> None:
    """/explain [row]: one training step for one row, every number written out."""
    state, lang = _load(update, context)
    message = update.effective_message
    if not state.table:
        await _reply(message, t("lesson.no_table", lang))
        return
    table = Table.from_dict(state.table)
    choice = lesson.pick_row(table, command_argument(message))
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
