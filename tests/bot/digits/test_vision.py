"""bot.digits.vision: photo → MNIST-style 28×28, its invariants, its stages and its refusals.

Photos come from tests/synthetic_photos.py; the ones drawn with Pillow lines need no dataset.
"""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image, ImageDraw

from bot.digits import vision
from tests.support import synthetic_photos as sp
from tests.support.synthetic_photos import centre_of_mass


def drawn_photo(digit: int, seed: int = 0, **kwargs) -> bytes:
    rng = np.random.default_rng(seed)
    kwargs.setdefault("stroke", "normal")
    kwargs.setdefault("orientation", 1)
    kwargs.setdefault("dark", False)
    kwargs.setdefault("size", (640, 480))
    return sp.random_digit_photo(None, digit, rng, **kwargs)


def png(image: Image.Image, **kwargs) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", **kwargs)
    return out.getvalue()


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


@pytest.mark.parametrize("digit", range(10))
def test_a_drawn_digit_becomes_28x28_centred_by_mass(digit):
    prepared = vision.prepare_digit(drawn_photo(digit, seed=digit))
    image = prepared.image28
    assert image.shape == (28, 28) and image.dtype == np.float32
    assert image.min() >= 0 and image.max() <= 1 and image.max() > 0.8
    cy, cx = centre_of_mass(image)
    assert abs(cy - 14) <= 1 and abs(cx - 14) <= 1
    ys, xs = np.nonzero(image > 0.05)
    assert max(ys.max() - ys.min(), xs.max() - xs.min()) + 1 <= 22  # fitted into ~20 px
    assert ys.min() > 0 and xs.min() > 0 and ys.max() < 27 and xs.max() < 27


@pytest.mark.parametrize("stroke", ["thin", "normal", "thick"])
def test_pen_thickness_is_normalised(stroke):
    image = vision.prepare_digit(drawn_photo(0, seed=3, stroke=stroke)).image28
    ink = (image > 0.5).sum()
    assert 50 <= ink <= 260, f"{stroke}: {ink} ink pixels"


def test_light_ink_on_dark_board_reads_like_dark_on_light():
    light = vision.prepare_digit(drawn_photo(4, seed=5, dark=False)).image28
    dark = vision.prepare_digit(drawn_photo(4, seed=5, dark=True)).image28
    assert correlation(light, dark) > 0.8


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_exif_orientation_is_honoured(orientation):
    upright = vision.prepare_digit(drawn_photo(7, seed=9, blur=0, quality=95)).image28
    turned = vision.prepare_digit(
        drawn_photo(7, seed=9, blur=0, quality=95, orientation=orientation)
    ).image28
    assert correlation(upright, turned) > 0.85


def test_stages_are_kept_on_request_as_uint8_pictures():
    prepared = vision.prepare_digit(drawn_photo(2), keep_stages=True)
    names = [name for name, _ in prepared.stages]
    assert names == ["grey", "flat", "ink", "parts", "crop", "thick", "input"]
    for _, picture in prepared.stages:
        assert picture.dtype == np.uint8 and max(picture.shape[:2]) <= vision.STAGE_SIDE
    assert prepared.stages[-1][1].shape == (28, 28)
    assert vision.prepare_digit(drawn_photo(2)).stages == []


def test_a_number_is_split_into_digits_left_to_right():
    rng = np.random.default_rng(11)
    digits = [3, 0, 7, 1, 5]
    data = sp.random_number_photo([None] * 5, digits, rng, stroke="normal", gap=0.4)
    parts = vision.prepare_number(data)
    assert len(parts) == 5
    lefts = [p.box[0] for p in parts]
    assert lefts == sorted(lefts)
    for p in parts:
        cy, cx = centre_of_mass(p.image28)
        assert abs(cy - 14) <= 1 and abs(cx - 14) <= 1


def test_touching_digits_are_cut_apart():
    rng = np.random.default_rng(12)
    data = sp.random_number_photo([None] * 3, [4, 8, 2], rng, stroke="thick", gap=-0.05, blur=0)
    assert len(vision.prepare_number(data)) == 3


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


def test_components_match_a_flood_fill():
    rng = np.random.default_rng(0)
    for _ in range(20):
        mask = rng.random((40, 50)) < rng.uniform(0.2, 0.6)
        parts = vision.label_components(mask)
        assert parts.count == flood_fill_count(mask)
        assert parts.area.sum() == mask.sum()


def flood_fill_count(mask: np.ndarray) -> int:
    seen = np.zeros_like(mask)
    count = 0
    h, w = mask.shape
    for y0, x0 in zip(*np.nonzero(mask), strict=True):
        if seen[y0, x0]:
            continue
        count += 1
        stack = [(y0, x0)]
        seen[y0, x0] = True
        while stack:
            y, x = stack.pop()
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    v, u = y + dy, x + dx
                    if 0 <= v < h and 0 <= u < w and mask[v, u] and not seen[v, u]:
                        seen[v, u] = True
                        stack.append((v, u))
    return count


def test_usps_is_brought_to_the_mnist_convention():
    usps = -np.ones((2, 16, 16), dtype=np.float32)
    usps[0, 2:14, 6:10] = 1  # a "1"
    usps[1, 1:15, 1:15] = 1
    out = vision.usps_to_mnist(usps)
    assert out.shape == (2, 28, 28) and out.min() >= 0 and out.max() <= 1
    for image in out:
        ys, xs = np.nonzero(image > 0.05)
        assert max(ys.max() - ys.min(), xs.max() - xs.min()) + 1 <= 21
        cy, cx = centre_of_mass(image)
        assert abs(cy - 14) <= 1 and abs(cx - 14) <= 1


# --------------------------------------------------------------------------- refusals


def problem_code(data: bytes, **kwargs) -> str:
    with pytest.raises(vision.ImageProblem) as info:
        vision.prepare_digit(data, **kwargs)
    return info.value.code


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


def test_a_blank_page_is_blank():
    assert problem_code(png(Image.new("RGB", (640, 480), (230, 228, 220)))) == "blank"
    rng = np.random.default_rng(1)
    paper = sp.photo([np.zeros((50, 50), np.float32)], rng, size=(640, 480), blur=1.0)
    assert problem_code(paper) == "blank"


def test_only_a_shadow_along_the_edge_is_no_digit():
    image = Image.new("L", (640, 480), 235)
    ImageDraw.Draw(image).rectangle([0, 0, 60, 479], fill=40)
    assert problem_code(png(image)) in {"no_digit", "blank"}


@pytest.mark.parametrize("ruled", ["lines", "squares"])
def test_ruled_and_squared_paper_lines_are_not_ink(ruled):
    rng = np.random.default_rng(21)
    glyph = sp.stroke_glyph(3, 240, 8, rng)
    data = sp.photo([glyph], rng, size=(640, 480), ruled=ruled, orientation=1, blur=0.5)
    clean = sp.photo([glyph], np.random.default_rng(21), size=(640, 480), orientation=1, blur=0.5)
    ruled_image = vision.prepare_digit(data).image28
    assert correlation(ruled_image, vision.prepare_digit(clean).image28) > 0.8
    parts = vision.prepare_number(data)
    assert len(parts) == 1
