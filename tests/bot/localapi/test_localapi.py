"""The local Bot API server, driven by an unmodified python-telegram-bot `Bot` over HTTP."""

from __future__ import annotations

import asyncio
import io
import json

import aiohttp
import pytest
from PIL import Image
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputMediaPhoto
from telegram.error import BadRequest, Conflict, InvalidToken, RetryAfter

from bot.localapi.client import BotClient
from bot.localapi.entities import EntityError, parse_html
from bot.localapi.messages import NOT_MODIFIED
from bot.localapi.server import LocalBotApi
from bot.training.handlers.train import retry_seconds
from tests.bot.localapi.conftest import png


async def raw_post(api: LocalBotApi, method: str, token: str | None = None, **kwargs):
    url = f"{api.base_url}/bot{token or api.token}/{method}"
    async with aiohttp.ClientSession() as session, session.post(url, **kwargs) as response:
        return response.status, await response.json()


async def test_get_me_describes_the_bot(bot, api):
    me = await bot.get_me()
    assert me.is_bot and me.username == api.bot_user["username"]
    assert me.id == int(api.token.split(":")[0])


async def test_a_wrong_token_is_unauthorized(api):
    status, body = await raw_post(api, "getMe", token="123:wrong")
    assert status == 401
    assert body == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    with pytest.raises(InvalidToken):
        async with Bot("123456:" + "x" * 30, base_url=f"{api.base_url}/bot"):
            pass


async def test_an_unknown_method_is_404_not_a_silent_ok(api):
    status, body = await raw_post(api, "sendTelepathy", json={"chat_id": 1})
    assert status == 404
    assert body == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_a_deeply_nested_json_body_is_a_bot_api_400_not_a_500(api):
    nested = "[" * 100_000 + "]" * 100_000
    body_text = '{"chat_id": 1, "reply_markup": ' + nested + "}"
    headers = {"Content-Type": "application/json"}
    status, body = await raw_post(api, "sendMessage", data=body_text, headers=headers)
    assert status == 400
    assert body == {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: can't parse request JSON object",
    }
    status, body = await raw_post(api, "setMyCommands", data={"commands": nested})
    assert status == 400 and body["description"] == "Bad Request: can't parse commands JSON object"


async def test_a_method_can_be_made_to_answer_anything(bot, api):
    api.answer_next("getMyDescription", True)
    status, body = await raw_post(api, "getMyDescription")
    assert (status, body) == (200, {"ok": True, "result": True})
    assert (await bot.get_my_description()).description == ""  # then the real answer again


async def test_method_names_are_case_insensitive_and_json_bodies_work(api, client):
    user = client.user(7, "Ann")
    await user.send("hi")
    status, body = await raw_post(api, "SENDMESSAGE", json={"chat_id": 7, "text": "hello"})
    assert status == 200 and body["ok"] is True
    assert body["result"]["text"] == "hello"
    status, body = await raw_post(api, "sendmessage", data={"chat_id": "7", "text": "form"})
    assert body["result"]["text"] == "form"
    assert [m.text for m in user.messages()] == ["hello", "form"]


async def test_sending_to_a_chat_that_never_wrote_is_chat_not_found(bot):
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(424242, "hello?")


async def test_a_user_message_arrives_through_get_updates_with_its_command_entity(bot, client, api):
    user = client.user(11, "Ann", language_code="ru")
    await user.send("/start now")
    updates = await bot.get_updates(timeout=0)
    assert len(updates) == 1
    message = updates[0].message
    assert message.text == "/start now"
    assert message.from_user.language_code == "ru"
    assert message.chat.type == "private" and message.chat.id == 11
    assert message.entities[0].type == "bot_command" and message.entities[0].length == 6
    assert isinstance(updates[0].to_dict()["message"]["date"], int)
    # The next offset confirms it: nothing is delivered twice.
    assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=0) == ()
    assert api.pending_updates == 0


async def test_long_polling_waits_and_returns_as_soon_as_an_update_arrives(bot, client):
    user = client.user(12, "Bob")

    async def later():
        await asyncio.sleep(0.3)
        await user.send("late")

    loop = asyncio.get_running_loop()
    started = loop.time()
    task = asyncio.create_task(later())
    updates = await bot.get_updates(timeout=5)
    await task
    assert [u.message.text for u in updates] == ["late"]
    assert 0.25 < loop.time() - started < 3


