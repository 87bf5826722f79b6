"""Touching digits: a blob of ink holding several digits, cut into one piece per digit.

Digits written without gaps merge into one component. Without a judge, the cuts go at ink
minima near equally spaced positions (`cuts`), the count guessed from the width alone
(`bot.digits.numbers._split_wide`). With a judge — the digit model — the blob is
over-segmented and the segmentation chosen by recognition (`best_split`): candidate cuts at
every minimum of the ink's column profile, every stretch between two candidates as wide as a
digit read by the model in one batch, and the cover of the blob by stretches with the best
total score (dynamic programming), as in classic handwritten numeral string recognition.

A stretch's score says how much it looks like one whole digit. The digit model alone cannot
say: it has never seen a non-digit, and reads a 1 leaning on an 8, or half of a 0, with full
confidence. So a second, small judge (`stretch_scores`, shipped as bot/assets/digit_cuts.npz
with its card, made by benchmarks/fit_digit_cuts.py) weighs the FEATURES of each stretch: the
model's probabilities, how usual its width over height is for the class read (MNIST's spread,
ASPECT), how much ink the cuts at its ends go through (a cut through a 0 crosses two strokes,
one between touching digits seldom more than one), and whether a cut inside it goes through
little ink (then it may be two digits). It was trained on synthetic photos whose truth is known,
and its score includes a constant per stretch, so splitting must pay for itself.
"""

from __future__ import annotations

import functools
import itertools
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

import nncore as nn
from bot.digits.components import label_components
from bot.digits.mnist_frame import stroke_width
from bot.digits.vision import Found, Prepared, finish

Judge = Callable[[np.ndarray], np.ndarray]  # (n, 28, 28) images → (n, 10) probabilities
# the stretch judge (see the module docstring), made by benchmarks/fit_digit_cuts.py
CUTS = Path(__file__).resolve().parents[1] / "assets" / "digit_cuts.npz"
# a blob narrower than its height is one digit (a 1 is ~0.4 as wide as tall, the others ~0.8,
# so two touching digits are wider); every wider blob is over-segmented and judged
MIN_JUDGED = 1.0
MIN_DIGIT = 0.15  # a stretch narrower than this × height is no digit (a 1 is ~0.2–0.4)
MAX_DIGIT = 1.5  # … nor one wider than this (a wide 0 or 2 reaches ~1.4)
EDGE_BIT = 0.2  # a part at a cut's edge smaller than this × the piece's main part is a neighbour's
# mean and spread of log(width / height) of each class's ink box over MNIST's 60 000 training
# digits (thresholded at 0.2 of full ink): a 1 is ~0.4 as wide as tall, the others 0.7–0.95
ASPECT = np.array(
    [
        [-0.102, 0.191],
        [-0.914, 0.454],
        [-0.068, 0.212],
        [-0.227, 0.208],
        [-0.235, 0.208],
        [-0.072, 0.252],
        [-0.317, 0.213],
        [-0.256, 0.212],
        [-0.274, 0.217],
        [-0.386, 0.204],
    ]
)
_judge_lock = threading.Lock()  # nncore layers keep per-call state


@functools.cache
def _stretch_model() -> nn.Sequential:
    return nn.load(CUTS).eval()


def stretch_scores(features: np.ndarray) -> np.ndarray:
    """How much each stretch (a row of FEATURES) looks like one whole digit: the judge's
    log-odds that it is one, plus the constant per stretch folded into its last bias (the
    card's "bonus")."""
    with _judge_lock:
        out = _stretch_model().predict(np.asarray(features, dtype=np.float32))
    return np.asarray(out[:, 0], dtype=np.float64)


def whole(found: Found, group: np.ndarray) -> tuple[int, int]:
    return int(found.parts.x0[group].min()), int(found.parts.x1[group].max())


def cuts(found: Found, group: np.ndarray, pieces: int) -> list[tuple[int, int]] | None:
    """Column ranges of `pieces` digits cut at ink minima, or None when a piece is no digit."""
    if pieces < 2:
        return None
    parts = found.parts
    x0, x1 = whole(found, group)
    y0, y1 = int(parts.y0[group].min()), int(parts.y1[group].max())
    width, height = x1 - x0, y1 - y0
    strokes = parts.mask_of(group, found.mask.shape)[y0:y1, x0:x1]
    profile = strokes.sum(axis=0).astype(float)
    at = [0]
    for k in range(1, pieces):
        centre = k * width / pieces
        lo, hi = int(centre - 0.25 * width / pieces), int(centre + 0.25 * width / pieces) + 1
        at.append(lo + int(np.argmin(profile[lo:hi])))
    at.append(width)
    # every piece must be a whole digit: one much shorter than the blob is a stroke sticking
    # out (a long bar, a tail), so the blob is not that many digits
    for a, b in itertools.pairwise(at):
        rows = np.nonzero(strokes[:, a:b].any(axis=1))[0]
        if b - a <= 1 or len(rows) == 0 or rows[-1] - rows[0] + 1 < 0.6 * height:
            return None
    return [(x0 + a, x0 + b) for a, b in itertools.pairwise(at)]


