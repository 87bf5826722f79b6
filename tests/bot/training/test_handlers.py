"""The training commands in-process: a fake Bot API, the real store and a real job runner."""

from __future__ import annotations

import asyncio
import time
import warnings

import pytest
from telegram import Update

import bot.features as handlers
from bot.app import build_application
from bot.config import Config
from bot.i18n import t
from bot.jobs import JobRunner
from bot.services import Services
from bot.store import Store
from bot.training import handlers as training_feature
from bot.training.handlers import train as training_handlers
from bot.training.job import run_job
from tests.support.fakebot import TOKEN, FakeBotApi, button, message
from tests.support.tables import PRICES, XOR

pytestmark = pytest.mark.timeout(90)


class Chat:
    """One user talking to the bot; `wait_for` polls the recorded API calls."""

    def __init__(self, app, api: FakeBotApi, store: Store, jobs: JobRunner) -> None:
        self.app, self.api, self.store, self.jobs = app, api, store, jobs

    async def send(self, update: Update) -> None:
        await self.app.process_update(Update.de_json(update.to_dict(), self.app.bot))

    def texts(self) -> list[str]:
        return self.api.texts()

    def give_table(self, table: dict, chat_id: int = 1, settings: dict | None = None) -> None:
        state = self.store.load(chat_id)
        state.table = table
        state.settings = settings or {}
        self.store.save(state)

    async def wait_for(self, check, timeout: float = 30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = check()
            if result:
                return result
            await asyncio.sleep(0.05)
        raise AssertionError("timed out waiting; calls: " + repr([c[0] for c in self.api.calls]))


@pytest.fixture
async def chat(tmp_path):
    config = Config.from_env(
        {"TELEGRAM_BOT_TOKEN": TOKEN, "DATA_DIR": str(tmp_path), "MAX_EPOCHS": "200000"}
    )
    store, api = Store(config.database_path), FakeBotApi()
    jobs = JobRunner(run_job, workers=1, queue_size=2, job_seconds=30)
    app = build_application(config, Services(config, store, jobs), request=api)
    if training_feature not in handlers.MODULES:
        training_feature.register(app)
    await app.initialize()
    await jobs.start()
    yield Chat(app, api, store, jobs)
    await jobs.stop(timeout=3)
    await app.shutdown()
    store.close()


def photos(api: FakeBotApi) -> list[dict]:
    return api.sent("sendPhoto")


async def test_train_without_a_table_says_what_to_do(chat):
    await chat.send(message("/train"))
    assert chat.texts() == [t("train.error.no_table", "en")]


async def test_settings_show_and_change_with_text_and_buttons(chat):
    await chat.send(message("/settings"))
    shown = chat.api.sent()[-1]
    assert "Training settings" in shown["text"] and "reply_markup" in shown
    await chat.send(message("/settings lr=0.5 hidden=8,4"))
    stored = chat.store.load(1).settings
    assert stored["lr"] == 0.5 and stored["hidden"] == [8, 4]
    await chat.send(button("train:s:lr:double"))
    assert chat.store.load(1).settings["lr"] == 1.0
    await chat.send(button("train:s:hidden:next", lang="ru"))
    assert chat.store.load(1).settings["hidden"] != [8, 4]
    assert chat.api.sent("editMessageText")


async def test_bad_settings_get_the_allowed_range_and_limits(chat):
    await chat.send(message("/settings lr=abc", lang="ru"))
    assert chat.texts()[-1] == t("settings.error.range", "ru", name="lr", value="abc",
                                 low="0.000001", high="10")  # fmt: skip
    await chat.send(message("/settings epochs=-3"))
    assert "from 1 to 1000000000" in chat.texts()[-1]
    await chat.send(message("/settings epochs=300000"))
    assert "200000" in chat.texts()[-1]
    assert chat.store.load(1).settings == {}


async def test_training_reports_progress_then_summary_and_plot(chat):
    chat.give_table(XOR)
    await chat.send(message("/train"))
    first = chat.api.sent()[-1]
    assert first["text"] == t("train.starting", "en", shape="2-4-1", rows=4)
    assert "train:stop" in str(first["reply_markup"])
    await chat.wait_for(lambda: photos(chat.api))
    texts = chat.texts()
    assert any(text.startswith("✅ <b>Trained</b> 2-4-1: 1000 epochs") for text in texts)
    summary = next(text for text in texts if "Final loss" in text)
    assert "Correct answers on the table: <b>100%</b>" in summary and "❌" not in summary
    state = chat.store.load(1)
    assert state.model and state.history["loss"] and state.training is None
    assert state.encoding is not None and "encoding" not in state.settings


async def test_stop_keeps_the_network_and_progress_edits_are_throttled(chat):
    chat.give_table(
        XOR, settings={"epochs": 150_000, "batch_size": 1, "custom": ["epochs", "batch_size"]}
    )
    await chat.send(message("/stop"))
    assert chat.texts()[-1] == t("train.stop.none", "en")
    started = time.monotonic()
    await chat.send(message("/train"))
    assert chat.store.load(1).training is not None
    await chat.wait_for(lambda: len(chat.api.sent("editMessageText")) >= 2, timeout=40)
    await chat.send(message("/train"))
    assert chat.texts()[-1] == t("train.error.busy", "en")
    await chat.send(button("train:stop"))
    assert chat.api.sent("answerCallbackQuery")[-1]["text"] == t("train.stop.requested", "en")
    await chat.wait_for(lambda: photos(chat.api))
    assert any("<b>Stopped</b> after" in text for text in chat.texts())
    assert chat.store.load(1).model is not None
    edits = chat.api.sent("editMessageText")
    elapsed = time.monotonic() - started
    assert len(edits) <= elapsed / training_handlers.EDIT_INTERVAL + 2  # ≤ about one per second
    assert "epoch" in edits[0]["text"] and "░" in edits[0]["text"]


async def test_progress_edits_survive_telegram_errors(chat):
    chat.api.fail["editMessageText"] = (400, "Bad Request: message is not modified")
    chat.give_table(
        XOR, settings={"epochs": 4_000, "batch_size": 1, "custom": ["epochs", "batch_size"]}
    )
    await chat.send(message("/train"))
    await chat.wait_for(lambda: photos(chat.api))
    assert any("Final loss" in text for text in chat.texts())


async def test_follow_up_commands_before_and_after_training(chat):
    for command in ("/plot", "/net", "/weights"):
        await chat.send(message(command))
        assert chat.texts()[-1] == t("train.error.no_model", "en")
    await chat.send(message("/boundary"))
    assert chat.texts()[-1] == t("train.error.no_table", "en")
    chat.give_table(XOR)
    await chat.send(message("/train"))
    await chat.wait_for(lambda: photos(chat.api))
    for command in ("/plot", "/net", "/boundary"):
        await chat.send(message(command))
    assert len(photos(chat.api)) == 4
    await chat.send(message("/weights"))
    documents = chat.api.sent("sendDocument")
    assert len(documents) == 2


async def test_boundary_explains_why_not_for_one_input(chat):
    chat.give_table(PRICES)
    await chat.send(message("/boundary", lang="ru"))
    assert chat.texts()[-1] == t("train.boundary.not_two", "ru", count=1)


async def test_too_big_network_for_the_table_is_refused_before_training(chat):
    chat.give_table(XOR, settings={"hidden": [256, 256, 256], "custom": ["hidden"]})
    await chat.send(message("/train"))
    assert "100000" in chat.texts()[-1] or "100 000" in chat.texts()[-1]
    assert not chat.jobs.is_active(1)


async def test_reset_during_training_keeps_nothing(chat):
    long_run = {"epochs": 150_000, "batch_size": 1, "custom": ["epochs", "batch_size"]}
    chat.give_table(XOR, settings=long_run)
    await chat.send(message("/train"))
    await chat.wait_for(lambda: chat.api.sent("editMessageText"))
    chat.jobs.cancel(1)  # what /reset does, then it deletes the chat
    chat.store.delete(1)
    forgotten = t("train.end.forgotten", "en")
    await chat.wait_for(lambda: forgotten in chat.texts())
    await chat.wait_for(lambda: not chat.jobs.is_active(1))
    assert not chat.store.exists(1) and not photos(chat.api)


async def test_single_neuron_on_xor_gets_the_separability_note_and_a_fitting_example(chat):
    chat.give_table(XOR, settings={"hidden": [], "epochs": 300, "custom": ["hidden", "epochs"]})
    await chat.send(message("/train"))
    await chat.wait_for(lambda: photos(chat.api))
    summary = next(text for text in chat.texts() if "Final loss" in text)
    assert "75%" in summary.split("Correct answers")[1]
    assert "/predict 0 0 ·" in summary


class StubBot:
    """edit_message_text that answers with the given errors first, then succeeds."""

    def __init__(self, *errors):
        self.errors = list(errors)
        self.edits = []

    async def edit_message_text(self, text, **kwargs):
        if self.errors:
            raise self.errors.pop(0)
        self.edits.append(text)


async def test_progress_view_waits_after_retry_after_and_still_shows_the_end():
    from datetime import timedelta

    from telegram.error import RetryAfter

    bot = StubBot(RetryAfter(timedelta(seconds=1)))
    view = training_handlers.ProgressView(bot, 1, "en", "2-4-1", message_id=5)
    data = {"epoch": 10, "epochs": 100, "fraction": 0.1, "loss": 0.5, "seconds": 1.0}
    await view.on_progress(data)
    assert bot.edits == [] and view.blocked_until > time.monotonic() + 0.5
    assert view.on_progress(data) is None  # Telegram asked us to wait: no edit now
    started = time.monotonic()
    await view.edit("done", None, final=True)
    assert bot.edits == ["done"] and time.monotonic() - started >= 0.5


def test_retry_after_is_read_in_seconds_without_deprecation_warnings():
    from datetime import timedelta

    from telegram.error import RetryAfter

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # bot/__init__ opts in to PTB's timedelta periods
        assert training_handlers.retry_seconds(RetryAfter(3)) == 3.0
        assert training_handlers.retry_seconds(RetryAfter(timedelta(seconds=1.5))) == 1.5


async def test_a_waiting_training_shows_its_new_place_in_line():
    bot = StubBot()
    view = training_handlers.ProgressView(bot, 1, "ru", "2-4-1", message_id=5)
    await view.on_progress({"queued": 1})
    assert bot.edits == [t("train.queued", "ru", position=1)]
