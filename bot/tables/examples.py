"""The ready tables of /examples: one tap gives a table, suggested settings and a next step.

Each example is plain text in the same format a learner would type, so it goes through the
same parser (`bot.tables.parse.parse_table`), and doubles as a worked example of that format.
`settings` is text for `bot.training.settings.parse_settings` (the training syntax), applied
on top of the task's defaults when the example is chosen. Titles and descriptions live in the
message catalogue (`table.example.<key>.title` / `.about`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from bot.config import Limits
from bot.tables.table import Table
from bot.training import settings as training

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Example:
    key: str
    text: str
    settings: str = ""  # e.g. "hidden=none lr=2"; empty = the task's defaults
    text_ru: str | None = None  # the same table with Russian names, when it has words

    def text_for(self, lang: str) -> str:
        """The table in the learner's language (the numbers are the same in every one)."""
        return self.text_ru if lang == "ru" and self.text_ru else self.text


# The classic single neuron: the output copies the first input (the third is always 1).
SINGLE_NEURON = """\
x1 x2 x3 | y
0 0 1 | 0
1 1 1 | 1
1 0 1 | 1
0 1 1 | 0
1 0 0 | ?
"""

# Weight (lb − 135) and height (in − 66) → female? The article's people, Emily and Frank asked.
GENDER = """\
name weight height | female
Alice -2 -1 | 1
Bob 25 6 | 0
Charlie 17 4 | 0
Diana -15 -6 | 1
Emily -7 -3 | ?
Frank 20 2 | ?
"""

GENDER_RU = """\
имя вес рост | женщина
Алиса -2 -1 | 1
Боб 25 6 | 0
Чарли 17 4 | 0
Диана -15 -6 | 1
Эмили -7 -3 | ?
Фрэнк 20 2 | ?
"""

XOR = """\
x1 x2 | xor
0 0 | 0
0 1 | 1
1 0 | 1
1 1 | 0
"""

AND = """\
x1 x2 | and
0 0 | 0
0 1 | 0
1 0 | 0
1 1 | 1
"""

OR = """\
x1 x2 | or
0 0 | 0
0 1 | 1
1 0 | 1
1 1 | 1
"""

# Three colour clusters on a plane; two points to classify.
COLOURS = """\
x y | colour
1.0 1.2 | red
1.5 0.8 | red
0.7 0.5 | red
1.2 1.7 | red
4.0 1.0 | green
4.6 1.4 | green
3.8 0.4 | green
4.3 1.9 | green
2.4 4.0 | blue
2.9 4.6 | blue
2.0 4.4 | blue
2.6 3.5 | blue
1.1 1.0 | ?
2.5 4.2 | ?
"""

# Segments a–g of a seven-segment display (a top, b top right, c bottom right, d bottom,
# e bottom left, f top left, g middle) → the digit shown. The last row is a broken 8.
COLOURS_RU = COLOURS.replace("x y | colour", "x y | цвет").replace("| red", "| красный")
COLOURS_RU = COLOURS_RU.replace("| green", "| зелёный").replace("| blue", "| синий")

SEVEN_SEGMENT = """\
a b c d e f g | digit
1 1 1 1 1 1 0 | 0
0 1 1 0 0 0 0 | 1
1 1 0 1 1 0 1 | 2
1 1 1 1 0 0 1 | 3
0 1 1 0 0 1 1 | 4
1 0 1 1 0 1 1 | 5
1 0 1 1 1 1 1 | 6
1 1 1 0 0 0 0 | 7
1 1 1 1 1 1 1 | 8
1 1 1 1 0 1 1 | 9
1 1 1 1 1 0 1 | ?
"""

# In Russian the logic tables' answers are named as the titles name them (И, ИЛИ, XOR).
XOR_RU = XOR.replace("| xor", "| XOR")
AND_RU = AND.replace("| and", "| И")
OR_RU = OR.replace("| or", "| ИЛИ")
SEVEN_SEGMENT_RU = SEVEN_SEGMENT.replace("| digit", "| цифра")

LOGIC_SETTINGS = "hidden=none activation=sigmoid loss=mse optimizer=sgd lr=2 batch=all"

# Overfitting on purpose: y = 1 when x1 + x2 > 0, with four labels flipped (noise), learned by
# a network with far more weights than rows. A third of the rows are held out for validation.
NOISY = """\
x1 x2 | y
0.5 1.6 | 1
1.1 -1.1 | 0
-0.8 1.5 | 1
-2.0 1.3 | 0
1.2 -0.1 | 0
-0.8 -0.9 | 0
-1.0 -0.2 | 0
0.0 0.2 | 0
2.0 1.2 | 1
0.5 2.0 | 1
-1.1 -1.4 | 0
0.5 -1.8 | 0
-1.9 0.1 | 0
-0.1 1.7 | 1
0.5 0.1 | 1
0.0 -1.0 | 1
-2.0 -1.2 | 0
0.8 -1.2 | 0
-0.5 -2.0 | 0
1.3 -1.4 | 1
-0.9 1.5 | 1
0.0 1.4 | 1
0.6 1.0 | 1
-1.6 0.2 | 0
"""

EXAMPLES: dict[str, Example] = {
    e.key: e
    for e in (
        Example(
            "neuron",
            SINGLE_NEURON,
            "hidden=none bias=off init=legacy seed=1 activation=sigmoid loss=mse optimizer=sgd"
            " lr=2 epochs=10000 batch=all",
        ),
        Example("gender", GENDER, "preset=article", GENDER_RU),
        Example("xor", XOR, "hidden=4 activation=tanh epochs=1000", XOR_RU),
        Example("and", AND, LOGIC_SETTINGS, AND_RU),
        Example("or", OR, LOGIC_SETTINGS, OR_RU),
        Example("colours", COLOURS, "hidden=8 epochs=500", COLOURS_RU),
        Example("digits7", SEVEN_SEGMENT, "hidden=12 epochs=1500", SEVEN_SEGMENT_RU),
        Example("noisy", NOISY, "hidden=32,32 lr=0.02 epochs=1000 validation=0.3"),
    )
}


def suggested_settings(key: str, table: Table, limits: Limits) -> dict[str, Any]:
    """The example's settings on top of its task's defaults, as the dict ChatState stores."""
    base = training.default_settings(table.task)
    try:
        chosen = training.parse_settings(EXAMPLES[key].settings, base, limits)
    except training.SettingsError as error:  # e.g. the host's limits are below the suggestion
        logger.warning("example %s: suggested settings refused (%s)", key, error.key)
        chosen = base
    return chosen.to_dict()
