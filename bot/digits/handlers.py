"""Photos of handwritten digits and numbers: the answer, what the network saw, corrections.

A photo (or an image sent as a file, passed here by the tables module's document handler)
is read off the event loop. The reply is one picture — the 28×28 input with its probability
bars, or each digit of a number — captioned with the answer, its confidence and the
runners-up, and two buttons: "how I saw it" (the preprocessing stages) and "wrong? tell me
the right digit" (0–9 buttons; the photo is stored with the right label for this chat).
The last few photos of a chat are kept in memory (chat_data) for those buttons.
"""

from __future__ import annotations

import asyncio
import html
import io
import logging
from concurrent.futures import ThreadPoolExecutor

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction, ParseMode
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.context import BotContext, chat_lang
from bot.digits import pictures as render_digits
from bot.digits.reader import NumberResult, get_reader
from bot.digits.vision import ImageProblem
from bot.i18n import t

COMMANDS = ["digit"]
CALLBACK_PREFIX = "digits:"
KEEP_PHOTOS = 5  # photos per chat remembered for the buttons
KEEP_BYTES = 4_000_000  # bigger photos are remembered re-encoded at a smaller size
UNSURE = 0.6  # below this confidence the answer says it is a guess

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------- plain helpers


def percent(p: float) -> str:
    return f"{p * 100:.0f}" if p < 0.995 else f"{p * 100:.1f}"


def compose_reply(result: NumberResult, lang: str) -> str:
    """The caption: the digit with confidence and runners-up, or the number digit by digit."""
    if len(result.digits) == 1:
        d = result.digits[0]
        runners = ", ".join(
            t("digits.runner", lang, digit=digit, confidence=percent(p))
            for digit, p in d.runners_up(2)
            if p >= 0.005
        ) or t("digits.runner_none", lang)
        key = "digits.answer" if d.confidence >= UNSURE else "digits.answer_unsure"
        return t(key, lang, digit=d.digit, confidence=percent(d.confidence), runners=runners)
    details = " ".join(f"{d.digit} ({percent(d.confidence)}%)" for d in result.digits)
    text = t("digits.number", lang, number=result.text, count=len(result.digits), details=details)
    weakest = min(range(len(result.digits)), key=lambda i: result.digits[i].confidence)
    if result.digits[weakest].confidence < UNSURE:
        d = result.digits[weakest]
        text += t(
            "digits.number_unsure",
            lang,
            position=weakest + 1,
            digit=d.digit,
            confidence=percent(d.confidence),
        )
    return text


def read_photo(data: bytes, max_pixels: int) -> NumberResult:
    """A number when the photo holds several digits on a line, else the one digit it shows."""
    reader = get_reader()
    number = reader.read_number(data, max_pixels=max_pixels)
    if len(number.digits) > 1:
        return number
    digit = reader.read_digit(data, max_pixels=max_pixels)
    return NumberResult(str(digit.digit), [digit])


def answer_picture(result: NumberResult, lang: str) -> bytes:
    if len(result.digits) == 1:
        d = result.digits[0]
        return render_digits.digit_picture(d.image28, d.probs, lang)
    return render_digits.number_picture(
        [d.image28 for d in result.digits],
        [d.digit for d in result.digits],
        [d.confidence for d in result.digits],
        lang,
    )


def stages_png(data: bytes, max_pixels: int, single: bool, lang: str) -> bytes:
    reader = get_reader()
    if single:
        stages = reader.read_digit(data, keep_stages=True, max_pixels=max_pixels).stages
    else:
        stages = reader.read_number(data, keep_stages=True, max_pixels=max_pixels).stages
    return render_digits.stages_picture(stages, lang)


def _remembered_bytes(data: bytes) -> bytes:
    """The photo as kept for the buttons: as sent, or re-encoded smaller when it is huge."""
    if len(data) <= KEEP_BYTES:
        return data
    from PIL import Image, ImageOps

    image = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
    image.thumbnail((1600, 1600))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def _work(data: bytes, max_pixels: int, lang: str) -> tuple[NumberResult, bytes, bytes]:
    """Everything a photo costs, in one worker thread: reading, the picture, the kept copy."""
    result = read_photo(data, max_pixels)
    return result, answer_picture(result, lang), _remembered_bytes(data)


def _remember(chat_data: dict, photo: bytes, single: bool) -> str:
    box = chat_data.setdefault("digits", {"next": 0, "photos": {}})
    token = str(box["next"])
    box["next"] += 1
    box["photos"][token] = {"bytes": photo, "single": single}
    while len(box["photos"]) > KEEP_PHOTOS:
        box["photos"].pop(next(iter(box["photos"])))
    return token


def _recall(chat_data: dict, token: str) -> dict | None:
    return chat_data.get("digits", {}).get("photos", {}).get(token)


