"""Touching digits: a blob of ink holding several digits, cut into one piece per digit.

Digits written without gaps merge into one component. Without a judge, the cuts go at ink
minima near equally spaced positions (`cuts`), the count guessed from the width alone
(`bot.digits.numbers._split_wide`). With a judge — the digit model — the blob is
over-segmented and the segmentation chosen by recognition (`best_split`): candidate cuts at
every minimum of the ink's column profile, every stretch between two candidates as wide as a
digit read by the model in one batch, and the cover of the blob by stretches with the best
total score (dynamic programming), as in classic handwritten numeral string recognition.

A stretch's score (`_features` · WEIGHTS) says how much it looks like one whole digit: the
model's log-confidence, how usual its width over height is for the class read (MNIST's
spread, ASPECT: the model never saw a non-digit and reads a 1 leaning on a 7 with full
confidence as a 7, but such a 7 is far too wide), and how much ink the cuts at its ends go
through (a cut through a 0 crosses two strokes, one between touching digits seldom more than
one). Each stretch also adds a constant, so splitting must pay for itself.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np

from bot.digits.components import label_components
from bot.digits.mnist_frame import stroke_width
from bot.digits.vision import Found, Prepared, finish

Judge = Callable[[np.ndarray], np.ndarray]  # (n, 28, 28) images → (n, 10) probabilities
# a single digit is seldom wider than 1.6× its height (as in numbers._split_wide); below that
# the blob is read whole: splitting narrower blobs would catch two touching narrow digits (a
# 1 and a 9) but cut wide single digits of pages of separate digits more often (measured)
MIN_SPLIT = 1.6
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
# weights of `_features` (log-confidence, squared aspect z-score, ink the end cuts cross in
# stroke widths, ink runs they cross, a constant per stretch, log-confidence and aspect
# likelihood of the best class together), learned by an averaged structured perceptron: on
# 150 synthetic touching numbers (tests/support/synthetic_paper.py, MNIST test glyphs, seed 0)
# the weights were nudged until the dynamic programme's best cover was the true one; checked
# on 150 photos of another seed (84 % of the blobs cut right on both)
WEIGHTS = np.array([11.37, -1.735, -0.056, -1.319, 3.389, -1.574])


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


def best_split(
    found: Found, group: np.ndarray, judge: Judge, keep_stages: bool, gate: float = MIN_SPLIT
) -> list[Prepared]:
    """The group cut into the digits its pieces are read most surely as (see the module).

    A blob no wider than `gate` × its height is read whole."""
    spans = spans_of(found, group, judge, keep_stages, gate)
    if spans is None:
        return prepare_columns(found, group, [whole(found, group)], keep_stages)
    at, keys, features, pieces = spans
    score = dict(zip(keys, features @ WEIGHTS, strict=True))
    return [pieces[s] for s in best_path(score, len(at))]


def spans_of(
    found: Found, group: np.ndarray, judge: Judge, keep_stages: bool, gate: float = MIN_SPLIT
) -> tuple[list[int], list[tuple[int, int]], np.ndarray, dict] | None:
    """Candidate cuts, the stretches between two of them that may be a digit (as index pairs),
    their features and their pieces; None when the blob is read whole."""
    parts = found.parts
    x0, x1 = whole(found, group)
    y0, y1 = int(parts.y0[group].min()), int(parts.y1[group].max())
    width, height = x1 - x0, y1 - y0
    if width <= gate * height:
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
        p.box = (bx0 + x0, by0 + y0, bx1 + x0, by1 + y0)
    keys = list(pieces)
    probs = judge(np.stack([pieces[s].image28 for s in keys]))  # one batch for every stretch
    features = _features(probs, [pieces[s].box for s in keys], keys, at, strokes)
    return at, keys, features, pieces


def _features(
    probs: np.ndarray,
    boxes: list[tuple[int, int, int, int]],
    keys: list[tuple[int, int]],
    at: list[int],
    strokes: np.ndarray,
) -> np.ndarray:
    """One row per stretch, in the order of WEIGHTS (see there and the module docstring)."""
    box = np.array(boxes, dtype=float)
    aspect = np.log(np.maximum(box[:, 2] - box[:, 0], 1) / np.maximum(box[:, 3] - box[:, 1], 1))
    z = (aspect[:, None] - ASPECT[None, :, 0]) / ASPECT[None, :, 1]  # every class
    read = probs.argmax(axis=1)
    z_read = z[np.arange(len(read)), read]
    logp = np.maximum(np.log(probs.max(axis=1) + 1e-9), -5)
    joint = np.maximum((np.log(probs + 1e-9) - 0.5 * z**2).max(axis=1), -8)
    # ink a straight cut goes through: pixels per column over the stroke width ≈ strokes
    # crossed along them; and the vertical runs of ink in the column, strokes crossed across
    ink = strokes.sum(axis=0) / max(stroke_width(strokes), 1.0)
    runs = (np.diff(strokes.astype(np.int8), axis=0) == 1).sum(axis=0) + strokes[0]
    last = len(at) - 1

    def at_ends(column: np.ndarray) -> np.ndarray:
        # the blob's own edges cut nothing
        return np.array(
            [
                (column[at[i]] if i > 0 else 0.0) + (column[at[j] - 1] if j < last else 0.0)
                for i, j in keys
            ]
        )

    return np.stack(
        [logp, np.minimum(z_read**2, 16), at_ends(ink), at_ends(runs), np.ones(len(keys)), joint],
        axis=1,
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
