"""A new table in the chat's state: the old network goes, the settings stay unless given."""

from bot.store import ChatState
from bot.tables.state import PENDING_TABLE, set_table
from tests.bot.tables.helpers import parse


def test_a_new_table_replaces_the_old_network_and_what_was_pending():
    state = ChatState(chat_id=1, pending=PENDING_TABLE, settings={"lr": 1}, model=b"npz")
    table = parse("1 2 3\n4 5 6")
    set_table(state, table)
    assert state.table == table.to_dict()
    assert state.pending is None
    assert not state.model
    assert state.settings == {"lr": 1}
    set_table(state, table, {"lr": 2})
    assert state.settings == {"lr": 2}
