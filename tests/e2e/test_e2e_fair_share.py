"""One chat's flood never holds up another chat, and a photo's buttons outlive nothing.

The real bot polls the local Bot API. Order, not wall time, is asserted: python-telegram-bot
takes a shared slot per update, so a chat whose backlog waited inside those slots used to keep
every other chat waiting until most of the backlog was done.
"""

from __future__ import annotations

import pytest

from bot.digits.handlers import PHOTOS
from bot.digits.kept import PhotoCache
from bot.i18n import t
from tests.support.e2e import fragment
from tests.support.hostile_images import progressive_jpeg_bomb
from tests.support.synthetic_photos import random_digit_photo

pytestmark = pytest.mark.e2e


def sent_to(server, chat_ids: set[int]) -> list[int]:
    """The chat of every message the bot sent, in the order it sent them."""
    order = []
    for method, params in server.calls:
        if method.lower().startswith("send") and method.lower() != "sendchataction":
            chat = int(params.get("chat_id", 0) or 0)
            if chat in chat_ids:
                order.append(chat)
    return order


async def test_a_flooding_chat_does_not_hold_up_another_chats_answer(bot_env):
    flooder, other = bot_env.user(5201, "Flo"), bot_env.user(5202, "Ann")
    bomb = progressive_jpeg_bomb(64, 64, scans=500)
    await flooder.send_document(bomb, "bomb1.jpg", "image/jpeg")
    await flooder.send_document(bomb, "bomb2.jpg", "image/jpeg")
    for _ in range(78):
        await flooder.send("/help")
    await other.send("/lang")
    await bot_env.wait_idle()
    order = sent_to(bot_env.server, {flooder.chat_id, other.chat_id})
    assert other.chat_id in order, "the other chat got no answer"
    ahead = order.index(other.chat_id)
    assert ahead <= 3, f"{ahead} of the flood's answers went first"
    # the flood itself: both bombs refused, RATE_PER_MINUTE answers in all, one notice, silence
    limit = bot_env.config.limits.rate_per_minute
    texts = [m.text for m in flooder.messages()]
    assert len(texts) == limit + 1
    refusal = fragment("digits.error.too_complex")
    assert sum(refusal in text for text in texts) == 2
    assert fragment("app.rate_limited") in texts[-1]
    assert all("/train" in text for text in texts[2:-1])  # the /help answers


async def test_a_button_whose_photo_was_dropped_asks_for_the_photo_again(bot_env):
    import numpy as np

    ann = bot_env.user(5203, "Ann", language_code="ru")
    photo = random_digit_photo(None, 7, np.random.default_rng(1), stroke="normal", orientation=1)
    await ann.send_photo(photo)
    await ann.replies()
    bot_env.application.bot_data[PHOTOS] = PhotoCache()  # as if other chats' photos pushed it out
    query = await ann.press(1)
    await ann.replies()
    assert ann.answer(query)["text"] == t("digits.expired", "ru")
