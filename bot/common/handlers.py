"""Handlers every chat needs: the gate, errors, /start, /help, /lang, /reset and /stats.

The gate runs in group -1, before every feature: it keeps out users the host did not allow
(ALLOWED_USERS) without storing anything of theirs, and slows down a chat that floods the bot
(RATE_PER_MINUTE), saying so once rather than on every message.
"""

from __future__ import annotations

import html
import logging
import multiprocessing
import resource
import time
from collections import deque
from collections.abc import Callable
from enum import Enum
from pathlib import Path

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.context import BotContext, chat_lang
from bot.i18n import LANGUAGES, catalogue, pick_language, t
from bot.store import ChatState
from bot.text import duration, split_message

COMMANDS = ["start", "help", "lang", "reset"]
ADMIN_COMMANDS = ["stats"]
CALLBACK_PREFIX = "app:"
RESET_CONFIRM_SECONDS = 600  # a /reset confirmation button works for ten minutes

logger = logging.getLogger(__name__)


def command_text(name: str, lang: str) -> str:
    """The short description of /name for menus and /help (`cmd.<name>` in the catalogue)."""
    if f"cmd.{name}" not in catalogue():
        return name
    text = t(f"cmd.{name}", lang)
    return text[:1].upper() + text[1:]  # every feature's description starts the same way


# --- rate limiting -----------------------------------------------------------------------


class Verdict(Enum):
    OK = "ok"
    FIRST_OVER = "first_over"  # the first update over the limit: tell the user once
    OVER = "over"  # still over the limit: drop silently


class RateLimiter:
    """At most `limit` updates per chat in any `window` seconds (a sliding window).

    Plain Python and in memory only: nothing about a chat is written anywhere. Chats idle for
    a whole window are forgotten once MAX_KEYS chats are remembered, so memory stays bounded.
    """

    MAX_KEYS = 10_000

    def __init__(
        self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._hits: dict[int, deque[float]] = {}
        self._warned: dict[int, float] = {}

    def hit(self, key: int) -> Verdict:
        now = self.clock()
        if key not in self._hits and len(self._hits) >= self.MAX_KEYS:
            self._forget_idle(now)
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) < self.limit:
            hits.append(now)
            return Verdict.OK
        if self._warned.get(key, -1e18) > now - self.window:
            return Verdict.OVER
        self._warned[key] = now
        return Verdict.FIRST_OVER

    def wait_seconds(self, key: int) -> int:
        """Seconds until this chat may send again."""
        hits = self._hits.get(key)
        if not hits:
            return 0
        return max(1, round(hits[0] + self.window - self.clock()))

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, h in self._hits.items() if not h or h[-1] <= now - self.window]:
            del self._hits[key]
            self._warned.pop(key, None)


# --- the gate (group -1) -----------------------------------------------------------------


async def gate(update: Update, context: BotContext) -> None:
    """Stops updates from users the host did not allow, and from chats over the rate limit."""
    config = context.services.config
    user = update.effective_user
    if not config.is_allowed(user.id if user else None):
        await _refuse(update, context)
        raise ApplicationHandlerStop
    chat = update.effective_chat
    limiter: RateLimiter | None = context.application.bot_data.get("rate_limiter")
    if chat is None or limiter is None:
        return
    verdict = limiter.hit(chat.id)
    if verdict is Verdict.OK:
        return
    if verdict is Verdict.FIRST_OVER:
        logger.info("chat %s is over the rate limit", chat.id)
        lang = chat_lang(update, context.services.store.load(chat.id))
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
        "refusals", RateLimiter(1, window=600)
    )
    if refusals.hit(chat.id) is Verdict.OK:
        lang = pick_language(user.language_code)
        await _tell(update, t("app.not_allowed", lang, user_id=user.id))
    elif update.callback_query:
        await update.callback_query.answer()


async def _tell(update: Update, text: str) -> None:
    """A short notice: an alert for a button press, a message otherwise."""
    if update.callback_query:
        await update.callback_query.answer(text=_plain(text)[:200], show_alert=True)
    elif update.effective_message:
        await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML)


async def _edit(query: CallbackQuery, text: str) -> None:
    """Replace the text under the pressed button (and its keyboard).

    A double tap sends the same edit twice; Telegram answers the second with "message is not
    modified", which only means the message already says what we want.
    """
    try:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML)
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise


def _plain(text: str) -> str:
    """HTML message text as plain text (for alerts, which have no formatting)."""
    for tag in ("<b>", "</b>", "<i>", "</i>", "<code>", "</code>"):
        text = text.replace(tag, "")
    return html.unescape(text)


# --- errors ------------------------------------------------------------------------------


