"""The first lesson end to end: table → /train (live progress, loss plot) → /predict → /explain,
plus /examples buttons, bad files, two users at once and a restart of the bot."""

from __future__ import annotations

import asyncio
import re

import pytest

from tests.support.e2e import assert_png, fragment, joined, plain

pytestmark = pytest.mark.e2e

# The article's single neuron: y copies x1; "1 0 0 → ?" is the question.
NEURON_TABLE = "x1 x2 x3 | y\n0 0 1 | 0\n1 1 1 | 1\n1 0 1 | 1\n0 1 1 | 0\n1 0 0 | ?"
XOR_TABLE = "x1 x2 | y\n0 0 | 0\n0 1 | 1\n1 0 | 1\n1 1 | 0"
NUMBER = re.compile(r"\d+[.,]\d+|\b\d\b")
CYRILLIC = re.compile("[а-яА-ЯёЁ]")


async def train(user, settings: str = "", lang: str = "en") -> list:
    """/settings (optional) and /train; returns every reply of the training."""
    if settings:
        await user.send(f"/settings {settings}")
        assert fragment("settings.changed", lang) in joined(await user.replies())
    await user.send("/train")
    return await user.replies()


async def test_a_table_then_train_shows_progress_the_loss_plot_and_predicts(bot_env):
    ann = bot_env.user(2001, "Ann")
    await ann.send(NEURON_TABLE)
    preview = joined(await ann.replies())
    assert fragment("table.understood") in preview

    replies = await train(ann, "epochs=12000")
    progress = [m for m in replies if m.kind == "text" and m.edits >= 1]
    assert progress, f"no progress message was edited: {[m.versions for m in replies]}"
    live = progress[0].versions[1:-1]  # between "starting" and the final state
    assert any("%" in version for version in live), progress[0].versions
    assert not progress[0].buttons, "the Stop button is still shown after training"
    photos = [m for m in replies if m.kind == "photo"]
    assert photos, "no loss plot"
    width, height = assert_png(photos[0].photo)
    assert width >= 600 and height >= 400
    assert photos[0].message_id > progress[0].message_id

    await ann.send("/predict 1 0 0")
    answer = joined(await ann.replies())
    assert fragment("table.predict.title") in answer
    assert NUMBER.search(answer.split(fragment("table.predict.title"))[1])


async def test_explain_shows_the_chain_rule_with_numbers(bot_env):
    ann = bot_env.user(2002, "Ann")
    await ann.send(XOR_TABLE)
    await ann.replies()
    await train(ann, "hidden=2 epochs=300")
    await ann.send("/explain 2")
    replies = await ann.replies()
    text = joined(replies)
    assert "∂L/∂" in text
    assert NUMBER.search(text)
    assert all(len(m.text) <= 4096 for m in replies)


async def test_an_example_button_loads_its_table(bot_env):
    ann = bot_env.user(2003, "Ann")
    await ann.send("/examples")
    menu = (await ann.replies())[-1]
    titles = [b.text for b in menu.buttons]
    assert plain("table.example.xor.title") in titles
    query = await ann.press(plain("table.example.xor.title"))
    replies = await ann.replies()
    assert ann.answer(query) is not None, "the button press was never answered"
    assert fragment("table.understood") in joined(replies)
    state = bot_env.application.bot_data["services"].store.load(ann.chat_id)
    assert state.table is not None and len(state.table["X"]) == 4


async def test_a_file_that_is_not_a_table_gets_a_friendly_answer(bot_env):
    ann = bot_env.user(2004, "Ann")
    await ann.send_document(b"\x00\x01\x02 not a table \xff", "weights.bin")
    assert fragment("table.file.unknown") in joined(await ann.replies())
    await ann.send_document(b"\xff\xfe\x00garbage\x00\x00", "table.csv")
    text = joined(await ann.replies())
    assert text, "no answer to an unreadable CSV"
    assert fragment("table.understood") not in text


async def test_a_broken_image_file_gets_a_friendly_answer(bot_env):
    ann = bot_env.user(2005, "Ann")
    png_head = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"
    await ann.send_document(png_head, "digit.png", mime_type="image/png")
    text = joined(await ann.replies())
    assert text, "no answer to a broken image"
    friendly = [fragment(f"digits.error.{code}") for code in ("not_image", "broken")]
    assert any(piece in text for piece in friendly), text


