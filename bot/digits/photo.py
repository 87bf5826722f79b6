"""Stage 1 of reading a photo: decode it safely and turn it into a small greyscale array.

The size is checked from the header before anything is decoded (a decompression bomb costs
nothing), EXIF rotation is honoured, transparency lands on white paper, and the long side is
shrunk to the working size. Problems a user can cause raise `ImageProblem(code)`; the code
names an i18n message `digits.error.<code>`.
"""

from __future__ import annotations

import io
import threading
import warnings

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

DEFAULT_MAX_PIXELS = 40_000_000
WORK_SIDE = 640  # the photo's long side while we look for ink
NUMBER_SIDE = 1024  # … and for a number, whose digits are smaller
MIN_SIDE = 16  # smaller pictures cannot hold a readable digit
MAX_ASPECT = 12  # longer/shorter side; beyond that it is a strip, not a photo


class ImageProblem(ValueError):
    """A picture we cannot read a digit from; `code` selects the message for the user."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def load_grey(
    data: bytes, max_pixels: int = DEFAULT_MAX_PIXELS, side: int = WORK_SIDE
) -> np.ndarray:
    """Decode `data` into a greyscale float32 array (long side ≤ `side`), upright per EXIF.

    The pixel count is checked from the header before any decoding, so a decompression bomb
    costs nothing. JPEGs are decoded straight at a reduced scale (`draft`), which is most of
    the speed of the whole pipeline.
    """
    if not data:
        raise ImageProblem("not_image", "empty file")
    with _DECODING:
        return _decode_grey(data, max_pixels, side)


# A full-size decode of a big PNG briefly needs ~4 bytes per pixel (RGB, then grey): at most
# two at once per process keeps memory bounded however many chats send pictures together.
_DECODING = threading.BoundedSemaphore(2)


def _decode_grey(data: bytes, max_pixels: int, side: int) -> np.ndarray:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > max_pixels:
                raise ImageProblem("too_large", f"{width}×{height}")
            if min(width, height) < MIN_SIDE or max(width, height) > MAX_ASPECT * min(
                width, height
            ):
                raise ImageProblem("too_small", f"{width}×{height}")
            if getattr(image, "n_frames", 1) > 1:
                image.seek(0)  # an animation: read its first frame
            orientation = image.getexif().get(0x0112, 1)
            if image.format == "JPEG":
                scale = max(width, height) / side
                image.draft("L", (int(width / scale), int(height / scale)))
            image.load()
    except ImageProblem:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageProblem("too_large", str(exc)) from exc
    except UnidentifiedImageError as exc:
        raise ImageProblem("not_image", str(exc)) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageProblem("broken", str(exc)) from exc
    if orientation != 1:
        image.getexif()[0x0112] = orientation
        image = ImageOps.exif_transpose(image)
    if max(image.size) >= 2 * side and image.mode in ("L", "RGB", "RGBA", "LA"):
        image = image.reduce(max(image.size) // side)  # box-average first: a smaller grey copy
    image = _to_grey(image)
    if max(image.size) > side:
        factor = max(image.size) / side
        new = (max(1, round(image.width / factor)), max(1, round(image.height / factor)))
        image = image.resize(new, Image.Resampling.BOX)
    return np.asarray(image, dtype=np.float32)


def _to_grey(image: Image.Image) -> Image.Image:
    """Greyscale, with transparency composited onto white paper."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(paper, rgba)
    if image.mode in ("I", "I;16", "I;16B", "F"):
        array = np.asarray(image, dtype=np.float32)
        low, high = float(array.min()), float(array.max())
        array = (array - low) / (high - low or 1) * 255
        return Image.fromarray(array.astype(np.uint8))
    return image.convert("L")
