"""Pictures for the digit reader: what the network saw, its probabilities, and the stages.

Pure functions returning PNG bytes, sized and lettered for a phone screen. The answer pictures
(`digit_picture`, `number_picture`) are drawn with Pillow in a few milliseconds; the stages grid,
shown only on a button press, uses matplotlib's object API (`Figure` + `FigureCanvasAgg`, no
pyplot, so it is safe on worker threads). Call them off the event loop.
"""

from __future__ import annotations

import importlib.util
import io
import struct
import zlib
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from bot.i18n import t
from bot.training.answers import percent

ACCENT = "#2b6cb0"
MUTED = "#a0aec0"
TRACK = "#edf2f7"
INK = "#1a202c"
UNSURE = "#c05621"
BACKGROUND = "white"

# --------------------------------------------------------------------------- fonts

_SYSTEM_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu")


def _font_dirs() -> list[Path]:
    """Where DejaVu Sans (with Cyrillic) lives: inside matplotlib first, then the system."""
    dirs = []
    spec = importlib.util.find_spec("matplotlib")  # located, not imported
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            dirs.append(Path(location) / "mpl-data" / "fonts" / "ttf")
    dirs.extend(Path(d) for d in _SYSTEM_FONT_DIRS)
    return dirs


@cache
def _font_path(bold: bool) -> str | None:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in _font_dirs():
        if (folder / name).is_file():
            return str(folder / name)
    return None


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu Sans at `size` px, loaded once per (size, weight)."""
    path = _font_path(bold)
    if path is None:  # no DejaVu anywhere: Pillow's own font (Latin only) rather than failing
        return ImageFont.load_default(size)
    return ImageFont.truetype(path, size)


def _fitting_font(draw: ImageDraw.ImageDraw, text: str, width: int, size: int, bold=False):
    """The largest font up to `size` px in which every line of `text` fits in `width` px."""
    while size > 12:
        f = font(size, bold)
        if max(draw.textlength(line, font=f) for line in text.split("\n")) <= width:
            return f
        size -= 2
    return font(size, bold)


# --------------------------------------------------------------------------- helpers


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(image: Image.Image) -> bytes:
    """An RGB picture as PNG, every row unfiltered and deflated at level 1.

    Pillow's encoder tries every row filter on every row: ~8 ms for a 1040×580 picture, most of
    the drawing time. Flat-colour graphics compress well without filters (~3 ms, a similar size),
    so the few chunks of the format are written here; the bytes are a standard PNG.
    """
    if image.mode != "RGB":
        image = image.convert("RGB")
    width, height = image.size
    rows = np.zeros((height, width * 3 + 1), np.uint8)  # a leading 0 per row: filter "none"
    rows[:, 1:] = np.frombuffer(image.tobytes(), np.uint8).reshape(height, width * 3)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", zlib.compress(rows, 1)),
            _chunk(b"IEND", b""),
        )
    )


def _input_image(image28: np.ndarray, side: int) -> Image.Image:
    """The network's input as crisp square pixels (NEAREST), `side` px wide, RGB."""
    pixels = np.clip(np.asarray(image28, dtype=np.float32), 0.0, 1.0) * 255.0 + 0.5
    small = Image.fromarray(pixels.astype(np.uint8), mode="L")
    return small.resize((side, side), Image.Resampling.NEAREST).convert("RGB")


def _title(draw, text: str, centre_x: int, top: int, width: int, size: int) -> int:
    """A centred (multi-line) title; returns the y just below it."""
    f = _fitting_font(draw, text, width, size)
    box = draw.multiline_textbbox((centre_x, top), text, font=f, anchor="ma", align="center")
    draw.multiline_text(
        (centre_x, top), text, font=f, fill=INK, anchor="ma", align="center", spacing=6
    )
    return box[3] + 6  # spacing is not in the box of the last line


# --------------------------------------------------------------------------- pictures

WIDTH, HEIGHT = 1040, 590
MARGIN = 24
SIDE = 28 * 15  # the input, 15 screen pixels per network pixel
TOP = 120  # where the input and the bars start, below two title lines