async def test_an_empty_long_poll_lasts_its_timeout(bot):
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await bot.get_updates(timeout=1) == ()
    assert loop.time() - started >= 0.9


async def test_allowed_updates_filters_what_is_delivered(bot, client):
    user = client.user(13, "Cy")
    await user.send("first")
    updates = await bot.get_updates(timeout=0, allowed_updates=["callback_query"])
    assert updates == ()


async def test_a_second_poller_terminates_the_first_with_409(bot, api):
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    # PTB's own getUpdates connection pool has one slot, so the rival comes from outside.
    status, body = await raw_post(api, "getUpdates", json={"timeout": 0})
    assert (status, body) == (200, {"ok": True, "result": []})
    with pytest.raises(Conflict, match="terminated by other getUpdates"):
        await first


async def test_html_is_parsed_into_plain_text_and_entities(bot, client):
    user = client.user(14, "Di")
    await user.send("hi")
    sent = await bot.send_message(14, "<b>Loss</b> 0.25 &lt; 1 <code>x</code>", parse_mode="HTML")
    assert sent.text == "Loss 0.25 < 1 x"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [
        ("bold", 0, 4),
        ("code", 14, 1),
    ]
    assert user.last.html == "<b>Loss</b> 0.25 &lt; 1 <code>x</code>"
    assert user.last.text == "Loss 0.25 < 1 x"


async def test_unescaped_html_is_rejected_like_telegram_does(bot, client):
    await client.user(15, "Ed").send("hi")
    with pytest.raises(BadRequest, match=r"(?i)parse entities: unsupported start tag"):
        await bot.send_message(15, "x <y> z", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)can't find end tag"):
        await bot.send_message(15, "<b>bold", parse_mode="HTML")


def test_html_parser_counts_utf16_and_nests_pre_code():
    text, entities = parse_html('😀 <i>ok</i> <pre><code class="language-py">x=1</code></pre>')
    assert text == "😀 ok x=1"
    assert entities == [
        {"type": "italic", "offset": 3, "length": 2},
        {"type": "pre", "language": "py", "offset": 6, "length": 3},
    ]
    with pytest.raises(EntityError, match="Unmatched end tag"):
        parse_html("<b><i>x</b></i>")


async def test_too_long_and_empty_texts_are_refused(bot, client):
    await client.user(16, "Fa").send("hi")
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(16, "x" * 4097)
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(16, "<b> </b>", parse_mode="HTML")


async def test_edits_keep_a_history_and_identical_edits_are_not_modified(bot, client, api):
    user = client.user(17, "Gus")
    await user.send("/train")
    sent = await bot.send_message(17, "epoch 1")
    await bot.edit_message_text("epoch 2", chat_id=17, message_id=sent.message_id)
    edited = await bot.edit_message_text("epoch 3", chat_id=17, message_id=sent.message_id)
    assert edited.edit_date is not None
    with pytest.raises(BadRequest, match="Message is not modified") as error:
        await bot.edit_message_text("epoch 3", chat_id=17, message_id=sent.message_id)
    assert error.value.message == NOT_MODIFIED.capitalize()
    assert user.last.versions == ["epoch 1", "epoch 2", "epoch 3"]
    assert user.last.edits == 2
    status, body = await raw_post(
        api,
        "editMessageText",
        json={"chat_id": 17, "message_id": sent.message_id, "text": "epoch 3"},
    )
    assert (status, body["description"]) == (400, f"Bad Request: {NOT_MODIFIED}")
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", chat_id=17, message_id=999)
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("x", chat_id=17, message_id=user.last_sent)


async def test_inline_buttons_are_pressed_and_answered(bot, client):
    user = client.user(18, "Hal")
    await user.send("/examples")
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("XOR", callback_data="ex:xor")],
            [InlineKeyboardButton("AND", callback_data="ex:and")],
        ]
    )
    await bot.send_message(18, "Pick one", reply_markup=keyboard)
    assert [b.text for b in user.last.buttons] == ["XOR", "AND"]
    query_id = await user.press(2)
    updates = await bot.get_updates(timeout=0)
    query = updates[-1].callback_query
    assert query.data == "ex:and" and query.id == query_id
    assert query.message.text == "Pick one"
    assert await query.answer("loading AND")
    assert user.answer(query_id)["text"] == "loading AND"
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id)
    # Editing without reply_markup removes the keyboard, as in Telegram.
    await bot.edit_message_text("AND chosen", chat_id=18, message_id=query.message.message_id)
    assert user.last.buttons == []
    assert user.keyboard_message() is None


