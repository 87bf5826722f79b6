"""The bot's handlers, one module per feature, registered in a fixed order.

`inside` comes first: its `/start <code>` (a /share link) must see a /start with an argument
before the plain /start of `common` (the package `bot.common.handlers`: the gate in group -1,
the error handler, /start, /help, …), which comes next; `lab` comes before `digits`: its photo
handler passes every photo the lab does not want to the digits feature's own; `tables` comes
last because it owns the router for plain text messages, which must only see what no other
handler took. Each module exposes `register(application)` and `COMMANDS`.
"""

from __future__ import annotations

from bot.common import handlers as common
from bot.digits import handlers as digits
from bot.inside import handlers as inside
from bot.lab import handlers as lab
from bot.lesson import handlers as lesson
from bot.tables import handlers as tables
from bot.training import handlers as training

MODULES = (inside, common, training, lab, digits, lesson, tables)  # lab sees photos before digits

# The menu follows a lesson: the guided lesson, a table, training (and comparing settings),
# questions and a quiz, pictures and what is inside the network, digits, then sharing. Commands
# not listed here come after these, in module order; /lang and /reset close the menu.
LESSON_ORDER = (
    "start", "help", "lesson", "table", "examples", "settings", "train", "stop", "compare",
    "predict", "explain", "quiz", "plot", "net", "boundary", "weights", "confusion",
    "activations", "neurons", "digit", "lab", "share",
)  # fmt: skip


def all_commands() -> list[str]:
    """Every public command, in menu order (see LESSON_ORDER)."""
    names = list(dict.fromkeys(name for module in MODULES for name in module.COMMANDS))
    tail = [name for name in common.COMMANDS if name not in LESSON_ORDER]
    body = [name for name in names if name not in tail]
    rank = {name: i for i, name in enumerate(LESSON_ORDER)}
    body.sort(key=lambda name: rank.get(name, len(rank)))
    return body + tail