def prepare_columns(
    found: Found, group: np.ndarray, columns: list[tuple[int, int]], keep_stages: bool
) -> list[Prepared]:
    """Each column range of the group as one digit ready for the network."""
    if len(columns) == 1:
        return [finish(found, group, keep_stages, found.stages)]
    out = []
    for a, b in columns:
        piece = columns_of(found, group, a, b)
        if len(piece.keep):
            out.append(finish(piece, piece.keep, keep_stages, found.stages))
    return out


def best_split(found: Found, group: np.ndarray, judge: Judge, keep_stages: bool) -> list[Prepared]:
    """The group cut into the digits its pieces are read most surely as (see the module).

    A blob no wider than MIN_JUDGED × its height is read whole."""
    spans = spans_of(found, group, judge, keep_stages)
    if spans is None:
        return prepare_columns(found, group, [whole(found, group)], keep_stages)
    at, keys, features, pieces = spans
    score = dict(zip(keys, stretch_scores(features), strict=True))
    return [pieces[s] for s in best_path(score, len(at))]


def spans_of(
    found: Found, group: np.ndarray, judge: Judge, keep_stages: bool
) -> tuple[list[int], list[tuple[int, int]], np.ndarray, dict] | None:
    """Candidate cuts, the stretches between two of them that may be a digit (as index pairs),
    their features and their pieces; None when the blob is read whole."""
    parts = found.parts
    x0, x1 = whole(found, group)
    y0, y1 = int(parts.y0[group].min()), int(parts.y1[group].max())
    width, height = x1 - x0, y1 - y0
    if width <= MIN_JUDGED * height:
        return None
    strokes = parts.mask_of(group, found.mask.shape)[y0:y1, x0:x1]
    at = candidate_cuts(strokes, height)
    spans = [
        (i, j)
        for i in range(len(at))
        for j in range(i + 1, len(at))
        if (i, j) == (0, len(at) - 1) or MIN_DIGIT * height <= at[j] - at[i] <= MAX_DIGIT * height
    ]
    # the blob's own box as the page: pieces are cut and labelled there, not on the photo
    local = Found(found.ink[y0:y1, x0:x1], strokes, label_components(strokes), np.zeros(0), [])
    pieces = {
        s: _piece(local, at[s[0]], at[s[1]], height, keep_stages, found.stages) for s in spans
    }
    pieces = {s: p for s, p in pieces.items() if p is not None}
    if (0, len(at) - 1) not in pieces or len(pieces) == 1:
        return None
    for p in pieces.values():
        bx0, by0, bx1, by1 = p.box
        p.box, p.frame = (bx0 + x0, by0 + y0, bx1 + x0, by1 + y0), found.mask.shape
    keys = list(pieces)
    probs = judge(np.stack([pieces[s].image28 for s in keys]))  # one batch for every stretch
    features = _features(probs, [pieces[s].box for s in keys], keys, at, strokes)
    return at, keys, features, pieces


FEATURES = (
    "log-confidence of the class read",
    "squared aspect z-score of the class read",
    "ink the end cuts cross, in stroke widths",
    "ink runs the end cuts cross",
    "log-confidence and aspect likelihood of the best class together",
    "height over the blob's height",
    "width over the blob's height",
    "candidate cuts inside the stretch",
    "least ink at a cut inside, in stroke widths",
    "starts at the blob's left edge",
    "ends at the blob's right edge",
    *(f"log-probability of {d}" for d in range(10)),
)


