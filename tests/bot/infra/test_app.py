"""Wiring and lifecycle: `nnbot run` without a token, start and stop hooks, polling, heartbeat."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import socket
import sys
import threading

import aiohttp
import pytest
from telegram import Update

from bot import app as app_module
from bot.app import PerChatUpdateProcessor, build_application, main, running, webhook_options
from bot.common.ratelimit import MAX_WAITING
from bot.config import Config
from bot.i18n import t
from bot.logs import setup_logging
from bot.services import Services
from bot.store import ChatState, Store
from tests.support.fakebot import TOKEN, FakeBotApi, FakeJobs, message

CONFIG_VARIABLES = ("TELEGRAM_BOT_TOKEN", "TELEGRAM_BOT_TOKEN_FILE", "LOG_LEVEL", "WEBHOOK_URL")


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for name in CONFIG_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    return monkeypatch


def test_run_without_a_token_explains_how_to_get_one(clean_env, capsys):
    assert main([]) == 2
    err = capsys.readouterr().err
    assert "TELEGRAM_BOT_TOKEN" in err
    assert "@BotFather" in err and "/newbot" in err
    assert "nnbot chat" in err


def test_run_with_a_wrong_setting_names_it_in_one_line(clean_env, capsys):
    clean_env.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    clean_env.setenv("LOG_LEVEL", "LOUD")
    assert main([]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("nnbot run: LOG_LEVEL:") and "\n" not in err
    assert TOKEN not in err


def test_run_help_exits_cleanly(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    assert "environment" in capsys.readouterr().out


def _config(tmp_path, **env: str) -> Config:
    return Config.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "DATA_DIR": str(tmp_path), **env})


def test_build_application_wires_services_and_a_local_api(tmp_path):
    config = _config(tmp_path, TELEGRAM_API_BASE_URL="http://127.0.0.1:9999")
    application = build_application(config)
    try:
        services = application.bot_data["services"]
        assert services.config is config
        assert application.bot.base_url == f"http://127.0.0.1:9999/bot{TOKEN}"
        assert application.bot_data["commands"][:2] == ["start", "help"]
        assert application.bot_data["commands"][-2:] == ["lang", "reset"]
        assert -1 in application.handlers  # the gate runs before every feature
    finally:
        application.bot_data["services"].store.close()


@pytest.fixture
def lifecycle(tmp_path):
    config = _config(tmp_path)
    store, jobs, api = Store(config.database_path), FakeJobs(), FakeBotApi()
    application = build_application(config, Services(config, store, jobs), request=api)
    return config, application, store, jobs, api


async def test_start_publishes_menus_reports_interrupted_trainings_and_beats(lifecycle):
    config, application, store, jobs, api = lifecycle
    store.save(ChatState(chat_id=21, lang="ru", training={"started": 1.0}))
    store.save(ChatState(chat_id=22, table={"x": 1}))
    async with running(application):
        assert jobs.started
        menus = api.sent("setMyCommands")
        assert [m.get("language_code") for m in menus] == [None, "ru"]
        ru_menu = {c["command"]: c["description"] for c in menus[1]["commands"]}
        assert ru_menu["reset"] == t("cmd.reset", "ru")
        assert api.sent() == [
            {"chat_id": 21, "text": t("app.training_interrupted", "ru"), "parse_mode": "HTML"}
        ]
        assert store.interrupted_trainings() == []
        assert store.load(21).lang == "ru"  # only the marker is cleared
        descriptions = api.sent("setMyDescription")
        assert [d.get("language_code") for d in descriptions] == [None, "ru"]
        assert descriptions[1]["description"] == t("app.description", "ru")
        assert len(api.sent("setMyShortDescription")) == 2
        assert config.heartbeat_path.exists()


async def test_stop_cancels_trainings_tells_their_chats_and_closes_the_store(lifecycle):
    _config, application, store, jobs, api = lifecycle
    async with running(application):
        store.save(ChatState(chat_id=31, training={"started": 2.0}))
    assert jobs.stopped
    assert api.texts()[-1] == t("app.training_stopped_shutdown", "en")
    reopened = Store(store.path)
    assert reopened.interrupted_trainings() == []
    reopened.close()


async def test_polling_answers_an_update(lifecycle):
    _config, application, _store, _jobs, api = lifecycle
    async with running(application):
        api.feed(message("/help", user_id=41))
        for _ in range(100):
            if api.sent():
                break
            await asyncio.sleep(0.02)
    (sent,) = api.sent()
    assert sent["chat_id"] == 41 and t("app.help.quickstart", "en") in sent["text"]


async def test_heartbeat_is_refreshed_while_the_api_answers(lifecycle, monkeypatch):
    config, application, _store, _jobs, api = lifecycle
    monkeypatch.setattr(app_module, "HEARTBEAT_SECONDS", 0.05)
    async with running(application):
        os.utime(config.heartbeat_path, (0, 0))
        await asyncio.sleep(0.3)
        assert config.heartbeat_path.stat().st_mtime > 0
        api.fail["getMe"] = (502, "Bad Gateway")
        await asyncio.sleep(0.1)
        os.utime(config.heartbeat_path, (0, 0))
        await asyncio.sleep(0.3)
        assert config.heartbeat_path.stat().st_mtime == 0


async def test_one_chat_in_order_different_chats_at_once():
    processor = PerChatUpdateProcessor()
    log: list[str] = []

    async def work(name: str, delay: float) -> None:
        log.append(f"{name}+")
        await asyncio.sleep(delay)
        log.append(f"{name}-")

    def update(chat_id: int) -> Update:
        return message("x", user_id=chat_id)

    await asyncio.gather(
        processor.do_process_update(update(1), work("a1", 0.05)),
        processor.do_process_update(update(1), work("a2", 0.0)),
        processor.do_process_update(update(2), work("b1", 0.0)),
    )
    assert log.index("a1-") < log.index("a2+")  # same chat: one after the other
    assert log.index("b1-") < log.index("a1-")  # another chat did not wait
    assert processor._locks == {}  # nothing kept for idle chats


async def test_a_chats_backlog_waits_outside_the_shared_slots():
    processor = PerChatUpdateProcessor(max_concurrent_updates=2)
    release = asyncio.Event()
    done: list[str] = []

    async def work(name: str) -> None:
        if name == "a0":
            await release.wait()
        done.append(name)

    backlog = [
        asyncio.create_task(processor.process_update(message("x", user_id=1), work(f"a{i}")))
        for i in range(10)
    ]
    await asyncio.sleep(0.01)
    await processor.process_update(message("x", user_id=2), work("b"))  # not held up
    assert done == ["b"]
    assert processor.current_concurrent_updates == 1  # chat 1 holds one slot, not two
    release.set()
    await asyncio.gather(*backlog)
    assert done == ["b"] + [f"a{i}" for i in range(10)]  # and its updates kept their order


async def test_a_chat_may_keep_only_so_many_updates_waiting():
    processor = PerChatUpdateProcessor()
    release = asyncio.Event()
    done: list[int] = []

    async def work(i: int) -> None:
        await release.wait()
        done.append(i)

    tasks = [
        asyncio.create_task(processor.process_update(message("x", user_id=3), work(i)))
        for i in range(MAX_WAITING + 5)
    ]
    await asyncio.sleep(0.01)
    release.set()
    await asyncio.gather(*tasks)
    assert done == list(range(MAX_WAITING))


async def test_the_screen_drops_an_update_before_it_waits_for_anything():
    processor = PerChatUpdateProcessor()
    seen: list[int] = []
    processor.screen = lambda update, waiting: seen.append(waiting) or False
    ran = []

    async def work() -> None:
        ran.append(1)

    await processor.process_update(message("x", user_id=4), work())
    assert ran == [] and seen == [0] and processor._locks == {}


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    saved = (list(root.handlers), root.level, sys.excepthook, threading.excepthook)
    yield
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    sys.excepthook, threading.excepthook = saved[2], saved[3]
    logging.captureWarnings(False)


def test_a_rejected_token_exits_1_with_advice_and_without_the_token(
    clean_env, tmp_path, monkeypatch, capsys, restore_logging
):
    clean_env.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    clean_env.setenv("LOG_LEVEL", "DEBUG")
    api = FakeBotApi()
    api.fail["getMe"] = (401, "Unauthorized")
    real_build = app_module.build_application
    monkeypatch.setattr(app_module, "build_application", lambda c: real_build(c, request=api))
    assert main([]) == 1
    err = capsys.readouterr().err
    assert "Telegram rejected the bot token" in err and "@BotFather" in err
    assert TOKEN not in err and TOKEN.split(":")[1] not in err


def test_webhook_mode_listens_on_the_url_path_with_a_secret(
    clean_env, monkeypatch, restore_logging
):
    clean_env.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    clean_env.setenv("WEBHOOK_URL", "https://bot.example.org/hooks/nnbot")
    clean_env.setenv("WEBHOOK_PORT", "8555")
    calls: dict = {}
    real_build = app_module.build_application

    def build(config):
        application = real_build(config, request=FakeBotApi())
        application.run_webhook = lambda **kwargs: calls.update(kwargs)
        application.run_polling = lambda **kwargs: pytest.fail("polling in webhook mode")
        return application

    monkeypatch.setattr(app_module, "build_application", build)
    assert main([]) == 0
    assert calls["listen"] == "0.0.0.0" and calls["port"] == 8555
    assert calls["url_path"] == "hooks/nnbot"
    assert calls["webhook_url"] == "https://bot.example.org/hooks/nnbot"
    assert len(calls["secret_token"]) >= 32  # random when WEBHOOK_SECRET is not set

    clean_env.setenv("WEBHOOK_SECRET", "my-secret_1")
    assert main([]) == 0
    assert calls["secret_token"] == "my-secret_1"


async def test_a_webhook_update_is_answered_only_with_the_secret(tmp_path):
    config = _config(
        tmp_path, WEBHOOK_URL="https://bot.example.org/hooks/nnbot", WEBHOOK_SECRET="s3cret"
    )
    api = FakeBotApi()
    application = build_application(
        config, Services(config, Store(config.database_path), FakeJobs()), request=api
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    options = {**webhook_options(config), "listen": "127.0.0.1", "port": port}
    update = message("/help", user_id=71).to_dict()
    url = f"http://127.0.0.1:{port}/hooks/nnbot"
    async with running(application, webhook=options), aiohttp.ClientSession() as http:
        (hook,) = api.sent("setWebhook")
        assert hook["url"] == config.webhook_url and hook["secret_token"] == "s3cret"
        async with http.post(url, json=update) as response:
            assert response.status == 403
        secret = {"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
        async with http.post(url, json=update, headers=secret) as response:
            assert response.status == 200
        for _ in range(100):
            if api.sent():
                break
            await asyncio.sleep(0.02)
    (sent,) = api.sent()
    assert sent["chat_id"] == 71 and t("app.help.quickstart", "en") in sent["text"]


async def test_a_random_webhook_secret_never_reaches_the_log_at_debug(tmp_path, restore_logging):
    config = _config(tmp_path, WEBHOOK_URL="https://bot.example.org/hooks/nnbot")
    api = FakeBotApi()
    application = build_application(
        config, Services(config, Store(config.database_path), FakeJobs()), request=api
    )
    stream = io.StringIO()
    setup_logging("DEBUG", secrets=[TOKEN], stream=stream)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    options = {**webhook_options(config), "listen": "127.0.0.1", "port": port}
    secret = options["secret_token"]
    async with running(application, webhook=options):
        logging.getLogger("nnbot").debug("options: %s", options)
    (hook,) = api.sent("setWebhook")
    assert hook["secret_token"] == secret  # the secret Telegram is told is the random one
    out = stream.getvalue()
    assert "setWebhook" in out  # DEBUG really logged the call
    assert secret not in out and "[REDACTED]" in out


async def test_message_contents_never_reach_the_log_at_info(lifecycle, restore_logging):
    _config, application, _store, _jobs, api = lifecycle
    stream = io.StringIO()
    setup_logging("INFO", secrets=[TOKEN], stream=stream)
    async with running(application):
        api.feed(message("0 1 private-row", user_id=51), message("/help private-words", user_id=51))
        for _ in range(100):
            if api.sent():
                break
            await asyncio.sleep(0.02)
    out = stream.getvalue()
    assert "nnbot started" in out
    assert "private-words" not in out and "private-row" not in out
    assert TOKEN not in out


async def test_stop_says_when_the_network_learned_so_far_was_kept(lifecycle):
    _config, application, store, _jobs, api = lifecycle
    async with running(application):
        store.save(ChatState(chat_id=32, training={"lang": "ru", "kept": True}))
    assert api.texts()[-1] == (
        t("app.training_stopped_shutdown", "ru") + "\n\n" + t("app.training_kept", "ru")
    )
