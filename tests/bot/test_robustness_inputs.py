"""Garbage in, a friendly answer out: broken and hostile files through the real handlers.

The real bot runs in this process against the local Bot API. Each input goes to its own chat,
the way a user sends it: as a document (no re-encoding, so the bytes arrive exactly as made),
or as a photo. A photo normally reaches the bot re-encoded by Telegram as a JPEG ≤ 1280 px;
to test the photo handler against broken bytes too, some are injected as a photo whose file
is exactly those bytes. For every input the chat must get an answer, never the "something
went wrong" apology, and the bot must log no error. The process's resident memory is sampled
while the inputs are handled, so a decompression bomb would show.
"""

from __future__ import annotations

import io
import os
import random
import struct
import threading
import time
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from tests.stress.harness import apologies, bot_messages, fragment, local_bot, small_config, texts

pytestmark = pytest.mark.timeout(900)
# broken copies of each seed image (JPEG, PNG, GIF); a longer run: ROBUSTNESS_MUTANTS=100
MUTANTS = int(os.environ.get("ROBUSTNESS_MUTANTS", "12"))


# --- making the inputs --------------------------------------------------------------------


def png_bytes(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def jpeg_bytes(image: Image.Image, quality: int = 90) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


def digit_image(digit: int = 7, size: tuple[int, int] = (400, 300)) -> Image.Image:
    """A dark digit-like stroke on light paper."""
    image = Image.new("L", size, 235)
    draw = ImageDraw.Draw(image)
    w, h = size
    if digit == 7:
        draw.line([(w * 0.35, h * 0.25), (w * 0.65, h * 0.25), (w * 0.45, h * 0.8)], 20, 12)
    else:
        draw.ellipse([w * 0.4, h * 0.2, w * 0.6, h * 0.8], outline=20, width=12)
    return image


def png_bomb(side: int = 20_000) -> bytes:
    """A valid greyscale PNG of side×side pixels (400 MB decoded), about 400 KB on disk."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    packer = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * side
    data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def animated_gif() -> bytes:
    frames = [digit_image(7), digit_image(0), Image.new("L", (400, 300), 235)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


def fake_pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
        b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def mutations(seed_bytes: bytes, count: int, rng: random.Random) -> list[bytes]:
    """Broken copies: truncated, bytes flipped, chunks duplicated or zeroed."""
    out = []
    for i in range(count):
        data = bytearray(seed_bytes)
        kind = i % 4
        if kind == 0:
            data = data[: rng.randrange(1, len(data))]
        elif kind == 1:
            for _ in range(rng.randrange(1, 40)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif kind == 2:
            start = rng.randrange(len(data))
            data[start : start + 200] = bytes(min(200, len(data) - start))
        else:
            start = rng.randrange(len(data))
            data = data[:start] + data[start : start + 500] * 3 + data[start:]
        out.append(bytes(data))
    return out


# --- sampling memory ----------------------------------------------------------------------


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class PeakRss:
    """Samples this process's resident memory every few milliseconds while in the block."""

    def __init__(self) -> None:
        self.start = self.peak = 0.0
        self._stop = threading.Event()

    def __enter__(self) -> PeakRss:
        self.start = self.peak = rss_mb()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb())
            time.sleep(0.002)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def growth(self) -> float:
        return self.peak - self.start


# --- the tests ----------------------------------------------------------------------------

EXPECTED = {  # input → the message its answer must contain (None: any friendly answer)
    "truncated.jpg": "digits.error.broken",
    "truncated.png": "digits.error.broken",
    "bomb.png": "digits.error.too_large",
    "one_pixel.png": "digits.error.too_small",
    "strip.png": "digits.error.too_small",
    "animated.gif": None,
    "paper.pdf": "table.file.unknown",
    "notes.txt": None,
    "binary.bin": "table.file.unknown",
    "random.jpg": "digits.error.not_image",
    "html_as.png": "digits.error.not_image",
    "blank_paper.png": "digits.error.blank",
    "noise.png": None,
    "big_blank_36mp.png": "digits.error.blank",
    "digit.png": None,
}


