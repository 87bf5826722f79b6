"""The common handlers in-process: access control, rate limit, /help, /lang, /reset, /stats."""

from __future__ import annotations

import logging

import pytest
from telegram import Update
from telegram.ext import CommandHandler

from bot.app import build_application
from bot.common.views import command_text
from bot.config import Config
from bot.context import chat_lang
from bot.i18n import t
from bot.services import Services
from bot.store import ChatState, Store
from bot.text import duration
from tests.support.fakebot import TOKEN, FakeBotApi, FakeJobs, button, message


class Bot:
    """An initialised application with a fake Bot API, its store and its job runner."""

    def __init__(self, app, api: FakeBotApi, store: Store, jobs: FakeJobs) -> None:
        self.app, self.api, self.store, self.jobs = app, api, store, jobs

    async def send(self, update: Update) -> None:
        await self.app.process_update(Update.de_json(update.to_dict(), self.app.bot))

    def replies(self) -> list[str]:
        return self.api.texts()


@pytest.fixture
async def make_bot(tmp_path):
    made: list[Bot] = []

    async def make(**env: str) -> Bot:
        config = Config.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "DATA_DIR": str(tmp_path), **env})
        store, jobs, api = Store(config.database_path), FakeJobs(), FakeBotApi()
        app = build_application(config, Services(config, store, jobs), request=api)
        await app.initialize()
        made.append(Bot(app, api, store, jobs))
        return made[-1]

    yield make
    for bot in made:
        await bot.app.shutdown()
        bot.store.close()


# --- access control ----------------------------------------------------------------------


async def test_a_stranger_gets_a_polite_refusal_with_their_id_and_nothing_is_stored(make_bot):
    bot = await make_bot(ALLOWED_USERS="1", ADMIN_IDS="9")
    await bot.send(message("/start", user_id=2, lang="ru"))
    await bot.send(message("/lang ru", user_id=2, lang="ru"))
    await bot.send(message("0 1 1", user_id=2, lang="ru"))
    assert bot.replies() == [t("app.not_allowed", "ru", user_id=2)]
    assert bot.store.chat_ids() == []
    assert not bot.store.exists(2)


async def test_a_strangers_button_press_gets_an_alert_and_changes_nothing(make_bot):
    bot = await make_bot(ALLOWED_USERS="1")
    await bot.send(button("app:lang:ru", user_id=3))
    answers = bot.api.sent("answerCallbackQuery")
    assert len(answers) == 1 and answers[0]["show_alert"] is True
    assert "3" in answers[0]["text"]
    assert bot.store.chat_ids() == []


async def test_allowed_users_and_admins_get_in(make_bot):
    bot = await make_bot(ALLOWED_USERS="1", ADMIN_IDS="9")
    await bot.send(message("/help", user_id=1))
    await bot.send(message("/help", user_id=9))
    replies = bot.replies()
    assert len(replies) == 2
    assert all(t("app.help.commands", "en") in text for text in replies)


async def test_without_allowed_users_everyone_gets_in(make_bot):
    bot = await make_bot()
    await bot.send(message("/help", user_id=12345))
    assert t("app.help.commands", "en") in bot.replies()[0]


# --- /stats --------------------------------------------------------------------------------


async def test_stats_refuses_non_admins_politely(make_bot):
    bot = await make_bot(ADMIN_IDS="9")
    await bot.send(message("/stats", user_id=1, lang="ru"))
    assert bot.replies() == [t("app.stats.refused", "ru")]


async def test_stats_shows_chats_jobs_uptime_and_memory_to_admins(make_bot):
    bot = await make_bot(ADMIN_IDS="9", WORKERS="2", QUEUE_SIZE="5")
    bot.store.save(ChatState(chat_id=100))
    bot.store.save(ChatState(chat_id=101))
    await bot.send(message("/stats", user_id=9))
    (text,) = bot.replies()
    assert "Chats: 2" in text
    assert "1 running (workers: 2), 2 waiting (queue: 5)" in text
    assert "7 finished, 1 failed" in text
    assert "Uptime:" in text and "MB (peak" in text and "training workers" in text


def test_uptime_reads_naturally_in_both_languages():
    assert duration(65, "en") == "1 min 5 s"
    assert duration(0.34, "en") == "0.3 s" and duration(0.034, "ru") == "0.03 с"
    assert duration(0.97, "en") == "1 s"
    assert duration(2 * 3600 + 180, "ru") == "2 ч 3 мин"
    assert duration(3 * 86400 + 3600 + 60, "en") == "3 d 1 h 1 min"


# --- rate limit ----------------------------------------------------------------------------


async def test_a_flooding_chat_is_told_once_and_then_ignored(make_bot):
    bot = await make_bot(RATE_PER_MINUTE="3")
    for _ in range(8):
        await bot.send(message("/help", user_id=5))
    replies = bot.replies()
    assert len(replies) == 4
    assert replies[3] == t("app.rate_limited", "en", limit=3, seconds=60)
    await bot.send(message("/help", user_id=6))  # another chat is not affected
    assert len(bot.replies()) == 5


