"""Who gets in, whose data is whose, and where the token never shows (issue 7).

The real bot runs against the local Bot API over HTTP with ALLOWED_USERS / ADMIN_IDS set as a
host would set them. Every log record of the process is captured at DEBUG level (httpx and
python-telegram-bot included) and searched for the token, also after provoked API errors.
"""

from __future__ import annotations

import dataclasses
import io
import logging
from pathlib import Path
from urllib.parse import quote

import pytest
from PIL import Image, ImageDraw

from tests.stress.harness import (
    apologies,
    bot_messages,
    fragment,
    local_bot,
    plain,
    read_db,
    small_config,
    texts,
)

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

ALLOWED, ADMIN, STRANGER, OTHER_STRANGER = 1001, 1009, 2002, 2003
TABLE = "/table\nx1 x2 y\n0 0 0\n0 1 1\n1 0 1\n1 1 0\n"


def digit_png() -> bytes:
    image = Image.new("L", (300, 300), 235)
    ImageDraw.Draw(image).line([(110, 60), (190, 60), (140, 250)], 20, 14)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def private_config(data_dir: Path, **fields: object):
    return dataclasses.replace(small_config(data_dir), **fields)


async def test_strangers_get_one_polite_refusal_and_nothing_of_theirs_is_stored(tmp_path):
    config = private_config(
        tmp_path / "data", allowed_users=frozenset({ALLOWED}), admin_ids=frozenset({ADMIN})
    )
    async with local_bot(config, quiet=0.2) as session:
        stranger = session.user(STRANGER, "Eve", language_code="ru")
        for text in ("/start", "/lang en", TABLE, "/train", "/settings lr=5", "0 1 1", "/reset"):
            await stranger.send(text)
        await stranger.send_document(TABLE.encode(), file_name="table.csv")
        await stranger.send_document(digit_png(), file_name="digit.png")
        await stranger.send_photo(digit_png())
        await session.wait_idle()
        refusal = plain("app.not_allowed", "ru", user_id=STRANGER)
        shown = texts(session.server, STRANGER)
        assert shown == [refusal], shown  # once, in their language, with their id
        # a button press (forged on the refusal message) gets an alert and changes nothing
        message = bot_messages(session.server, STRANGER)[0]
        query = session.server.receive_callback(
            stranger.user, STRANGER, message.message_id, "app:lang:en"
        )
        await session.wait_idle()
        assert session.server.callback_answers[query] is not None

        # in a group, the stranger's messages are refused and change nothing of the group's
        member = session.user(ALLOWED, "Ann", chat_id=-500)
        intruder = session.user(OTHER_STRANGER, "Mallory", chat_id=-500)
        await member.send(TABLE)
        await session.wait_idle()
        services = session.application.bot_data["services"]
        group_before = services.store.load(-500)
        assert group_before.table is not None
        for text in ("x y\n5 5\n6 6\n", "/reset", "/settings lr=9"):
            await intruder.send(text)
        await session.wait_idle()
        assert services.store.load(-500) == group_before

        # the people the host allowed (and the admin) get in
        admin = session.user(ADMIN, "Root")
        ann = session.user(ALLOWED, "Ann")
        for user in (admin, ann):
            await user.send("/help")
        await session.wait_idle()
        for chat in (ADMIN, ALLOWED):
            assert fragment("app.help.commands") in "\n".join(texts(session.server, chat))

        stored = read_db(config.database_path)
        assert STRANGER not in stored and OTHER_STRANGER not in stored
        assert services.store.corrections(STRANGER) == []
        assert not any(str(STRANGER) in line for line in session.log.lines if "refused" not in line)
        assert not apologies(session.server) and not session.log.errors


