"""Tables shown back: the preview of a parsed table and the message for a broken one."""

from bot.tables.preview import describe_error, preview
from tests.bot.tables.helpers import error, parse


def test_error_messages_escape_user_text_and_show_the_line():
    caught = error("1 <b>x</b> 3\n4 5 6")
    message = describe_error(caught, "en")
    assert "<b>x</b>" not in message
    assert "&lt;b&gt;x&lt;/b&gt;" in message
    assert "<code>1 &lt;b&gt;x&lt;/b&gt; 3</code>" in message


def test_shape_errors_show_an_example_table():
    assert "<pre>" in describe_error(error("1 2 3\n4 5"), "en")
    assert "<pre>" not in describe_error(error("1 x 3\n4 5 6"), "en")


def test_error_messages_differ_by_language():
    caught = error("1 2 3\n4 5")
    assert describe_error(caught, "en") != describe_error(caught, "ru")
    assert "Line 2" in describe_error(caught, "en")
    assert "Строка 2" in describe_error(caught, "ru")


# --- preview ------------------------------------------------------------------------------


def test_preview_tells_shape_inputs_targets_task_and_questions():
    table = parse("weight height | female\n-2 -1 | 1\n25 6 | 0\n17 4 | 0\n-7 -3 | ?")
    en = preview(table, "en")
    assert "3 rows" in en
    assert "weight, height" in en
    assert "female" in en
    assert "binary" in en
    assert "-7" in en and "?" in en
    ru = preview(table, "ru")
    assert "бинарная" in ru
    assert "вопрос" in ru


def test_preview_of_a_big_table_is_short_and_escaped():
    header = " ".join(f"<c{i}>" for i in range(40))
    rows = "\n".join(" ".join(str(i + j) for j in range(40)) for i in range(500))
    table = parse(header + "\n" + rows)
    text = preview(table, "en")
    assert len(text) < 4096
    assert "<c1>" not in text
    assert "plus 492 rows" in text


def test_preview_shows_class_names():
    table = parse("1 2 dog\n3 4 cat\n5 6 fish")
    assert "cat, dog, fish" in preview(table, "en")
