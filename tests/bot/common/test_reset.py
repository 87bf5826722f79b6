"""/reset in the store: the lesson goes, the language stays, a running training is cancelled."""

from bot.common.reset import RESET_CONFIRM_SECONDS, expired, forget_chat
from bot.config import Config
from bot.services import Services
from bot.store import ChatState, Store
from tests.support.fakebot import TOKEN, FakeJobs


def test_a_confirmation_expires_after_ten_minutes():
    assert RESET_CONFIRM_SECONDS == 600
    assert not expired(1000.0, 1000.0 + 600)
    assert expired(1000.0, 1000.0 + 601)


def test_forgetting_keeps_only_the_language(tmp_path):
    config = Config.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "DATA_DIR": str(tmp_path)})
    store = Store(config.database_path)
    try:
        jobs = FakeJobs()
        services = Services(config, store, jobs)
        state = ChatState(chat_id=5, lang="ru", table={"columns": ["x", "y"]})
        store.save(state)
        store.add_correction(5, b"png", 3)
        assert forget_chat(services, state) is True  # FakeJobs always had one to cancel
        assert jobs.cancelled == [5]
        assert store.load(5) == ChatState(chat_id=5, lang="ru")
        assert store.corrections(5) == []
        store.save(ChatState(chat_id=6, table={"columns": ["x", "y"]}))
        assert forget_chat(Services(config, store), store.load(6)) is False  # no job runner
        assert not store.exists(6)
    finally:
        store.close()
