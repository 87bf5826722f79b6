"""One colour per class, the same in every picture; a class that names a colour gets it.

The "Three colours" table has classes blue, green and red: drawing them with the palette's
first three colours (blue, orange, green) would paint the red points green. Plain Python.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.training.pictures import PALETTE

NAMED = {
    "#d62728": ("red", "красный", "красные", "красная"),
    "#2ca02c": ("green", "зелёный", "зеленый", "зелёные", "зелёная"),
    "#1f77b4": ("blue", "синий", "синие", "синяя", "голубой"),
    "#ff7f0e": ("orange", "оранжевый", "оранжевая"),
    "#9467bd": ("purple", "violet", "фиолетовый", "фиолетовая"),
    "#bcbd22": ("yellow", "жёлтый", "желтый", "жёлтая"),
    "#8c564b": ("brown", "коричневый", "коричневая"),
    "#e377c2": ("pink", "розовый", "розовая"),
    "#7f7f7f": ("grey", "gray", "серый", "серая"),
    "#222222": ("black", "чёрный", "черный", "чёрная"),
}
_BY_NAME = {word: colour for colour, words in NAMED.items() for word in words}


def class_colours(classes: Sequence[str]) -> list[str]:
    """A colour for each class: its own when its name is a colour, else the next unused one."""
    chosen = [_BY_NAME.get(str(name).strip().casefold()) for name in classes]
    free = [c for c in PALETTE if c not in chosen]
    result = []
    for index, colour in enumerate(chosen):
        if colour is None:
            colour = free.pop(0) if free else PALETTE[index % len(PALETTE)]
        result.append(colour)
    return result


def shaded_regions(probs: np.ndarray, colours: Sequence[str], shape: tuple[int, int]) -> np.ndarray:
    """An RGBA image of the winning class's colour, as opaque as the network is sure.

    probs: (points, classes). Where the winner has only 1/classes (a coin toss), the picture
    stays white; the nearer the winner's probability is to 1, the stronger its colour.
    """
    rgb = np.array([[int(c[i : i + 2], 16) / 255 for i in (1, 3, 5)] for c in colours])
    winner = probs.argmax(axis=1)
    chance = 1 / probs.shape[1]
    sureness = (probs.max(axis=1) - chance) / (1 - chance)
    image = np.ones((len(probs), 4))
    image[:, :3] = rgb[winner]
    image[:, 3] = 0.45 * np.clip(sureness, 0, 1)
    return image.reshape(*shape, 4)