async def test_callback_data_over_64_bytes_is_refused(bot, client):
    await client.user(19, "Ivy").send("hi")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="y" * 65)]])
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(19, "k", reply_markup=keyboard)


async def test_a_photo_from_the_bot_gets_sizes_and_the_original_stays_readable(bot, client):
    user = client.user(20, "Jo")
    await user.send("/plot")
    picture = png(1600, 900)
    sent = await bot.send_photo(20, picture, caption="<b>loss</b>", parse_mode="HTML")
    sizes = sent.photo
    assert len(sizes) >= 3
    assert [max(s.width, s.height) for s in sizes] == [90, 320, 800, 1280]
    assert all(s.file_size > 0 and s.file_unique_id for s in sizes)
    assert sent.caption == "loss"
    assert user.last.photo == picture  # what the bot uploaded, byte for byte
    downloaded = await (await bot.get_file(sizes[-1].file_id)).download_as_bytearray()
    with Image.open(io.BytesIO(bytes(downloaded))) as image:
        assert image.format == "JPEG" and image.size == (1280, 720)


async def test_a_user_photo_is_downloaded_by_the_bot_as_telegram_would_serve_it(bot, client):
    user = client.user(21, "Kim")
    await user.send_photo(png(3000, 2000, "white"), caption="my digit")
    update = (await bot.get_updates(timeout=0))[-1]
    largest = update.message.photo[-1]
    assert (largest.width, largest.height) == (1280, 853)
    assert update.message.caption == "my digit"
    data = await (await bot.get_file(largest.file_id)).download_as_bytearray()
    assert bytes(data[:3]) == b"\xff\xd8\xff"


async def test_a_user_cannot_send_garbage_as_a_photo(client):
    with pytest.raises(ValueError, match="would not send this as a photo"):
        await client.user(22, "Lu").send_photo(b"not an image")


async def test_documents_go_both_ways_with_name_and_mime_type(bot, client):
    user = client.user(23, "Max")
    await user.send_document(b"x,y\n1,2\n", "table.csv")
    document = (await bot.get_updates(timeout=0))[-1].message.document
    assert (document.file_name, document.mime_type, document.file_size) == (
        "table.csv",
        "text/csv",
        8,
    )
    assert await (await bot.get_file(document.file_id)).download_as_bytearray() == b"x,y\n1,2\n"
    await bot.send_document(23, b'{"w": 1}', filename="weights.json", caption="model")
    assert user.last.kind == "document"
    assert (user.last.file_name, user.last.document) == ("weights.json", b'{"w": 1}')
    assert user.last.mime_type == "application/json"


async def test_files_over_20_mb_cannot_be_downloaded_by_the_bot(bot, client):
    user = client.user(24, "Ned")
    await user.send_document(b"\0" * (20 * 1024 * 1024 + 1), "big.bin")
    document = (await bot.get_updates(timeout=0))[-1].message.document
    with pytest.raises(BadRequest, match="File is too big"):
        await bot.get_file(document.file_id)


async def test_file_downloads_check_the_token_and_the_path(api):
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{api.base_url}/file/bot{api.token}/photos/nope.jpg") as r:
            assert r.status == 404
        async with session.get(f"{api.base_url}/file/botWRONG/photos/file_1.jpg") as r:
            assert r.status == 401


async def test_media_groups_and_media_edits(bot, client):
    user = client.user(25, "Oz")
    await user.send("/net")
    sent = await bot.send_media_group(
        25, [InputMediaPhoto(png(color="blue")), InputMediaPhoto(png(color="green"))]
    )
    assert len(sent) == 2 and sent[0].media_group_id == sent[1].media_group_id
    replacement = png(200, 100, "black")
    edited = await bot.edit_message_media(
        InputMediaPhoto(replacement, caption="new"), chat_id=25, message_id=sent[0].message_id
    )
    assert edited.caption == "new"
    assert user.messages()[0].photo == replacement


