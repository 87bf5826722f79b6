"""Connected components of an ink mask (8-connectivity), found without SciPy.

The pipeline keeps the components that look like strokes and drops specks and blobs touching
the photo's border (`bot.digits.vision.find_ink`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Components:
    """Connected components of a binary mask (8-connectivity), described by their runs."""

    count: int
    run_row: np.ndarray
    run_start: np.ndarray
    run_end: np.ndarray  # exclusive
    run_label: np.ndarray
    area: np.ndarray
    x0: np.ndarray
    y0: np.ndarray
    x1: np.ndarray  # exclusive
    y1: np.ndarray  # exclusive

    def mask_of(self, labels: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
        """A boolean image of the pixels belonging to any of `labels`."""
        out = np.zeros(shape, dtype=bool)
        keep = np.isin(self.run_label, labels)
        starts, lengths = self.run_start[keep], self.run_end[keep] - self.run_start[keep]
        # every pixel of every run at once: its row, and its run's start plus its place in it
        place = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        out[np.repeat(self.run_row[keep], lengths), np.repeat(starts, lengths) + place] = True
        return out


def label_components(mask: np.ndarray) -> Components:
    """Label 8-connected components without SciPy: union of horizontal runs.

    Each row's mask is cut into runs of True pixels. Runs on neighbouring rows that overlap
    (allowing a diagonal touch) belong together; all runs start with their own label and
    repeatedly take the smallest label among their neighbours, with pointer jumping
    (label = label[label]) so long chains settle in a few rounds.
    """
    h, w = mask.shape
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    change = np.diff(padded.ravel())  # +1 where a run starts, −1 just after it ends
    start_at = np.flatnonzero(change == 1)
    rows_s, starts = np.divmod(start_at, w + 2)
    ends = np.flatnonzero(change == -1) % (w + 2)
    n = len(starts)
    empty = np.zeros(0, dtype=np.int64)
    if n == 0:
        return Components(0, empty, empty, empty, empty, empty, empty, empty, empty, empty)
    row = rows_s.astype(np.int64)
    # Edges between a run on row r and the runs on row r+1 that touch it, diagonals included:
    # bottom run j touches top run i when start_j <= end_i and end_j >= start_i. Keys
    # row·(w+2) + column grow along the run list, so two binary searches find every j at once.
    span = w + 2
    start_key = row * span + starts
    end_key = row * span + ends
    first = np.searchsorted(end_key, (row + 1) * span + starts, side="left")
    last = np.searchsorted(start_key, (row + 1) * span + ends, side="right")
    counts = np.maximum(last - first, 0)
    a_list, b_list = [], []
    if counts.sum():
        a = np.repeat(np.arange(n), counts)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        a_list.append(a)
        b_list.append(np.repeat(first, counts) + offsets)
    label = np.arange(n)
    if a_list:
        a = np.concatenate(a_list)
        b = np.concatenate(b_list)
        while True:
            low = np.minimum(label[a], label[b])
            new = label.copy()
            np.minimum.at(new, a, low)
            np.minimum.at(new, b, low)
            new = new[new]
            new = new[new]
            if np.array_equal(new, label):
                break
            label = new
    roots, run_label = np.unique(label, return_inverse=True)
    count = len(roots)
    length = ends - starts
    area = np.bincount(run_label, weights=length, minlength=count).astype(np.int64)
    x0 = np.full(count, w, dtype=np.int64)
    y0 = np.full(count, h, dtype=np.int64)
    x1 = np.zeros(count, dtype=np.int64)
    y1 = np.zeros(count, dtype=np.int64)
    np.minimum.at(x0, run_label, starts)
    np.minimum.at(y0, run_label, row)
    np.maximum.at(x1, run_label, ends)
    np.maximum.at(y1, run_label, row + 1)
    return Components(count, row, starts, ends, run_label, area, x0, y0, x1, y1)
