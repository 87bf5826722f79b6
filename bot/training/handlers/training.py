"""Training commands: /settings, /train, /stop, /plot, /net, /boundary, /weights.

Adapters only: they read the chat's state, call `bot.training.run` / `bot.training.pictures` / the job runner,
and answer. Training runs in the job runner's worker processes; pictures are drawn in a thread.
While a job runs, one progress message is edited in place (at most about once a second) and
`state.training` marks the chat, so a restart can tell the chat its training was interrupted.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import re
import time
import warnings
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, RetryAfter, TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler
from telegram.warnings import PTBDeprecationWarning

from bot.context import BotContext, chat_lang
from bot.i18n import t
from bot.jobs import JobBusy, JobResult, QueueFull
from bot.services import Services
from bot.store import ChatState
from bot.text import duration, split_message
from bot.training import pictures as render
from bot.training import run as training
from bot.training.explain import separability_note

COMMANDS = ["settings", "train", "stop", "plot", "net", "boundary", "weights"]
CALLBACK_PREFIX = "train:"
EDIT_INTERVAL = 1.0  # seconds between edits of the progress message
BAR_WIDTH = 16
SHOWN_ROWS = 12
SHOWN_VALUES = 6  # inputs of a row written out in the summary
JSON_PARAMETER_LIMIT = 2_000  # networks this small also get a readable JSON file
HIDDEN_CHOICES = ((), (2,), (4,), (8,), (16,), (8, 4), (32, 16))
LOSS_NAMES = {"mse": "MSE", "bce": "binary cross-entropy", "ce": "cross-entropy"}

logger = logging.getLogger(__name__)


# --- small formatting helpers ------------------------------------------------------------------


def progress_bar(fraction: float, width: int = BAR_WIDTH) -> str:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)


def shape_text(table: dict, settings: training.TrainSettings) -> str:
    return "-".join(str(n) for n in training.layer_sizes(table, settings))


def _number(value: Any) -> str:
    return "—" if value is None else training.format_number(float(value))


def progress_text(data: dict, shape: str, lang: str) -> str:
    """The progress message: bar, percent, epoch, loss, elapsed time and the time left."""
    fraction = float(data.get("fraction") or 0.0)
    elapsed = float(data.get("seconds") or 0.0)
    if fraction >= 0.01 or (fraction > 0 and elapsed >= 2):
        eta = duration(elapsed * (1 - fraction) / fraction, lang)
    else:
        eta = "…"  # too early to say
    val = data.get("val_loss")
    return t(
        "train.progress",
        lang,
        shape=shape,
        bar=progress_bar(fraction),
        percent=int(fraction * 100),
        epoch=data.get("epoch", 0),
        epochs=data.get("epochs", 0),
        loss=_number(data.get("loss")),
        val=t("train.progress.val", lang, value=_number(val)) if val is not None else "",
        elapsed=duration(elapsed, lang),
        eta=eta,
    )


def stop_keyboard(lang: str) -> InlineKeyboardMarkup:
    button = InlineKeyboardButton(t("train.button.stop", lang), callback_data="train:stop")
    return InlineKeyboardMarkup([[button]])


def _row_label(table: dict, index: int, row: list, names_key: str) -> str:
    names = table.get(names_key)
    if names and index < len(names):
        return f"<i>{html.escape(str(names[index]))}</i>"
    shown = " ".join(training.format_number(float(v)) for v in row[:SHOWN_VALUES])
    return f"<code>{shown}{' …' if len(row) > SHOWN_VALUES else ''}</code>"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _target_text(table: dict, row: list) -> str:
    if table["task"] == "regression" or len(row) != 1:
        return ", ".join(training.format_number(float(v)) for v in row)
    classes = table.get("classes") or ["0", "1"]
    return str(classes[training.class_index(row[0], classes)])


def summary_text(table: dict, settings: training.TrainSettings, evaluation: dict, lang: str) -> str:
    """Final loss, accuracy, predictions next to targets, and the answers to `?` rows."""
    loss_name = LOSS_NAMES[training.resolved_loss(table, settings)]
    lines = [t("train.summary.loss", lang, loss_name=loss_name, loss=_number(evaluation["loss"]))]
    if evaluation.get("accuracy") is not None:
        percent = f"{100 * evaluation['accuracy']:.0f}"
        lines.append(t("train.summary.accuracy", lang, percent=percent))
    lines += ["", t("train.summary.rows", lang)]
    rows = evaluation["rows"]
    for i, (x, y, p) in enumerate(zip(table["X"], table["Y"], rows, strict=False)):
        if i == SHOWN_ROWS:
            more = len(table["X"]) - SHOWN_ROWS
            lines.append(t("train.summary.more_rows", lang, count=more))
            break
        target = _target_text(table, y)
        mark = ""
        if table["task"] != "regression":
            mark = "✅" if p["text"] == _multi_target(table, y) else "❌"
        lines.append(
            t(
                "train.summary.row",
                lang,
                inputs=_row_label(table, i, x, "names"),
                prediction=html.escape(_short(p["text"])),
                target=html.escape(_short(target)),
                mark=mark,
            )
        )
    if evaluation.get("questions"):
        lines += ["", t("train.summary.questions", lang)]
        for i, (x, p) in enumerate(zip(table["questions"], evaluation["questions"], strict=False)):
            if i == SHOWN_ROWS:
                more = len(table["questions"]) - SHOWN_ROWS
                lines.append(t("train.summary.more_rows", lang, count=more))
                break
            confidence = ""
            if p.get("confidence") is not None:
                percent = f"{100 * p['confidence']:.0f}"
                confidence = t("train.summary.confidence", lang, percent=percent)
            lines.append(
                t(
                    "train.summary.question",
                    lang,
                    inputs=_row_label(table, i, x, "question_names"),
                    prediction=html.escape(_short(p["text"])),
                    confidence=confidence,
                )
            )
    note = separability_note(table, settings, lang)
    if note:
        lines += ["", note]
    example = (table.get("questions") or table["X"])[0]
    example = " ".join(training.format_number(float(v)) for v in example)
    lines += ["", t("train.summary.next", lang, example=example)]
    return "\n".join(lines)


def _multi_target(table: dict, row: list) -> str:
    """The target written the way decode_outputs writes a prediction, to compare them."""
    if len(row) == 1:
        return _target_text(table, row)
    return ", ".join(
        f"{n}={int(float(v) >= 0.5)}" for n, v in zip(table["targets"], row, strict=True)
    )


def settings_text(state: ChatState, settings: training.TrainSettings, lang: str) -> str:
    table = state.table
    task = t(f"train.task.{table['task']}" if table else "train.task.none", lang)
    if table:
        shape = shape_text(table, settings)
        params = training.parameter_count(table, settings)
    else:
        shape = (
            "?-" + "-".join(str(h) for h in settings.hidden) + ("-?" if settings.hidden else "?")
        )
        params = "?"
    loss = training.resolved_loss(table, settings) if table else settings.loss
    return t(
        "settings.current",
        lang,
        task=task,
        shape=shape,
        params=params,
        hidden=settings.describe_hidden(),
        activation=settings.activation,
        loss=loss if settings.loss != "auto" or not table else f"auto → {loss}",
        optimizer=settings.optimizer,
        lr=f"{settings.lr:g}",
        epochs=settings.epochs,
        batch=settings.batch_size or "all",
        validation=f"{settings.validation:g}",
        seed="random" if settings.seed is None else settings.seed,
        init=settings.init,
        scale=settings.scale,
    )


def settings_keyboard(settings: training.TrainSettings, lang: str) -> InlineKeyboardMarkup:
    def button(text: str, data: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(text, callback_data=f"{CALLBACK_PREFIX}s:{data}")

    def cycle(name: str, value: str, key: str) -> InlineKeyboardButton:
        return button(t("settings.button.cycle", lang, name=name, value=value), f"{key}:next")

    return InlineKeyboardMarkup(
        [
            [
                cycle("hidden", settings.describe_hidden(), "hidden"),
                cycle("activation", settings.activation, "activation"),
            ],
            [button("lr ÷2", "lr:half"), button("lr ×2", "lr:double")],
            [button("epochs ÷2", "epochs:half"), button("epochs ×2", "epochs:double")],
            [
                cycle("optimizer", settings.optimizer, "optimizer"),
                cycle("init", settings.init, "init"),
            ],
            [
                button(t("settings.button.article", lang), "preset:article"),
                button(t("settings.button.defaults", lang), "preset:default"),
            ],
            [InlineKeyboardButton(t("settings.button.train", lang), callback_data="train:go")],
        ]
    )


def changed_by_button(
    settings: training.TrainSettings, key: str, op: str, limits: Any
) -> training.TrainSettings:
    """The settings after one press of a settings button (values stay within the limits)."""
    if key == "preset":
        return training.parse_settings(f"preset={op}", settings, limits)
    if key == "lr":
        low, high = training.LR_RANGE
        value = settings.lr * (0.5 if op == "half" else 2.0)
        return training.parse_settings(f"lr={min(high, max(low, value)):.6g}", settings, limits)
    if key == "epochs":
        value = settings.epochs // 2 if op == "half" else settings.epochs * 2
        value = min(limits.max_epochs, max(1, value))
        return training.parse_settings(f"epochs={value}", settings, limits)
    if key == "hidden":
        choices = [
            h
            for h in HIDDEN_CHOICES
            if len(h) <= limits.max_hidden_layers and max(h, default=0) <= limits.max_layer_units
        ]
        current = choices.index(settings.hidden) if settings.hidden in choices else -1
        hidden = choices[(current + 1) % len(choices)]
        return replace(settings, hidden=hidden, custom=settings.custom | {"hidden"})
    options = {
        "activation": training.ACTIVATIONS,
        "optimizer": training.OPTIMIZERS,
        "init": training.INITS,
    }[key]
    value = options[(options.index(getattr(settings, key)) + 1) % len(options)]
    return replace(settings, **{key: value}, custom=settings.custom | {key})


def settings_error_text(error: training.SettingsError, lang: str) -> str:
    """The message for a bad setting; what the user typed is escaped and kept short."""
    values = {}
    for key, value in error.values.items():
        text = str(value)
        values[key] = html.escape(text if len(text) <= 40 else text[:39] + "…")
    return t(error.message_key, lang, **values)


def store_settings(state: ChatState, settings: training.TrainSettings) -> None:
    """Keep the learner's choices; the saved encoding belongs to the trained network."""
    encoding = (state.settings or {}).get("encoding")
    state.settings = settings.to_dict()
    if encoding is not None:
        state.settings["encoding"] = encoding