def named_inputs() -> dict[str, bytes]:
    rng = np.random.default_rng(3)
    digit_jpeg = jpeg_bytes(digit_image(7))
    digit_png = png_bytes(digit_image(0))
    noise = Image.fromarray(rng.integers(0, 256, (300, 400), dtype=np.uint8))
    return {
        "truncated.jpg": digit_jpeg[: len(digit_jpeg) // 2],
        "truncated.png": digit_png[: len(digit_png) // 2],
        "bomb.png": png_bomb(),
        "one_pixel.png": png_bytes(Image.new("L", (1, 1), 0)),
        "strip.png": png_bytes(Image.new("L", (20_000, 20), 128)),
        "animated.gif": animated_gif(),
        "paper.pdf": fake_pdf(),
        "notes.txt": b"Dear bot,\nplease learn this poem.\nRoses are red, violets are blue.\n",
        "binary.bin": bytes(rng.integers(0, 256, 5000, dtype=np.uint8)),
        "random.jpg": bytes(rng.integers(0, 256, 5000, dtype=np.uint8)),
        "html_as.png": b"<html><body><svg></svg></body></html>",
        "blank_paper.png": png_bytes(Image.new("L", (400, 300), 230)),
        "noise.png": png_bytes(noise),
        "big_blank_36mp.png": png_bytes(Image.new("L", (6000, 6000), 230)),
        "digit.png": digit_png,
    }


async def send_raw_photo(user, data: bytes) -> None:
    """A photo message whose file is exactly `data` (no Telegram re-encoding)."""
    stored = user.server.files.add(data, "photos", "image/jpeg")
    size = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.file_size,
        "width": 400,
        "height": 300,
    }
    user._receive({"photo": [size]})


def answered(session, chat_id: int) -> list[str]:
    return [m for m in texts(session.server, chat_id) if m]


async def test_every_broken_or_hostile_file_gets_a_friendly_answer(tmp_path):
    inputs = named_inputs()
    rng = random.Random(11)
    seeds = {
        "jpg": jpeg_bytes(digit_image(7)),
        "png": png_bytes(digit_image(0)),
        "gif": animated_gif(),
    }
    fuzzed = {
        f"mutant{i:03d}.{ext}": data
        for ext, seed in seeds.items()
        for i, data in enumerate(mutations(seed, MUTANTS, rng))
    }
    async with local_bot(small_config(tmp_path / "data")) as session:
        chat = 5000
        sent: dict[int, str] = {}
        with PeakRss() as memory:
            for name, data in {**inputs, **fuzzed}.items():
                chat += 1
                user = session.user(chat, "Fuzz")
                await user.send_document(data, file_name=name)
                sent[chat] = name
                chat += 1
                user = session.user(chat, "Fuzz")
                await send_raw_photo(user, data)
                sent[chat] = f"photo:{name}"
                await session.wait_idle(quiet=0.05)
            # the photo with no digit, sent the way a phone sends it
            for name in ("blank_paper.png", "noise.png"):
                chat += 1
                user = session.user(chat, "Fuzz")
                await user.send_photo(inputs[name])
                sent[chat] = f"phone:{name}"
            await session.wait_idle()
        unanswered = [name for chat, name in sent.items() if not answered(session, chat)]
        assert not unanswered, f"no answer to {unanswered}"
        assert not apologies(session.server), apologies(session.server)
        assert not session.log.errors, session.log.errors[:3]
        for chat, name in sent.items():
            key = EXPECTED.get(name.split(":")[-1])
            if key is not None and ":" not in name:  # documents arrive as they were made
                shown = "\n".join(answered(session, chat))
                assert fragment(key) in shown, (name, shown)
        for chat, name in sent.items():
            if name == "phone:blank_paper.png":
                assert fragment("digits.error.blank") in "\n".join(answered(session, chat))
        print(
            f"\n{len(sent)} inputs ({len(inputs)} named, {len(fuzzed)} mutated, each as a "
            f"document and as a photo), 0 crashes; RSS {memory.start:.0f} MB → peak "
            f"{memory.peak:.0f} MB (+{memory.growth:.0f} MB)"
        )
        # 36 Mpx greyscale is the largest picture decoded (40 Mpx limit): ~36 MB, and the
        # 400 Mpx bomb is refused from its header. Nothing near a bomb's 400 MB.
        assert memory.growth < 300, f"memory grew by {memory.growth:.0f} MB"


async def test_a_decompression_bomb_costs_no_memory(tmp_path):
    bomb = png_bomb()
    async with local_bot(small_config(tmp_path / "data")) as session:
        user = session.user(6001, "Bomb")
        await user.send("/help")  # warm up: handlers imported, first replies sent
        await session.wait_idle()
        with PeakRss() as memory:
            for _ in range(3):
                await user.send_document(bomb, file_name="bomb.png")
                await session.wait_idle(quiet=0.05)
        replies = answered(session, 6001)
        assert sum(fragment("digits.error.too_large") in r for r in replies) == 3
        assert memory.growth < 50, f"memory grew by {memory.growth:.0f} MB"
        assert len(bot_messages(session.server, 6001)) >= 4


async def test_many_big_images_at_once_stay_within_memory(tmp_path):
    """8 chats each send a 131 KB PNG of 39.7 Mpx (under the 40 Mpx limit) at the same time."""
    big = png_bytes(Image.new("RGB", (6300, 6300), (230, 230, 225)))
    async with local_bot(small_config(tmp_path / "data")) as session:
        users = [session.user(6100 + i, "Big") for i in range(8)]
        await users[0].send("/help")
        await session.wait_idle()
        with PeakRss() as memory:
            for user in users:
                await user.send_document(big, file_name="page.png")
            await session.wait_idle()
        for user in users:
            assert answered(session, user.chat_id), "a big image got no answer"
        assert not apologies(session.server)
        print(f"\n8 concurrent 40 Mpx documents: RSS +{memory.growth:.0f} MB")
        # the shipped docker-compose.yml gives the bot 1 GB in all
        assert memory.growth < 450, f"memory grew by {memory.growth:.0f} MB"
