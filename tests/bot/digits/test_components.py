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
