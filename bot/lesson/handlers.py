"""/lesson and /quiz in Telegram: a step per message with Back and Next, the quiz's answers.

A step's work runs in the job pool (payload kind "lesson", see `bot.lesson.work`); its text,
pictures and buttons are sent when it is done. The learner's place is saved per chat
(`bot.lesson.place`), and so is their own table when a step puts one of its own in its place.
Quiz answers are plain text messages: `QuizWaiting` lets through only the one-line messages
of a chat with a question waiting, before the tables' text router sees them.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import BotContext, command_argument
from bot.digits.handlers import PHOTOS
from bot.i18n import t
from bot.jobs import JobBusy, JobResult, QueueFull
from bot.lesson import place, quiz_view
from bot.lesson.quiz import parse_answer
from bot.lesson.steps import FIRST, LAST, STEPS, payload, step_number
from bot.lesson.texts import step_text
from bot.services import SERVICES, Services
from bot.store import ChatState
from bot.text import split_message
from bot.training.handlers.common import with_model
from bot.training.handlers.train import deliver
from bot.training.settings import SettingsError
from bot.training.views import settings_error_text

logger = logging.getLogger(__name__)

COMMANDS = ["lesson", "quiz"]
CALLBACK_PREFIX = "guide:"
GO = CALLBACK_PREFIX + "go:"  # guide:go:N opens step N
RESTORE = CALLBACK_PREFIX + "restore"  # brings the learner's own table back
RESTORE_WORDS = {"restore", "back", "вернуть", "восстановить"}
NEW_WORDS = {"new", "skip", "next", "новая", "другая", "дальше"}


def _keyboard(step: int, state: ChatState, lang: str) -> InlineKeyboardMarkup:
    row = []
    if step > FIRST:
        row.append(
            InlineKeyboardButton(t("guide.button.back", lang), callback_data=f"{GO}{step - 1}")
        )
    if step < LAST:
        row.append(
            InlineKeyboardButton(t("guide.button.next", lang), callback_data=f"{GO}{step + 1}")
        )
    rows = [row]
    if place.has_saved_table(state):
        rows.append([InlineKeyboardButton(t("guide.button.restore", lang), callback_data=RESTORE)])
    return InlineKeyboardMarkup(rows)


async def _reply(message: Message, text: str, keyboard: InlineKeyboardMarkup | None = None) -> None:
    parts = split_message(text)
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        await message.reply_text(
            part, parse_mode=ParseMode.HTML, reply_markup=keyboard if last else None
        )


async def lesson_command(update: Update, context: BotContext) -> None:
    """/lesson goes on where the chat stopped; /lesson N opens step N; /lesson restore."""
    state = context.chat_state(update)
    lang = context.lang(update, state)
    argument = command_argument(update.effective_message).casefold()
    if argument in RESTORE_WORDS:
        await _restore(update, context, state, lang)
        return
    step = step_number(argument) if argument else place.current_step(state)
    if step is None:
        await _reply(update.effective_message, t("guide.range", lang, first=FIRST, last=LAST))
        return
    await run_step(update, context, state, lang, step)


async def lesson_button(update: Update, context: BotContext) -> None:
    """Back and Next open the step they name; "My table" brings the learner's table back."""
    query = update.callback_query
    state = context.chat_state(update)
    lang = context.lang(update, state)
    data = query.data or ""
    step = step_number(data[len(GO) :]) if data.startswith(GO) else None
    if step is not None and data != f"{GO}{step}":  # "guide:go: 4", "guide:go:٣": not made here
        step = None
    if data != RESTORE and step is None:  # not a button this bot made
        await query.answer(t("guide.bad_button", lang), show_alert=True)
        return
    await query.answer()
    if step is None:
        await _restore(update, context, state, lang)
    else:
        await run_step(update, context, state, lang, step)


async def _restore(update: Update, context: BotContext, state: ChatState, lang: str) -> None:
    svc = context.services
    if svc.jobs is not None and svc.jobs.is_active(state.chat_id):
        await _reply(update.effective_message, t("guide.busy", lang))
        return
    if not place.restore_own_table(state, svc.store):
        await _reply(update.effective_message, t("guide.nothing_saved", lang))
        return
    svc.store.save(state)
    key = "guide.restored" if state.model is not None else "guide.restored_untrained"
    await _reply(update.effective_message, t(key, lang, step=place.current_step(state)))


async def run_step(
    update: Update, context: BotContext, state: ChatState, lang: str, number: int
) -> None:
    """Save the place, warn before a step replaces the learner's table, queue the step's job."""
    svc, step, message = context.services, STEPS[number], update.effective_message
    if svc.jobs is None or svc.jobs.is_active(state.chat_id):
        await _reply(message, t("guide.busy" if svc.jobs else "train.error.failed", lang))
        return
    try:
        job = payload(step, lang, svc.config.limits, _last_digit(context, state.chat_id, number))
    except SettingsError as error:
        problem = settings_error_text(error, lang)
        await _reply(
            message,
            t("guide.limits", lang, step=number, problem=problem, next=min(number + 1, LAST)),
        )
        return
    place.lesson_state(state)["step"] = number
    svc.store.save(state)
    if step.kind == "lab":  # the last step only invites: nothing to train or draw
        await _reply(message, step_text(number, {}, lang), _keyboard(number, state, lang))
        return
    if step.loads and place.own_table(state):
        button = t("guide.button.restore", lang)
        await _reply(message, t("guide.replaces", lang, step=number, button=button))
    waiting = "guide.working" if step.table else "guide.drawing"
    working = await message.reply_text(t(waiting, lang, step=number))

    async def on_done(result: JobResult) -> None:
        await finish_step(context.application, svc, state.chat_id, lang, working, result)

    try:
        svc.jobs.submit(state.chat_id, job, None, on_done)
    except (JobBusy, QueueFull):
        await working.edit_text(t("guide.busy", lang), parse_mode=ParseMode.HTML)


