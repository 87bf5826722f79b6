"""Drawn digits in handwriting styles MNIST rarely shows, mixed into the digit model's training.

MNIST was written by American Census Bureau staff and high-school students, so some ways of
writing a digit that are ordinary elsewhere — in Russia and most of Europe, where many of our
users write — are rare in it: a 4 with a closed, pointed top and its bar high up, a 7 with a bar
across the stem, a 1 with a long flag and a foot, a 9 with a pointed loop. A network trained on
MNIST alone reads a closed-top 4 with a high bar as a 9 (benchmarks/bench_digits.py, "drawn
styles").

Each style here is a few polylines in a unit box (x to the right, y down) whose corners move by
random amounts, drawn with a random pen width and slant, then passed through
`bot.digits.mnist_frame.to_mnist` like a photo's crop. Every digit has its usual shape too, so no
digit becomes "the drawn one".
The look-alikes come in pairs, so the network learns the cue a person uses: the closed 4's
triangle sits on a straight bar that crosses the stem; the pointed 9's loop has a curved bottom.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from bot.digits.mnist_frame import crop_to_ink, to_mnist


def _u(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(rng.uniform(lo, hi))


def _ellipse(cx, cy, rx, ry, start=0.0, end=2 * np.pi, points=14):
    t = np.linspace(start, end, points)
    return [(cx + rx * np.cos(a), cy + ry * np.sin(a)) for a in t]


def _zero(rng):
    return [_ellipse(0.5, 0.5, _u(rng, 0.3, 0.45), 0.5, -np.pi / 2, 1.5 * np.pi + _u(rng, 0, 0.3))]


def _one(rng):
    x = _u(rng, 0.45, 0.6)
    kind = rng.integers(3)
    if kind == 0:
        return [[(x, 0.0), (x, 1.0)]]
    flag = [(x - _u(rng, 0.25, 0.45), _u(rng, 0.2, 0.4)), (x, 0.0), (x, 1.0)]
    if kind == 1:
        return [flag]
    return [flag, [(x - _u(rng, 0.2, 0.3), 1.0), (x + _u(rng, 0.2, 0.3), 1.0)]]


def _two(rng):
    bottom = [(0.1, 1.0), (_u(rng, 0.8, 1.0), _u(rng, 0.95, 1.0))]
    top = _ellipse(0.5, 0.3, 0.38, 0.3, np.pi * 1.1, np.pi * 2.15, 8)
    return [top + bottom]


def _three(rng):
    if rng.random() < 0.5:  # flat top, like a Z on top of a bump
        top = [(0.1, 0.0), (0.85, 0.0), (0.4, _u(rng, 0.35, 0.45))]
        return [top + _ellipse(0.45, 0.7, 0.42, 0.3, -np.pi / 2, np.pi * 0.85, 9)]
    upper = _ellipse(0.45, 0.25, 0.38, 0.25, -np.pi * 0.85, np.pi / 2, 9)
    lower = _ellipse(0.45, 0.73, 0.45, 0.27, -np.pi / 2, np.pi * 0.85, 9)
    return [upper + lower]


def _four(rng):
    bar = _u(rng, 0.3, 0.72)
    stem = _u(rng, 0.55, 0.72)
    right = min(1.0, stem + _u(rng, 0.05, 0.4))  # the bar crosses the stem: a 4, not a 9
    if rng.random() < 0.55:  # closed top: stem up to a point, diagonal down to the bar
        top = _u(rng, 0.0, 0.1)
        return [[(stem, 1.0), (stem, top), (_u(rng, 0.0, 0.12), bar), (right, bar)]]
    return [[(_u(rng, 0.15, 0.35), 0.0), (_u(rng, 0.0, 0.12), bar), (right, bar)],
            [(stem, _u(rng, 0.0, 0.25)), (stem, 1.0)]]  # fmt: skip


def _five(rng):
    belly = _ellipse(0.48, 0.68, 0.42, 0.32, -np.pi * 0.7, np.pi * 0.85, 9)
    return [[(0.85, 0.0), (0.2, 0.0), (0.14, _u(rng, 0.38, 0.48)), *belly]]


def _six(rng):
    loop = _ellipse(0.5, 0.7, 0.38, 0.3, np.pi, 3 * np.pi, 12)
    return [[(_u(rng, 0.6, 0.85), 0.0), (0.25, 0.3), *loop]]


def _seven(rng):
    corner = _u(rng, 0.85, 1.0)
    foot = _u(rng, 0.25, 0.5)
    lines = [[(0.0, _u(rng, 0.0, 0.1)), (corner, 0.0), (foot, 1.0)]]
    if rng.random() < 0.5:  # the continental bar across the stem
        y = _u(rng, 0.45, 0.6)
        x = corner + (foot - corner) * y
        lines.append([(x - _u(rng, 0.2, 0.3), y), (x + _u(rng, 0.15, 0.25), y)])
    return lines


def _eight(rng):
    upper = _ellipse(0.5, 0.25, _u(rng, 0.25, 0.38), 0.25, np.pi / 2, 2.5 * np.pi, 12)
    lower = _ellipse(0.5, 0.74, _u(rng, 0.35, 0.48), 0.26, -np.pi / 2, 1.5 * np.pi, 12)
    return [upper, lower]


def _nine(rng):
    stem = _u(rng, 0.7, 0.85)
    foot = (stem - _u(rng, 0.0, 0.15), 1.0)
    low = _u(rng, 0.35, 0.55)
    if rng.random() < 0.5:  # a pointed, teardrop loop: its bottom is a curve, not a bar
        left = _u(rng, 0.0, 0.15)
        loop = [(stem, low * 0.75), (stem, 0.0), (left + 0.15, low * 0.3), (left, low * 0.7)]
        loop += [(left + 0.2, low), (stem * 0.7, low * 1.02), (stem, low * 0.75)]
        return [[*loop, foot]]
    loop = _ellipse(0.45, low / 2, 0.4, low / 2, 0.0, 2 * np.pi, 12)
    return [[*loop, (stem + 0.05, low / 2), foot]]


STYLES = [_zero, _one, _two, _three, _four, _five, _six, _seven, _eight, _nine]


def draw(digit: int, rng: np.random.Generator, height: int = 80) -> np.ndarray:
    """One randomly varied drawn `digit` in the MNIST convention: float32 (28, 28), ink = 1."""
    lines = STYLES[digit](rng)
    slant = _u(rng, -0.25, 0.3)
    aspect = _u(rng, 0.55, 0.8) if digit != 1 else _u(rng, 0.3, 0.5)
    width = max(1.0, _u(rng, 0.03, 0.14) * height)
    pad = int(width) + 4
    w = max(4, int(height * aspect))
    image = Image.new("L", (w + 2 * pad + height // 3, height + 2 * pad), 0)
    pen = ImageDraw.Draw(image)
    for line in lines:
        points = []
        for x, y in line:
            x, y = x + rng.normal(0, 0.025), y + rng.normal(0, 0.025)
            points.append((pad + height // 6 + (x + slant * (0.5 - y)) * w, pad + y * height))
        pen.line(points, fill=255, width=round(width), joint="curve")
        r = width / 2
        for x, y in points:
            pen.ellipse((x - r, y - r, x + r, y + r), fill=255)
    ink = np.asarray(image, dtype=np.float32) / 255
    return to_mnist(crop_to_ink(ink, 0.5))


def draw_many(labels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Drawn digits for every label: float32 (n, 28, 28)."""
    return np.stack([draw(int(d), rng) for d in labels]) if len(labels) else np.zeros((0, 28, 28))
