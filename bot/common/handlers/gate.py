"""The gate (group -1): users the host did not allow, and chats over the rate limit, stop here.

`screen_update` counts the rate limit as each update arrives, before it waits for anything
(bot.app calls it); the gate then acts on that verdict.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from bot.common.ratelimit import (
    MAX_WAITING,
    RATE_LIMITER,
    REFUSAL_WINDOW,
    REFUSALS,
    RateLimiter,
    Verdict,
)
from bot.context import BotContext
from bot.i18n import pick_language, t
from bot.services import SERVICES
from bot.text import plain

ALERT_LIMIT = 200  # characters Telegram shows in a callback alert
SCREENED = "screened"  # bot_data: {update_id: Verdict} decided on arrival by `screen_update`
SCREENED_KEPT = 10_000

logger = logging.getLogger(__name__)


def screen_update(application: Application, update: object, waiting: int) -> bool:
    """On arrival, before the update waits for its chat's turn: False drops it at once.

    The rate limit is counted here, when the user sent the update rather than when its turn
    comes, so a chat's flood never queues up; a chat that already has MAX_WAITING updates
    waiting counts as over the limit too. The first update over the limit goes on, for the
    gate to tell the user once; the later ones are dropped without a word. An update that
    replicas already counted on receipt (`screen_on_arrival`) is not counted again.
    """
    chat = update.effective_chat if isinstance(update, Update) else None
    if chat is None:
        return True
    limiter: RateLimiter | None = application.bot_data.get(RATE_LIMITER)
    if limiter is None:
        return waiting < MAX_WAITING
    screened = application.bot_data.setdefault(SCREENED, {})
    if waiting >= MAX_WAITING:
        verdict = limiter.refuse(chat.id)
    else:
        verdict = screened.get(update.update_id) or limiter.hit(chat.id)
    if verdict is Verdict.OVER and (waiting >= MAX_WAITING or not update.callback_query):
        screened.pop(update.update_id, None)
        return False  # a button press still gets its (empty) answer while there is room
    _remember(screened, update.update_id, verdict)
    return True


async def screen_on_arrival(application: Application, update: Update, line: int | None) -> bool:
    """With replicas sharing Redis: on receipt, before the update is acknowledged. False drops
    it: a duplicate, or over the chat's rate limit (counted in Redis across replicas).

    `line` is the chat's line the update joins (its chat, or its user without one).
    """
    chat = update.effective_chat
    limiter = application.bot_data.get(RATE_LIMITER)
    limit = limiter.limit if limiter is not None and chat is not None else 0
    window = limiter.window if limiter is not None else 60.0
    shared = application.update_processor.shared
    drop = not update.callback_query  # a button press gets its (empty) answer
    verdict = await shared.arrive(update.update_id, line, limit, window, drop_over=drop)
    if verdict is None or (verdict is Verdict.OVER and drop):
        return False
    if limit:
        _remember(application.bot_data.setdefault(SCREENED, {}), update.update_id, verdict)
    return True


def _remember(screened: dict, update_id: int, verdict: Verdict) -> None:
    if len(screened) > SCREENED_KEPT:  # entries of updates that never reached the gate
        screened.clear()
    screened[update_id] = verdict


async def gate(update: Update, context: BotContext) -> None:
    """Stops updates from users the host did not allow, and from chats over the rate limit."""
    screened = context.application.bot_data.get(SCREENED, {}).pop(update.update_id, None)
    config = context.services.config
    user = update.effective_user
    if not config.is_allowed(user.id if user else None):
        await _refuse(update, context)
        raise ApplicationHandlerStop
    chat = update.effective_chat
    limiter: RateLimiter | None = context.application.bot_data.get(RATE_LIMITER)
    if chat is None or limiter is None:
        return
    verdict = screened if screened is not None else limiter.hit(chat.id)
    if verdict is Verdict.OK:
        return
    if verdict is Verdict.FIRST_OVER:
        logger.info("chat %s is over the rate limit", chat.id)
        lang = context.lang(update, context.chat_state(update))
        text = t(
            "app.rate_limited",
            lang,
            limit=limiter.limit,
            seconds=limiter.wait_seconds(chat.id),
        )
        await _tell(update, text)
    elif update.callback_query:
        await update.callback_query.answer()
    raise ApplicationHandlerStop


async def _refuse(update: Update, context: BotContext) -> None:
    """A polite no, at most once per chat every ten minutes; nothing is stored."""
    user, chat = update.effective_user, update.effective_chat
    logger.info("refused user %s (not in ALLOWED_USERS)", user.id if user else None)
    if user is None or chat is None:
        return
    refusals: RateLimiter = context.application.bot_data.setdefault(
        REFUSALS, RateLimiter(1, window=REFUSAL_WINDOW)
    )
    if refusals.hit(chat.id) is Verdict.OK:
        lang = pick_language(user.language_code)
        await _tell(update, t("app.not_allowed", lang, user_id=user.id))
    elif update.callback_query:
        await update.callback_query.answer()


async def _tell(update: Update, text: str) -> None:
    """A short notice: an alert for a button press, a message otherwise."""
    if update.callback_query:
        await update.callback_query.answer(text=plain(text)[:ALERT_LIMIT], show_alert=True)
    elif update.effective_message:
        await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML)


def register(application: Application) -> None:
    """The rate limiter (when RATE_PER_MINUTE is set) and the gate, in group -1."""
    limits = application.bot_data[SERVICES].config.limits
    if limits.rate_per_minute:
        application.bot_data[RATE_LIMITER] = RateLimiter(limits.rate_per_minute)
    application.add_handler(TypeHandler(Update, gate), group=-1)