def _keyboard(token: str, single: bool, lang: str) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                t("digits.button.stages", lang), callback_data=f"{CALLBACK_PREFIX}stages:{token}"
            )
        ]
    ]
    if single:
        rows.append(
            [
                InlineKeyboardButton(
                    t("digits.button.wrong", lang), callback_data=f"{CALLBACK_PREFIX}wrong:{token}"
                )
            ]
        )
    return InlineKeyboardMarkup(rows)


def _digit_keyboard(token: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(str(d), callback_data=f"{CALLBACK_PREFIX}set:{token}:{d}")
                for d in range(row * 5, row * 5 + 5)
            ]
            for row in range(2)
        ]
    )


# --------------------------------------------------------------------------- handlers

# Image work runs on its own two threads: a big picture briefly needs hundreds of MB, and the
# memory a thread's allocator keeps afterwards is bounded by the number of threads that ever
# decoded one. Photos from many chats queue here instead of filling the default executor.
_IMAGE_THREADS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="digits")


async def _off_loop(function, *args):
    return await asyncio.get_running_loop().run_in_executor(_IMAGE_THREADS, function, *args)


def _lang(update: Update, context: BotContext) -> str:
    state = context.services.store.load(update.effective_chat.id)
    return chat_lang(update, state)


async def digit_command(update: Update, context: BotContext) -> None:
    """/digit: what to send and how to take a photo that reads well."""
    lang = _lang(update, context)
    text = t("digits.help", lang, advice=t("digits.advice", lang))
    await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML)


async def handle_photo(update: Update, context: BotContext) -> None:
    """A photo: the user gets the digit or number read from it, with a picture."""
    photo = update.effective_message.photo[-1]  # the largest size Telegram made
    file = await photo.get_file()
    data = bytes(await file.download_as_bytearray())
    await _read_and_reply(update, context, data)


async def handle_image_document(update: Update, context: BotContext) -> None:
    """An image sent as a file (called by the tables module's document handler)."""
    document = update.effective_message.document
    limit = context.services.config.limits.max_image_bytes
    if document.file_size and document.file_size > limit:
        lang = _lang(update, context)
        text = t(
            "digits.file_too_big",
            lang,
            size_mb=f"{document.file_size / 1e6:.1f}",
            limit_mb=f"{limit / 1e6:.0f}",
        )
        await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML)
        return
    file = await document.get_file()
    data = bytes(await file.download_as_bytearray())
    await _read_and_reply(update, context, data)


async def _read_and_reply(update: Update, context: BotContext, data: bytes) -> None:
    lang = _lang(update, context)
    message = update.effective_message
    max_pixels = context.services.config.limits.max_image_pixels
    await message.chat.send_action(ChatAction.TYPING)
    try:
        result, picture, kept = await _off_loop(_work, data, max_pixels, lang)
    except ImageProblem as problem:
        logger.info("digit photo refused: %s", problem)
        text = t(f"digits.error.{problem.code}", lang) + "\n\n" + t("digits.advice", lang)
        await message.reply_text(text, parse_mode=ParseMode.HTML)
        return
    single = len(result.digits) == 1
    token = _remember(context.chat_data, kept, single)
    await message.reply_photo(
        picture,
        caption=compose_reply(result, lang),
        parse_mode=ParseMode.HTML,
        reply_markup=_keyboard(token, single, lang),
    )


async def on_button(update: Update, context: BotContext) -> None:
    """Buttons under an answer: show the stages, ask for the right digit, store it."""
    query = update.callback_query
    parts = query.data.split(":")
    action, token = parts[1], parts[2] if len(parts) > 2 else ""
    lang = _lang(update, context)
    kept = _recall(context.chat_data, token)
    if kept is None:
        await query.answer(t("digits.expired", lang), show_alert=True)
        return
    if action == "stages":
        await query.answer()
        max_pixels = context.services.config.limits.max_image_pixels
        await query.message.chat.send_action(ChatAction.UPLOAD_PHOTO)
        picture = await _off_loop(stages_png, kept["bytes"], max_pixels, kept["single"], lang)
        await query.message.reply_photo(picture, caption=t("digits.stages_caption", lang))
    elif action == "wrong":
        await query.answer()
        await query.message.reply_text(t("digits.pick", lang), reply_markup=_digit_keyboard(token))
    elif action == "set" and len(parts) == 4 and parts[3].isdigit():
        digit = int(parts[3])
        store = context.services.store
        chat_id = update.effective_chat.id
        await asyncio.to_thread(store.add_correction, chat_id, kept["bytes"], digit)
        count = len(await asyncio.to_thread(store.corrections, chat_id))
        await query.answer()
        await query.edit_message_text(
            t("digits.thanks", lang, digit=html.escape(str(digit)), count=count),
            parse_mode=ParseMode.HTML,
        )
    else:
        await query.answer()


def register(application: Application) -> None:
    """Photos, /digit, and the buttons under a digit answer."""
    application.add_handler(CommandHandler("digit", digit_command))
    application.add_handler(MessageHandler(filters.PHOTO, handle_photo))
    application.add_handler(CallbackQueryHandler(on_button, pattern=rf"^{CALLBACK_PREFIX}"))
