"""The digits lab through the real bot over HTTP: /lab → preset → train → pictures → a photo
read by both networks → /lab off; collecting examples; a refused layer list."""

from __future__ import annotations

import numpy as np
import pytest

from bot.lab.chat import LAB_FILE
from tests.support import synthetic_photos as sp
from tests.support.e2e import assert_png, joined, plain

pytestmark = pytest.mark.e2e


def digit_photo(digit: int, seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    return sp.random_digit_photo(
        None, digit, rng, stroke="normal", orientation=1, dark=False, size=(800, 600)
    )


async def test_a_lab_network_is_trained_shown_and_reads_photos_beside_the_reader(bot_env):
    ann = bot_env.user(4001, "Ann")
    await ann.send("/lab")
    shown = (await ann.replies())[-1]
    assert "weights and biases" in shown.text and "conv 8 × 3×3" in shown.text
    await ann.press(plain("lab.preset.mlp"))
    mlp = (await ann.replies())[-1]
    assert (
        "preset mlp" in mlp.text
        and "dense 64" in mlp.text
        and "conv" not in mlp.text.split("Change it")[0]
    )
    # tiny settings keep the test fast; the layers stay the preset's
    await ann.send("/lab images=400 epochs=2")
    await ann.replies()
    sent = await ann.send("/lab train")
    replies = await ann.replies(after=sent)
    text = joined(replies)
    assert "✅ Trained dense64: 2 epochs in" in text
    assert "Test accuracy:" in text and "of 2000 digits" in text
    assert "taken for" in text  # the worst confusions, named
    pictures = [m for m in replies if m.kind == "photo"]
    assert [p.text for p in pictures] == [
        plain("lab.caption.curves"),
        plain("lab.caption.confusion"),
        plain("lab.caption.gallery"),
    ]  # no filters picture: an MLP has no convolution
    for picture in pictures:
        width, height = assert_png(picture.photo)
        assert width >= 800 and height >= 500
    assert not [m for m in replies if m.buttons], "the Stop button is still shown"
    store = bot_env.application.bot_data["services"].store
    assert store.load_file(ann.chat_id, LAB_FILE) is not None

    await ann.send_photo(digit_photo(3, seed=5))
    answer = (await ann.replies())[-1]
    assert answer.kind == "photo"
    assert "your network:" in answer.text and "the reader: 3 (" in answer.text
    assert "I see the digit 3" in answer.text or "digit 3" in answer.text

    await ann.send("/lab weights")
    files = [m for m in await ann.replies() if m.kind == "document"]
    assert files and files[0].file_name == LAB_FILE and files[0].document.startswith(b"PK")

    await ann.send("/lab off")
    assert plain("lab.off") in (await ann.replies())[-1].text
    await ann.send_photo(digit_photo(3, seed=5))
    answer = (await ann.replies())[-1]
    assert answer.kind == "photo" and "your network" not in answer.text

    await bot_env.restart()
    await ann.send("/lab weights")
    files = [m for m in await ann.replies() if m.kind == "document"]
    assert files, "the lab network did not survive a restart"


async def test_collect_asks_digit_after_digit_and_keeps_each_example(bot_env):
    olga = bot_env.user(4002, "Ольга", language_code="ru")
    await olga.send("/lab collect")
    assert "<b>0</b>" in (await olga.replies())[-1].html
    await olga.send_photo(digit_photo(0, seed=1))
    got = (await olga.replies())[-1]
    assert "Сохранено как 0" in got.text and "<b>1</b>" in got.html
    assert "всего 1 пример." in got.text  # one example: the singular
    store = bot_env.application.bot_data["services"].store
    assert [label for label, _ in store.corrections(olga.chat_id)] == [0]
    await olga.send("/lab personal")
    assert "У меня 1 пример вашего почерка, а нужно не меньше 20" in (await olga.replies())[-1].text


async def test_a_bad_layer_list_gets_a_clear_answer(bot_env):
    ann = bot_env.user(4003, "Ann")
    await ann.send("/lab layers=dense64,conv8")
    assert "put every conv and pool before the first dense" in (await ann.replies())[-1].text
    await ann.send("/lab layers=conv8,blob")
    assert "blob is not a layer I know" in (await ann.replies())[-1].text
    await ann.send("/lab epochs=100000")
    assert "epochs must be a number from 1 to 200" in (await ann.replies())[-1].text
