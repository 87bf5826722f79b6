"""/lab in Telegram: the lab view, settings, training, photos read twice, collecting, personal.

Training runs in the bot's job pool with the progress message and Stop button of /train
(`ProgressView`); the results come from `bot.lab.chat`. Photos come here first: a chat with
no lab network in use (and not collecting) gets the usual digit answer from
`bot.digits.handlers`, unchanged.
"""

from __future__ import annotations

import asyncio
import html
import logging
import time
from typing import Any

from telegram import InputFile, Message, Update
from telegram.constants import ChatAction, ParseMode
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

import nncore as nn
from bot.context import BotContext, command_argument
from bot.digits import answers
from bot.digits import handlers as photos
from bot.digits.photo import ImageProblem
from bot.digits.reader import get_reader
from bot.i18n import plural, t
from bot.jobs import JobBusy, JobResult, QueueFull
from bot.lab import chat, personal
from bot.lab.data import test_count, training_count
from bot.lab.settings import PRESETS, LabError, check, parse_lab
from bot.tables import files
from bot.training import views
from bot.training.handlers.common import markup
from bot.training.handlers.train import ProgressView, deliver
from nncore.datasets import DatasetError

COMMANDS = ["lab"]
SUBCOMMANDS = ("train", "off", "weights", "collect", "personal")

logger = logging.getLogger(__name__)


async def _reply(update: Update, text: str, rows: chat.Rows | None = None) -> None:
    await update.effective_message.reply_text(
        text, parse_mode=ParseMode.HTML, reply_markup=markup(rows) if rows else None
    )


async def _show(update: Update, context: BotContext, state: Any, lang: str) -> None:
    settings = chat.chat_settings(state)
    limits = context.services.config.limits
    try:
        tests = await asyncio.to_thread(test_count)
    except DatasetError as error:
        await _refuse(update, error, lang)
        return
    text = chat.lab_view(settings, limits, tests, lang)
    await _reply(update, text, chat.lab_buttons(lang))


async def lab_command(update: Update, context: BotContext) -> None:
    """/lab [train|off|weights|collect|personal|key=value …]: the lab and what it does."""
    argument = command_argument(update.effective_message)
    word = argument.lower()
    if word in SUBCOMMANDS:
        await SUBCOMMAND_HANDLERS[word](update, context)
        return
    state = context.chat_state(update)
    lang = context.lang(update, state)
    if argument and "=" not in argument:
        await _reply(update, t("lab.error.unknown", lang, word=html.escape(argument[:40])))
        return
    if argument:
        limits = context.services.config.limits
        try:
            settings = parse_lab(argument, chat.chat_settings(state), limits, training_count())
        except (LabError, DatasetError) as error:
            await _refuse(update, error, lang)
            return
        chat.lab_state(state)["settings"] = settings.to_dict()
        context.services.store.save(state)
    await _show(update, context, state, lang)


async def _refuse(update: Update, error: LabError | DatasetError, lang: str) -> None:
    """Why the lab cannot take these settings, or cannot read its digits on this host."""
    if isinstance(error, DatasetError):
        logger.warning("lab data unreadable: %s", error)
        await _reply(update, t("lab.error.no_data", lang, problem=html.escape(str(error))))
        return
    values = {key: html.escape(str(value)) for key, value in error.values.items()}
    await _reply(update, t(error.message_key, lang, **values))


async def lab_button(update: Update, context: BotContext) -> None:
    """A preset button shows the lab with that preset; Train starts the training."""
    query = update.callback_query
    if query.data == chat.TRAIN:
        await query.answer()
        await start_lab_training(update, context)
        return
    name = (query.data or "").removeprefix(chat.PRESET)
    state = context.chat_state(update)
    if not (query.data or "").startswith(chat.PRESET) or name not in PRESETS:  # forged data
        await query.answer(t("lab.bad_button", context.lang(update, state)), show_alert=True)
        return
    await query.answer()
    chat.lab_state(state)["settings"] = PRESETS[name].to_dict()
    context.services.store.save(state)
    await _show(update, context, state, context.lang(update, state))


# --------------------------------------------------------------------------- training


async def _submit(
    update: Update, context: BotContext, payload: dict, view: ProgressView, on_done: Any
) -> bool:
    """Queue a job in the pool; False (after saying why) when the chat or the pool is busy."""
    jobs, lang = context.services.jobs, view.lang
    if jobs is None:
        await _reply(update, t("lab.end.failed", lang))
        return False
    try:
        jobs.submit(view.chat_id, payload, view.on_progress, on_done)
    except JobBusy:
        await _reply(update, t("train.error.busy", lang))
        return False
    except QueueFull:
        running, queued = jobs.running_count, jobs.queued_count
        await _reply(update, t("train.error.queue_full", lang, running=running, queued=queued))
        return False
    return True


