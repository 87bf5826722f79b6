"""/explain through the local Bot API: a question row by name, new inputs with and without the
right answer, and a refusal in Russian — the real bot, no training needed."""

from __future__ import annotations

import pytest

from bot.tables.examples import GENDER_RU
from tests.support.e2e import fragment, joined, plain

pytestmark = pytest.mark.e2e


async def test_explain_a_question_row_by_name_then_new_inputs_with_an_answer(bot_env):
    ann = bot_env.user(2301, "Ann")
    await ann.send("/examples")
    await ann.replies()
    await ann.press(plain("table.example.gender.title"))  # the article's all-ones start
    await ann.replies()
    await ann.send("/explain emily")
    forward = joined(await ann.replies())
    assert "(Emily)" in forward and "σ(−10) = 4.54e−05" in forward
    assert fragment("lesson.row_unknown") in forward
    assert "/explain Emily = 1" in forward  # how to give the answer
    assert "∂L/∂w₁" not in forward
    await ann.send("/explain -7 -3 → 1")
    replies = await ann.replies()
    full = joined(replies)
    assert "∂h₁/∂w₁ = x₁ · σ′(zh₁) = (−7) · 4.54e−05 = −0.000318" in full
    assert fragment("lesson.update_new") in full
    assert all(len(m.text) <= 4096 for m in replies)


async def test_explain_refuses_an_unknown_name_in_russian(bot_env):
    boris = bot_env.user(2302, "Борис", language_code="ru")
    await boris.send(GENDER_RU)
    await boris.replies()
    await boris.send("/explain Зед")
    text = joined(await boris.replies())
    assert "Строки с именем «Зед» нет" in text
    assert "/explain -7 -3" in text and "Эмили" in text
