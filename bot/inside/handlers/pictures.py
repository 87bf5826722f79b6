"""/activations and /neurons: pictures of what the network computes, drawn in a thread."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.context import BotContext
from bot.i18n import t
from bot.inside.activations import activations_picture, activations_text
from bot.inside.neurons import NeuronsUnavailable, neurons_picture, table_problem
from bot.training.encoding import encoding_for
from bot.training.handlers.common import chat_settings, chat_table, reply, with_model
from bot.training.run import load_model


async def activations_command(update: Update, context: BotContext) -> None:
    """Sends the four activation functions and their derivatives, the chat's own framed, and
    a short text on saturation, vanishing gradients and dead ReLUs."""
    state = context.chat_state(update)
    lang = context.lang(update, state)
    chosen = chat_settings(state, chat_table(state)).activation
    picture = await asyncio.to_thread(activations_picture, chosen, lang)
    await update.effective_message.reply_photo(picture, caption=t("inside.act.caption", lang))
    await reply(update, activations_text(chosen, lang))


async def neurons_command(update: Update, context: BotContext) -> None:
    """Sends one map per hidden neuron and the output's, or says why this table has none."""
    state = context.chat_state(update)
    lang = context.lang(update, state)
    table = chat_table(state)
    problem = table_problem(table) if table is not None else None
    if problem is not None:
        await reply(update, t(problem.key, lang, **problem.values))
        return
    chat = await with_model(update, context)
    if chat is None:
        return
    state, lang, table = chat
    encoding = encoding_for(table, state.encoding, chat_settings(state, table))

    def draw() -> tuple[bytes, str]:
        picture, found = neurons_picture(load_model(state.model), table, encoding, lang)
        caption = t("inside.neurons.caption", lang)
        if found.shown < found.hidden:
            caption += " " + t("inside.neurons.capped", lang, shown=found.shown, total=found.hidden)
        return picture, caption

    try:
        picture, caption = await asyncio.to_thread(draw)
    except NeuronsUnavailable as why:
        await reply(update, t(why.key, lang, **why.values))
        return
    await update.effective_message.reply_photo(picture, caption=caption)