async def _progress_message(update: Update, view: ProgressView, text: str) -> None:
    try:
        sent = await update.effective_message.reply_text(
            text, parse_mode=ParseMode.HTML, reply_markup=markup(views.stop_rows(view.lang))
        )
        view.message_id, view.shown = sent.message_id, text
    finally:
        view.ready.set()


async def _idle_chat(update: Update, context: BotContext) -> tuple[Any, Any, str] | None:
    """(services, state, language) of a chat with no job running; None after saying it is busy."""
    svc = context.services
    state = context.chat_state(update)
    lang = context.lang(update, state)
    if svc.jobs is not None and svc.jobs.is_active(state.chat_id):
        await _reply(update, t("train.error.busy", lang))
        return None
    return svc, state, lang


async def start_lab_training(update: Update, context: BotContext) -> None:
    """Check the lab settings, queue the training, show the progress message."""
    chat_now = await _idle_chat(update, context)
    if chat_now is None:
        return
    svc, state, lang = chat_now
    settings = chat.chat_settings(state)
    try:
        check(settings, svc.config.limits, training_count())
    except (LabError, DatasetError) as error:
        await _refuse(update, error, lang)
        return
    view = ProgressView(context.bot, state.chat_id, lang, html.escape(settings.layer_text))
    payload = {"kind": "lab", "settings": settings.to_dict(), "lang": lang}

    async def on_done(result: JobResult) -> None:
        await finish_lab_training(context.application, view, settings, result)

    if not await _submit(update, context, payload, view, on_done):
        return
    _mark_running(state, "lab", lang)
    svc.store.save(state)
    text = t("lab.starting", lang, shape=view.shape, images=settings.images)
    await _progress_message(update, view, text)


def _mark_running(state: Any, kind: str, lang: str) -> None:
    """The chat trains `kind` ("lab" or "personal"). `state.training` is the mark a restart
    looks for (bot.app tells the chat its training was cut short, in the words `texts` names)."""
    chat.lab_state(state)["running"] = kind
    texts = "lab" if kind == "lab" else "lab.personal"
    state.training = {"started": time.time(), "lang": lang, "texts": texts}


async def _ended(application: Application, view: ProgressView, result: JobResult):
    """The chat's state once its lab job ended, or None when nothing is to be kept (reset,
    shutdown, failure: the progress message already says so). On shutdown the restart mark
    stays, so the bot says after it stopped the pool that the training was cut short."""
    view.finished = True
    try:
        await asyncio.wait_for(view.ready.wait(), timeout=30)
    except TimeoutError:
        logger.warning("chat %s: lab progress message never appeared", view.chat_id)
    svc = application.bot_data["services"]
    state = svc.store.load(view.chat_id)
    lab = chat.lab_state(state)
    if not lab.pop("running", None):  # /reset while it ran
        await view.edit(t("train.end.forgotten", view.lang), None, final=True)
        return None
    if result.reason == "shutdown":
        svc.store.save(state)
        return None
    state.training = None
    svc.store.save(state)
    if result.outcome is None:
        if result.reason != "shutdown":
            text = views.failure_text(result.reason, svc.config.limits, view.lang)
            await view.edit(text, None, final=True)
        return None
    return state


async def finish_lab_training(
    application: Application, view: ProgressView, settings: Any, result: JobResult
) -> None:
    """Keep the network, then send the accuracy, the mistakes and the pictures."""
    state = await _ended(application, view, result)
    if state is None:
        return
    svc, outcome, lang = application.bot_data["services"], result.outcome, view.lang
    svc.store.save_file(view.chat_id, chat.LAB_FILE, outcome.model_bytes)
    lab = chat.lab_state(state)
    lab["use"] = "lab"
    lab["trained"] = {"layers": settings.layer_text, "accuracy": outcome.test_accuracy}
    svc.store.save(state)
    await view.edit(chat.end_text(outcome, settings, svc.config.limits, lang), None, final=True)
    await _send(application, view.chat_id, chat.result_text(outcome, lang))
    for picture, caption in chat.pictures_in_order(outcome, lang):
        await deliver(
            lambda p=picture, c=caption: application.bot.send_photo(view.chat_id, p, caption=c),
            "lab picture",
            view.chat_id,
        )
    await _send(application, view.chat_id, t("lab.next", lang))