async def test_chat_actions_deletes_and_commands(bot, client, api):
    user = client.user(26, "Pia")
    await user.send("hi")
    assert await bot.send_chat_action(26, "typing")
    with pytest.raises(BadRequest, match="Wrong parameter action"):
        await bot.send_chat_action(26, "dancing")
    sent = await bot.send_message(26, "bye")
    assert await bot.delete_message(26, sent.message_id)
    assert user.messages()[-1].deleted
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(26, sent.message_id)
    await bot.set_my_commands([("train", "Train the network")])
    await bot.set_my_commands([("train", "Обучить сеть")], language_code="ru")
    assert (await bot.get_my_commands(language_code="ru"))[0].description == "Обучить сеть"
    assert (await bot.get_my_commands())[0].description == "Train the network"
    assert api.events[-1].kind == "delete"


async def test_message_ids_count_per_chat_shared_by_user_and_bot(bot, client):
    ann, bob = client.user(27, "Ann"), client.user(28, "Bob")
    assert await ann.send("a") == 1
    assert await bob.send("b") == 1
    assert (await bot.send_message(27, "to ann")).message_id == 2
    assert await ann.send("again") == 3
    assert [m.text for m in bob.messages()] == []


async def test_an_injected_429_reaches_the_bot_as_retry_after(bot, client, api):
    await client.user(29, "Quin").send("hi")
    api.fail_next("editMessageText", retry_after=3)
    api.fail_next("sendMessage", retry_after=2)
    with pytest.raises(RetryAfter) as error:
        await bot.send_message(29, "flood")
    assert retry_seconds(error.value) == 2
    assert (await bot.send_message(29, "later")).text == "later"
    status, body = await raw_post(api, "editMessageText", json={"chat_id": 29})
    assert status == 429
    assert body["parameters"] == {"retry_after": 3}
    assert json.dumps(body).startswith('{"ok": false')


async def test_wait_idle_waits_for_the_busy_hook_and_for_quiet(api):
    busy = {"on": True}
    client = BotClient(api, busy=lambda: busy["on"], quiet=0.1, timeout=1)
    with pytest.raises(TimeoutError, match="still busy"):
        await client.wait_idle(timeout=0.3)
    busy["on"] = False
    await client.wait_idle()
    user = client.user(30, "Rae")
    await user.send("pending")
    with pytest.raises(TimeoutError, match="pending updates 1"):
        await client.wait_idle(timeout=0.3)


async def test_a_user_who_blocked_the_bot_gives_403_forbidden(bot, client):
    from telegram.error import Forbidden

    user = client.user(31, "Sam")
    await user.send("hi")
    user.block()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(31, "are you there?")
    user.block(False)
    assert (await bot.send_message(31, "welcome back")).text == "welcome back"


async def test_callback_answers_over_200_characters_are_refused(bot, client):
    user = client.user(32, "Tia")
    await user.send("/lang")
    await bot.send_message(
        32,
        "pick",
        reply_markup=InlineKeyboardMarkup.from_button(InlineKeyboardButton("x", callback_data="x")),
    )
    query_id = await user.press("x")
    with pytest.raises(BadRequest, match=r"(?i)message_too_long"):
        await bot.answer_callback_query(query_id, "y" * 201)
    assert await bot.answer_callback_query(query_id, "y" * 200)


async def test_users_cannot_send_what_a_telegram_app_would_not(client):
    user = client.user(33, "Uma")
    with pytest.raises(ValueError, match="empty"):
        await user.send("  ")
    with pytest.raises(ValueError, match="4096"):
        await user.send("1 2 3\n" * 1000)
    assert await user.send("x" * 4096) == 1


async def test_a_group_chat_carries_the_sender_and_the_group(bot, client):
    user = client.user(34, "Vic", chat_id=-100)
    await user.send("/start@nnbot_local_bot")
    message = (await bot.get_updates(timeout=0))[-1].message
    assert message.chat.type == "group" and message.chat.id == -100
    assert message.from_user.id == 34
    assert message.entities[0].length == len("/start@nnbot_local_bot")
    assert (await bot.send_message(-100, "hi all")).chat.id == -100


async def test_descriptions_and_names_are_kept_per_language_with_the_default_as_fallback(bot):
    assert await bot.set_my_description("Learn neural networks")
    assert await bot.set_my_description("Нейросети", language_code="ru")
    assert await bot.set_my_short_description("Short")
    assert await bot.set_my_name("nnbot ru", language_code="ru")
    assert (await bot.get_my_description("ru")).description == "Нейросети"
    assert (await bot.get_my_description("de")).description == "Learn neural networks"
    assert (await bot.get_my_short_description()).short_description == "Short"
    assert (await bot.get_my_name("ru")).name == "nnbot ru"
    assert (await bot.get_my_name()).name == ""
