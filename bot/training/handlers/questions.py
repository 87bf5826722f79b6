"""/predict and /explain: the trained network answers new inputs and shows its arithmetic."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update

from bot.context import BotContext, command_argument
from bot.i18n import t
from bot.tables.parse import parse_rows
from bot.tables.preview import describe_error
from bot.tables.table import TableError
from bot.text import number
from bot.training import explain as lesson
from bot.training import views
from bot.training.explain_choice import refusal
from bot.training.handlers.common import chat_settings, chat_table, reply
from bot.training.run import usable_model

MAX_PREDICT_ROWS = 20

logger = logging.getLogger(__name__)


# --- /predict -----------------------------------------------------------------------------------


async def predict_command(update: Update, context: BotContext) -> None:
    """/predict 1 0 0 (rows separated by ; or new lines): the trained network answers."""
    state = context.chat_state(update)
    lang = context.lang(update, state)
    message = update.effective_message
    if not state.table:
        await reply(update, t("table.predict.no_table", lang))
        return
    if not state.model:
        await reply(update, t("table.predict.not_trained", lang))
        return
    if not usable_model(state.model):
        await reply(update, t("train.error.model_broken", lang))
        return
    table = chat_table(state)
    text = command_argument(message)
    try:
        if text:
            rows = parse_rows(text, len(table.inputs))
        elif table.questions:
            rows = table.questions
        else:
            raise TableError("predict_empty", expected=len(table.inputs))
    except TableError as error:
        error.values.setdefault(
            "example", " ".join(number(v) for v in (table.questions or table.X)[0])
        )
        await reply(update, describe_error(error, lang))
        return
    if len(rows) > MAX_PREDICT_ROWS:
        await reply(update, t("table.predict.too_many", lang, limit=MAX_PREDICT_ROWS))
        return
    try:
        answer = await asyncio.to_thread(views.predict_text, state, rows, lang)
    except ValueError as error:  # a stored network that does not fit the table any more
        logger.warning("predict failed: %s", error)
        await reply(update, t("table.predict.not_trained", lang))
        return
    await reply(update, answer)


# --- /explain -----------------------------------------------------------------------------------


async def explain_command(update: Update, context: BotContext) -> None:
    """/explain [row | name | inputs [= answer]]: the network's arithmetic, every number
    written out; with a known answer, the backward pass and the update too."""
    state = context.chat_state(update)
    lang = context.lang(update, state)
    message = update.effective_message
    if not state.table:
        await reply(update, t("lesson.no_table", lang))
        return
    table = chat_table(state)
    try:
        choice = lesson.choose(table, command_argument(message))
    except lesson.ChoiceError as error:
        await reply(update, refusal(error, table, lang))
        return
    try:
        texts = await asyncio.to_thread(lesson.explain_row, state, table, choice, lang)
    except lesson.CannotExplain as error:
        await reply(update, t(f"lesson.cannot.{error.reason}", lang))
        return
    if (state.history or {}).get("dropout"):
        texts = [t("quality.explain_dropout", lang), *texts]
    l2 = chat_settings(state, table).l2
    if l2:
        texts = [*texts, t("quality.explain_l2", lang, l2=f"{l2:g}")]
    for text in texts:
        await reply(update, text)