async def _send(application: Application, chat_id: int, text: str) -> None:
    await deliver(
        lambda: application.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML),
        "lab result",
        chat_id,
    )


# --------------------------------------------------------------------------- the other words


async def lab_off(update: Update, context: BotContext) -> None:
    """/lab off: photos are read by the shipped reader alone again (networks are kept)."""
    state = context.chat_state(update)
    lab = chat.lab_state(state)
    lab["use"], lab["collect"] = None, None
    context.services.store.save(state)
    await _reply(update, t("lab.off", context.lang(update, state)))


async def lab_weights(update: Update, context: BotContext) -> None:
    """/lab weights: the chat's lab network (or its personal reader) as an nncore .npz."""
    state = context.chat_state(update)
    lang = context.lang(update, state)
    store = context.services.store
    for name in (chat.LAB_FILE, chat.PERSONAL_FILE):
        data = await asyncio.to_thread(store.load_file, state.chat_id, name)
        if data is not None:
            await update.effective_message.reply_document(
                InputFile(data, filename=name),
                caption=t("lab.weights.caption", lang, name=name),
                parse_mode=ParseMode.HTML,
            )
            return
    await _reply(update, t("lab.weights.none", lang))


async def lab_collect(update: Update, context: BotContext) -> None:
    """/lab collect: asks for a photo of each digit in turn, 0 to 9."""
    state = context.chat_state(update)
    chat.lab_state(state)["collect"] = 0
    context.services.store.save(state)
    count = len(await asyncio.to_thread(context.services.store.corrections, state.chat_id))
    lang = context.lang(update, state)
    examples = plural(count, lang, "word.example")
    await _reply(
        update, t("lab.collect.start", lang, examples=examples, need=personal.MIN_EXAMPLES)
    )


async def lab_personal(update: Update, context: BotContext) -> None:
    """/lab personal: fine-tunes a copy of the reader on the chat's own digits."""
    chat_now = await _idle_chat(update, context)
    if chat_now is None:
        return
    svc, state, lang = chat_now
    stored = await asyncio.to_thread(svc.store.corrections, state.chat_id)
    max_pixels = svc.config.limits.max_image_pixels
    images, labels = await asyncio.to_thread(personal.examples_from, stored, max_pixels)
    if len(labels) < personal.MIN_EXAMPLES:
        examples = plural(len(labels), lang, "word.example")
        await _reply(update, t("lab.personal.few", lang, examples=examples,
                               need=personal.MIN_EXAMPLES))  # fmt: skip
        return
    if len(personal.held_out_split(labels, 1)[1]) < 2:
        await _reply(update, t("lab.personal.spread", lang))
        return
    view = ProgressView(context.bot, state.chat_id, lang, t("lab.personal.shape", lang))
    epochs = svc.config.limits.lab_personal_epochs
    payload = {"kind": "personal", "images": images, "labels": labels, "seed": 1, "epochs": epochs}

    async def on_done(result: JobResult) -> None:
        await finish_personal(context.application, view, result)

    if not await _submit(update, context, payload, view, on_done):
        return
    _mark_running(state, "personal", lang)
    svc.store.save(state)
    await _progress_message(update, view, t("lab.personal.starting", lang, count=len(labels)))


async def finish_personal(application: Application, view: ProgressView, result: JobResult):
    """Keep the personal reader and say how it reads the learner's held-out digits."""
    state = await _ended(application, view, result)
    if state is None:
        return
    svc, outcome = application.bot_data["services"], result.outcome
    svc.store.save_file(view.chat_id, chat.PERSONAL_FILE, outcome.model_bytes)
    chat.lab_state(state)["use"] = "personal"
    svc.store.save(state)
    await view.edit(chat.personal_text(outcome, view.lang), None, final=True)


SUBCOMMAND_HANDLERS = {
    "train": start_lab_training,
    "off": lab_off,
    "weights": lab_weights,
    "collect": lab_collect,
    "personal": lab_personal,
}


# --------------------------------------------------------------------------- photos


class ImageDocument(filters.MessageFilter):
    """A file the tables feature would hand to the digit reader (PNG, JPEG, … by name or type)."""

    def filter(self, message: Message) -> bool:
        document = message.document
        kind = document and files.document_kind(document.file_name, document.mime_type)
        return kind == files.IMAGE