def _last_digit(context: BotContext, chat_id: int, step: int) -> Any:
    """For step 9: the chat's last photographed digit, 0–255 as MNIST (None: a ready one)."""
    photos = context.application.bot_data.get(PHOTOS)
    image = photos.latest_digit(chat_id) if step == 9 and photos is not None else None
    return None if image is None else (image * 255).round().clip(0, 255).astype("uint8")


async def finish_step(
    application: Application,
    svc: Services,
    chat_id: int,
    lang: str,
    working: Message,
    result: JobResult,
) -> None:
    """Put the step's table into the chat (the learner's kept first), then send it all."""
    outcome = result.outcome
    if outcome is None:
        step = place.current_step(svc.store.load(chat_id))
        text = t("guide.failed", lang, step=step, reason=result.reason)
        await deliver(lambda: working.edit_text(text, parse_mode=ParseMode.HTML), "lesson", chat_id)
        return
    state = svc.store.load(chat_id)
    number = outcome["step"]
    text = step_text(number, outcome["facts"], lang)
    if outcome["load"] is not None:
        place.keep_own_table(state, svc.store)
        place.put_step_table(state, outcome["load"])
        svc.store.save(state)
        text += "\n\n" + t("guide.loaded", lang)
    keyboard = _keyboard(number, state, lang)
    pictures = outcome["pictures"]
    await deliver(
        lambda: working.edit_text(
            split_message(text)[0],
            parse_mode=ParseMode.HTML,
            reply_markup=None if pictures else keyboard,
        ),
        "lesson step",
        chat_id,
    )
    for picture in pictures:
        await deliver(
            lambda p=picture: application.bot.send_photo(chat_id, p), "lesson picture", chat_id
        )
    if pictures:
        nav = t("guide.nav", lang, step=number, last=LAST)
        await deliver(
            lambda: application.bot.send_message(
                chat_id, nav, parse_mode=ParseMode.HTML, reply_markup=keyboard
            ),
            "lesson buttons",
            chat_id,
        )


# --- /quiz ---------------------------------------------------------------------------------


async def quiz_command(update: Update, context: BotContext) -> None:
    """/quiz asks for one number of /explain on the chat's network; /quiz new replaces it."""
    chat = await with_model(update, context)
    if chat is None:
        return
    state, lang, table = chat
    waiting = quiz_view.pending(state)
    if waiting and command_argument(update.effective_message).casefold() not in NEW_WORDS:
        text = t("quiz.pending", lang) + "\n\n" + quiz_view.question_text(waiting, lang)
        await _reply(update.effective_message, text)
        return
    try:
        question = await asyncio.to_thread(quiz_view.new_question, state, table)
    except ValueError:  # a network nncore.explain cannot write out
        await _reply(update.effective_message, t("lesson.cannot.network", lang))
        return
    context.services.store.save(state)
    await _reply(update.effective_message, quiz_view.question_text(question, lang))


async def quiz_answer(update: Update, context: BotContext) -> None:
    """A one-line message while a question waits: checked, counted, explained."""
    state = context.chat_state(update)
    lang = context.lang(update, state)
    question = quiz_view.pending(state)
    message = update.effective_message
    if question is None:  # answered in the meantime (a double send)
        return
    answer = parse_answer(message.text or "")
    if answer is None:
        await _reply(message, t("quiz.not_number", lang, symbol=question["symbol"]))
        return
    text = quiz_view.answer_text(state, answer, lang)
    context.services.store.save(state)
    await _reply(message, text)


class QuizWaiting(filters.MessageFilter):
    """One-line text in a chat whose quiz question waits for its answer."""

    def __init__(self, application: Application) -> None:
        super().__init__(name="QuizWaiting")
        self.application = application

    def filter(self, message: Message) -> bool:
        text = (message.text or "").strip()
        if not text or "\n" in text or text.startswith("/"):
            return False
        services: Services = self.application.bot_data[SERVICES]
        return quiz_view.pending(services.store.load(message.chat_id)) is not None


def register(application: Application) -> None:
    application.add_handler(CommandHandler("lesson", lesson_command))
    application.add_handler(CommandHandler("quiz", quiz_command))
    application.add_handler(CallbackQueryHandler(lesson_button, pattern=f"^{CALLBACK_PREFIX}"))
    application.add_handler(MessageHandler(filters.TEXT & QuizWaiting(application), quiz_answer))
