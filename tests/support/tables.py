"""Small tables the training tests share (dicts as `bot.tables.Table.to_dict` writes them,
the form ChatState.table keeps; `as_table` gives the Table the training code takes)."""

from bot.config import Limits
from bot.tables.table import Table
from bot.training.run import run_training
from bot.training.settings import default_settings, parse_settings

LIMITS = Limits()

GENDER = {
    "inputs": ["weight", "height"],
    "targets": ["female"],
    "X": [[-2.0, -1.0], [25.0, 6.0], [17.0, 4.0], [-15.0, -6.0]],
    "Y": [[1.0], [0.0], [0.0], [1.0]],
    "task": "binary",
    "classes": ["0", "1"],
    "questions": [[-7.0, -3.0], [20.0, 2.0]],
}
XOR = {
    "inputs": ["a", "b"],
    "targets": ["y"],
    "X": [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]],
    "Y": [[0.0], [1.0], [1.0], [0.0]],
    "task": "binary",
    "classes": ["0", "1"],
    "questions": [],
}
COLOURS = {
    "inputs": ["x", "y"],
    "targets": ["colour"],
    "X": [[0, 0], [0, 1], [1, 0], [1, 1], [3, 3], [3, 4], [4, 3]],
    "Y": [[0.0], [0.0], [1.0], [1.0], [2.0], [2.0], [2.0]],
    "task": "multiclass",
    "classes": ["blue", "green", "red"],
    "questions": [[3.5, 3.5]],
}
PRICES = {
    "inputs": ["area"],
    "targets": ["price"],
    "X": [[float(a)] for a in range(30, 130, 10)],
    "Y": [[a * 1000.0 + 5000.0] for a in range(30, 130, 10)],
    "task": "regression",
    "classes": None,
    "questions": [[75.0]],
}


def as_table(data: dict) -> Table:
    """A stored table dict as the Table the training code takes."""
    return Table.from_dict(data)


def train(table, text="", **kwargs):
    """Train on a table (a dict or a Table) with `/settings`-style text over the defaults."""
    table = table if isinstance(table, Table) else as_table(table)
    settings = parse_settings(text, default_settings(table.task), LIMITS)
    return run_training(table, settings, lambda p: None, lambda: False, **kwargs)
