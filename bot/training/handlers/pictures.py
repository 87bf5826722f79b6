"""/plot, /net, /boundary and /weights: the trained network as pictures and as files.

Pictures are drawn in a thread (`asyncio.to_thread`), so the event loop stays free.
"""

from __future__ import annotations

import asyncio

from telegram import InputFile, Update
from telegram.constants import ParseMode

from bot.context import BotContext
from bot.i18n import t
from bot.tables.table import Table
from bot.training import views
from bot.training.boundary_picture import boundary_picture, boundary_problem
from bot.training.encoding import encoding_for
from bot.training.handlers.common import chat_settings, reply, with_model, with_table
from bot.training.network_picture import network_caption_key, network_picture
from bot.training.pictures import loss_plot
from bot.training.run import load_model, usable_model

WEIGHTS_FILE = "nnbot-network.npz"
JSON_FILE = "nnbot-network.json"


async def plot_command(update: Update, context: BotContext) -> None:
    """Sends the loss curve of the last training again."""
    state = context.chat_state(update)
    lang = context.lang(update, state)
    if not state.history or not state.history.get("loss"):
        await reply(update, t("train.error.no_model", lang))
        return
    picture = await asyncio.to_thread(loss_plot, state.history, lang)
    await update.effective_message.reply_photo(picture, caption=t("train.plot.caption", lang))


def _draw_network(model_bytes: bytes, table: Table, lang: str) -> tuple[bytes, str]:
    """The picture and the key of the caption that explains it."""
    model = load_model(model_bytes)
    picture = network_picture(model, lang, table.inputs, views.output_names(table))
    return picture, network_caption_key(model)


async def net_command(update: Update, context: BotContext) -> None:
    """Draws the trained network: neurons, weights as coloured lines, biases."""
    chat = await with_model(update, context)
    if chat is None:
        return
    state, lang, table = chat
    picture, caption = await asyncio.to_thread(_draw_network, state.model, table, lang)
    await update.effective_message.reply_photo(picture, caption=t(caption, lang))


async def boundary_command(update: Update, context: BotContext) -> None:
    """Draws the decision regions for a 2-input table, or says why it cannot."""
    chat = await with_table(update, context)
    if chat is None:
        return
    state, lang, table = chat
    problem = boundary_problem(table)
    if problem is not None:
        await reply(update, t(problem.key, lang, **problem.values))
        return
    if not state.model:
        await reply(update, t("train.error.no_model", lang))
        return
    if not usable_model(state.model):
        await reply(update, t("train.error.model_broken", lang))
        return
    encoding = encoding_for(table, state.encoding, chat_settings(state, table))

    def draw() -> bytes:
        return boundary_picture(load_model(state.model), table, encoding, lang)

    picture = await asyncio.to_thread(draw)
    await update.effective_message.reply_photo(picture, caption=t("train.boundary.caption", lang))


async def weights_command(update: Update, context: BotContext) -> None:
    """Sends the trained network as an nncore .npz file (and as JSON when it is small)."""
    chat = await with_model(update, context)
    if chat is None:
        return
    state, lang, table = chat
    message = update.effective_message
    await message.reply_document(
        InputFile(state.model, filename=WEIGHTS_FILE),
        caption=t("train.weights.caption", lang, name=WEIGHTS_FILE),
        parse_mode=ParseMode.HTML,
    )
    model_bytes, encoding = state.model, state.encoding

    def document() -> bytes | None:
        return views.network_document(load_model(model_bytes), table, encoding)

    readable = await asyncio.to_thread(document)
    if readable is not None:
        await message.reply_document(
            InputFile(readable, filename=JSON_FILE),
            caption=t("train.weights.json_caption", lang),
        )
