"""Synthetic photos of the paper people write on, one generator per kind of real failure.

The kinds (issue 15) are the photos learners take every day that the reader used to miss:

- "tilted lines" / "tilted squares": ruled or squared notebook paper turned up to ±12°, gently
  curved, in perspective, its printed lines faded or broken, sometimes with the red margin line;
- "edge": a thick-marker digit running off the edge of the picture;
- "tight crop": a small (50–200 px) picture that the digit nearly fills;
- "styles": a European 1 with a long flag, a 4 with a high bar among faint pencil lines, an 8
  drawn as a small loop on a tall stroke, 9s with open or slanted loops;
- "touching numbers": a number written with no gaps between its digits;
- "lines": a page with 2–5 lines of digits (now and then a column of single digits);
- "cut at the ink": a picture cropped right at the digit's ink (40–200 px tall), its strokes
  on the edges and now and then cut a little, as people crop a digit out of a bigger photo.

`kind_photo(kind, rng, digits_source)` returns (JPEG bytes, truth); the truth is the digit, or
the lines of a number joined by "-" (the convention of photos-dev2). Glyphs come from MNIST
*test* images when a source is given (never seen in training), else from Pillow strokes.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
from PIL import Image, ImageFilter

from bot.digits.mnist_frame import crop_to_ink
from tests.support.synthetic_photos import _paper, _resize, mnist_glyph, stroke_glyph

KINDS = (
    "tilted lines",
    "tilted squares",
    "edge",
    "tight crop",
    "styles",
    "touching numbers",
    "lines",
    "cut at the ink",
)

# Handwriting styles the real photos showed, drawn like synthetic_photos.STROKES.
STYLE_SHAPES: dict[str, tuple[int, list[list[tuple[float, float]]]]] = {
    "1 with a long flag": (1, [[(0.0, 0.45), (0.7, 0.0), (0.7, 1.0)]]),
    "4 with a high bar": (
        4,
        [[(0.35, 0.0), (0.08, 0.4), (0.95, 0.4)], [(0.68, 0.05), (0.66, 1.0)]],
    ),
    "8 as a loop on a tall stroke": (
        8,
        [
            [(0.75, 0.05), (0.5, 0.0), (0.3, 0.12), (0.45, 0.38), (0.6, 0.55), (0.65, 0.8)],
            [(0.65, 0.8), (0.5, 1.0), (0.3, 0.85), (0.4, 0.6), (0.6, 0.5), (0.7, 0.3)],
            [(0.7, 0.3), (0.75, 0.05)],
        ],
    ),
    "open 9": (
        9,
        [
            [(0.8, 0.15), (0.5, 0.0), (0.15, 0.12), (0.12, 0.35), (0.45, 0.5), (0.8, 0.35)],
            [(0.82, 0.05), (0.8, 0.6), (0.7, 1.0)],
        ],
    ),
    "slanted 9": (
        9,
        [
            [(0.95, 0.2), (0.7, 0.0), (0.35, 0.05), (0.3, 0.3), (0.55, 0.45), (0.92, 0.25)],
            [(0.92, 0.25), (0.6, 0.7), (0.35, 1.0)],
        ],
    ),
}

Source = Callable[[int, int, str], np.ndarray]  # (digit, height, stroke) → glyph


def drawn_source(rng: np.random.Generator) -> Source:
    """Glyphs drawn with Pillow lines (no data set needed)."""

    def glyph(digit: int, height: int, stroke: str) -> np.ndarray:
        width = {"thin": 0.03, "normal": 0.07, "thick": 0.13}[stroke] * height
        return stroke_glyph(digit, height, max(2.0, width), rng)

    return glyph


def mnist_source(
    images: np.ndarray, labels: np.ndarray, rng: np.random.Generator, used: list | None = None
) -> Source:
    """Glyphs from MNIST images (use the test split: the model never saw them). The index of
    every image drawn is appended to `used` when given."""
    by_digit = [np.nonzero(labels == d)[0] for d in range(10)]

    def glyph(digit: int, height: int, stroke: str) -> np.ndarray:
        index = int(rng.choice(by_digit[digit]))
        if used is not None:
            used.append(index)
        return mnist_glyph(images[index], height, stroke)

    return glyph


def _printed_lines(size, rng, squares: bool, pitch: float) -> tuple[np.ndarray, np.ndarray]:
    """Alpha of printed lines (tilted, curved, in perspective, faded/broken) and a red margin."""
    w, h = size
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = np.radians(rng.uniform(-12, 12))
    u = np.cos(angle) * (xx - w / 2) + np.sin(angle) * (yy - h / 2)  # along the lines
    v = -np.sin(angle) * (xx - w / 2) + np.cos(angle) * (yy - h / 2)  # across them
    bend = rng.uniform(-1, 1) * 0.04 * h  # gentle curvature: the page does not lie flat
    v = v + bend * (u / (w / 2)) ** 2
    squeeze = 1 + rng.uniform(-0.25, 0.25) * v / h  # perspective: spacing grows along the page
    thickness = rng.uniform(1.2, 3.2)
    alpha = np.zeros((h, w), np.float32)
    families = [(v * squeeze, u * squeeze)] + ([(u * squeeze, v * squeeze)] if squares else [])
    offset = rng.uniform(0, pitch)
    for across, along in families:
        phase = np.abs(((across + offset) / pitch + 0.5) % 1.0 - 0.5) * pitch
        line = np.clip(thickness / 2 + 0.5 - phase, 0, 1)
        if rng.random() < 0.5:  # broken by the threshold: faint stretches along the line
            wave = np.sin(along / rng.uniform(15, 60) + rng.uniform(0, 6)) > rng.uniform(-0.2, 0.5)
            line = line * np.where(wave, 1.0, rng.uniform(0.0, 0.3))
        np.maximum(alpha, line, out=alpha)
    margin = np.zeros((h, w), np.float32)
    if rng.random() < 0.4:
        at = rng.uniform(-0.4, 0.4) * w
        margin = np.clip(2.0 - np.abs(u - at + 0.02 * v), 0, 1)
    return alpha * rng.uniform(0.5, 1.0), margin * rng.uniform(0.5, 0.9)


def _finish(page: np.ndarray, rng: np.random.Generator, blur: float | None = None) -> bytes:
    image = Image.fromarray(np.clip(page, 0, 255).astype(np.uint8), "RGB")
    radius = rng.uniform(0.0, 1.5) if blur is None else blur
    if radius > 0:
        image = image.filter(ImageFilter.GaussianBlur(radius))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=int(rng.integers(60, 95)))
    return out.getvalue()


def _ink(page: np.ndarray, alpha: np.ndarray, colour: np.ndarray) -> np.ndarray:
    a = alpha[..., None]
    return page * (1 - a) + colour[None, None, :] * a


def _pen(rng: np.random.Generator) -> np.ndarray:
    if rng.random() < 0.6:
        return rng.uniform([10, 20, 90], [60, 60, 170])  # blue ballpoint
    return rng.uniform([5, 5, 5], [60, 60, 60])


def page(
    placed: list[tuple[np.ndarray, int, int]],
    rng: np.random.Generator,
    size: tuple[int, int] = (1024, 768),
    ruled: str | None = None,
    pitch: float = 60.0,
    pencil: bool = False,
    blur: float | None = None,
    strength: tuple[float, float] = (0.8, 1.0),
) -> bytes:
    """Glyphs at (x, y) top-left positions on a page (any may run off it), as a JPEG."""
    w, h = size
    paper = _paper(size, rng, dark=False)
    if ruled:
        lines, margin = _printed_lines(size, rng, ruled == "squares", pitch)
        paper = _ink(paper, lines, rng.uniform([80, 105, 150], [160, 175, 215]))
        paper = _ink(paper, margin, rng.uniform([190, 30, 40], [235, 90, 100]))
    ink = np.zeros((h, w), np.float32)
    for glyph, x, y in placed:
        gy0, gx0 = max(0, -y), max(0, -x)
        y0, x0 = max(0, y), max(0, x)
        y1, x1 = min(h, y + glyph.shape[0]), min(w, x + glyph.shape[1])
        if y1 > y0 and x1 > x0:
            part = glyph[gy0 : gy0 + y1 - y0, gx0 : gx0 + x1 - x0]
            np.maximum(ink[y0:y1, x0:x1], part, out=ink[y0:y1, x0:x1])
    if pencil:  # faint pencil guide lines around the digit
        for _ in range(int(rng.integers(2, 5))):
            yline = int(rng.uniform(0.1, 0.9) * h)
            ink[yline : yline + 2, :] = np.maximum(
                ink[yline : yline + 2, :], rng.uniform(0.12, 0.2)
            )
    paper = _ink(paper, ink * rng.uniform(*strength), _pen(rng))
    return _finish(paper, rng, blur)


def _centred(glyph: np.ndarray, size: tuple[int, int], rng) -> tuple[int, int]:
    w, h = size
    gh, gw = glyph.shape
    return (
        int(w / 2 - gw / 2 + rng.uniform(-0.25, 0.25) * max(1, w - gw)),
        int(h / 2 - gh / 2 + rng.uniform(-0.25, 0.25) * max(1, h - gh)),
    )


def _ruled(kind: str, rng: np.random.Generator, source: Source) -> tuple[bytes, str]:
    digit = int(rng.integers(10))
    size = (1024, 768)
    height = int(rng.uniform(0.2, 0.45) * size[1])
    glyph = source(digit, height, str(rng.choice(["thin", "thin", "normal"])))
    squares = kind == "tilted squares"
    pitch = height * (rng.uniform(0.35, 0.55) if squares else rng.uniform(0.6, 1.1))
    at = _centred(glyph, size, rng)
    # a thin ballpoint often is hardly darker than the printed lines
    data = page([(glyph, *at)], rng, size, kind.split()[1], pitch, strength=(0.45, 0.9))
    return data, str(digit)


def _edge(rng: np.random.Generator, source: Source) -> tuple[bytes, str]:
    digit = int(rng.integers(10))
    size = (640, 480)
    height = int(rng.uniform(0.5, 0.8) * size[1])
    glyph = source(digit, height, "thick")
    gh, gw = glyph.shape
    x, y = _centred(glyph, size, rng)
    side = int(rng.integers(4))  # push it against one edge, a few per cent of it off the photo
    cut = rng.uniform(0.0, 0.06)
    if side == 0:
        y = -int(cut * gh)
    elif side == 1:
        y = size[1] - gh + int(cut * gh)
    elif side == 2:
        x = -int(cut * gw)
    else:
        x = size[0] - gw + int(cut * gw)
    return page([(glyph, x, y)], rng, size), str(digit)


def _tight(rng: np.random.Generator, source: Source) -> tuple[bytes, str]:
    digit = int(rng.integers(10))
    side = int(rng.uniform(50, 200))
    glyph = source(digit, int(side * rng.uniform(0.75, 1.0)), str(rng.choice(["normal", "thick"])))
    gh, gw = glyph.shape
    size = (max(gw + int(rng.uniform(0, 0.3) * gw), int(side * 0.6)), side)
    x = int((size[0] - gw) / 2 + rng.uniform(-0.1, 0.1) * gw)
    y = int((side - gh) / 2 + rng.uniform(-0.05, 0.05) * gh)
    return page([(glyph, x, y)], rng, size, blur=rng.uniform(0, 0.8)), str(digit)


def _cut_at_ink(rng: np.random.Generator, source: Source) -> tuple[bytes, str]:
    digit = int(rng.integers(10))
    height = int(rng.uniform(40, 200))
    pen = str(rng.choice(["thin", "normal", "thick"]))
    glyph = crop_to_ink(source(digit, height, pen), 0.3)
    gh, gw = glyph.shape
    # 0–4 % of the ink box cut off each side, or a margin of up to 3 %
    top, bottom = (round(rng.uniform(-0.03, 0.04) * gh) for _ in range(2))
    left, right = (round(rng.uniform(-0.03, 0.04) * gw) for _ in range(2))
    size = (max(8, gw - left - right), max(8, gh - top - bottom))
    return page([(glyph, -left, -top)], rng, size, blur=rng.uniform(0, 0.6)), str(digit)


def _styles(rng: np.random.Generator) -> tuple[bytes, str]:
    name = list(STYLE_SHAPES)[int(rng.integers(len(STYLE_SHAPES)))]
    digit, lines = STYLE_SHAPES[name]
    size = (640, 480)
    height = int(rng.uniform(0.3, 0.6) * size[1])
    pen = rng.uniform(0.03, 0.1) * height
    glyph = stroke_glyph(digit, height, max(2.0, pen), rng, lines)
    return page([(glyph, *_centred(glyph, size, rng))], rng, size, pencil=digit == 4), str(digit)


def _row(digits, height, stroke, source, rng) -> list[np.ndarray]:
    """One glyph per digit, cropped to its ink so that a negative gap makes them touch."""
    return [
        crop_to_ink(source(d, int(height * rng.uniform(0.92, 1.08)), stroke), 0.05) for d in digits
    ]


def _place_rows(rows: list[list[np.ndarray]], size, rng, gaps, slope) -> list[tuple]:
    """Rows of glyphs, each row left to right on a gently sloping line, rows top to bottom."""
    w, h = size
    tallest = max(g.shape[0] for row in rows for g in row)
    spacing = tallest * rng.uniform(1.35, 1.8)
    widths = [sum(g.shape[1] for g in row) + gaps[i] * (len(row) - 1) for i, row in enumerate(rows)]
    top = (h - spacing * (len(rows) - 1) - tallest) / 2
    placed = []
    for i, row in enumerate(rows):
        x = (w - widths[i]) / 2 + rng.uniform(-0.05, 0.05) * w
        for g in row:
            y = top + i * spacing + slope * (x - w / 2) + rng.normal(0, 0.03 * tallest)
            placed.append((g, int(x), int(y + (tallest - g.shape[0]) / 2)))
            x += g.shape[1] + gaps[i]
    return placed


def _touching(rng: np.random.Generator, source: Source) -> tuple[bytes, str]:
    digits = [int(d) for d in rng.integers(0, 10, int(rng.integers(3, 7)))]
    height = int(rng.uniform(0.15, 0.25) * 768)
    row = _row(digits, height, str(rng.choice(["normal", "thick"])), source, rng)
    gap = int(rng.uniform(-0.08, -0.02) * height)
    placed = _place_rows([row], (1024, 768), rng, [gap], 0.0)
    return page(placed, rng, (1024, 768)), "".join(map(str, digits))


def _lines(rng: np.random.Generator, source: Source) -> tuple[bytes, str]:
    size = (1024, 768)
    count = int(rng.integers(2, 6))
    column = rng.random() < 0.2
    lengths = [1] * count if column else [int(rng.integers(2, 7)) for _ in range(count)]
    height = int(min(0.12 * size[0], 0.75 * size[1] / (1.8 * count)))
    # MNIST strokes thinned to a ballpoint fall apart below ~90 px, unlike a real pen's
    stroke = str(rng.choice(["thin", "normal", "thick"] if height >= 90 else ["normal", "thick"]))
    truth, rows = [], []
    for n in lengths:
        digits = [int(d) for d in rng.integers(0, 10, n)]
        truth.append("".join(map(str, digits)))
        rows.append(_row(digits, height, stroke, source, rng))
    gaps = [int(rng.uniform(0.2, 0.5) * height)] * count
    widest = max(sum(g.shape[1] for g in r) + gaps[0] * (len(r) - 1) for r in rows)
    if widest > 0.9 * size[0]:
        factor = 0.9 * size[0] / widest
        rows = [[_resize(g, factor) for g in r] for r in rows]
        gaps = [int(g * factor) for g in gaps]
    slope = np.tan(np.radians(rng.uniform(-4, 4)))
    placed = _place_rows(rows, size, rng, gaps, slope)
    return page(placed, rng, size), "-".join(truth)


def kind_photo(
    kind: str, rng: np.random.Generator, source: Source | None = None
) -> tuple[bytes, str]:
    """One photo of the given kind and its truth ("7", or "123-45" for lines of a number)."""
    source = source or drawn_source(rng)
    if kind in ("tilted lines", "tilted squares"):
        return _ruled(kind, rng, source)
    if kind == "edge":
        return _edge(rng, source)
    if kind == "tight crop":
        return _tight(rng, source)
    if kind == "styles":
        return _styles(rng)
    if kind == "touching numbers":
        return _touching(rng, source)
    if kind == "lines":
        return _lines(rng, source)
    if kind == "cut at the ink":
        return _cut_at_ink(rng, source)
    raise ValueError(f"unknown kind {kind!r}")


def is_number_kind(kind: str) -> bool:
    return kind in ("touching numbers", "lines")