# --- /settings ---------------------------------------------------------------------------------


async def settings_command(update: Update, context: BotContext) -> None:
    """Shows the training settings with buttons; `/settings lr=0.5 hidden=4` changes them."""
    svc = context.services
    chat_id = update.effective_chat.id
    state = svc.store.load(chat_id)
    lang = chat_lang(update, state)
    current = training.settings_for(state.table, state.settings)
    text = " ".join(context.args or [])
    notes = []
    if text:
        try:
            current = training.parse_settings(text, current, svc.config.limits)
            if state.table:
                training.check_settings(state.table, current, svc.config.limits)
        except training.SettingsError as error:
            await _reply(update, settings_error_text(error, lang))
            return
        store_settings(state, current)
        svc.store.save(state)
        notes.append(t("settings.changed", lang))
        if svc.jobs is not None and svc.jobs.is_active(chat_id):
            notes.append(t("settings.during_training", lang))
    body = "\n\n".join([*notes, settings_text(state, current, lang), t("settings.help", lang)])
    await update.effective_message.reply_text(
        body, parse_mode=ParseMode.HTML, reply_markup=settings_keyboard(current, lang)
    )


async def settings_button(update: Update, context: BotContext) -> None:
    """A settings button: change one setting and redraw the settings message."""
    query = update.callback_query
    svc = context.services
    state = svc.store.load(update.effective_chat.id)
    lang = chat_lang(update, state)
    parts = query.data.split(":")
    if len(parts) != 4:
        await query.answer()
        return
    _, _, key, op = parts
    current = training.settings_for(state.table, state.settings)
    try:
        changed = changed_by_button(current, key, op, svc.config.limits)
        if state.table:
            training.check_settings(state.table, changed, svc.config.limits)
    except training.SettingsError as error:
        message = _plain(settings_error_text(error, lang))
        await query.answer(message[:190], show_alert=True)
        return
    except (KeyError, ValueError):  # a button from an older version of the bot
        await query.answer()
        return
    store_settings(state, changed)
    svc.store.save(state)
    await query.answer(t("settings.changed", lang))
    body = settings_text(state, changed, lang) + "\n\n" + t("settings.help", lang)
    try:
        await query.edit_message_text(
            body, parse_mode=ParseMode.HTML, reply_markup=settings_keyboard(changed, lang)
        )
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise


