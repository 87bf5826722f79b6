"""Photos of handwritten digits and numbers in Telegram: /digit, photos, and the buttons.

A photo (or an image sent as a file, passed here by the tables module's document handler)
is read off the event loop by `bot.digits.answers`, which also writes the caption, draws the
pictures and lays out the buttons; this module only downloads, calls it, and replies. The
last few photos of each chat are kept, decoded, in one bounded cache (`bot.digits.kept`)
for the buttons.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from telegram import Document, InlineKeyboardButton, InlineKeyboardMarkup, PhotoSize, Update
from telegram.constants import ChatAction, ParseMode
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.context import BotContext, edit_quietly
from bot.digits import answers
from bot.digits.answers import CALLBACK_PREFIX, SET, STAGES, WRONG, Rows
from bot.digits.kept import PHOTOS, PhotoCache
from bot.digits.photo import ImageProblem
from bot.i18n import t

COMMANDS = ["digit"]

logger = logging.getLogger(__name__)

# Image work runs on its own two threads: a big picture briefly needs hundreds of MB, and the
# memory a thread's allocator keeps afterwards is bounded by the number of threads that ever
# decoded one. Photos from many chats queue here instead of filling the default executor.
_IMAGE_THREADS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="digits")

IMAGE_JOBS = "image_jobs"  # bot_data: a semaphore, MAX_IMAGE_JOBS photos in work at once
MAX_IMAGE_JOBS = 4

T = TypeVar("T")


async def off_loop(function: Callable[..., T], *args: object) -> T:
    return await asyncio.get_running_loop().run_in_executor(_IMAGE_THREADS, function, *args)


def _markup(rows: Rows) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


async def digit_command(update: Update, context: BotContext) -> None:
    """/digit: what to send and how to take a photo that reads well."""
    lang = context.lang(update, context.chat_state(update))
    text = t("digits.help", lang, advice=t("digits.advice", lang))
    await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML)


async def handle_photo(update: Update, context: BotContext) -> None:
    """A photo: the user gets the digit or number read from it, with a picture."""
    await _read_and_reply(update, context, update.effective_message.photo[-1])  # the largest


async def handle_image_document(update: Update, context: BotContext) -> None:
    """An image sent as a file (called by the tables module's document handler)."""
    if await refuse_big_document(update, context):
        return
    await _read_and_reply(update, context, update.effective_message.document)


async def refuse_big_document(update: Update, context: BotContext) -> bool:
    """True, after telling the user the limit, when the image file is too big to read."""
    document = update.effective_message.document
    limit = context.services.config.limits.max_image_bytes
    if not (document.file_size and document.file_size > limit):
        return False
    lang = context.lang(update, context.chat_state(update))
    text = t(
        "digits.file_too_big",
        lang,
        size_mb=f"{document.file_size / 1e6:.1f}",
        limit_mb=f"{limit / 1e6:.0f}",
    )
    await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML)
    return True


async def _read_and_reply(
    update: Update, context: BotContext, source: PhotoSize | Document
) -> None:
    lang = context.lang(update, context.chat_state(update))
    message = update.effective_message
    max_pixels = context.services.config.limits.max_image_pixels
    await message.chat.send_action(ChatAction.TYPING)
    # A chat's updates are handled one at a time (bot.app), so a chat has at most one image
    # in work; IMAGE_JOBS bounds them across chats, download included (up to 20 MB each).
    async with context.bot_data[IMAGE_JOBS]:
        data = await (await source.get_file()).download_as_bytearray()
        try:
            result, picture, kept = await off_loop(answers.answer, data, max_pixels, lang)
        except ImageProblem as problem:
            logger.info("digit photo refused: %s", problem)
            refusal = t(f"digits.error.{problem.code}", lang, **problem.values)
            text = refusal + "\n\n" + t("digits.advice", lang)
            await message.reply_text(text, parse_mode=ParseMode.HTML)
            return
        finally:
            del data
    token = context.bot_data[PHOTOS].put(update.effective_chat.id, kept)
    await message.reply_photo(
        picture,
        caption=answers.compose_reply(result, lang),
        parse_mode=ParseMode.HTML,
        reply_markup=_markup(answers.answer_buttons(token, kept.single, lang)),
    )


async def on_button(update: Update, context: BotContext) -> None:
    """Buttons under an answer: the user sees the stages, is asked the right digit, or thanked."""
    query = update.callback_query
    action, token, digit = answers.parse_button(query.data)
    lang = context.lang(update, context.chat_state(update))
    kept = context.bot_data[PHOTOS].get(update.effective_chat.id, token)
    if kept is None:
        await query.answer(t("digits.expired", lang), show_alert=True)
        return
    if action == STAGES:
        await query.answer()
        await query.message.chat.send_action(ChatAction.UPLOAD_PHOTO)
        picture = await off_loop(answers.stages_png, kept, lang)
        await query.message.reply_photo(picture, caption=t("digits.stages_caption", lang))
    elif action == WRONG:
        await query.answer()
        markup = _markup(answers.digit_buttons(token))
        await query.message.reply_text(t("digits.pick", lang), reply_markup=markup)
    elif action == SET and digit is not None and kept.image28 is not None:
        store = context.services.store
        chat_id = update.effective_chat.id
        await asyncio.to_thread(store.add_correction, chat_id, answers.correction_png(kept), digit)
        count = len(await asyncio.to_thread(store.corrections, chat_id))
        await query.answer()
        await edit_quietly(
            query.edit_message_text(
                t("digits.thanks", lang, digit=html.escape(str(digit)), count=count),
                parse_mode=ParseMode.HTML,
            )
        )
    else:
        await query.answer()


def register(application: Application) -> None:
    """Photos, /digit, and the buttons under a digit answer."""
    application.bot_data[PHOTOS] = PhotoCache()
    application.bot_data[IMAGE_JOBS] = asyncio.Semaphore(MAX_IMAGE_JOBS)
    application.add_handler(CommandHandler("digit", digit_command))
    application.add_handler(MessageHandler(filters.PHOTO, handle_photo))
    application.add_handler(CallbackQueryHandler(on_button, pattern=rf"^{CALLBACK_PREFIX}"))
