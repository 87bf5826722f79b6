"""/activations, /neurons, /compare and /share through the local Bot API: pictures arrive as
PNGs, texts in both languages, the compared variants are the trainings /train would run, and a
shared exercise goes from a teacher's chat to a learner's."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from bot.config import Limits
from bot.i18n import t
from bot.tables.parse import parse_table
from bot.text import number
from bot.training.run import run_training
from bot.training.settings import settings_for
from tests.e2e.test_e2e_scale import scaled_bot  # noqa: F401  (PostgreSQL + Redis)
from tests.e2e.test_e2e_training import until
from tests.support.e2e import assert_png, fragment, joined, plain

pytestmark = pytest.mark.e2e

XOR_TABLE = "x1 x2 | y\n0 0 | 0\n0 1 | 1\n1 0 | 1\n1 1 | 0"
AND_TABLE = "a b | y\n0 0 | 0\n0 1 | 0\n1 0 | 0\n1 1 | 1"


def photos(messages):
    return [m for m in messages if m.kind == "photo"]


@pytest.mark.parametrize("lang", ["en", "ru"])
async def test_activations_sends_the_picture_and_the_text(bot_env, lang):
    ann = bot_env.user(3101 if lang == "en" else 3102, "Ann", language_code=lang)
    await ann.send("/activations")
    replies = await ann.replies()
    [picture] = photos(replies)
    width, _ = assert_png(picture.photo)
    assert width <= 1050
    assert picture.text == plain("inside.act.caption", lang)
    words = (
        ("Насыщение", "Затухающие градиенты", "Мёртвые ReLU", "0.25")
        if lang == "ru"
        else ("Saturation", "Vanishing gradients", "Dead ReLUs", "0.25")
    )
    assert all(word in joined(replies) for word in words)


async def test_neurons_draws_a_trained_two_input_network_and_explains_the_rest(bot_env):
    ann = bot_env.user(3103, "Аня", language_code="ru")
    await ann.send("/neurons")
    assert joined(await ann.replies()) == plain("train.error.no_model", "ru")
    await ann.send("a b c | y\n0 0 1 | 0\n1 1 0 | 1")
    await ann.replies()
    await ann.send("/neurons")
    assert joined(await ann.replies()) == plain("inside.neurons.not_two", "ru", count=3)
    await ann.send(XOR_TABLE)
    await ann.replies()
    await ann.send("/neurons")
    assert joined(await ann.replies()) == plain("train.error.no_model", "ru")
    await ann.send("/settings epochs=50")
    await ann.replies()
    sent = await ann.send("/train")
    await until(lambda: photos(ann.since(sent)), timeout=120)
    await ann.send("/neurons")
    [picture] = photos(await ann.replies())
    assert_png(picture.photo)
    assert picture.text.startswith(fragment("inside.neurons.caption", "ru")[:30])


async def test_compare_trains_each_variant_like_train_and_keeps_the_chats_settings(bot_env):
    bob = bot_env.user(3104, "Bob")
    store = bot_env.application.bot_data["services"].store
    for line in (XOR_TABLE, "/settings epochs=40"):
        await bob.send(line)
        await bob.replies()
    before = store.load(bob.chat_id)
    await bob.send("/compare lr=1,2,3,4,5,6")
    assert joined(await bob.replies()) == plain("inside.compare.count", count=6, low=2, high=5)
    sent = await bob.send("/compare lr=0.01,0.3")
    [picture] = await until(lambda: photos(bob.since(sent)), timeout=120)
    assert_png(picture.photo)
    summary = await until(lambda: [m for m in bob.since(sent) if "/settings lr=" in m.text])
    table = parse_table(XOR_TABLE, Limits())
    base = replace(settings_for(table, before.settings))
    finals = {}
    for lr in (0.01, 0.3):
        alone = run_training(table, replace(base, lr=lr), lambda _: None, lambda: False)
        finals[lr] = alone.evaluation["loss"]
        assert f"lr={lr:g}: final loss {number(alone.evaluation['loss'])}" in summary[0].text
    best = min(finals, key=finals.get)
    assert picture.text == plain(
        "inside.compare.best", label=f"lr={best:g}", loss=number(finals[best])
    )
    after = store.load(bob.chat_id)
    assert (after.settings, after.model, after.table) == (before.settings, None, before.table)


async def test_a_shared_exercise_reaches_another_chat_after_asking(bot_env):
    teacher = bot_env.user(3105, "Teacher")
    learner = bot_env.user(3106, "Лена", language_code="ru")
    await teacher.send("/share")
    assert joined(await teacher.replies()) == plain("inside.share.no_table")
    await teacher.send(XOR_TABLE)
    await teacher.replies()
    await teacher.send("/settings lr=0.3 hidden=3")
    await teacher.replies()
    await teacher.send("/share")
    text = joined(await teacher.replies())
    username = bot_env.application.bot.username
    found = re.search(rf"https://t\.me/{re.escape(username)}\?start=([A-Za-z0-9_-]+)", text)
    assert found, text
    code = found.group(1)

    await learner.send("/start NoSuchCode12")
    assert joined(await learner.replies()) == plain("inside.share.unknown", "ru")
    await learner.send(AND_TABLE)
    await learner.replies()
    await learner.send(f"/start {code}")
    [question] = await learner.replies()
    assert fragment("inside.share.ask", "ru") in question.text
    await learner.press(t("inside.share.button.keep", "ru"), question)
    await learner.replies(after=question.message_id - 1)
    store = bot_env.application.bot_data["services"].store
    assert store.load(learner.chat_id).table == parse_table(AND_TABLE, Limits()).to_dict()

    await learner.send(f"/start {code}")
    [question] = await learner.replies()
    await learner.press(t("inside.share.button.load", "ru"), question)
    loaded = await learner.replies(after=question.message_id)
    assert plain("inside.share.loaded", "ru") in joined(loaded)
    mine, theirs = store.load(learner.chat_id), store.load(teacher.chat_id)
    assert mine.table == theirs.table
    assert (mine.settings["lr"], mine.settings["hidden"]) == (0.3, [3])
    assert mine.model is None and mine.history is None
    await learner.send(f"/start {code}")
    assert joined(await learner.replies()) == plain("inside.share.already", "ru")


@pytest.mark.timeout(240)
async def test_compare_and_share_on_postgres_and_the_redis_queue(scaled_bot):  # noqa: F811
    """The compare job crosses the Redis queue as JSON; the codes live in PostgreSQL."""
    ann = scaled_bot.user(3107, "Ann")
    for line in (XOR_TABLE, "/settings epochs=30"):
        await ann.send(line)
        await ann.replies()
    sent = await ann.send("/compare activation=tanh,relu")
    [picture] = await until(lambda: photos(ann.since(sent)), timeout=180)
    assert_png(picture.photo)
    assert fragment("inside.compare.best") in picture.text
    await ann.send("/share")
    code = joined(await ann.replies()).split("?start=")[1].split()[0]
    ben = scaled_bot.user(3108, "Ben")
    await ben.send(f"/start {code}")
    assert plain("inside.share.loaded") in joined(await ben.replies())
    store = scaled_bot.application.bot_data["services"].store
    assert store.load(ben.chat_id).table == store.load(ann.chat_id).table