def _plain(text: str) -> str:
    """Text without HTML tags, for callback answers (they show plain text)."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


# --- /train and its progress -------------------------------------------------------------------


def retry_seconds(error: RetryAfter) -> float:
    """How long Telegram asked us to wait (PTB 22 warns that the type will become timedelta)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


@dataclass
class ProgressView:
    """The one progress message of a running training, edited at most every EDIT_INTERVAL s."""

    bot: Any
    chat_id: int
    lang: str
    shape: str
    message_id: int | None = None
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    last_edit: float = 0.0
    blocked_until: float = 0.0
    editing: bool = False
    finished: bool = False
    shown: str = ""

    def on_progress(self, data: dict) -> Any:
        """Called by the job runner for each report; returns an edit coroutine when one is due."""
        now = time.monotonic()
        if self.finished or self.editing or self.message_id is None:
            return None
        if "queued" in data:  # the line moved: a new place, not throttled (it changes rarely)
            text = t("train.queued", self.lang, position=data["queued"])
        elif now - self.last_edit < EDIT_INTERVAL or now < self.blocked_until:
            return None
        else:
            text = progress_text(data, self.shape, self.lang)
        self.editing, self.last_edit = True, now
        return self._progress_edit(text)

    async def _progress_edit(self, text: str) -> None:
        try:
            await self._edit(text, stop_keyboard(self.lang))
        finally:
            self.editing = False

    async def edit(self, text: str, keyboard: InlineKeyboardMarkup | None, final: bool = False):
        """Edit the message now; `final` first lets a progress edit in flight land, and waits
        out a retry-after (up to 30 s) so the last word is never lost."""
        if final:
            for _ in range(100):
                if not self.editing:
                    break
                await asyncio.sleep(0.05)
        for _ in range(3 if final else 1):
            wait = self.blocked_until - time.monotonic()
            if wait > 30:
                return
            if wait > 0:
                await asyncio.sleep(wait)
            if await self._edit(text, keyboard):
                return

    async def _edit(self, text: str, keyboard: InlineKeyboardMarkup | None) -> bool:
        """One edit; False when Telegram said "retry after" (blocked_until is set then)."""
        if self.message_id is None or text == self.shown:
            return True
        self.last_edit = time.monotonic()
        try:
            await self.bot.edit_message_text(
                text,
                chat_id=self.chat_id,
                message_id=self.message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard,
            )
            self.shown = text
        except RetryAfter as error:
            self.blocked_until = time.monotonic() + retry_seconds(error)
            return False
        except BadRequest as error:
            if "not modified" not in str(error).lower():
                logger.warning("progress edit failed in chat %s: %s", self.chat_id, error)
        except TelegramError as error:
            logger.warning("progress edit failed in chat %s: %s", self.chat_id, error)
        return True