async def on_error(update: object, context: BotContext) -> None:
    """Logs what went wrong (token redacted by bot.logs) and apologises to the user."""
    error = context.error
    if update is None and isinstance(error, Conflict):
        logger.error("Another copy of this bot is running with the same token: %s", error)
        return
    if update is None and isinstance(error, NetworkError):
        logger.warning("Telegram API problem (will retry): %s", error)
        return
    if isinstance(error, Forbidden):
        logger.info("cannot write to a chat (blocked or removed?): %s", error)
        return
    if isinstance(error, RetryAfter):  # flood control: an apology would only make it worse
        logger.warning("Telegram asked the bot to slow down: %s", error)
        return
    if not isinstance(update, Update):
        logger.error("Error outside an update", exc_info=error)
        return
    chat = update.effective_chat
    logger.error(
        "Error while handling update %s in chat %s",
        update.update_id,
        chat.id if chat else None,
        exc_info=error,
    )
    if chat is None:
        return
    try:
        state = context.services.store.load(chat.id)
    except Exception:  # the store itself may be what failed
        state = None
    try:
        await context.bot.send_message(
            chat.id, t("error.internal", chat_lang(update, state)), parse_mode=ParseMode.HTML
        )
    except TelegramError as exc:
        logger.warning("could not send the apology to chat %s: %s", chat.id, exc)


# --- unknown commands (group 1) ------------------------------------------------------------


def known_commands(application: Application) -> set[str]:
    """Every command some handler answers, whichever module registered it."""
    return {
        command
        for handlers in application.handlers.values()
        for handler in handlers
        if isinstance(handler, CommandHandler)
        for command in handler.commands
    }


async def unknown_command(update: Update, context: BotContext) -> None:
    """Answers a command no feature knows (a typo, usually) with a pointer to /help."""
    message = update.effective_message
    word = message.text.split(maxsplit=1)[0][1:]
    name, _, addressee = word.partition("@")
    if addressee and addressee.lower() != (context.bot.username or "").lower():
        return  # meant for another bot in a group
    if name.lower() in known_commands(context.application):
        return  # a feature handled it in group 0
    lang = chat_lang(update, context.services.store.load(update.effective_chat.id))
    await message.reply_text(
        t("app.unknown_command", lang, command=html.escape(name[:64])), parse_mode=ParseMode.HTML
    )


# --- /start and /help --------------------------------------------------------------------


def help_text(lang: str, commands: list[str], *, is_admin: bool = False) -> str:
    """What the bot does, the quick start, and every command with an example."""
    lines = [t("app.help.intro", lang), "", t("app.help.quickstart", lang), ""]
    lines.append(t("app.help.commands", lang))
    listed = [name for name in commands if name not in ("start", "help")]
    for name in listed + (ADMIN_COMMANDS if is_admin else []):
        lines.append(f"/{name} — {html.escape(command_text(name, lang), quote=False)}")
        if f"app.example.{name}" in catalogue():
            lines.append(f"    {t(f'app.example.{name}', lang)}")
    lines += ["", t("app.help.photo", lang), "", t("app.help.footer", lang)]
    return "\n".join(lines)


async def start(update: Update, context: BotContext) -> None:
    """Greets the user and shows what the bot can do."""
    await _send_help(update, context, greet=True)


async def help_command(update: Update, context: BotContext) -> None:
    """Shows what the bot does, a three-step quick start and every command."""
    await _send_help(update, context, greet=False)


async def _send_help(update: Update, context: BotContext, *, greet: bool) -> None:
    svc = context.services
    lang = chat_lang(update, svc.store.load(update.effective_chat.id))
    user = update.effective_user
    text = help_text(
        lang,
        context.application.bot_data.get("commands", COMMANDS),
        is_admin=svc.config.is_admin(user.id if user else None),
    )
    if greet:
        name = html.escape(user.first_name if user and user.first_name else "")
        text = t("app.start.greeting", lang, name=name) + "\n\n" + text
    for part in split_message(text):
        await update.effective_message.reply_text(
            part, parse_mode=ParseMode.HTML, disable_web_page_preview=True
        )


# --- /lang -------------------------------------------------------------------------------


LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}


async def lang_command(update: Update, context: BotContext) -> None:
    """Switches the language (`/lang ru`), or offers buttons to choose it."""
    store = context.services.store
    state = store.load(update.effective_chat.id)
    current = chat_lang(update, state)
    wanted = (context.args[0].lower() if context.args else "")[:2]
    if wanted in LANGUAGES:
        state.lang = wanted
        store.save(state)
        await update.effective_message.reply_text(
            t("app.lang.set", wanted), parse_mode=ParseMode.HTML
        )
        return
    buttons = [
        InlineKeyboardButton(
            ("✓ " if code == current else "") + LANGUAGE_NAMES[code],
            callback_data=f"{CALLBACK_PREFIX}lang:{code}",
        )
        for code in LANGUAGES
    ]
    await update.effective_message.reply_text(
        t("app.lang.choose", current),
        parse_mode=ParseMode.HTML,
        reply_markup=InlineKeyboardMarkup([buttons]),
    )


