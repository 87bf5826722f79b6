"""What the training handlers share: the chat's table and settings, replies, keyboards."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode

from bot.context import BotContext
from bot.i18n import t
from bot.store import ChatState
from bot.tables.table import Table
from bot.text import split_message
from bot.training.run import usable_model
from bot.training.settings import TrainSettings, settings_for
from bot.training.views import Rows


def chat_table(state: ChatState) -> Table | None:
    """The chat's table as a Table (the store keeps it as a dict)."""
    return Table.from_dict(state.table) if state.table else None


def chat_settings(state: ChatState, table: Table | None) -> TrainSettings:
    """The settings the chat's next training uses."""
    return settings_for(table, state.settings)


def markup(rows: Rows) -> InlineKeyboardMarkup:
    """Rows of (label, callback data) as an inline keyboard."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


async def reply(update: Update, text: str) -> None:
    """Answer the update's message with HTML text, in several messages if it is too long."""
    for part in split_message(text):
        await update.effective_message.reply_text(part, parse_mode=ParseMode.HTML)


async def with_table(update: Update, context: BotContext) -> tuple[ChatState, str, Table] | None:
    """The chat's state, language and table; without a table, says so and gives None."""
    state = context.chat_state(update)
    lang = context.lang(update, state)
    table = chat_table(state)
    if table is None:
        await reply(update, t("train.error.no_table", lang))
        return None
    return state, lang, table


async def with_model(update: Update, context: BotContext) -> tuple[ChatState, str, Table] | None:
    """Like `with_table`, for commands that need a trained network (else: "train first")."""
    state = context.chat_state(update)
    lang = context.lang(update, state)
    table = chat_table(state)
    if not state.model or table is None:
        await reply(update, t("train.error.no_model", lang))
        return None
    if not usable_model(state.model):
        await reply(update, t("train.error.model_broken", lang))
        return None
    return state, lang, table