async def train_command(update: Update, context: BotContext) -> None:
    """Starts training: one progress message with a Stop button, then the summary and plot."""
    await start_training(update, context)


async def start_training(update: Update, context: BotContext) -> None:
    svc = context.services
    chat_id = update.effective_chat.id
    state = svc.store.load(chat_id)
    lang = chat_lang(update, state)
    if not state.table:
        await _reply(update, t("train.error.no_table", lang))
        return
    jobs = svc.jobs
    if jobs is None:
        await _reply(update, t("train.error.failed", lang))
        return
    if jobs.is_active(chat_id):
        await _reply(update, t("train.error.busy", lang))
        return
    settings = training.settings_for(state.table, state.settings)
    try:
        training.check_settings(state.table, settings, svc.config.limits)
    except training.SettingsError as error:
        await _reply(update, settings_error_text(error, lang))
        return
    view = ProgressView(context.bot, chat_id, lang, shape_text(state.table, settings))
    table = state.table
    payload = {"table": table, "settings": settings.to_dict(), "lang": lang}

    async def on_done(result: JobResult) -> None:
        await finish_training(context.application, svc, view, table, settings, result)

    try:
        position = jobs.submit(chat_id, payload, view.on_progress, on_done)
    except JobBusy:
        await _reply(update, t("train.error.busy", lang))
        return
    except QueueFull:
        text = t(
            "train.error.queue_full", lang, running=jobs.running_count, queued=jobs.queued_count
        )
        await _reply(update, text)
        return
    state.training = {"started": time.time(), "lang": lang, "epochs": settings.epochs}
    svc.store.save(state)
    if position:
        text = t("train.queued", lang, position=position)
    else:
        text = t("train.starting", lang, shape=view.shape, rows=len(table["X"]))
    try:
        sent = await update.effective_message.reply_text(
            text, parse_mode=ParseMode.HTML, reply_markup=stop_keyboard(lang)
        )
        view.message_id = sent.message_id
        view.shown = text
    finally:
        view.ready.set()


