"""The printed lines of ruled and squared paper, found by their shape and cleared from the ink.

Notebook lines in a phone photo are rarely exactly horizontal: they are tilted by a few degrees,
gently curved where the page does not lie flat, closer together at the far end (perspective),
and broken where the threshold lost their faint stretches. What they always are is long, thin
and nearly straight, which a handwritten stroke seldom is. So, for lines near horizontal (and
again on the transposed mask for lines near vertical):

1. keep the ink pixels whose vertical run is short (`run_lengths`): a printed line crossed
   by a pen stroke is thin everywhere except where the stroke crosses it;
2. bridge the short gaps where something crosses, and label the thin pixels; a piece that is
   thin on average, nearly straight and no steeper than ~17° may be a piece of a printed line;
3. group collinear pieces (a line is cut wherever a stroke crosses it, or where it fades),
   growing each line piece by piece, and keep the groups that add up to a third of the
   photo's width and run off the photo: a handwritten stroke seldom is that long and that
   straight and reaches the edge, and an arc of a 0 is never that straight;
4. fit a quadratic y(x) to each line (curvature and a little perspective), extend it somewhat
   past its ends, and clear the thin pixels within the line's half-thickness of the curve.

Ink of strokes that cross a line survives, because where a stroke crosses, the vertical run is
as long as the stroke, not the line. A stroke lying exactly along a line is lost, as it would
be to the eye.
"""

from __future__ import annotations

import numpy as np

from bot.digits.components import label_components

PIECE = 0.06  # a piece of a printed line is at least this fraction of the photo's width …
LINE = 0.35  # … and the collinear pieces of one line add up to at least this fraction
STEEPEST = 0.3  # rise over run: ~17°, more than any notebook photographed on purpose
EDGE = 0.04  # a printed line runs off the photo: one end is this close to an edge
EXTEND = 0.15  # the fitted curve is used this fraction of the photo past the line's ends