async def test_two_users_at_once_do_not_see_each_others_state(bot_env):
    ann, bob = bot_env.user(2006, "Ann"), bot_env.user(2007, "Bob", language_code="ru")
    await asyncio.gather(ann.send(NEURON_TABLE), bob.send(XOR_TABLE))
    await bot_env.wait_idle()
    assert "x3" in joined(ann.messages()) and "x3" not in joined(bob.messages())
    await asyncio.gather(ann.send("/settings epochs=3000"), bob.send("/predict 1 0"))
    await bot_env.wait_idle()
    assert fragment("table.predict.not_trained", "ru") in joined(bob.since(bob.last_sent))
    await asyncio.gather(ann.send("/train"), bob.send("/train"))
    await bot_env.wait_idle()
    store = bot_env.application.bot_data["services"].store
    ann_state, bob_state = store.load(ann.chat_id), store.load(bob.chat_id)
    assert len(ann_state.table["X"][0]) == 3 and len(bob_state.table["X"][0]) == 2
    assert ann_state.model and bob_state.model and ann_state.model != bob_state.model
    assert all(m.data["chat"]["id"] == ann.chat_id for m in ann.messages())
    assert not CYRILLIC.search(joined(ann.messages())), "Bob's Russian replies reached Ann"


async def test_a_restart_of_the_bot_keeps_table_network_and_language(bot_env):
    ann = bot_env.user(2008, "Ann")
    await ann.send("/lang ru")
    await ann.send(NEURON_TABLE)
    await ann.replies()
    await train(ann, "epochs=2000", lang="ru")
    await ann.send("/predict 1 0 0")
    before = (await ann.replies())[-1].text

    await bot_env.restart()

    await ann.send("/predict 1 0 0")
    after = (await ann.replies())[-1].text
    assert after == before
    assert fragment("table.predict.title", "ru") in after


async def test_a_restart_during_training_tells_the_chat_once_and_keeps_the_table(bot_env):
    ann = bot_env.user(2009, "Ann")
    await ann.send(XOR_TABLE)
    await ann.replies()
    await ann.send("/settings epochs=100000")
    assert fragment("settings.changed") in joined(await ann.replies())
    await ann.send("/train")
    for _ in range(600):  # until the first live progress edit (≤ 30 s)
        if any(m.edits for m in ann.messages()):
            break
        await asyncio.sleep(0.05)
    assert any(m.edits for m in ann.messages()), "training never reported progress"

    await bot_env.restart(wait=False)
    await bot_env.wait_idle()

    notices = [
        fragment(key)
        for key in (
            "train.error.shutdown",
            "train.interrupted",
            "app.training_interrupted",
            "app.training_stopped_shutdown",
        )
    ]
    told = [m for m in ann.messages() if any(n in m.text for n in notices)]
    assert len(told) == 1, [m.text for m in ann.messages()]
    state = bot_env.application.bot_data["services"].store.load(ann.chat_id)
    assert state.table is not None and state.training is None
    await ann.send("/settings epochs=200")
    await ann.replies()
    replies = await train(ann)
    assert [m for m in replies if m.kind == "photo"], "the bot does not train after a restart"


async def test_flood_control_on_progress_edits_delays_but_loses_nothing(bot_env):
    ann = bot_env.user(2010, "Ann")
    await ann.send(XOR_TABLE)
    await ann.replies()
    bot_env.server.fail_next("editMessageText", retry_after=1, times=2)
    replies = await train(ann, "epochs=6000")
    assert [m for m in replies if m.kind == "photo"], "the loss plot was lost"
    progress = [m for m in replies if m.edits]
    assert progress and not progress[0].buttons, "the progress message never reached its end"
    assert ("editMessageText", "Too Many Requests: retry after 1") in bot_env.server.errors


async def test_a_user_who_blocks_the_bot_mid_training_disturbs_no_one(bot_env):
    ann, bob = bot_env.user(2011, "Ann"), bot_env.user(2012, "Bob")
    await ann.send(XOR_TABLE)
    await ann.replies()
    await ann.send("/settings epochs=20000")
    await ann.send("/train")
    for _ in range(600):  # until the first live progress edit (≤ 30 s)
        if any(m.edits for m in ann.messages()):
            break
        await asyncio.sleep(0.05)
    ann.block()
    await bob.send("/start")
    assert "Bob" in joined(await bob.replies())
    assert any("blocked" in description for _, description in bot_env.server.errors)
    ann.block(False)
    await ann.send("/predict 1 0")
    assert fragment("table.predict.title") in joined(await ann.replies())


async def test_flood_control_on_the_results_delays_but_loses_nothing(bot_env):
    ann = bot_env.user(2013, "Ann")
    await ann.send(XOR_TABLE)
    await ann.replies()
    bot_env.server.fail_next("editMessageText", retry_after=1, times=2)
    bot_env.server.fail_next("sendPhoto", retry_after=1)
    replies = await train(ann, "epochs=6000")
    assert [m for m in replies if m.kind == "photo"], "the loss plot was lost to a 429"
    assert ("sendPhoto", "Too Many Requests: retry after 1") in bot_env.server.errors
    progress = [m for m in replies if m.edits]
    assert progress and not progress[0].buttons, "the progress message never reached its end"
    assert ("editMessageText", "Too Many Requests: retry after 1") in bot_env.server.errors