def test_rate_limit_zero_means_off():
    config = Config.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "RATE_PER_MINUTE": "0"})
    assert config.limits.rate_per_minute == 0


async def test_rate_limit_off_lets_everything_through(make_bot):
    bot = await make_bot(RATE_PER_MINUTE="0")
    for _ in range(40):
        await bot.send(message("/lang", user_id=5))
    assert len(bot.replies()) == 40


# --- /start, /help ---------------------------------------------------------------------------


async def test_start_greets_by_name_and_escapes_it(make_bot):
    bot = await make_bot()
    update = message("/start", user_id=7)
    update.message.from_user._unfreeze()
    update.message.from_user.first_name = "<Ada>"
    await bot.send(update)
    text = bot.replies()[0]
    assert text.startswith(t("app.start.greeting", "en", name="&lt;Ada&gt;"))
    assert t("app.help.quickstart", "en") in text


async def test_help_speaks_the_users_language_and_lists_commands_with_examples(make_bot):
    bot = await make_bot()
    await bot.send(message("/help", user_id=8, lang="ru"))
    text = bot.replies()[0]
    assert t("app.help.quickstart", "ru") in text
    assert f"/lang — {t('cmd.lang', 'ru')}" in text
    assert t("app.example.lang", "ru") in text
    assert "/stats" not in text


async def test_help_shows_stats_to_admins_only(make_bot):
    bot = await make_bot(ADMIN_IDS="9")
    await bot.send(message("/help", user_id=9))
    assert "/stats" in bot.replies()[0]


# --- /lang ---------------------------------------------------------------------------------


async def test_lang_offers_buttons_and_a_press_switches_and_is_remembered(make_bot):
    bot = await make_bot()
    await bot.send(message("/lang", user_id=4))
    (sent,) = bot.api.sent()
    buttons = [b["callback_data"] for b in sent["reply_markup"]["inline_keyboard"][0]]
    assert buttons == ["app:lang:en", "app:lang:ru"]
    await bot.send(button("app:lang:ru", user_id=4))
    assert bot.api.sent("editMessageText")[-1]["text"] == t("app.lang.set", "ru")
    assert bot.store.load(4).lang == "ru"
    await bot.send(message("/help", user_id=4, lang="en"))
    assert t("app.help.quickstart", "ru") in bot.replies()[-1]


async def test_lang_with_an_argument_switches_directly(make_bot):
    bot = await make_bot()
    await bot.send(message("/lang ru", user_id=4))
    assert bot.replies() == [t("app.lang.set", "ru")]
    assert bot.store.load(4).lang == "ru"


def test_chat_lang_prefers_the_chosen_language_then_telegrams():
    update = message("hi", lang="uk")
    assert chat_lang(update, None) == "ru"
    assert chat_lang(update, ChatState(chat_id=1, lang="en")) == "en"
    assert chat_lang(message("hi", lang=None), ChatState(chat_id=1)) == "en"


# --- /reset --------------------------------------------------------------------------------


def _with_lesson(store: Store, chat_id: int) -> None:
    store.save(
        ChatState(chat_id=chat_id, lang="ru", table={"columns": ["x", "y"]}, settings={"lr": 0.5})
    )
    store.add_correction(chat_id, b"png", 7)


async def test_reset_asks_first_and_deletes_nothing_until_confirmed(make_bot):
    bot = await make_bot()
    _with_lesson(bot.store, 11)
    await bot.send(message("/reset", user_id=11))
    (sent,) = bot.api.sent()
    assert sent["text"] == t("app.reset.confirm", "ru")
    row = sent["reply_markup"]["inline_keyboard"][0]
    assert [b["callback_data"] for b in row] == ["app:reset:yes", "app:reset:no"]
    assert bot.store.load(11).table is not None
    await bot.send(button("app:reset:no", user_id=11))
    assert bot.replies()[-1] == t("app.reset.kept", "ru")
    assert bot.store.load(11).table is not None
    assert bot.jobs.cancelled == []


async def test_reset_confirmed_forgets_everything_but_the_language_and_cancels_the_job(make_bot):
    bot = await make_bot()
    _with_lesson(bot.store, 11)
    await bot.send(button("app:reset:yes", user_id=11))
    state = bot.store.load(11)
    assert (state.table, state.settings, state.model, state.lang) == (None, {}, None, "ru")
    assert bot.store.corrections(11) == []
    assert bot.jobs.cancelled == [11]
    assert bot.replies()[-1] == t("app.reset.done_cancelled", "ru")


async def test_an_old_reset_button_deletes_nothing(make_bot):
    bot = await make_bot()
    _with_lesson(bot.store, 11)
    await bot.send(button("app:reset:yes", user_id=11, age=3600))
    assert bot.store.load(11).table is not None
    assert bot.jobs.cancelled == []
    assert bot.replies()[-1] == t("app.reset.expired", "ru")