async def finish_training(
    application: Application,
    svc: Services,
    view: ProgressView,
    table: dict,
    settings: training.TrainSettings,
    result: JobResult,
) -> None:
    """Save what was learned (reloading the state first) and tell the chat how it went."""
    view.finished = True
    with_timeout = asyncio.wait_for(view.ready.wait(), timeout=30)
    try:
        await with_timeout
    except TimeoutError:
        logger.warning("chat %s: progress message never appeared", view.chat_id)
    state = svc.store.load(view.chat_id)
    outcome = result.outcome
    if state.table is None:  # /reset during training: keep nothing, its reply said it all
        await view.edit(t("train.end.forgotten", view.lang), None, final=True)
        return
    same_table = state.table == table
    if outcome is not None and same_table:
        state.model = outcome.model_bytes
        state.history = outcome.history_dict
        state.settings = {**(state.settings or {}), "encoding": outcome.encoding}
    if result.reason == "shutdown":
        # The app tells the chat after the pool stopped (and clears the marker then).
        if state.training is not None:
            state.training = {**state.training, "kept": outcome is not None and same_table}
        svc.store.save(state)
        return
    state.training = None
    svc.store.save(state)
    lang = view.lang
    if outcome is None:
        await view.edit(_failure_text(result, svc, lang), None, final=True)
        return
    epochs = len(outcome.history_dict.get("loss") or [])
    values = {"shape": view.shape, "epochs": epochs, "total": settings.epochs}
    values["elapsed"] = duration(outcome.seconds, lang)
    if outcome.reason == "timeout" or result.reason == "timeout":
        head = t("train.end.timeout", lang, limit=f"{svc.config.limits.job_seconds:g}", **values)
    elif outcome.stopped:
        head = t("train.end.stopped", lang, **values)
    else:
        head = t("train.end.done", lang, **values)
    await view.edit(head, None, final=True)
    if not same_table:
        await _send(application, view.chat_id, t("train.error.table_changed", lang))
        return
    for part in split_message(summary_text(table, settings, outcome.evaluation, lang)):
        await _send(application, view.chat_id, part)
    if outcome.history_dict.get("loss"):
        picture = outcome.plot_png or await asyncio.to_thread(
            render.loss_plot, outcome.history_dict, lang
        )
        await _send_photo(application, view.chat_id, picture, t("train.plot.caption", lang))


def _failure_text(result: JobResult, svc: Services, lang: str) -> str:
    if result.reason == "cancelled":
        return t("train.cancelled_queued", lang)
    if result.reason == "timeout":
        return t("train.error.killed", lang, limit=f"{svc.config.limits.job_seconds:g}")
    if result.reason == "crashed":
        return t("train.error.crashed", lang)
    return t("train.error.failed", lang)


async def stop_command(update: Update, context: BotContext) -> None:
    """Stops this chat's training (the network learned so far is kept)."""
    svc = context.services
    state = svc.store.load(update.effective_chat.id)
    lang = chat_lang(update, state)
    stopped = svc.jobs is not None and svc.jobs.cancel(update.effective_chat.id)
    await _reply(update, t("train.stop.requested" if stopped else "train.stop.none", lang))


async def training_button(update: Update, context: BotContext) -> None:
    """The Stop button under the progress message, and the Train button under /settings."""
    query = update.callback_query
    if query.data.startswith(f"{CALLBACK_PREFIX}s:"):
        await settings_button(update, context)
        return
    svc = context.services
    state = svc.store.load(update.effective_chat.id)
    lang = chat_lang(update, state)
    if query.data == "train:go":
        await query.answer()
        await start_training(update, context)
        return
    stopped = svc.jobs is not None and svc.jobs.cancel(update.effective_chat.id)
    await query.answer(t("train.stop.requested" if stopped else "train.stop.none", lang))


# --- pictures and files ------------------------------------------------------------------------


async def plot_command(update: Update, context: BotContext) -> None:
    """Sends the loss curve of the last training again."""
    state = context.services.store.load(update.effective_chat.id)
    lang = chat_lang(update, state)
    if not state.history or not state.history.get("loss"):
        await _reply(update, t("train.error.no_model", lang))
        return
    picture = await asyncio.to_thread(render.loss_plot, state.history, lang)
    await update.effective_message.reply_photo(picture, caption=t("train.plot.caption", lang))