async def lab_photo(update: Update, context: BotContext) -> None:
    """A photo, or an image sent as a file: collected as an example, read by the chat's network
    too, or answered as usual."""
    state = context.chat_state(update)
    lab = state.extra.get(chat.EXTRA_KEY) or {}
    lang = context.lang(update, state)
    jobs = context.services.jobs
    is_file = not update.effective_message.photo
    usual = photos.handle_image_document if is_file else photos.handle_photo
    if is_file and await photos.refuse_big_document(update, context):
        return
    if lab.get("collect") is not None:
        await _collect_photo(update, context, state, lang)
        return
    if lab.get("running") and jobs is not None and jobs.is_active(state.chat_id):
        await _reply(update, t("lab.photo_while_training", lang))
        await usual(update, context)
        return
    name = {"lab": chat.LAB_FILE, "personal": chat.PERSONAL_FILE}.get(lab.get("use") or "")
    network = name and await asyncio.to_thread(context.services.store.load_file,
                                               state.chat_id, name)  # fmt: skip
    if not network:
        await usual(update, context)
        return
    await _read_twice(update, context, nn.from_bytes(network), lab["use"] == "personal", lang)


async def _photo_bytes(update: Update) -> bytes:
    """The photo's largest size, or the image file, as bytes."""
    message = update.effective_message
    source = message.photo[-1] if message.photo else message.document
    file = await source.get_file()
    return bytes(await file.download_as_bytearray())


async def _refuse_image(update: Update, problem: ImageProblem, lang: str) -> None:
    logger.info("lab photo refused: %s", problem)
    text = t(f"digits.error.{problem.code}", lang) + "\n\n" + t("digits.advice", lang)
    await _reply(update, text)


async def _read_twice(
    update: Update, context: BotContext, model: nn.Sequential, is_personal: bool, lang: str
) -> None:
    """The usual answer and picture, with the chat's network's reading beside the reader's."""
    message = update.effective_message
    max_pixels = context.services.config.limits.max_image_pixels
    await message.chat.send_action(ChatAction.TYPING)

    def read(data: bytes) -> tuple:
        result, picture, kept = answers.answer(data, max_pixels, lang)
        return result, picture, kept, chat.own_reading(model, result)

    async with context.bot_data[photos.IMAGE_JOBS]:  # the digits feature's bound on image work
        try:
            result, picture, kept, mine = await photos.off_loop(read, await _photo_bytes(update))
        except ImageProblem as problem:
            await _refuse_image(update, problem, lang)
            return
    single = kept.single
    token = context.bot_data[photos.PHOTOS].put(update.effective_chat.id, kept)
    caption = chat.both_answers(result, mine, is_personal, lang)
    caption += "\n\n" + answers.compose_reply(result, lang)
    await message.reply_photo(
        picture,
        caption=caption,
        parse_mode=ParseMode.HTML,
        reply_markup=markup(answers.answer_buttons(token, single, lang)),
    )


async def _collect_photo(update: Update, context: BotContext, state: Any, lang: str) -> None:
    """During /lab collect: keep the photo's 28×28 input as the digit asked for, ask the next."""
    store = context.services.store
    lab = chat.lab_state(state)
    digit = int(lab["collect"])
    data = await _photo_bytes(update)
    max_pixels = context.services.config.limits.max_image_pixels
    try:
        read = await photos.off_loop(get_reader().read_digit, data, False, max_pixels)
    except ImageProblem as problem:
        await _refuse_image(update, problem, lang)
        return
    example = personal.encode_example(read.image28)
    await asyncio.to_thread(store.add_correction, state.chat_id, example, digit)
    count = len(await asyncio.to_thread(store.corrections, state.chat_id))
    lab["collect"] = digit + 1 if digit < 9 else None
    store.save(state)
    examples = plural(count, lang, "word.example")
    values = {"digit": digit, "said": read.digit, "examples": examples, "next": digit + 1}
    key = "lab.collect.got" if digit < 9 else "lab.collect.done"
    await _reply(update, t(key, lang, need=personal.MIN_EXAMPLES, **values))


def register(application: Application) -> None:
    """/lab, its buttons, and photos and image files (before the digits feature's photo handler
    and the tables feature's document handler, which get what the lab passes on)."""
    application.add_handler(CommandHandler("lab", lab_command))
    application.add_handler(CallbackQueryHandler(lab_button, pattern=rf"^{chat.CALLBACK_PREFIX}"))
    application.add_handler(MessageHandler(filters.PHOTO | ImageDocument(), lab_photo))
