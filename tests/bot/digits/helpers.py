"""Small photos for the pipeline tests: a drawn digit, a PNG, and what a refusal says."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from bot.digits import vision
from bot.digits.photo import ImageProblem
from tests.support import synthetic_photos as sp


def drawn_photo(digit: int, seed: int = 0, **kwargs) -> bytes:
    rng = np.random.default_rng(seed)
    kwargs.setdefault("stroke", "normal")
    kwargs.setdefault("orientation", 1)
    kwargs.setdefault("dark", False)
    kwargs.setdefault("size", (640, 480))
    return sp.random_digit_photo(None, digit, rng, **kwargs)


def five_in_two_pieces(pen: ImageDraw.ImageDraw) -> None:
    """A 5 with its bar apart from the body, as many write it, on a 640×480 sheet."""
    pen.line([(270, 150), (360, 150)], fill=30, width=12)
    pen.line([(268, 168), (262, 235)], fill=30, width=12)
    pen.arc([240, 215, 360, 335], 250, 150, fill=30, width=12)


def sheet(draw) -> Image.Image:
    """A light 640×480 sheet with `draw(pen)`'s strokes on it."""
    image = Image.new("L", (640, 480), 235)
    draw(ImageDraw.Draw(image))
    return image


def png(image: Image.Image, **kwargs) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", **kwargs)
    return out.getvalue()


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


def problem_code(data: bytes, **kwargs) -> str:
    with pytest.raises(ImageProblem) as info:
        vision.prepare_digit(data, **kwargs)
    return info.value.code
