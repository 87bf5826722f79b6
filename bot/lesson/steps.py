"""The ten steps of /lesson: what each one loads and trains, decided in the event loop.

A step is a plain recipe: which ready table it uses, with which settings (the training
syntax of /settings), and whether the table and its trained network go into the learner's
chat afterwards (steps 1–4) or the step only shows an experiment on it (5–8). The work itself
runs in the job pool (`bot.lesson.work`); step 9 only draws, step 10 is text. No Telegram here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.config import Limits
from bot.tables.examples import EXAMPLES
from bot.tables.parse import parse_table
from bot.tables.table import Table
from bot.training.settings import TrainSettings, default_settings, parse_settings

FIRST, LAST = 1, 10

# Twelve noisy points of y = 2x + 1 (noise drawn once, σ = 0.3, and written down), so a big
# network has something to memorise that is not the rule: step 8 overfits on purpose.
NOISY_LINE = """\
x | y
0.0 1.09
0.1 0.93
0.2 1.62
0.3 1.79
0.4 1.50
0.5 2.31
0.6 2.02
0.7 2.63
0.8 2.31
0.9 3.11
1.0 2.71
1.1 3.40
"""


@dataclass(frozen=True)
class Step:
    number: int
    kind: str  # what bot.lesson.work does: "neuron", "line", "hidden", "backprop", …
    table: str | None = None  # an /examples key, or "noisy" for NOISY_LINE
    settings: str = ""  # on top of the example's own suggested settings
    loads: bool = False  # the table and its trained network go into the chat


STEPS: dict[int, Step] = {
    s.number: s
    for s in (
        Step(1, "neuron", "neuron", loads=True),
        Step(
            2,
            "line",
            "xor",
            "hidden=none activation=sigmoid loss=mse lr=2 batch=all epochs=2000",
            loads=True,
        ),
        Step(3, "hidden", "xor", loads=True),
        Step(4, "backprop", "gender", loads=True),
        Step(5, "symmetry", "xor", "hidden=4 activation=tanh epochs=1000 seed=1"),
        Step(6, "batches", "gender", "init=auto seed=1 lr=0.1 epochs=200"),
        Step(7, "activations", "xor", "hidden=4 optimizer=sgd lr=0.5 epochs=1000 seed=1"),
        Step(
            8,
            "overfitting",
            "noisy",
            "hidden=32,32 activation=tanh optimizer=adam "
            "lr=0.01 epochs=4000 validation=0.25 seed=1",
        ),
        Step(9, "convolution"),
        Step(10, "lab"),
    )
}


def step_number(text: str) -> int | None:
    """The step `/lesson N` asks for (1…10), or None when N is not one of them."""
    text = text.strip()
    if not text.isdecimal() or len(text) > 4:  # not isdigit(): int() refuses "²"
        return None
    number = int(text)
    return number if FIRST <= number <= LAST else None


def step_table(step: Step, lang: str, limits: Limits) -> Table | None:
    """The step's table in the learner's language (None for a step without one)."""
    if step.table is None:
        return None
    text = NOISY_LINE if step.table == "noisy" else EXAMPLES[step.table].text_for(lang)
    return parse_table(text, limits)


def step_settings(step: Step, table: Table, limits: Limits) -> TrainSettings:
    """The example's suggested settings with the step's own on top (SettingsError when the
    host's limits are below what the step needs, e.g. fewer than 10 000 epochs)."""
    base = default_settings(table.task)
    if step.table in EXAMPLES:
        base = parse_settings(EXAMPLES[step.table].settings, base, limits)
    return parse_settings(step.settings, base, limits) if step.settings else base


def payload(step: Step, lang: str, limits: Limits, image: Any = None) -> dict[str, Any]:
    """What the lesson job of this step needs (`image`: the 28×28 digit of step 9)."""
    table = step_table(step, lang, limits)
    data: dict[str, Any] = {"kind": "lesson", "step": step.number, "lang": lang, "image": image}
    if table is not None:
        data["table"] = table
        data["settings"] = step_settings(step, table, limits)
    return data