def _features(
    probs: np.ndarray,
    boxes: list[tuple[int, int, int, int]],
    keys: list[tuple[int, int]],
    at: list[int],
    strokes: np.ndarray,
) -> np.ndarray:
    """One row per stretch, the columns named by FEATURES (see the module docstring)."""
    box = np.array(boxes, dtype=float).reshape(-1, 4)
    width, height = np.maximum(box[:, 2] - box[:, 0], 1), np.maximum(box[:, 3] - box[:, 1], 1)
    aspect = np.log(width / height)
    z = (aspect[:, None] - ASPECT[None, :, 0]) / ASPECT[None, :, 1]  # every class
    read = probs.argmax(axis=1)
    z_read = z[np.arange(len(read)), read]
    logp = np.maximum(np.log(probs.max(axis=1) + 1e-9), -5)
    joint = np.maximum((np.log(probs + 1e-9) - 0.5 * z**2).max(axis=1), -8)
    # ink a straight cut goes through: pixels per column over the stroke width ≈ strokes
    # crossed along them; and the vertical runs of ink in the column, strokes crossed across
    ink = strokes.sum(axis=0) / max(stroke_width(strokes), 1.0)
    runs = (np.diff(strokes.astype(np.int8), axis=0) == 1).sum(axis=0) + strokes[0]
    last, blob_height = len(at) - 1, max(strokes.shape[0], 1)

    def at_ends(column: np.ndarray) -> np.ndarray:
        # the blob's own edges cut nothing
        return np.array(
            [
                (column[at[i]] if i > 0 else 0.0) + (column[at[j] - 1] if j < last else 0.0)
                for i, j in keys
            ]
        )

    # a stretch holding two digits has a cut inside it where little ink joins them
    inside = np.array([min((ink[at[k]] for k in range(i + 1, j)), default=4.0) for i, j in keys])
    return np.column_stack(
        [
            logp,
            np.minimum(z_read**2, 16),
            at_ends(ink),
            at_ends(runs),
            joint,
            height / blob_height,
            width / blob_height,
            [j - i - 1 for i, j in keys],
            np.minimum(inside, 4.0),
            [i == 0 for i, _ in keys],
            [j == last for _, j in keys],
            np.maximum(np.log(probs + 1e-9), -12),
        ]
    )


def best_path(score: dict[tuple[int, int], float], n: int) -> list[tuple[int, int]]:
    """The stretches (i, j) from cut 0 to cut n − 1 with the best total score.

    best[j] is the best total of stretches covering cuts 0 … j and the cut it came from; each
    cut's best is the best over the stretches ending there, cuts taken left to right.
    """
    best: dict[int, tuple[float, int]] = {0: (0.0, -1)}
    for j in range(1, n):
        options = [(best[i][0] + s, i) for (i, k), s in score.items() if k == j and i in best]
        if options:
            best[j] = max(options)
    path, j = [], n - 1
    while j > 0:
        i = best[j][1]
        path.append((i, j))
        j = i
    return path[::-1]


def candidate_cuts(strokes: np.ndarray, height: int) -> list[int]:
    """Column positions where two digits may meet: the blob's edges and its ink minima.

    A column is a candidate when no column within a tenth of the height has less ink (so the
    ragged edge of one stroke gives one candidate, not several); none nearer an edge than the
    narrowest digit.
    """
    profile = strokes.sum(axis=0).astype(float)
    width = len(profile)
    radius = max(1, int(0.1 * height))
    padded = np.pad(profile, radius, mode="edge")
    window = np.lib.stride_tricks.sliding_window_view(padded, 2 * radius + 1)
    low = window.min(axis=1)
    margin = int(MIN_DIGIT * height)
    inner = [c for c in range(margin, width - margin) if profile[c] <= low[c]]
    # a flat minimum (several equal columns side by side) gives one cut, at its middle
    out, run = [], []
    for c in inner:
        if run and c != run[-1] + 1:
            out.append(run[len(run) // 2])
            run = []
        run.append(c)
    if run:
        out.append(run[len(run) // 2])
    return [0, *out, width]


def _piece(
    local: Found, a: int, b: int, height: int, keep_stages: bool, stages: list
) -> Prepared | None:
    """The strokes between columns a and b as one digit, or None when they are no whole digit."""
    mask = np.zeros_like(local.mask)
    mask[:, a:b] = local.mask[:, a:b]
    rows = np.nonzero(mask.any(axis=1))[0]
    # one much shorter than the blob is a stroke sticking out (a long bar, a tail)
    if len(rows) == 0 or rows[-1] - rows[0] + 1 < 0.6 * height:
        return None
    parts = label_components(mask)
    big = parts.area.max()
    # a neighbour's stroke end left beyond the cut is a small part touching the cut's edge
    at_edge = ((parts.x0 <= a) & (a > 0)) | ((parts.x1 >= b) & (b < local.mask.shape[1]))
    keep = np.nonzero((parts.area >= 0.05 * big) & ~(at_edge & (parts.area < EDGE_BIT * big)))[0]
    piece = Found(local.ink, mask, parts, keep, [])
    return finish(piece, keep, keep_stages, stages)


def columns_of(found: Found, group: np.ndarray, a: int, b: int) -> Found:
    """The strokes of `group` between columns a and b, as if nothing else were on the page."""
    mask = np.zeros_like(found.mask)
    mask[:, a:b] = found.parts.mask_of(group, found.mask.shape)[:, a:b]
    parts = label_components(mask)
    keep = np.nonzero(parts.area >= 0.05 * max(1, parts.area.max(initial=0)))[0]
    return Found(found.ink, mask, parts, keep, [])