def digit_picture(image28: np.ndarray, probs: np.ndarray, lang: str) -> bytes:
    """The 28×28 input beside ten probability bars, the winner highlighted."""
    probs = np.asarray(probs, dtype=float).reshape(-1)
    best = int(np.argmax(probs))
    canvas = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(canvas)

    # Left: what the network saw.
    left = MARGIN
    _title(draw, t("digits.picture.seen", lang), left + SIDE // 2, MARGIN, SIDE + 20, 30)
    canvas.paste(_input_image(image28, SIDE), (left, TOP))
    draw.rectangle((left - 1, TOP - 1, left + SIDE, TOP + SIDE), outline=MUTED, width=1)

    # Right: one bar per digit on a light track that stands for 100 %.
    right = left + SIDE + 56
    panel = WIDTH - MARGIN - right
    _title(draw, t("digits.picture.probs", lang), right + panel // 2, MARGIN, panel, 30)
    label_width = 40
    text_room = 128  # "> 99.9%" in bold at 28 px
    bar_left = right + label_width + 12
    bar_full = WIDTH - MARGIN - text_room - bar_left
    row = SIDE / 10
    bar_height = int(row * 0.72)
    for d in range(10):
        winner = d == best
        centre = TOP + int(row * d + row / 2)
        top, bottom = centre - bar_height // 2, centre + bar_height // 2
        draw.text(
            (right + label_width, centre),
            str(d),
            font=font(32, bold=winner),
            fill=ACCENT if winner else INK,
            anchor="rm",
        )
        draw.rectangle((bar_left, top, bar_left + bar_full, bottom), fill=TRACK)
        share = float(np.clip(probs[d], 0.0, 1.0))
        length = round(share * bar_full)
        if length > 0:
            draw.rectangle(
                (bar_left, top, bar_left + length, bottom), fill=ACCENT if winner else MUTED
            )
        if share >= 0.005 or winner:
            draw.text(
                (bar_left + bar_full + 10, centre),
                percent(share),
                font=font(28, bold=winner),
                fill=ACCENT if winner else INK,
                anchor="lm",
            )
    # The scale under the bars: 0 %, 50 %, 100 % of the track.
    scale_y = TOP + SIDE + 8
    small = font(20)
    for fraction, anchor in ((0.0, "la"), (0.5, "ma"), (1.0, "ra")):
        x = bar_left + round(fraction * bar_full)
        draw.line((x, scale_y - 6, x, scale_y - 1), fill=MUTED, width=2)
        draw.text((x, scale_y), f"{fraction * 100:.0f}%", font=small, fill=MUTED, anchor=anchor)
    return _png(canvas)


def number_layout(lines: list[int], most: int = 8) -> list[tuple[int, int]]:
    """(row, column) of each digit in the picture: one row per line of writing.

    `lines[i]` is the line of writing digit i is on (0 = the top one, digits in reading
    order). A line longer than `most` digits goes on over the next rows, so the picture stays
    phone-sized; the next line of writing still starts a row of its own.
    """
    places, row, column, previous = [], -1, 0, None
    for line in lines:
        if line != previous or column == most:
            row, column, previous = row + 1, 0, line
        places.append((row, column))
        column += 1
    return places


def number_picture(
    images28: list[np.ndarray],
    digits: list[int],
    confidences: list[float],
    lang: str,
    lines: list[int] | None = None,
) -> bytes:
    """Each digit's 28×28 input, its reading and confidence underneath, one row per line of
    writing (`lines`: each digit's line, see `number_layout`; all on one line by default)."""
    count = len(images28)
    lines = [0] * count if lines is None else list(lines)
    places = number_layout(lines)
    rows = max(r for r, _ in places) + 1
    in_row = [sum(1 for r, _ in places if r == row) for row in range(rows)]
    columns = max(in_row)
    side, gap, label = 28 * 6, 28, 48
    title_height = 80
    width = max(640, columns * side + (columns - 1) * gap + 2 * MARGIN)
    height = title_height + rows * (side + label + gap) + MARGIN - gap
    canvas = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(canvas)
    # the lines of writing separated by a space, as `nnbot digits --number` prints them
    written = [""] * (max(lines) + 1)
    for digit, line in zip(digits, lines, strict=True):
        written[line] += str(digit)
    number = " ".join(w for w in written if w)
    title = "digits.picture.lines" if sum(1 for w in written if w) > 1 else "digits.picture.number"
    _title(draw, t(title, lang, number=number), width // 2, MARGIN,
           width - 2 * MARGIN, 34)  # fmt: skip
    labels = [f"{d}  ·  {percent(c)}" for d, c in zip(digits, confidences, strict=True)]
    # the widest label fits under its input with room to spare, so neighbours never touch
    label_font = _fitting_font(draw, max(labels, key=len), side + gap // 2, 26, bold=True)
    for (row, column), image, text, conf in zip(places, images28, labels, confidences, strict=True):
        row_width = in_row[row] * side + (in_row[row] - 1) * gap  # each row centred
        x = (width - row_width) // 2 + column * (side + gap)
        y = title_height + row * (side + label + gap)
        canvas.paste(_input_image(image, side), (x, y))
        draw.rectangle((x - 1, y - 1, x + side, y + side), outline=MUTED, width=1)
        draw.text(
            (x + side // 2, y + side + 10),
            text,
            font=label_font,
            fill=ACCENT if conf >= 0.8 else UNSURE,
            anchor="ma",
        )
    return _png(canvas)


def stages_picture(stages: list[tuple[str, np.ndarray]], lang: str) -> bytes:
    """Every preprocessing stage in a grid, captioned in the user's language (matplotlib)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    count = len(stages)
    columns = 4 if count > 4 else max(1, count)
    rows = -(-count // columns)
    figure = Figure(figsize=(3.4 * columns, 3.6 * rows + 0.8))
    FigureCanvasAgg(figure)
    axes = figure.subplots(rows, columns, squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    for i, (name, picture) in enumerate(stages):
        ax = axes[i // columns, i % columns]
        picture = np.asarray(picture)
        if picture.ndim == 2:
            ax.imshow(
                picture,
                cmap="gray",
                vmin=0,
                vmax=255,
                interpolation="nearest" if max(picture.shape) <= 64 else "antialiased",
            )
        else:
            ax.imshow(picture)
        ax.set_title(t(f"digits.stage.{name}", lang), fontsize=17)
    figure.suptitle(t("digits.picture.stages", lang), fontsize=22)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=100)
    return out.getvalue()
