"""Odd but possible input through the real bot: forged button data for every feature, row
numbers written with superscripts, and row names long enough to need several messages."""

from __future__ import annotations

import re

import numpy as np
import pytest

from bot.common.views import LANG_CALLBACK, RESET_CALLBACK, RESET_YES
from bot.digits.answers import CALLBACK_PREFIX as DIGITS
from bot.inside.handlers.share import CALLBACK as SHARE
from bot.inside.handlers.share import LOAD as SHARE_LOAD
from bot.lab.chat import CALLBACK_PREFIX as LAB
from bot.lab.chat import PRESET as LAB_PRESET
from bot.lesson.handlers import CALLBACK_PREFIX as LESSON
from bot.lesson.handlers import GO as LESSON_STEP
from bot.tables.views import EXAMPLE_CALLBACK
from bot.training.quality import FIX_PREFIX as FIX
from bot.training.views import CALLBACK_PREFIX as TRAINING
from bot.training.views import SETTING
from tests.support import synthetic_photos
from tests.support.e2e import joined

pytestmark = pytest.mark.e2e

FORGED = [
    f"{DIGITS}set:0:99",
    f"{DIGITS}set:0:²",
    f"{DIGITS}set:0:-1",
    f"{DIGITS}set:0:5:extra",
    f"{DIGITS}stages:zz",
    f"{DIGITS}",
    f"{TRAINING}junk",
    f"{TRAINING}go:again",
    f"{SETTING}lr:×1000",
    f"{SETTING}nothing:x",
    f"{SETTING}epochs",
    f"{LANG_CALLBACK}xx",
    f"{LANG_CALLBACK}",
    f"{RESET_CALLBACK}maybe",
    f"{EXAMPLE_CALLBACK}no-such-example",
    "app:",
    "tables:",
    "not-made-by-this-bot",
    "ü" * 32,
]
# The newer features' buttons, by feature: each forged value gets an alert saying what to do.
FORGED_ALERTED = {
    "fix": [
        f"{FIX}",
        f"{FIX}epochs=5",  # a setting no diagnosis offers
        f"{FIX}lr=1000",  # out of range
        f"{FIX}hidden=9999",
        f"{FIX}lr=0.1 hidden=3",  # two changes
        f"{FIX}lr=0.1;epochs=1",
        f"{FIX}activation=nope",
        f"{FIX}patience=-1",
        f"{FIX}lr=é",
        f"{FIX}" + "a" * 60,  # 64 bytes, Telegram's limit
    ],
    "lesson": [
        f"{LESSON}",
        f"{LESSON_STEP}0",
        f"{LESSON_STEP}11",
        f"{LESSON_STEP}-1",
        f"{LESSON_STEP}²",
        f"{LESSON_STEP}٣",  # an Arabic-Indic 3: int() reads it, the bot never makes it
        f"{LESSON_STEP} 4",
        f"{LESSON_STEP}04",
        f"{LESSON_STEP}4:extra",
        f"{LESSON_STEP}99999999",
        f"{LESSON}restore!",
        f"{LESSON}" + "9" * 58,
    ],
    "share": [
        f"{SHARE}",
        f"{SHARE}keepx",
        f"{SHARE_LOAD}",
        f"{SHARE_LOAD}NoSuchCode12",
        f"{SHARE_LOAD}../../etc",
        f"{SHARE_LOAD}кодкодкод",
        f"{SHARE_LOAD}" + "A" * 53,
    ],
    "lab": [
        f"{LAB}",
        f"{LAB}trainx",
        f"{LAB_PRESET}",
        f"{LAB_PRESET}nope",
        f"{LAB_PRESET}CNN",
        f"{LAB_PRESET}__class__",
        f"{LAB_PRESET}" + "é" * 26,
    ],
}


async def test_forged_button_data_is_answered_quietly_for_every_feature(bot_env):
    ann = bot_env.user(5301, "Ann")
    photo = synthetic_photos.random_digit_photo(
        None, 3, np.random.default_rng(0), stroke="normal", dark=False, orientation=1
    )
    await ann.send_photo(photo)  # the digit buttons' token 0 is a real one
    await ann.replies()
    await ann.send("/table a b | y\n0 0 | 0\n1 1 | 1")
    await ann.replies()
    await ann.send("/settings")
    shown = (await ann.replies())[-1]
    before = bot_env.application.bot_data["services"].store.load(ann.chat_id)
    for data in FORGED:
        query = bot_env.server.receive_callback(ann.user, ann.chat_id, shown.message_id, data)
        replies = await ann.replies(after=shown.message_id)
        assert ann.answer(query) is not None, f"{data!r} was never answered"
        assert not [m for m in replies if m.message_id > shown.message_id], data
    after = bot_env.application.bot_data["services"].store.load(ann.chat_id)
    assert after.settings == before.settings and after.table == before.table
    assert bot_env.application.bot_data["services"].store.corrections(ann.chat_id) == []
    assert ann.keyboard_message().text == shown.text  # nothing edited


