"""How far can one straight line go? The best accuracy of a single linear boundary.

A single neuron draws one line (a plane, in more dimensions) and calls one side "yes".
`linear_separability(X, y)` finds the best such boundary for a two-class table:
1.0 means one neuron can learn it; XOR gives 0.75 — one of its four corners is always wrong.

How: a boundary is a direction n and a threshold t (class "yes" when x·n > t). For a fixed
direction the best threshold comes from sorting the projections x·n and trying every cut.
The order of the projections only changes at directions perpendicular to some xᵢ − xⱼ, so with
two inputs (and up to 120 rows) trying one direction between each pair of neighbouring critical
directions is exact. With more inputs or rows the exact search grows too fast; the result is
then the best of a few hundred directions (class means, least squares, logistic regression,
random): a lower bound.
"""

from __future__ import annotations

import numpy as np

EXACT_ROWS = 120


def _best_cut(projections: np.ndarray, positive: np.ndarray) -> np.ndarray:
    """Best accuracy over thresholds, for each row of projections (directions × samples)."""
    n = projections.shape[1]
    order = np.argsort(projections, axis=1, kind="stable")
    sorted_proj = np.take_along_axis(projections, order, axis=1)
    sorted_pos = positive[order]
    # Cut after k samples (k = 0..n): below the cut say "no", above say "yes" (or the reverse).
    pos_below = np.concatenate([np.zeros((len(order), 1)), np.cumsum(sorted_pos, axis=1)], axis=1)
    k = np.arange(n + 1)
    neg_below = k - pos_below
    pos_above = pos_below[:, -1:] - pos_below
    correct = neg_below + pos_above
    correct = np.maximum(correct, n - correct)
    # A cut between two equal projections is impossible.
    allowed = np.ones((len(order), n + 1), dtype=bool)
    allowed[:, 1:n] = sorted_proj[:, 1:] > sorted_proj[:, :-1]
    return np.where(allowed, correct, 0).max(axis=1) / n


def _critical_directions(points: np.ndarray) -> np.ndarray:
    """Unit directions in 2-D: one inside each arc between angles where projections swap."""
    i, j = np.triu_indices(len(points), k=1)
    diff = points[j] - points[i]
    diff = diff[np.any(diff != 0, axis=1)]
    angles = np.sort(np.unique(np.mod(np.arctan2(diff[:, 1], diff[:, 0]) + np.pi / 2, np.pi)))
    if len(angles) == 0:
        angles = np.array([0.0])
    middles = (angles + np.append(angles[1:], angles[0] + np.pi)) / 2
    return np.stack([np.cos(middles), np.sin(middles)], axis=1)


def _logistic_direction(X: np.ndarray, positive: np.ndarray, steps: int = 300) -> np.ndarray:
    """The weights of a logistic regression trained by plain gradient descent."""
    Xb = np.c_[X, np.ones(len(X))]
    w = np.zeros(Xb.shape[1])
    for _ in range(steps):
        p = 0.5 * (1.0 + np.tanh(0.5 * (Xb @ w)))
        w -= 1.0 * Xb.T @ (p - positive) / len(X)
    return w[:-1]


def _two_classes(y: np.ndarray) -> np.ndarray:
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        y = y.argmax(axis=1)
    y = y.reshape(-1)
    classes = np.unique(y)
    if len(classes) > 2:
        raise ValueError("linear_separability needs a table with two classes")
    return (y == classes[-1]).astype(float)


def linear_separability(X: np.ndarray, y: np.ndarray, seed: int = 0) -> float:
    """Best accuracy (0..1) one straight boundary reaches on (X, y); exact for 1 or 2 inputs."""
    X = np.asarray(X, dtype=np.float64)
    X = X.reshape(len(X), -1)
    positive = _two_classes(y)
    if len(X) != len(positive):
        raise ValueError(f"{len(X)} rows but {len(positive)} labels")
    if len(X) == 0:
        return 1.0
    scale = X.std(axis=0)
    X = (X - X.mean(axis=0)) / np.where(scale > 0, scale, 1.0)
    d = X.shape[1]
    if d == 1:
        return float(_best_cut(X.T, positive)[0])
    if d == 2 and len(X) <= EXACT_ROWS:
        directions = _critical_directions(X)
    else:
        rng = np.random.default_rng(seed)
        candidates = [X[positive == 1].mean(axis=0) - X[positive == 0].mean(axis=0)]
        least_squares, *_ = np.linalg.lstsq(np.c_[X, np.ones(len(X))], positive, rcond=None)
        candidates.append(least_squares[:d])
        candidates.append(_logistic_direction(X, positive))
        candidates.extend(rng.normal(size=(500, d)))
        directions = np.array(candidates)
    best = 0.0
    for start in range(0, len(directions), 2048):
        chunk = directions[start : start + 2048]
        best = max(best, float(_best_cut(chunk @ X.T, positive).max()))
    return best