async def net_command(update: Update, context: BotContext) -> None:
    """Draws the trained network: neurons, weights as coloured lines, biases."""
    state = context.services.store.load(update.effective_chat.id)
    lang = chat_lang(update, state)
    if not state.model or not state.table:
        await _reply(update, t("train.error.no_model", lang))
        return
    table = state.table
    outputs = table["classes"] if table["task"] == "multiclass" else table["targets"]

    def draw() -> bytes:
        model = training.load_model(state.model)
        return render.network_picture(model.to_dict(), lang, table["inputs"], outputs)

    picture = await asyncio.to_thread(draw)
    await update.effective_message.reply_photo(picture, caption=t("train.net.caption", lang))


async def boundary_command(update: Update, context: BotContext) -> None:
    """Draws the decision regions for a 2-input table, or says why it cannot."""
    state = context.services.store.load(update.effective_chat.id)
    lang = chat_lang(update, state)
    if not state.table:
        await _reply(update, t("train.error.no_table", lang))
        return
    problem = render.boundary_problem(state.table)
    if problem is not None:
        await _reply(update, t(problem.key, lang, **problem.values))
        return
    if not state.model:
        await _reply(update, t("train.error.no_model", lang))
        return
    picture = await asyncio.to_thread(
        render.boundary_picture, state.model, state.table, state.settings, lang
    )
    caption = t("train.boundary.caption", lang)
    await update.effective_message.reply_photo(picture, caption=caption)


async def weights_command(update: Update, context: BotContext) -> None:
    """Sends the trained network as an nncore .npz file (and as JSON when it is small)."""
    state = context.services.store.load(update.effective_chat.id)
    lang = chat_lang(update, state)
    if not state.model or not state.table:
        await _reply(update, t("train.error.no_model", lang))
        return
    name = "nnbot-network.npz"
    await update.effective_message.reply_document(
        InputFile(state.model, filename=name),
        caption=t("train.weights.caption", lang, name=name),
        parse_mode=ParseMode.HTML,
    )
    readable = await asyncio.to_thread(_readable_json, state)
    if readable is not None:
        await update.effective_message.reply_document(
            InputFile(readable, filename="nnbot-network.json"),
            caption=t("train.weights.json_caption", lang),
        )


def _readable_json(state: ChatState) -> bytes | None:
    model = training.load_model(state.model)
    if model.param_count() > JSON_PARAMETER_LIMIT:
        return None
    table = state.table
    document = {
        "inputs": table["inputs"],
        "outputs": table["classes"] if table["task"] == "multiclass" else table["targets"],
        "task": table["task"],
        "input_scaling": (state.settings or {}).get("encoding"),
        "network": model.to_dict(),
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


# --- sending -----------------------------------------------------------------------------------


async def _reply(update: Update, text: str) -> None:
    await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML)


FLOOD_RETRIES = 3  # how often a result message waits out Telegram's "retry after"


async def _deliver(call, what: str, chat_id: int) -> None:
    """Send a training result; wait out flood control instead of losing the message."""
    for attempt in range(FLOOD_RETRIES + 1):
        try:
            await call()
            return
        except RetryAfter as error:
            if attempt == FLOOD_RETRIES:
                logger.warning("could not send the %s to chat %s: %s", what, chat_id, error)
                return
            await asyncio.sleep(retry_seconds(error))
        except TelegramError as error:
            logger.warning("could not send the %s to chat %s: %s", what, chat_id, error)
            return


async def _send(application: Application, chat_id: int, text: str) -> None:
    await _deliver(
        lambda: application.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML),
        "training result",
        chat_id,
    )


async def _send_photo(application: Application, chat_id: int, picture: bytes, caption: str):
    await _deliver(
        lambda: application.bot.send_photo(chat_id, picture, caption=caption),
        "loss plot",
        chat_id,
    )


def register(application: Application) -> None:
    application.add_handler(CommandHandler("settings", settings_command))
    application.add_handler(CommandHandler("train", train_command))
    application.add_handler(CommandHandler("stop", stop_command))
    application.add_handler(CommandHandler("plot", plot_command))
    application.add_handler(CommandHandler("net", net_command))
    application.add_handler(CommandHandler("boundary", boundary_command))
    application.add_handler(CommandHandler("weights", weights_command))
    application.add_handler(CallbackQueryHandler(training_button, pattern=r"^train:"))