async def test_admin_commands_refuse_everyone_else(tmp_path):
    config = private_config(tmp_path / "data", admin_ids=frozenset({ADMIN}))
    async with local_bot(config, quiet=0.2) as session:
        user = session.user(ALLOWED, "Ann")
        admin = session.user(ADMIN, "Root")
        for who in (user, admin):
            await who.send("/stats")
            await who.send("/help")
        await session.wait_idle()
        user_texts = "\n".join(texts(session.server, ALLOWED))
        admin_texts = "\n".join(texts(session.server, ADMIN))
        assert plain("app.stats.refused") in user_texts
        assert "/stats" not in user_texts.replace(plain("app.stats.refused"), "")
        assert plain("app.stats.refused") not in admin_texts
        assert "/stats" in admin_texts
        assert not apologies(session.server) and not session.log.errors


async def test_two_users_never_see_or_change_each_others_state(tmp_path):
    async with local_bot(small_config(tmp_path / "data"), quiet=0.2) as session:
        services = session.application.bot_data["services"]
        ann, bob = session.user(3001, "Ann"), session.user(3002, "Bob")
        await ann.send("/table\nweight height female\n-2 -1 1\n25 6 0\n17 4 0\n-15 -6 1\n")
        await ann.send("/settings epochs=300")
        await ann.send("/train")
        await ann.send_photo(digit_png())
        await session.wait_idle()
        ann_state = services.store.load(3001)
        assert ann_state.model is not None
        ann_seen = len(bot_messages(session.server, 3001))

        # Bob: nothing of Ann's is visible to him
        for text in ("/predict -2 -1", "/plot", "/net", "/weights", "/explain", "/boundary"):
            await bob.send(text)
        await session.wait_idle()
        bob_texts = "\n".join(texts(session.server, 3002))
        assert "weight" not in bob_texts and "female" not in bob_texts
        assert plain("table.predict.no_table") in bob_texts
        assert not any(
            "photo" in m.data or "document" in m.data for m in bot_messages(session.server, 3002)
        )

        # Bob changes his own state in every way; Ann's is untouched
        await bob.send("/table\na b c\n1 2 3\n4 5 6\n7 8 9\n")
        await bob.send("/settings lr=0.9 hidden=8 epochs=50")
        await bob.send("/lang ru")
        await bob.send("/train")
        await session.wait_idle()
        await bob.send("/reset")
        await session.wait_idle()
        await bob.press(1)  # "Yes, forget everything"
        await bob.send("/stop")
        await session.wait_idle()
        assert services.store.load(3001) == ann_state
        assert len(bot_messages(session.server, 3001)) == ann_seen  # nothing sent to Ann
        assert services.store.load(3002).table is None

        # Ann still has her lesson and her photo buttons
        await ann.send("/predict -2 -1")
        await session.wait_idle()
        assert "→" in texts(session.server, 3001)[-1]
        assert not apologies(session.server) and not session.log.errors


async def test_the_token_never_appears_in_logs_or_replies_even_on_errors(tmp_path):
    async with local_bot(small_config(tmp_path / "data"), level=logging.DEBUG) as session:
        server = session.server
        token = server.token
        secrets = {token, token.split(":", 1)[1], quote(token, safe="")}
        ann = session.user(4001, "Ann")
        await ann.send("/start")
        await session.wait_idle()
        # provoked failures: the API refuses a reply, a download, a photo, and polling fails
        server.fail_next("sendMessage", 400, "Bad Request: chat not found")
        await ann.send("/help")
        server.fail_next(
            "getFile", 400, "Bad Request: wrong file_id or the file is temporarily unavailable"
        )
        await ann.send_photo(digit_png())
        server.fail_next("sendPhoto", 429, retry_after=1)
        await ann.send_document(digit_png(), file_name="digit.png")
        server.fail_next("getUpdates", 502, "Bad Gateway", times=2)
        await session.wait_idle(quiet=1.5)
        await ann.send("/train")
        await ann.send("/help")
        await session.wait_idle()
        log = session.log.text
        assert "ERROR" in log and "Traceback" in log, "the errors were not provoked"
        assert "getUpdates" in log or "getupdates" in log.lower()
        leaks = [secret for secret in secrets if secret in log]
        assert not leaks, "the token is in the logs"
        for chat in server.chats:
            for text in texts(server, chat):
                assert not any(secret in text for secret in secrets), "the token was sent"
        assert "[REDACTED]" in log  # httpx request lines were there, cleaned
