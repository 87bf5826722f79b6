"""The Table itself: stored as JSON and read back, and its targets as a person reads them."""

import json

from bot.tables.table import Table
from tests.bot.tables.helpers import parse


def test_round_trip_through_json():
    table = parse("name a b c\nAlice 1 2 x\nBob 3 4 y\nCarol 5 6 ?")
    data = json.loads(json.dumps(table.to_dict()))
    assert data["columns"] == ["a", "b", "c"]
    again = Table.from_dict(data)
    assert again == table


def test_to_dict_has_the_agreed_keys():
    data = parse("1 2 3\n4 5 6").to_dict()
    assert set(data) >= {
        "columns",
        "inputs",
        "targets",
        "X",
        "Y",
        "task",
        "classes",
        "questions",
    }


def test_targets_read_as_class_labels_or_numbers():
    classes = parse("1 2 dog\n3 4 cat\n5 6 fish")
    assert classes.target_text([1.0]) == "dog"
    assert classes.target_text([7.0]) == "7"  # no such class: the number itself
    numbers = parse("x | y z\n1 | 0.5 2\n2 | 1.25 3")
    assert numbers.target_text([0.5, 2.0]) == "0.5 2"
