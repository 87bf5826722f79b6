"""Overfitting, the diagnosis and /confusion through the real bot and the local Bot API."""

from __future__ import annotations

import pytest

from bot.i18n import t
from tests.support.e2e import assert_png, joined, plain

pytestmark = pytest.mark.e2e

XOR_TABLE = "x1 x2 | y\n0 0 | 0\n0 1 | 1\n1 0 | 1\n1 1 | 0"


async def says(user, *texts: str) -> None:
    """Send each text in turn, waiting for the bot (and any training) to finish after each."""
    for text in texts:
        await user.send(text)
        await user.replies()


async def test_the_overfit_example_is_diagnosed_and_a_fix_button_cures_it(bot_env):
    ann = bot_env.user(7101, "Аня", language_code="ru")
    await ann.send("/examples")
    await ann.replies()
    await ann.press(t("table.example.noisy.title", "ru"))
    await ann.replies()
    sent = await ann.send("/train")
    replies = await ann.replies(after=sent)
    text = joined(replies)
    assert "Верных ответов на проверочных строках:" in text
    photos = [m for m in replies if m.kind == "photo"]
    assert len(photos) == 1
    width, height = assert_png(photos[0].photo)
    assert 600 <= width <= 1200 and height > width * 0.8  # two panels: loss and accuracy
    diagnosis = replies[-1]
    assert "Переобучение" in diagnosis.text and "Диагноз" in diagnosis.text
    assert [b.text for b in diagnosis.buttons] == [
        "⏹ Ранняя остановка: patience=50",
        "⚖ Штраф за веса: l2=0.05",
        "➖ Меньше нейронов: hidden=2",
    ]
    query = await ann.press("⏹ Ранняя остановка: patience=50", diagnosis)
    applied = await ann.replies(after=diagnosis.message_id)
    assert ann.answer(query)["text"] == plain("settings.changed", "ru")
    assert plain("fix.applied", "ru", change="patience=50") in applied[-1].text
    store = bot_env.application.bot_data["services"].store
    assert store.load(ann.chat_id).settings["patience"] == 50
    await ann.press(plain("settings.button.train", "ru"), applied[-1])
    again = await ann.replies(after=applied[-1].message_id)
    text = joined(again)
    assert "Ранняя остановка:" in text and "сохранена сеть эпохи" in text
    assert "Переобучение" not in text  # the kept network is the best-validation one


async def test_confusion_sends_the_matrix_and_the_wrong_rows_in_both_languages(bot_env):
    for user_id, lang in ((7102, "en"), (7103, "ru")):
        bob = bot_env.user(user_id, "Bob", language_code=lang)
        await bob.send("/confusion")
        assert joined(await bob.replies()) == plain("train.error.no_model", lang)
        await says(bob, XOR_TABLE, "/settings hidden=none epochs=50", "/train")  # XOR: unlearnable
        await bob.send("/confusion")
        replies = await bob.replies()
        assert [m.kind for m in replies] == ["photo", "text"]
        assert replies[0].data["caption"] == plain("confusion.caption", lang)
        assert_png(replies[0].photo)
        assert replies[1].text.startswith({"en": "Wrong on ", "ru": "Ошибки: "}[lang])


async def test_confusion_of_a_regression_table_says_why_not(bot_env):
    cleo = bot_env.user(7104, "Cleo", language_code="ru")
    await says(cleo, "/table x y\n1 2\n2 4\n3 6", "/settings epochs=20", "/train")
    await cleo.send("/confusion")
    assert joined(await cleo.replies()) == plain("confusion.regression", "ru")


async def test_forged_fix_data_gets_a_friendly_alert_and_changes_nothing(bot_env):
    dan = bot_env.user(7105, "Dan")
    await dan.send(XOR_TABLE)
    await dan.replies()
    await dan.send("/settings")
    shown = (await dan.replies())[-1]
    store = bot_env.application.bot_data["services"].store
    before = store.load(dan.chat_id).settings
    for data in ("fix:epochs=100000", "fix:hidden=2;epochs=9", "fix:lr=99", "fix:"):
        query = bot_env.server.receive_callback(dan.user, dan.chat_id, shown.message_id, data)
        replies = await dan.replies(after=shown.message_id)
        assert dan.answer(query)["text"] == plain("fix.forged"), data
        assert not replies, data
    assert store.load(dan.chat_id).settings == before


async def test_explain_says_it_shows_the_network_without_dropout_and_the_l2_part(bot_env):
    eve = bot_env.user(7106, "Eve", language_code="ru")
    await says(eve, XOR_TABLE, "/settings hidden=4 dropout=0.2 l2=0.01 epochs=50", "/train")
    await eve.send("/explain 1")
    replies = await eve.replies()
    assert replies[0].text == plain("quality.explain_dropout", "ru")
    assert replies[-1].text == plain("quality.explain_l2", "ru", l2="0.01")
    await says(eve, "/settings hidden=none", "/train")  # a single neuron: nothing to drop
    await eve.send("/explain 1")
    assert plain("quality.explain_dropout", "ru") not in joined(await eve.replies())
