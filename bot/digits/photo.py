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
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

DEFAULT_MAX_PIXELS = 40_000_000
WORK_SIDE = 640  # the photo's long side while we look for ink
NUMBER_SIDE = 1024  # … and for a number, whose digits are smaller
MIN_SIDE = 16  # a picture whose long side is shorter cannot hold a readable digit
MIN_WIDTH = 4  # … nor one whose short side is: a 1 cut right at its ink can be 6 px wide
MAX_ASPECT = 12  # longer/shorter side; beyond that it is a strip, not a photo
# A progressive JPEG is decoded scan by scan over the whole picture, and nothing stops a file
# from repeating a scan thousands of times (36 Mpx × 41 000 scans: 80 s per decode). Ordinary
# encoders write 1–3 scans, or about 10 when progressive; the scans are counted from their
# markers before decoding. Decoding costs ≈1.4 ms per megapixel-scan here (6000×6000 × 100
# scans: 5 s), so the budget allows a 40 Mpx photo 12 scans: about 0.7 s at worst.
MAX_JPEG_SCANS = 100
JPEG_SCAN_BUDGET = 12 * DEFAULT_MAX_PIXELS  # pixels × scans


class ImageProblem(ValueError):
    """A picture we cannot read a digit from; `code` selects the message for the user."""

    def __init__(self, code: str, detail: str = "", **values: object) -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        self.values = values  # placeholders of the message (e.g. the image mode)


@dataclass(frozen=True)
class Decoded:
    """A photo decoded once: greyscale uint8, long side ≤ NUMBER_SIDE, upright.

    Reading it as a number, as a digit, and drawing its stages all start from this array, so
    the (costly, possibly hostile) file is decoded only once; it is also what the bot keeps
    for the buttons under the answer, at most 1 MB however big the file was.
    """

    grey: np.ndarray

    def at(self, side: int) -> np.ndarray:
        """The photo as float32 with its long side shrunk to at most `side` (box average)."""
        image = Image.fromarray(self.grey)
        if max(image.size) > side:
            factor = max(image.size) / side
            new = (max(1, round(image.width / factor)), max(1, round(image.height / factor)))
            image = image.resize(new, Image.Resampling.BOX)
        return np.asarray(image, dtype=np.float32)


def decode(data: bytes, max_pixels: int = DEFAULT_MAX_PIXELS) -> Decoded:
    """Decode a photo once for every later reading. Raises ImageProblem."""
    return Decoded(load_grey(data, max_pixels, NUMBER_SIDE).astype(np.uint8))


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
            short, long = sorted((width, height))
            if long < MIN_SIDE or short < MIN_WIDTH or long > MAX_ASPECT * short:
                raise ImageProblem("too_small", f"{width}×{height}")
            if image.format in ("JPEG", "MPO"):
                _check_scans(data, width * height)
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


def _check_scans(data: bytes, pixels: int) -> None:
    """Refuse a JPEG whose scans would take too long to decode (a progressive-JPEG bomb).

    Inside a JPEG's entropy-coded data every 0xFF byte is followed by 0x00 or a restart
    marker, so each 0xFF 0xDA in the file starts a scan.
    """
    scans = data.count(b"\xff\xda")
    if scans > MAX_JPEG_SCANS or scans * pixels > JPEG_SCAN_BUDGET:
        raise ImageProblem("too_complex", f"{scans} scans", scans=scans)


def _to_grey(image: Image.Image) -> Image.Image:
    """Greyscale, with transparency composited onto white paper.

    Every mode Pillow opens is handled: colour and palette modes convert directly, LAB keeps
    its lightness, 16/32-bit integer and float images are stretched to 0–255; any other mode
    raises ImageProblem("unsupported").
    """
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(paper, rgba)
    if image.mode == "LAB":
        return image.getchannel("L")  # lightness: the grey of a LAB picture
    if image.mode.startswith("I") or image.mode == "F":
        array = np.asarray(image, dtype=np.float32)
        array = np.nan_to_num(array, nan=0.0, posinf=0.0, neginf=0.0)
        low, high = float(array.min()), float(array.max())
        array = (array - low) / (high - low or 1) * 255
        return Image.fromarray(array.astype(np.uint8))
    try:
        return image.convert("L")
    except ValueError as exc:
        raise ImageProblem("unsupported", image.mode, mode=image.mode) from exc
