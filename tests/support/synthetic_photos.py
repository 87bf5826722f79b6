"""Synthetic "phone photos" of handwritten digits and numbers, for tests and benchmarks.

Real photos differ from MNIST in ways we can imitate: grey or cream paper, light falling
unevenly, a soft shadow across the page, a thin ballpoint or a thick marker, camera blur,
JPEG compression, a camera held sideways (EXIF orientation), chalk-like light ink on a dark
board. A glyph is an ink picture (float, 1 = ink); it comes either from an MNIST image
(`mnist_glyph`) or from Pillow lines (`stroke_glyph`, which needs no dataset at all), and
`photo(...)` lays one or several glyphs on a page and returns JPEG bytes.

Everything is driven by a NumPy Generator, so a seed reproduces a photo exactly. The kinds of
photo real users' failures came from (tilted notebook paper, tight crops, several lines …) are
drawn by `tests/support/synthetic_paper.py`, on this module's paper.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from bot.digits.mnist_frame import crop_to_ink

# Hand-drawn-looking digits as polylines in a 0..1 box (x right, y down), MNIST-like shapes.
STROKES: dict[int, list[list[tuple[float, float]]]] = {
    0: [
        [
            (0.5, 0.0),
            (0.15, 0.15),
            (0.05, 0.5),
            (0.15, 0.85),
            (0.5, 1.0),
            (0.85, 0.85),
            (0.95, 0.5),
            (0.85, 0.15),
            (0.5, 0.0),
        ]
    ],
    1: [[(0.35, 0.15), (0.55, 0.0), (0.55, 1.0)]],
    2: [[(0.1, 0.2), (0.35, 0.0), (0.7, 0.0), (0.9, 0.2), (0.85, 0.45), (0.1, 1.0), (0.95, 1.0)]],
    3: [
        [
            (0.1, 0.1),
            (0.45, 0.0),
            (0.85, 0.12),
            (0.85, 0.35),
            (0.45, 0.48),
            (0.9, 0.62),
            (0.9, 0.88),
            (0.5, 1.0),
            (0.1, 0.9),
        ]
    ],
    4: [[(0.65, 1.0), (0.65, 0.0), (0.05, 0.7), (0.95, 0.7)]],
    5: [
        [
            (0.85, 0.0),
            (0.2, 0.0),
            (0.12, 0.45),
            (0.55, 0.38),
            (0.9, 0.6),
            (0.85, 0.9),
            (0.45, 1.0),
            (0.1, 0.9),
        ]
    ],
    6: [
        [
            (0.8, 0.0),
            (0.35, 0.2),
            (0.1, 0.65),
            (0.25, 0.95),
            (0.6, 1.0),
            (0.88, 0.75),
            (0.75, 0.5),
            (0.4, 0.5),
            (0.15, 0.7),
        ]
    ],
    7: [[(0.05, 0.0), (0.95, 0.0), (0.4, 1.0)]],
    8: [
        [
            (0.5, 0.48),
            (0.15, 0.3),
            (0.2, 0.05),
            (0.5, 0.0),
            (0.8, 0.05),
            (0.85, 0.3),
            (0.5, 0.48),
            (0.12, 0.72),
            (0.2, 0.97),
            (0.5, 1.0),
            (0.8, 0.97),
            (0.88, 0.72),
            (0.5, 0.48),
        ]
    ],
    9: [
        [
            (0.85, 0.3),
            (0.6, 0.5),
            (0.25, 0.45),
            (0.12, 0.25),
            (0.3, 0.02),
            (0.65, 0.0),
            (0.85, 0.2),
            (0.82, 0.6),
            (0.75, 1.0),
        ]
    ],
}


# Ways of writing that MNIST (American writers) seldom shows but Russian and European hands use
# every day: (digit, polylines), drawn like STROKES. Geometry written independently of the
# training styles in bot/digits/styles.py, so these check that the idea carries, not the code.
STYLED: dict[str, tuple[int, list[list[tuple[float, float]]]]] = {
    "closed 4, high bar": (4, [[(0.62, 1.0), (0.62, 0.0), (0.08, 0.38), (0.9, 0.38)]]),
    "closed 4, high short bar": (4, [[(0.66, 1.0), (0.66, 0.0), (0.05, 0.42), (0.76, 0.42)]]),
    "closed 4, middle bar": (4, [[(0.6, 1.0), (0.6, 0.02), (0.05, 0.52), (0.95, 0.52)]]),
    "crossed 7": (7, [[(0.05, 0.02), (0.92, 0.0), (0.35, 1.0)], [(0.3, 0.5), (0.9, 0.5)]]),
    "1 with flag and foot": (1, [[(0.1, 0.3), (0.55, 0.0), (0.55, 1.0)], [(0.2, 1.0), (0.9, 1.0)]]),
    "9 with pointed loop": (
        9,
        [
            [(0.8, 0.35), (0.8, 0.0), (0.3, 0.08), (0.08, 0.3), (0.35, 0.47), (0.8, 0.35)],
            [(0.8, 0.35), (0.75, 1.0)],
        ],
    ),
    "9 with straight stem": (
        9,
        [[(0.85, 0.25), (0.5, 0.02), (0.12, 0.2), (0.2, 0.45), (0.85, 0.4), (0.85, 1.0)]],
    ),
    "9 with hooked tail": (  # the stem curls left at the foot
        9,
        [
            [(0.8, 0.3), (0.55, 0.03), (0.2, 0.1), (0.12, 0.32), (0.4, 0.47), (0.8, 0.3)],
            [(0.8, 0.05), (0.8, 0.7), (0.65, 0.92), (0.35, 1.0), (0.08, 0.93), (0.02, 0.78)],
        ],
    ),
    "8 with a small top loop": (
        8,
        [
            [(0.5, 0.3), (0.3, 0.15), (0.45, 0.0), (0.62, 0.1), (0.5, 0.3)],
            [(0.5, 0.3), (0.15, 0.55), (0.2, 0.9), (0.5, 1.0), (0.82, 0.88)],
            [(0.82, 0.88), (0.85, 0.58), (0.5, 0.3)],
        ],
    ),
}


def stroke_glyph(
    digit: int,
    height: int,
    width_px: float,
    rng: np.random.Generator,
    lines: list[list[tuple[float, float]]] | None = None,
) -> np.ndarray:
    """A digit drawn with Pillow lines: float ink (h, w), ink = 1, slightly wobbly.

    The shape is STROKES[digit] unless `lines` gives another one.
    """
    aspect = 0.45 if digit == 1 else 0.7
    w, h = max(8, int(height * aspect)), height
    pad = int(width_px) + 4
    image = Image.new("L", (w + 2 * pad, h + 2 * pad), 0)
    draw = ImageDraw.Draw(image)
    for line in lines if lines is not None else STROKES[digit]:
        points = [
            (pad + (x + rng.normal(0, 0.02)) * w, pad + (y + rng.normal(0, 0.02)) * h)
            for x, y in line
        ]
        draw.line(points, fill=255, width=max(1, round(width_px)), joint="curve")
        r = width_px / 2
        for x, y in points:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=255)
    return np.asarray(image, dtype=np.float32) / 255


def mnist_glyph(image28: np.ndarray, height: int, stroke: str = "normal") -> np.ndarray:
    """An MNIST digit scaled up to `height` px with a pen of the given kind.

    "thin" keeps only the core of the stroke (a ballpoint), "thick" widens it (a marker),
    "normal" keeps MNIST's own proportions.
    """
    a = np.asarray(image28, dtype=np.float32)
    a = crop_to_ink(a / max(a.max(), 1e-6))
    scale = height / a.shape[0]
    size = (max(2, round(a.shape[1] * scale)), height)
    big = np.asarray(Image.fromarray(a).resize(size, Image.Resampling.BICUBIC), dtype=np.float32)
    level = {"thin": 0.75, "normal": 0.45, "thick": 0.15}[stroke]
    soft = max(0.04, 0.25 * level)
    ink = np.clip((big - level) / soft + 0.5, 0, 1)
    if stroke == "thin":
        # thin the stroke further to a pen line a few pixels wide
        radius = max(1, int(height * 0.01))
        ink = np.asarray(Image.fromarray(ink).filter(ImageFilter.MinFilter(2 * radius + 1)))
    return ink.astype(np.float32)


def _paper(size: tuple[int, int], rng: np.random.Generator, dark: bool) -> np.ndarray:
    """An RGB float page: base colour, light gradient, a soft shadow, grain."""
    w, h = size
    level = rng.uniform(25, 70) if dark else rng.uniform(160, 245)  # a board, or paper
    base = level + rng.normal(0, 0.04 * level, 3)  # a slight tint
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    gradient = (np.cos(angle) * xx / w + np.sin(angle) * yy / h) * rng.uniform(0.0, 0.35)
    light = 1.0 - gradient + gradient.mean()
    if rng.random() < 0.7:
        # a shadow: the dark side of a tilted line, softly blurred
        x0, y0 = rng.uniform(0, w), rng.uniform(0, h)
        theta = rng.uniform(0, np.pi)
        side = (xx - x0) * np.cos(theta) + (yy - y0) * np.sin(theta)
        softness = rng.uniform(0.02, 0.15) * max(w, h)
        shade = 1 / (1 + np.exp(-side / softness))
        light = light * (1 - rng.uniform(0.15, 0.45) * shade)
    page = base[None, None, :] * light[..., None]
    page += rng.normal(0, rng.uniform(1, 5), (h, w, 1))
    return page


def photo(
    glyphs: list[np.ndarray],
    rng: np.random.Generator,
    size: tuple[int, int] = (1280, 960),
    dark: bool = False,
    blur: float | None = None,
    quality: int | None = None,
    orientation: int = 1,
    gap: float | None = None,
    ruled: str | None = None,
) -> bytes:
    """Lay `glyphs` left to right on a synthetic page and return a JPEG.

    `orientation` (EXIF 1, 3, 6 or 8): the pixels are stored turned the way a sideways camera
    stores them, with the tag that tells a viewer how to turn them back. `ruled` draws the
    printed lines of a school notebook: "lines" or "squares".
    """
    page = _paper(size, rng, dark)
    w, h = size
    if ruled:
        pitch = int(rng.uniform(0.04, 0.07) * h)
        tone = np.array(rng.uniform([120, 140, 170], [170, 180, 215]), dtype=np.float32)
        strength = rng.uniform(0.35, 0.7)
        offset = int(rng.integers(pitch))
        for y in range(offset, h, pitch):
            page[y : y + 2] = page[y : y + 2] * (1 - strength) + tone * strength
        if ruled == "squares":
            for x in range(offset, w, pitch):
                page[:, x : x + 2] = page[:, x : x + 2] * (1 - strength) + tone * strength
    gap_px = int((gap if gap is not None else rng.uniform(0.15, 0.45)) * glyphs[0].shape[0])
    total = sum(g.shape[1] for g in glyphs) + gap_px * (len(glyphs) - 1)
    if total > 0.92 * w:  # shrink everything to fit the page
        factor = 0.92 * w / total
        glyphs = [_resize(g, factor) for g in glyphs]
        gap_px = int(gap_px * factor)
        total = sum(g.shape[1] for g in glyphs) + gap_px * (len(glyphs) - 1)
    tallest = max(g.shape[0] for g in glyphs)
    x = int(rng.uniform(0.04 * w, max(0.04 * w + 1, w - total - 0.04 * w)))
    y_base = int(rng.uniform(0.06 * h, max(0.06 * h + 1, h - tallest - 0.06 * h)))
    ink_alpha = np.zeros((h, w), dtype=np.float32)
    for g in glyphs:
        y = int(np.clip(y_base + rng.normal(0, 0.04 * tallest), 0, h - g.shape[0]))
        gh, gw = g.shape
        region = ink_alpha[y : y + gh, x : x + gw]
        np.maximum(region, g[: region.shape[0], : region.shape[1]], out=region)
        x += gw + gap_px
    if dark:
        colour = rng.uniform([200, 200, 190], [255, 255, 250])  # chalk
    elif rng.random() < 0.5:
        colour = rng.uniform([10, 20, 90], [60, 60, 170])  # blue pen
    else:
        colour = rng.uniform([5, 5, 5], [60, 60, 60])  # black pen / pencil
    strength = rng.uniform(0.75, 1.0)
    alpha = (ink_alpha * strength)[..., None]
    page = page * (1 - alpha) + colour[None, None, :] * alpha
    image = Image.fromarray(np.clip(page, 0, 255).astype(np.uint8), "RGB")
    radius = blur if blur is not None else rng.uniform(0.0, 2.0)
    if radius > 0:
        image = image.filter(ImageFilter.GaussianBlur(radius))
    stored = {
        1: image,
        3: image.rotate(180),
        6: image.rotate(90, expand=True),
        8: image.rotate(-90, expand=True),
    }[orientation]
    exif = Image.Exif()
    if orientation != 1:
        exif[0x0112] = orientation
    out = io.BytesIO()
    q = quality if quality is not None else int(rng.integers(55, 95))
    stored.save(out, "JPEG", quality=q, exif=exif.tobytes())
    return out.getvalue()


def _resize(glyph: np.ndarray, factor: float) -> np.ndarray:
    h, w = glyph.shape
    size = (max(2, int(w * factor)), max(2, int(h * factor)))
    return np.asarray(Image.fromarray(glyph).resize(size, Image.Resampling.BILINEAR))


def random_digit_photo(
    image28: np.ndarray | None, digit: int, rng: np.random.Generator, **kwargs
) -> bytes:
    """One digit (from MNIST when `image28` is given, else Pillow lines) on a random page."""
    size = kwargs.pop("size", (1280, 960))
    height = int(rng.uniform(0.25, 0.6) * min(size))
    stroke = kwargs.pop("stroke", rng.choice(["thin", "normal", "thick"]))
    if image28 is None:
        width = {"thin": 0.025, "normal": 0.07, "thick": 0.13}[stroke] * height
        glyph = stroke_glyph(digit, height, max(2.0, width), rng)
    else:
        glyph = mnist_glyph(image28, height, stroke)
    kwargs.setdefault("dark", bool(rng.random() < 0.15))
    kwargs.setdefault("orientation", int(rng.choice([1, 1, 1, 3, 6, 8])))
    return photo([glyph], rng, size=size, **kwargs)


def random_number_photo(
    images28: list[np.ndarray | None], digits: list[int], rng: np.random.Generator, **kwargs
) -> bytes:
    """A number written on a line: one glyph per digit, similar height, random pen."""
    size = kwargs.pop("size", (1280, 960))
    height = int(rng.uniform(0.12, 0.25) * min(size))
    stroke = kwargs.pop("stroke", rng.choice(["thin", "normal", "thick"]))
    glyphs = []
    for image28, digit in zip(images28, digits, strict=True):
        hj = int(height * rng.uniform(0.9, 1.1))
        if image28 is None:
            width = {"thin": 0.03, "normal": 0.07, "thick": 0.12}[stroke] * hj
            glyphs.append(stroke_glyph(digit, hj, max(2.0, width), rng))
        else:
            glyphs.append(mnist_glyph(image28, hj, stroke))
    kwargs.setdefault("gap", rng.uniform(0.2, 0.5))
    kwargs.setdefault("dark", bool(rng.random() < 0.1))
    kwargs.setdefault("orientation", 1)
    return photo(glyphs, rng, size=size, **kwargs)


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    total = image.sum()
    rows = np.arange(image.shape[0])
    return (
        float((image.sum(axis=1) * rows).sum() / total),
        float((image.sum(axis=0) * rows).sum() / total),
    )