async def lang_button(update: Update, context: BotContext) -> None:
    """Saves the language picked with a button and confirms in that language."""
    query = update.callback_query
    wanted = query.data.rsplit(":", 1)[-1]
    if wanted not in LANGUAGES:
        await query.answer()
        return
    store = context.services.store
    state = store.load(update.effective_chat.id)
    state.lang = wanted
    store.save(state)
    await query.answer()
    await _edit(query, t("app.lang.set", wanted))


# --- /reset ------------------------------------------------------------------------------


async def reset_command(update: Update, context: BotContext) -> None:
    """Asks for confirmation before forgetting the chat's table, settings and network."""
    lang = chat_lang(update, context.services.store.load(update.effective_chat.id))
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t("app.reset.yes", lang), callback_data=f"{CALLBACK_PREFIX}reset:yes"
                ),
                InlineKeyboardButton(
                    t("app.reset.no", lang), callback_data=f"{CALLBACK_PREFIX}reset:no"
                ),
            ]
        ]
    )
    await update.effective_message.reply_text(
        t("app.reset.confirm", lang), parse_mode=ParseMode.HTML, reply_markup=keyboard
    )


async def reset_button(update: Update, context: BotContext) -> None:
    """Forgets everything (cancelling a running training) or leaves things as they were."""
    query = update.callback_query
    svc = context.services
    chat_id = update.effective_chat.id
    state = svc.store.load(chat_id)
    lang = chat_lang(update, state)
    await query.answer()
    if not query.data.endswith(":yes"):
        await _edit(query, t("app.reset.kept", lang))
        return
    asked = query.message.date.timestamp() if query.message else 0.0
    if time.time() - asked > RESET_CONFIRM_SECONDS:  # an old button must not erase a new lesson
        await _edit(query, t("app.reset.expired", lang))
        return
    cancelled = bool(svc.jobs and svc.jobs.cancel(chat_id))
    svc.store.delete(chat_id)
    if state.lang:  # the language is a preference, not part of the lesson: keep it
        svc.store.save(ChatState(chat_id=chat_id, lang=state.lang))
    logger.info("chat %s reset (training cancelled: %s)", chat_id, cancelled)
    key = "app.reset.done_cancelled" if cancelled else "app.reset.done"
    await _edit(query, t(key, lang))


# --- /stats (admins) ---------------------------------------------------------------------


def resident_mb(pid: int | str = "self") -> float | None:
    """Resident memory of a process in MB, from /proc (None where there is no /proc)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


def memory_mb() -> tuple[float, float, float]:
    """(bot now, bot peak, training workers now) resident memory in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    current = resident_mb() or peak
    workers = sum(resident_mb(child.pid) or 0.0 for child in multiprocessing.active_children())
    return current, peak, workers


async def stats_command(update: Update, context: BotContext) -> None:
    """For admins: chats, trainings running and queued, uptime and memory."""
    svc = context.services
    user = update.effective_user
    lang = chat_lang(update, svc.store.load(update.effective_chat.id))
    if not svc.config.is_admin(user.id if user else None):
        await update.effective_message.reply_text(
            t("app.stats.refused", lang), parse_mode=ParseMode.HTML
        )
        return
    current, peak, workers_memory = memory_mb()
    jobs = svc.jobs
    finished = jobs.stats() if jobs else {}
    await update.effective_message.reply_text(
        t(
            "app.stats",
            lang,
            chats=len(svc.store.chat_ids()),
            running=jobs.running_count if jobs else 0,
            queued=jobs.queued_count if jobs else 0,
            workers=svc.config.limits.workers,
            queue_size=svc.config.limits.queue_size,
            uptime=duration(time.time() - svc.started, lang),
            completed=finished.get("completed", 0),
            failed=finished.get("failed", 0),
            memory=f"{current:.0f}",
            peak=f"{peak:.0f}",
            workers_memory=f"{workers_memory:.0f}",
        ),
        parse_mode=ParseMode.HTML,
    )


# --- wiring ------------------------------------------------------------------------------


def register(application: Application) -> None:
    """Adds the gate (group -1), the error handler and the common commands."""
    limits = application.bot_data["services"].config.limits
    if limits.rate_per_minute:
        application.bot_data["rate_limiter"] = RateLimiter(limits.rate_per_minute)
    application.add_handler(TypeHandler(Update, gate), group=-1)
    application.add_error_handler(on_error)
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(CommandHandler("lang", lang_command))
    application.add_handler(CommandHandler("reset", reset_command))
    application.add_handler(CommandHandler("stats", stats_command))
    application.add_handler(MessageHandler(filters.COMMAND, unknown_command), group=1)
    application.add_handler(CallbackQueryHandler(lang_button, pattern=rf"^{CALLBACK_PREFIX}lang:"))
    application.add_handler(
        CallbackQueryHandler(reset_button, pattern=rf"^{CALLBACK_PREFIX}reset:")
    )