def _row_runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Runs of True along each row: (row, start, end exclusive)."""
    h, w = mask.shape
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    change = np.diff(padded.ravel())
    row, start = np.divmod(np.flatnonzero(change == 1), w + 2)
    end = np.flatnonzero(change == -1) % (w + 2)
    return row, start, end


def _paint(shape, row, start, end, values) -> np.ndarray:
    """An int32 image with values[i] on the pixels of run i (zero elsewhere)."""
    out = np.zeros(shape, dtype=np.int32)
    lengths = end - start
    if len(lengths):
        first = np.repeat(row * shape[1] + start - np.cumsum(lengths) + lengths, lengths)
        out.ravel()[first + np.arange(lengths.sum())] = np.repeat(
            np.broadcast_to(values, lengths.shape), lengths
        )
    return out


def run_lengths(mask: np.ndarray) -> np.ndarray:
    """For every pixel, the length of the vertical run of True pixels through it (0 if False)."""
    column, start, end = _row_runs(mask.T)
    return _paint(mask.T.shape, column, start, end, end - start).T


def close_along_rows(mask: np.ndarray, radius: int) -> np.ndarray:
    """Gaps of up to 2·radius pixels within each row filled (a 1-D closing)."""
    row, start, end = _row_runs(mask)
    if len(row) < 2:
        return mask
    short = (row[1:] == row[:-1]) & (start[1:] - end[:-1] <= 2 * radius)
    gaps = _paint(mask.shape, row[1:][short], end[:-1][short], start[1:][short], 1)
    return mask | (gaps > 0)


def thickest_line(shape: tuple[int, int]) -> int:
    """The thickest printed line expected, in pixels of the working photo (a ~2 mm felt rule)."""
    return max(3, round(0.01 * max(shape)))


def _fit(rows: np.ndarray, starts: np.ndarray, ends: np.ndarray, degree: int) -> np.ndarray:
    """A polynomial y(x) through both ends of every run, refit once without the outliers.

    Returns the coefficients followed by the x offset and scale they were fitted in.
    """
    ys = np.concatenate([rows, rows]).astype(np.float64)
    xs = np.concatenate([starts, ends - 1]).astype(np.float64)
    weights = np.sqrt(np.concatenate([ends - starts, ends - starts]).astype(np.float64))
    offset, scale = float(xs.mean()), max(1.0, float(np.ptp(xs)))
    x = (xs - offset) / scale
    coef = np.polyfit(x, ys, degree, w=weights)
    residual = np.abs(np.polyval(coef, x) - ys)
    good = residual <= max(2.0, 2.5 * float(np.median(residual)))
    if good.sum() > degree + 2:
        coef = np.polyfit(x[good], ys[good], degree, w=weights[good])
    return np.array([*coef, offset, scale])


def _at(coef: np.ndarray, x) -> np.ndarray:
    return np.polyval(coef[:-2], (np.asarray(x, dtype=np.float64) - coef[-2]) / coef[-1])


class _Runs:
    """The runs of each labelled piece, looked up by label."""

    def __init__(self, parts) -> None:
        order = np.argsort(parts.run_label, kind="stable")
        self.row, self.start = parts.run_row[order], parts.run_start[order]
        self.end = parts.run_end[order]
        self.bounds = np.searchsorted(parts.run_label[order], np.arange(parts.count + 1))

    def of(self, labels) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        pick = np.concatenate([np.arange(self.bounds[c], self.bounds[c + 1]) for c in labels])
        return self.row[pick], self.start[pick], self.end[pick]


def _straight_pieces(parts, runs: _Runs, limit: int, w: int) -> list[tuple[int, np.ndarray]]:
    """Thin, long-enough, nearly straight pieces, as (label, linear fit), longest first."""
    widths = parts.x1 - parts.x0
    heights = parts.y1 - parts.y0
    chosen = np.nonzero(
        (widths >= PIECE * w)
        & (heights <= STEEPEST * widths + limit)
        & (parts.area <= limit * widths)  # thin on average
    )[0]
    pieces = []
    for c in chosen[np.argsort(-widths[chosen])]:
        rows, starts, ends = runs.of([c])
        coef = _fit(rows, starts, ends, 1)
        mids = (starts + ends - 1) / 2
        spread = np.sqrt(np.average((_at(coef, mids) - rows) ** 2, weights=ends - starts))
        if spread <= 1.0 + 0.01 * widths[c]:  # an arc of a 0 or a 3 is far from its chord
            pieces.append((int(c), coef))
    return pieces


def _runs_off(parts, group: list[int], shape: tuple[int, int]) -> bool:
    """Whether a line reaches the edge of the photo, as printed lines do and strokes seldom."""
    h, w = shape
    margin = EDGE * max(h, w)
    return bool(
        parts.x0[group].min() <= margin
        or parts.x1[group].max() >= w - margin
        or parts.y0[group].min() <= margin
        or parts.y1[group].max() >= h - margin
    )


def _lines(parts, runs: _Runs, limit: int, shape: tuple[int, int]) -> list[list[int]]:
    """Collinear straight pieces grouped into printed lines at least LINE of the width long."""
    w = shape[1]
    pieces = _straight_pieces(parts, runs, limit, w)
    used: set[int] = set()
    lines = []
    for c, coef in pieces:
        if c in used:
            continue
        group = [c]
        # grow from the seed to the nearest pieces first, refitting as the line gets longer, so
        # a curved line is followed piece by piece rather than extrapolated far
        others = [(d, fit) for d, fit in pieces if d != c and d not in used]
        gap = [max(parts.x0[d] - parts.x1[c], parts.x0[c] - parts.x1[d]) for d, _ in others]
        for k in np.argsort(gap, kind="stable"):
            d, other = others[k]
            ends = [parts.x0[d], parts.x1[d] - 1]
            if np.abs(_at(coef, ends) - _at(other, ends)).max() <= 1.5 * limit:
                group.append(d)
                span = parts.x1[group].max() - parts.x0[group].min()
                coef = _fit(*runs.of(group), 2 if span > 0.3 * w else 1)
        if (parts.x1[group] - parts.x0[group]).sum() >= LINE * w and _runs_off(parts, group, shape):
            used.update(group)
            lines.append(group)
    return lines


def _near_horizontal(mask: np.ndarray) -> np.ndarray:
    """The pixels of printed lines within ~17° of horizontal (bool, same shape)."""
    h, w = mask.shape
    limit = thickest_line(mask.shape)
    thin = mask & (run_lengths(mask) <= limit)
    # where a line is crossed (by a stroke, or the other lines of squared paper) it is not thin;
    # bridging those short gaps keeps a line in long pieces
    parts = label_components(close_along_rows(thin, limit))
    clear = np.zeros_like(mask)
    if parts.count == 0:
        return clear
    runs = _Runs(parts)
    columns = np.arange(w)
    for group in _lines(parts, runs, limit, mask.shape):
        rows, starts, ends = runs.of(group)
        coef = _fit(rows, starts, ends, 2 if len(group) > 1 or np.ptp(starts) > 20 else 1)
        reach = EXTEND * w
        x0, x1 = parts.x0[group].min() - reach, parts.x1[group].max() + reach
        xs = columns[(columns >= x0) & (columns < x1)]
        centre = np.round(_at(coef, xs)).astype(np.int64)
        thickness = parts.area[group].sum() / (parts.x1[group] - parts.x0[group]).sum()
        half = int(np.ceil(thickness / 2)) + 1
        for d in range(-half, half + 1):
            ys = centre + d
            ok = (ys >= 0) & (ys < h)
            clear[ys[ok], xs[ok]] = True
    return clear & thin


def remove_printed_lines(mask: np.ndarray) -> np.ndarray:
    """The ink mask without the printed lines of ruled or squared paper, at any angle ≤ ~17°."""
    horizontal = _near_horizontal(mask)
    vertical = _near_horizontal(mask.T).T
    return mask & ~horizontal & ~vertical
