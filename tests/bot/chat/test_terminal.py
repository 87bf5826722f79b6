"""`nnbot chat` in this process: the lines typed, and the transcript of what the bot did."""

from __future__ import annotations

import io

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.chat.terminal import Transcript, join_continued
from tests.bot.localapi.conftest import png


def test_chat_lines_ending_with_a_backslash_continue_the_message():
    lines = ["/table\\", "x y\\", "1 2", "/train", "", "tail\\"]
    assert list(join_continued(lines)) == ["/table\nx y\n1 2", "/train", "", "tail"]


async def test_chat_transcript_shows_every_edit_live_or_only_the_last_in_scripts(
    bot, client, tmp_path
):
    user = client.user(35, "Wes")
    await user.send("/train")
    live = Transcript(user, tmp_path / "live", io.StringIO(), coalesce=False)
    script = Transcript(user, tmp_path / "script", io.StringIO(), coalesce=True)
    stop = InlineKeyboardMarkup.from_button(InlineKeyboardButton("Stop", callback_data="s"))
    sent = await bot.send_message(35, "<b>Training</b> 0%", parse_mode="HTML", reply_markup=stop)
    for percent in (50, 100):
        await bot.edit_message_text(
            f"Training {percent}%", chat_id=35, message_id=sent.message_id, reply_markup=stop
        )
    await bot.edit_message_text("Done", chat_id=35, message_id=sent.message_id)
    await bot.send_photo(35, png(), caption="loss")
    for transcript in (live, script):
        transcript.drain()
        transcript.flush()
    shown = live.stream.getvalue()
    assert shown.startswith("Training 0%\n[1] Stop\n")
    assert "~ edited: Training 50%" in shown and "~ edited: Done" in shown
    assert shown.index("~ edited: Done") < shown.index("[photo] ")
    brief = script.stream.getvalue()
    assert "50%" not in brief and "100%" not in brief
    assert brief.index("~ edited: Done") < brief.index("[photo] ")
    assert [p.name for p in (tmp_path / "live").iterdir()] == ["01-photo.png"]
    assert (tmp_path / "live" / "01-photo.png").read_bytes() == png()
