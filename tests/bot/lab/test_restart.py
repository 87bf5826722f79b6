"""A lab training a restart cut short is told on the next start in the lab's own words (what to
send again), once, and the mark is cleared so the chat can train again."""

from __future__ import annotations

import pytest

from bot.app import build_application, running
from bot.config import Config
from bot.i18n import t
from bot.services import Services
from bot.store import ChatState, Store
from tests.support.fakebot import TOKEN, FakeBotApi, FakeJobs


@pytest.fixture
def lifecycle(tmp_path):
    config = Config.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "DATA_DIR": str(tmp_path)})
    store, api = Store(config.database_path), FakeBotApi()
    application = build_application(config, Services(config, store, FakeJobs()), request=api)
    return application, store, api


async def test_lab_and_personal_trainings_cut_short_are_told_with_their_own_command(lifecycle):
    application, store, api = lifecycle
    lab = {"started": 1.0, "lang": "ru", "texts": "lab"}
    store.save(ChatState(chat_id=41, training=lab, extra={"lab": {"running": "lab"}}))
    store.save(ChatState(chat_id=42, training={"started": 1.0, "texts": "lab.personal"}))
    async with running(application):
        told = {m["chat_id"]: m["text"] for m in api.sent("sendMessage")}
        assert told == {
            41: t("lab.training_interrupted", "ru"),
            42: t("lab.personal.training_interrupted", "en"),
        }
        assert "/lab train" in told[41] and "/lab personal" in told[42]
        assert store.interrupted_trainings() == []


async def test_a_lab_training_stopped_by_shutdown_is_told_so(lifecycle):
    application, store, api = lifecycle
    async with running(application):
        store.save(ChatState(chat_id=43, training={"lang": "en", "texts": "lab"}))
    assert api.texts()[-1] == t("lab.training_stopped_shutdown", "en")
