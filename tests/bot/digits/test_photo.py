"""bot.digits.photo: decoding (EXIF, transparency, animations) and the refusals before any ink
is looked for."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFile

from bot.digits import photo, vision
from bot.digits.photo import ImageProblem
from bot.digits.reader import get_reader
from bot.i18n import t
from tests.bot.digits.helpers import correlation, drawn_photo, png, problem_code
from tests.support.hostile_images import progressive_jpeg_bomb


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
    for x in (120, 280):  # 400 px: a smaller picture is a tight crop, padded and moved
        frame = Image.new("L", (400, 400), 255)
        ImageDraw.Draw(frame).line([(x, 80), (x, 320)], fill=0, width=20)
        frames.append(frame)
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100)
    prepared = vision.prepare_digit(out.getvalue())
    assert prepared.box[0] < 200  # the first frame's stroke is on the left


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


@pytest.mark.parametrize("size", [(1, 1), (10, 10), (3, 60), (20000, 20), (20, 20000)])
def test_tiny_or_strip_images_are_too_small(size):
    assert problem_code(png(Image.new("L", size, 255))) == "too_small"


def test_a_one_cut_right_at_its_ink_is_not_too_small():
    image = Image.new("L", (8, 70), 215)
    ImageDraw.Draw(image).line([(5, 0), (2, 69)], fill=35, width=3)
    assert get_reader().read_digit(png(image)).digit == 1


def stroke_picture() -> Image.Image:
    """A white page with one dark vertical stroke (reads as a 1 in any mode).

    400 px: a picture under `bot.digits.candidates.SMALL` is a tight crop, enlarged and
    padded, and its box is in the padded picture's coordinates.
    """
    image = Image.new("RGB", (400, 400), (245, 245, 240))
    ImageDraw.Draw(image).line([(200, 60), (200, 340)], fill=(20, 20, 30), width=24)
    return image


def in_mode(mode: str) -> Image.Image:
    image = stroke_picture()
    if mode in ("I;16", "I;16B", "F", "I"):
        grey = np.asarray(image.convert("L"), dtype=np.float32)
        if mode == "F":
            return Image.fromarray(grey / 255.0, "F")  # floats in [0, 1]
        scale = 1 if mode == "I" else 257  # a 16-bit scan uses the whole 0–65535 range
        wide = Image.fromarray((grey * scale).astype(np.int32), "I")
        return wide if mode == "I" else wide.convert(mode)
    if mode == "P+transparency":
        page = image.convert("P", palette=Image.Palette.ADAPTIVE, colors=4)
        page.info["transparency"] = page.getpixel((0, 0))  # the paper is see-through
        return page
    return image.convert(mode)


@pytest.mark.parametrize(
    ("mode", "fmt"),
    [
        ("1", "TIFF"),
        ("L", "PNG"),
        ("LA", "PNG"),
        ("LA", "TIFF"),
        ("P", "GIF"),
        ("P+transparency", "PNG"),
        ("RGB", "TIFF"),
        ("RGBA", "TIFF"),
        ("CMYK", "TIFF"),
        ("CMYK", "JPEG"),
        ("YCbCr", "TIFF"),
        ("LAB", "TIFF"),
        ("I", "TIFF"),
        ("I;16", "PNG"),
        ("I;16", "TIFF"),
        ("I;16B", "TIFF"),
        ("F", "TIFF"),
    ],
)
def test_every_image_mode_pillow_opens_is_read(mode, fmt):
    out = io.BytesIO()
    in_mode(mode).save(out, fmt)
    out.seek(0)
    opened = Image.open(out).mode
    assert opened == mode.split("+")[0] or (mode, opened) == ("I;16B", "I;16")
    prepared = vision.prepare_digit(out.getvalue())
    x0, _y0, x1, _y1 = prepared.box
    assert x0 < 200 < x1  # the stroke was found where it was drawn
    assert prepared.image28.max() > 0.8


def test_a_mode_with_no_conversion_gets_a_clear_unsupported_answer():
    with pytest.raises(ImageProblem) as info:
        photo._to_grey(Image.new("La", (32, 32)))  # premultiplied grey: Pillow cannot convert
    assert info.value.code == "unsupported" and info.value.values == {"mode": "La"}
    text = t("digits.error.unsupported", "ru", **info.value.values)
    assert "La" in text and "JPEG" in text


def test_a_progressive_jpeg_with_too_many_scans_is_refused_before_decoding(monkeypatch):
    bomb = progressive_jpeg_bomb(64, 64, scans=photo.MAX_JPEG_SCANS + 1)
    decoded = []
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: decoded.append(self))
    with pytest.raises(ImageProblem) as info:
        vision.prepare_digit(bomb)
    assert info.value.code == "too_complex" and info.value.values == {"scans": 101}
    assert decoded == []  # refused from the markers alone
    assert "101" in t("digits.error.too_complex", "en", **info.value.values)


def test_the_scan_budget_shrinks_with_the_pixels():
    pixels = 4000 * 4000
    allowed = photo.JPEG_SCAN_BUDGET // pixels
    photo._check_scans(b"\xff\xda" * allowed, pixels)
    with pytest.raises(ImageProblem):
        photo._check_scans(b"\xff\xda" * (allowed + 1), pixels)


def test_an_ordinary_progressive_jpeg_is_read():
    out = io.BytesIO()
    stroke_picture().save(out, "JPEG", progressive=True, quality=90)
    assert out.getvalue().count(b"\xff\xda") > 3  # really progressive
    assert vision.prepare_digit(out.getvalue()).image28.max() > 0.8
