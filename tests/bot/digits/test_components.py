"""bot.digits.components: connected components agree with a flood fill."""

from __future__ import annotations

import numpy as np

from bot.digits.components import label_components


def test_components_match_a_flood_fill():
    rng = np.random.default_rng(0)
    for _ in range(20):
        mask = rng.random((40, 50)) < rng.uniform(0.2, 0.6)
        parts = label_components(mask)
        assert parts.count == flood_fill_count(mask)
        assert parts.area.sum() == mask.sum()


def flood_fill_count(mask: np.ndarray) -> int:
    seen = np.zeros_like(mask)
    count = 0
    h, w = mask.shape
    for y0, x0 in zip(*np.nonzero(mask), strict=True):
        if seen[y0, x0]:
            continue
        count += 1
        stack = [(y0, x0)]
        seen[y0, x0] = True
        while stack:
            y, x = stack.pop()
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    v, u = y + dy, x + dx
                    if 0 <= v < h and 0 <= u < w and mask[v, u] and not seen[v, u]:
                        seen[v, u] = True
                        stack.append((v, u))
    return count


def test_mask_of_draws_exactly_the_pixels_of_the_components_asked_for():
    rng = np.random.default_rng(5)
    mask = rng.random((40, 60)) < 0.3
    parts = label_components(mask)
    everything = np.arange(parts.count)
    assert np.array_equal(parts.mask_of(everything, mask.shape), mask)
    assert not parts.mask_of(np.array([], dtype=int), mask.shape).any()
    seen = np.zeros_like(mask)
    for label in everything:
        one = parts.mask_of(np.array([label]), mask.shape)
        assert one.sum() == parts.area[label]
        rows, cols = np.nonzero(one)
        assert (rows.min(), cols.min()) == (parts.y0[label], parts.x0[label])
        assert (rows.max() + 1, cols.max() + 1) == (parts.y1[label], parts.x1[label])
        assert not (one & seen).any()  # components never share a pixel
        seen |= one
    assert np.array_equal(seen, mask)
