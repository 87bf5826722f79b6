"""bot.digits.photo: decoding (EXIF, transparency, animations) and the refusals before any ink
is looked for."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, ImageDraw

from bot.digits import vision
from tests.bot.digits.helpers import correlation, drawn_photo, png, problem_code


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_exif_orientation_is_honoured(orientation):
    upright = vision.prepare_digit(drawn_photo(7, seed=9, blur=0, quality=95)).image28
    turned = vision.prepare_digit(
        drawn_photo(7, seed=9, blur=0, quality=95, orientation=orientation)
    ).image28
    assert correlation(upright, turned) > 0.85


def test_a_transparent_png_is_read_on_white():
    image = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(100, 30), (100, 170)], fill=(0, 0, 0, 255), width=12)
    prepared = vision.prepare_digit(png(image))
    assert prepared.image28.max() > 0.8


def test_an_animated_gif_is_read_from_its_first_frame():
    frames = []
    for x in (60, 140):
        frame = Image.new("L", (200, 200), 255)
        ImageDraw.Draw(frame).line([(x, 40), (x, 160)], fill=0, width=10)
        frames.append(frame)
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100)
    prepared = vision.prepare_digit(out.getvalue())
    assert prepared.box[0] < 100  # the first frame's stroke is on the left


def test_not_an_image():
    assert problem_code(b"") == "not_image"
    assert problem_code(b"hello, this is text and not a picture") == "not_image"
    assert problem_code(b"%PDF-1.4\n" + bytes(200)) == "not_image"


def test_a_truncated_jpeg_is_reported_as_broken():
    data = drawn_photo(3)
    assert problem_code(data[: len(data) // 3]) == "broken"


def test_too_many_pixels_is_refused_before_decoding():
    big = png(Image.new("1", (3000, 3000), 1))
    assert problem_code(big, max_pixels=1_000_000) == "too_large"


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a size but holds almost nothing: a decompression bomb's calling card."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))


def test_a_decompression_bomb_is_refused_even_with_a_generous_limit():
    assert problem_code(png_header_only(40_000, 40_000), max_pixels=10**10) == "too_large"
    assert problem_code(png_header_only(40_000, 40_000)) == "too_large"


@pytest.mark.parametrize("size", [(1, 1), (10, 10), (20000, 20), (20, 20000)])
def test_tiny_or_strip_images_are_too_small(size):
    assert problem_code(png(Image.new("L", size, 255))) == "too_small"
