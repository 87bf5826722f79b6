"""The typed `CallbackContext` every handler receives, and the few reply helpers they share.

Registered once in `bot.app` with `ContextTypes(context=BotContext)`, so a handler writes

    state = context.chat_state(update)
    lang = context.lang(update, state)

instead of opening with the same three lines. Keys of `bot_data` are the constants below,
never strings typed twice.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from telegram import Message, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackContext, ExtBot

from bot.i18n import LANGUAGES, pick_language
from bot.services import SERVICES, Services
from bot.store import ChatState

COMMANDS = "commands"  # bot_data: every public command, in menu order (bot.features)


class BotContext(CallbackContext[ExtBot, dict, dict, dict]):
    """A handler's view of the bot: the services, and the chat's state and language."""

    def __init__(
        self, application: Application, chat_id: int | None = None, user_id: int | None = None
    ) -> None:
        super().__init__(application, chat_id=chat_id, user_id=user_id)

    @property
    def services(self) -> Services:
        return self.application.bot_data[SERVICES]

    def chat_state(self, update: Update) -> ChatState:
        """The stored state of the update's chat (a fresh one for a new chat)."""
        return self.services.store.load(update.effective_chat.id)

    def lang(self, update: Update, state: ChatState | None = None) -> str:
        """The language to answer in: the one chosen with /lang, else the user's Telegram one."""
        return chat_lang(update, state)


def chat_lang(update: Update, state: ChatState | None = None) -> str:
    """The language chosen with /lang (kept in `state`), else the user's Telegram language."""
    if state is not None and state.lang in LANGUAGES:
        return state.lang
    user = update.effective_user
    return pick_language(user.language_code if user else None)


async def edit_quietly(edit: Awaitable[Any]) -> None:
    """Await an edit; "message is not modified" only means it already says that (a double
    tap, a repeated progress line), so it is not an error."""
    try:
        await edit
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise


def command_argument(message: Message) -> str:
    """The text after `/command` (and after `/command@bot`), newlines kept."""
    text = message.text or message.caption or ""
    first, _, rest = text.partition("\n")
    head = first.split(maxsplit=1)
    return ((head[1] if len(head) > 1 else "") + ("\n" + rest if rest else "")).strip()