async def test_reset_of_one_chat_leaves_other_chats_alone(make_bot):
    bot = await make_bot()
    _with_lesson(bot.store, 11)
    _with_lesson(bot.store, 12)
    await bot.send(button("app:reset:yes", user_id=11))
    assert bot.store.load(12).table == {"columns": ["x", "y"]}
    assert bot.store.corrections(12) == [(7, b"png")]


# --- errors --------------------------------------------------------------------------------


async def test_a_crashing_handler_gets_an_apology_in_the_users_language(make_bot, caplog):
    bot = await make_bot()

    async def broken(update, context):
        raise RuntimeError(f"boom near {TOKEN}")

    bot.app.add_handler(CommandHandler("boom", broken))
    with caplog.at_level(logging.ERROR):
        await bot.send(message("/boom", user_id=13, lang="ru"))
    assert bot.replies() == [t("error.internal", "ru")]
    assert "RuntimeError" in caplog.text and "boom near" in caplog.text
    assert TOKEN not in caplog.text


async def test_the_apology_failing_too_is_only_logged(make_bot, caplog):
    bot = await make_bot()
    bot.api.fail["sendMessage"] = (400, "Bad Request: chat not found")

    async def broken(update, context):
        raise ValueError("broken")

    bot.app.add_handler(CommandHandler("boom", broken))
    with caplog.at_level(logging.WARNING):
        await bot.send(message("/boom", user_id=14))
    assert "could not send the apology" in caplog.text


# --- unknown commands ----------------------------------------------------------------------


async def test_an_unknown_command_gets_a_pointer_to_help(make_bot):
    bot = await make_bot()
    await bot.send(message("/trian now", user_id=15, lang="ru"))
    await bot.send(message("/<b>x", user_id=15, lang="en"))
    assert bot.replies() == [
        t("app.unknown_command", "ru", command="trian"),
        t("app.unknown_command", "en", command="&lt;b&gt;x"),
    ]


async def test_known_commands_and_other_bots_commands_get_no_unknown_reply(make_bot):
    bot = await make_bot(ADMIN_IDS="9")
    await bot.send(message("/help", user_id=9))
    await bot.send(message("/stats", user_id=9))
    await bot.send(message("/start@some_other_bot", user_id=9))
    await bot.send(message("/foo@nnbot_test_bot", user_id=9))
    replies = bot.replies()
    assert len(replies) == 3
    assert replies[2] == t("app.unknown_command", "en", command="foo")


async def test_help_lists_every_registered_feature_command(make_bot):
    bot = await make_bot()
    await bot.send(message("/help", user_id=16))
    text = "\n".join(bot.replies())
    for name in bot.app.bot_data["commands"]:
        if name not in ("start", "help"):
            assert f"/{name} — " in text
    for name in ("table", "examples", "train", "predict", "explain", "digit", "reset"):
        assert name in bot.app.bot_data["commands"]


@pytest.mark.parametrize("lang", ["en", "ru"])
async def test_help_lists_every_command_in_lesson_order_in_both_languages(make_bot, lang):
    bot = await make_bot()
    await bot.send(message("/help", user_id=19, lang=lang))
    text = "\n".join(bot.replies())
    menu = [name for name in bot.app.bot_data["commands"] if name not in ("start", "help")]
    assert all(t(f"cmd.{name}", lang) for name in menu)  # each has its own description
    places = [text.index(f"/{name} — {command_text(name, lang)}") for name in menu]
    assert places == sorted(places)  # /help reads in the menu's order

    def before(first: str, then: str) -> bool:
        return menu.index(first) < menu.index(then)

    assert menu[0] == "lesson" and menu[-3:] == ["share", "lang", "reset"]
    assert before("train", "compare") and before("compare", "predict")
    assert menu.index("quiz") == menu.index("explain") + 1
    pictures = max(menu.index(name) for name in ("plot", "net", "boundary", "weights"))
    assert all(pictures < menu.index(n) for n in ("confusion", "activations", "neurons"))


async def test_double_tapping_a_button_is_harmless(make_bot, caplog):
    bot = await make_bot()
    _with_lesson(bot.store, 17)
    await bot.send(button("app:reset:yes", user_id=17))
    bot.api.fail["editMessageText"] = (400, "Bad Request: message is not modified")
    with caplog.at_level(logging.WARNING):
        await bot.send(button("app:reset:yes", user_id=17))
        await bot.send(button("app:lang:en", user_id=17))
    assert t("error.internal", "ru") not in bot.replies()
    assert t("error.internal", "en") not in bot.replies()
    assert "Error while handling" not in caplog.text


async def test_flood_control_is_logged_without_an_apology(make_bot, caplog):
    bot = await make_bot()
    bot.api.fail["sendMessage"] = (429, "Too Many Requests: retry after 3")
    with caplog.at_level(logging.WARNING):
        await bot.send(message("/help", user_id=18))
    assert [name for name, _ in bot.api.calls].count("sendMessage") == 1  # no apology attempt
    assert "slow down" in caplog.text and "Traceback" not in caplog.text
