"""Lines of writing: the ink components of a page grouped into the lines they were written on.

People write numbers on lines that slope a little and rarely keep one height, and a page may
hold several: `12345` above `67890`, or a column of digits (several lines of one digit each).
Components are taken left to right; each joins the line whose band it falls in — the band
follows the line's own slope, fitted through the centres of the digits already on it — or
starts a new line. Pieces inside a line's band but above or below its digits (the bar of a 5)
join it too. Lines holding only small marks are dropped; the rest are ordered top to bottom.
"""

from __future__ import annotations

import numpy as np

from bot.digits.components import Components


class _Line:
    def __init__(self, c: int, parts: Components) -> None:
        self.members = [c]
        self.xs = [float(parts.x0[c] + parts.x1[c]) / 2]
        self.ys = [float(parts.y0[c] + parts.y1[c]) / 2]
        self.heights = [float(parts.y1[c] - parts.y0[c])]

    def centre_at(self, x: float) -> float:
        """The line's centre height at x, from a fit through its tall members."""
        # the pieces of one digit (a 6 broken in two) say nothing about the line's slope:
        # only centres at least a digit's height apart do
        if len(self.xs) < 2 or np.ptp(self.xs) < self.height():
            return float(np.average(self.ys, weights=self.heights))
        slope, _ = np.polyfit(self.xs, self.ys, 1, w=self.heights)
        slope = float(np.clip(slope, -0.35, 0.35))  # writing seldom slopes more than ~20°
        mean_x = float(np.average(self.xs, weights=self.heights))
        mean_y = float(np.average(self.ys, weights=self.heights))
        return mean_y + slope * (x - mean_x)

    def height(self) -> float:
        return float(max(self.heights))

    def add(self, c: int, parts: Components, typical: float) -> None:
        self.members.append(c)
        h = float(parts.y1[c] - parts.y0[c])
        if h >= 0.5 * typical:  # only digit-sized pieces steer the line
            self.xs.append(float(parts.x0[c] + parts.x1[c]) / 2)
            self.ys.append(float(parts.y0[c] + parts.y1[c]) / 2)
            self.heights.append(h)


def typical_height(parts: Components, labels: np.ndarray) -> float:
    """The height of a digit on this page: the upper quartile of the sizeable components."""
    heights = (parts.y1[labels] - parts.y0[labels]).astype(np.float64)
    big = parts.area[labels] >= 0.1 * parts.area[labels].max()
    return float(np.percentile(heights[big], 75))


def group_lines(parts: Components, labels: np.ndarray) -> list[np.ndarray]:
    """`labels` split into lines of writing, top to bottom (each line's labels in any order)."""
    if len(labels) == 0:
        return []
    typical = typical_height(parts, labels)
    heights = (parts.y1 - parts.y0).astype(np.float64)
    # tall pieces first, so the lines are laid by digits, then the small pieces join them
    tall = labels[heights[labels] >= 0.5 * typical]
    small = labels[heights[labels] < 0.5 * typical]
    lines: list[_Line] = []
    for group in (tall, small):
        for c in group[np.argsort(parts.x0[group], kind="stable")]:
            best, best_overlap = None, 0.0
            x = float(parts.x0[c] + parts.x1[c]) / 2
            for line in lines:
                centre, half = line.centre_at(x), max(line.height(), typical) / 2
                overlap = min(parts.y1[c], centre + half) - max(parts.y0[c], centre - half)
                share = overlap / max(1.0, min(heights[c], 2 * half))
                if share > best_overlap:
                    best, best_overlap = line, share
            if best is not None and best_overlap >= 0.5:
                best.add(int(c), parts, typical)
            elif group is tall:
                lines.append(_Line(int(c), parts))
    mid = float(np.median((parts.x0[labels] + parts.x1[labels]) / 2))
    lines.sort(key=lambda line: line.centre_at(mid))
    return [np.array(line.members, dtype=np.int64) for line in lines]


def with_stroke_pieces(parts: Components, keep: np.ndarray) -> np.ndarray:
    """`keep` plus the pieces of broken strokes that the speck filters dropped.

    `bot.digits.vision.find_ink` drops components much smaller than the biggest one, which is
    right for dust beside one digit. On a page that holds thick and thin writing, the dashes of
    a thin stroke broken by the threshold are that small too, and dropping them loses the
    digit or leaves a piece of it that reads as another digit. A dash is long for its own
    width (its stroke width, area / length, is small next to its length) and long enough to
    matter next to the digits (a tenth of their height); a speck of dust or JPEG noise is
    about as long as it is wide. Only pieces inside the writing's bounding box return; the
    line and digit grouping then decides whether they belong to a digit.
    """
    if len(keep) == 0:
        return keep
    x0, y0 = parts.x0[keep].min(), parts.y0[keep].min()
    x1, y1 = parts.x1[keep].max(), parts.y1[keep].max()
    length = np.hypot(parts.x1 - parts.x0, parts.y1 - parts.y0)
    width = parts.area / np.maximum(length, 1.0)  # the stroke width of a straight dash
    inside = (parts.x0 >= x0) & (parts.x1 <= x1) & (parts.y0 >= y0) & (parts.y1 <= y1)
    dash = (length >= 4 * width) & (length >= 0.1 * typical_height(parts, keep))
    return np.union1d(keep, np.nonzero(inside & dash)[0])