@pytest.mark.parametrize("feature", list(FORGED_ALERTED))
async def test_forged_buttons_of_the_newer_features_get_an_alert_and_change_nothing(
    bot_env, feature
):
    user = bot_env.user(5310 + list(FORGED_ALERTED).index(feature), "Dan", language_code="ru")
    await user.send("/table a b | y\n0 0 | 0\n1 1 | 1")
    await user.replies()
    await user.send("/settings")
    shown = (await user.replies())[-1]
    store = bot_env.application.bot_data["services"].store
    before = store.load(user.chat_id)
    for data in FORGED_ALERTED[feature]:
        query = bot_env.server.receive_callback(user.user, user.chat_id, shown.message_id, data)
        replies = await user.replies(after=shown.message_id)
        assert alerted(user.answer(query)), f"{data!r}: {user.answer(query)}"
        assert not [m for m in replies if m.message_id > shown.message_id], data
    after = store.load(user.chat_id)
    assert (after.table, after.settings, after.extra) == (
        before.table,
        before.settings,
        before.extra,
    )
    assert user.keyboard_message().text == shown.text  # nothing edited


async def test_the_share_code_of_a_chat_that_was_reset_loads_nothing(bot_env):
    teacher = bot_env.user(5304, "Teacher")
    learner = bot_env.user(5305, "Лена", language_code="ru")
    await teacher.send("/table a b | y\n0 0 | 0\n1 1 | 1")
    await teacher.replies()
    await teacher.send("/share")
    code = re.search(r"start=([A-Za-z0-9_-]+)", joined(await teacher.replies())).group(1)
    await teacher.send("/reset")
    confirm = (await teacher.replies())[-1]
    teacher_query = bot_env.server.receive_callback(
        teacher.user, teacher.chat_id, confirm.message_id, f"{RESET_CALLBACK}{RESET_YES}"
    )
    await teacher.replies(after=confirm.message_id)
    assert teacher.answer(teacher_query) is not None
    await learner.send("/table x y\n1 2\n2 4")
    shown = (await learner.replies())[-1]
    store = bot_env.application.bot_data["services"].store
    before = store.load(learner.chat_id)
    query = bot_env.server.receive_callback(
        learner.user, learner.chat_id, shown.message_id, f"{SHARE_LOAD}{code}"
    )
    replies = await learner.replies(after=shown.message_id)
    assert alerted(learner.answer(query)) and not replies
    assert store.load(learner.chat_id).table == before.table
    await learner.send(f"/start {code}")
    assert "/reset" in joined(await learner.replies())


def alerted(answer: dict | None) -> bool:
    return answer is not None and answer["show_alert"] and bool(answer["text"])


@pytest.mark.parametrize("row", ["²", "①", "٣٣", "9" * 40])
async def test_explain_with_a_strange_row_number_says_which_rows_exist(bot_env, row):
    bob = bot_env.user(5302, "Bob")
    await bob.send("/table x y\n1 2\n2 4\n3 6")
    await bob.replies()
    await bob.send(f"/explain {row}")
    answer = joined(await bob.replies())
    assert answer.startswith("❌") and "from 1 to 3" in answer, answer


async def test_long_row_names_arrive_whole_in_the_summary_and_in_explain(bot_env):
    cleo = bot_env.user(5303, "Cleo")
    names = [f"row{i:02d}_" + "abcdefgh" * 43 + f"_{i}" for i in range(12)]  # ≈ 350 characters
    table = "name x y\n" + "\n".join(f"{n} {i} {2 * i}" for i, n in enumerate(names))
    await cleo.send_document(table.encode(), file_name="long.csv")
    await cleo.replies()
    await cleo.send("/settings epochs=20")
    await cleo.replies()
    sent = await cleo.send("/train")
    replies = await cleo.replies(after=sent)
    text = joined(replies)
    assert all(name in text for name in names), "a prediction was lost"
    assert all(m.text.strip() for m in replies if m.kind == "text")

    long_name = "R" + "é" * 4069
    await cleo.send_document(f"name x y\n{long_name} 1 2\nb 2 4\nc 3 6".encode(), "one.csv")
    await cleo.replies()
    sent = await cleo.send("/explain 1")
    replies = await cleo.replies(after=sent)
    assert len(replies) >= 2 and all(m.text.strip() for m in replies)
    assert long_name in "".join(m.text for m in replies).replace("\n", "")
