"""Reading tables from what a learner types: formats, targets, questions, and every error."""

import pytest

from bot.i18n import LANGUAGES
from bot.tables.parse import looks_like_table
from bot.tables.preview import describe_error
from tests.bot.tables.helpers import error, parse

# --- formats ------------------------------------------------------------------------------


def test_the_articles_single_neuron_table_with_a_question_row():
    table = parse("0 0 1 0\n1 1 1 1\n1 0 1 1\n0 1 1 0\n1 0 0 → ?")
    assert table.X == [[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]]
    assert table.Y == [[0], [1], [1], [0]]
    assert table.questions == [[1, 0, 0]]
    assert table.task == "binary"
    assert table.classes == ["0", "1"]
    assert table.inputs == ["x1", "x2", "x3"]
    assert table.targets == ["y"]
    assert not table.header


@pytest.mark.parametrize(
    "text",
    [
        "1 2 3\n4 5 6",
        "1\t2\t3\n4\t5\t6",
        "1,2,3\n4,5,6",
        "1, 2, 3\n4, 5, 6",
        "1;2;3\n4;5;6",
        "1 ; 2 ; 3\n4;5;6",
        "  1   2    3  \n\t4 5 6\t",
        "\ufeff1 2 3\r\n4 5 6\r\n",
        "1 2 3\r4 5 6",
        "\n\n1 2 3\n\n\n4 5 6\n\n",
        "# a comment\n1 2 3\n# another\n4 5 6",
        "1 2 | 3\n4 5 | 6",
        "1 2 -> 3\n4 5 -> 6",
        "1 2 → 3\n4 5 → 6",
        "1 2 => 3\n4 5 => 6",
        "1 2 ⇒ 3\n4 5 ⇒ 6",
        "1 2 || 3\n4 5 || 6",
        "1 2|3\n4 5|6",
        "1.0 2.00 3\n4 5. 6e0",
        "+1 2 3\n4 5 6",
        "1 2 3\n4 5 6\n",
    ],
)
def test_separators_markers_and_line_ends(text):
    table = parse(text)
    assert table.X == [[1, 2], [4, 5]]
    assert table.Y == [[3], [6]]
    assert table.task == "regression"
    assert table.classes is None


@pytest.mark.parametrize(
    "text",
    [
        "1,5;2,7;3\n0,5;1;4",  # semicolons with decimal commas
        "1,5\t2,7\t3\n0,5\t1\t4",  # tabs with decimal commas
        "1,5 2,7 3\n0,5 1 4",  # spaces with decimal commas
        "1.5,2.7,3\n0.5,1,4",  # commas with decimal points
        "1.5;2.7;3\n.5;1;4",
    ],
)
def test_decimal_commas_and_points(text):
    table = parse(text)
    assert table.X == [[1.5, 2.7], [0.5, 1]]
    assert table.Y == [[3], [4]]


def test_spreadsheet_exports_with_quotes_trailing_separators_and_blank_rows():
    text = 'name,"weight, kg",y\r\n"Smith, J",72,1\r\nAnn,"61,5",0\r\n,,\r\n'
    table = parse(text)
    assert table.inputs == ["weight, kg"]
    assert table.names == ["Smith, J", "Ann"]
    assert table.X == [[72], [61.5]]
    excel = "a;b;y;\n1;2;0;\n;;;\n3;4;1;\n"
    assert parse(excel).X == [[1, 2], [3, 4]]


def test_unicode_minus_and_dash_are_minus_signs():
    table = parse("−2 −1 1\n25 6 0\n–15 -6 1")
    assert table.X == [[-2, -1], [25, 6], [-15, -6]]


def test_scientific_notation():
    table = parse("1e3 2E-2 3\n4 5 6")
    assert table.X[0] == [1000, 0.02]


def test_header_row_names_the_columns():
    table = parse("weight height | female\n-2 -1 | 1\n25 6 | 0\n17 4 | 0\n-15 -6 | 1")
    assert table.header
    assert table.inputs == ["weight", "height"]
    assert table.targets == ["female"]
    assert table.task == "binary"


def test_header_in_a_csv_with_spaces_inside_names():
    table = parse("body weight,height,y\n1,2,3\n4,5,6")
    assert table.inputs == ["body weight", "height"]


def test_repeated_header_names_are_numbered():
    table = parse("x x y\n1 2 3\n4 5 6")
    assert table.inputs == ["x", "x_2"]


def test_a_first_column_of_text_names_the_rows():
    text = (
        "name weight height gender\nAlice -2 -1 F\nBob 25 6 M\nCharlie 17 4 M\n"
        "Diana -15 -6 F\nEmily -7 -3 ?\nFrank 20 2 ?"
    )
    table = parse(text)
    assert table.names == ["Alice", "Bob", "Charlie", "Diana"]
    assert table.question_names == ["Emily", "Frank"]
    assert table.inputs == ["weight", "height"]
    assert table.classes == ["F", "M"]
    assert table.Y == [[0], [1], [1], [0]]
    assert table.questions == [[-7, -3], [20, 2]]


def test_text_targets_become_sorted_classes():
    table = parse("1 2 dog\n3 4 cat\n5 6 dog\n7 8 fish")
    assert table.task == "multiclass"
    assert table.classes == ["cat", "dog", "fish"]
    assert table.Y == [[1], [0], [1], [2]]
    assert table.target_text(table.Y[3]) == "fish"


def test_two_text_classes_are_binary():
    table = parse("1 2 yes\n3 4 no\n5 6 yes")
    assert table.task == "binary"
    assert table.classes == ["no", "yes"]
    assert table.Y == [[1], [0], [1]]


def test_numeric_targets_under_a_class_header_are_classes():
    table = parse("a b | digit\n0 1 | 3\n1 0 | 7\n1 1 | 10")
    assert table.task == "multiclass"
    assert table.classes == ["3", "7", "10"]
    assert table.Y == [[0], [1], [2]]


def test_russian_class_header():
    table = parse("a b класс\n0 1 1\n1 0 2\n1 1 3")
    assert table.task == "multiclass"


def test_numbers_other_than_zero_and_one_are_regression():
    assert parse("1 2 0\n3 4 2").task == "regression"
    assert parse("1 2 0.5\n3 4 1").task == "regression"
    assert parse("1 2 1\n3 4 1\n5 6 1").task == "regression"


def test_several_target_columns_after_the_marker():
    table = parse("a b | c d\n1 2 | 0 1\n3 4 | 1 0\n5 6 | ? ?")
    assert table.inputs == ["a", "b"]
    assert table.targets == ["c", "d"]
    assert table.Y == [[0, 1], [1, 0]]
    assert table.task == "regression"
    assert table.questions == [[5, 6]]


def test_several_targets_without_header_get_numbered_names():
    table = parse("1 2 | 3 4\n5 6 | 7 8")
    assert table.targets == ["y1", "y2"]


def test_marker_only_in_the_header_sets_the_targets():
    table = parse("a | b c\n1 2 3\n4 5 6")
    assert table.inputs == ["a"]
    assert table.targets == ["b", "c"]


def test_question_marks_anywhere_in_the_table():
    table = parse("1 1 ?\n0 0 0\n0 1 1\n1 0 1")
    assert table.questions == [[1, 1]]
    assert len(table.X) == 3


# --- errors: every one names where and how to fix ------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "line", "column"),
    [
        ("", "empty", None, None),
        ("  \n\n # only a comment\n", "empty", None, None),
        ("1 2 3", "too_few_rows", None, None),
        ("1 2 3\n4 5 ?", "too_few_rows", None, None),
        ("x y z\n1 2 3", "too_few_rows", None, None),
        ("1\n2\n3", "one_column", 1, None),
        ("1 2 3\n4 5 6\n7 8", "ragged", 3, None),
        ("1 2 3\n\n4 5 6 7\n1 1 1", "ragged", 3, None),
        ("a b\n1 2 3\n4 5 6", "header_count", 1, None),
        ("1 | 2 | 3\n4 5 6", "two_markers", 1, None),
        ("1 2 | 3\n4 | 5 6", "marker_mismatch", 2, None),
        ("| 1 2\n3 4 5", "no_inputs", 1, None),
        ("1 2 |\n3 4 5", "no_targets", 1, None),
        ("1,,3\n4,5,6", "empty_cell", 1, 2),
        ("1 x 3\n4 5 6", "text_input", 1, 2),
        ("1 2 3\n4 5 6\nAlice 5 6", "text_input", 3, 1),
        ("1 nan 3\n4 5 6", "not_finite", 1, 2),
        ("1 2 3\n4 -inf 6", "not_finite", 2, 2),
        ("1 2 3\n4 5 Infinity", "not_finite", 2, 3),
        ("1 1e400 3\n4 5 6", "too_big", 1, 2),
        ("1 2 3\n4 5 1e20", "too_big", 2, 3),
        ("1 ? 3\n4 5 6", "question_in_inputs", 1, 2),
        ("1 | 2 ?\n3 | 4 5\n6 | 7 8", "partial_question", 1, 3),
        ("1 2 3\n4 5 6\n7 8 cat", "mixed_target", 3, 3),
        ("1 | a b\n2 | c d\n3 | a d", "text_multi_target", 1, 2),
        ("1 2 cat\n3 4 cat", "one_class", None, None),
        ("1 2.5.1 3\n4 5 6", "not_a_number", 1, 2),
        ("1 2 3\n4 5x 6", "not_a_number", 2, 2),
    ],
)
def test_errors_name_the_line_and_column(text, code, line, column):
    caught = error(text)
    assert caught.code == code
    assert caught.line == line
    assert caught.column == column
    for lang in LANGUAGES:
        message = describe_error(caught, lang)
        assert message.strip()
        if line is not None:
            assert str(line) in message


def test_not_a_number_in_a_numeric_column_under_comma_separator():
    caught = error("1,2,3\n4,5x,6")
    assert (caught.code, caught.line, caught.column) == ("not_a_number", 2, 2)


def test_a_space_separated_decimal_comma_is_a_number():
    assert parse("1 2 3,5\n4 5 6").Y == [[3.5], [6]]


def test_too_many_rows_states_the_limit():
    caught = error("\n".join("1 2 3" for _ in range(30)), max_table_rows=20)
    assert caught.code == "too_many_rows"
    assert caught.values["limit"] == 20
    assert "20" in describe_error(caught, "en")
    assert "20" in describe_error(caught, "ru")


def test_too_many_rows_counts_question_rows_too():
    text = "x y z\n" + "\n".join("1 2 3" for _ in range(20)) + "\n1 2 ?"
    assert error(text, max_table_rows=20).code == "too_many_rows"


def test_too_many_columns_states_the_limit():
    caught = error(" ".join(["1"] * 10) + "\n" + " ".join(["2"] * 10), max_table_cols=5)
    assert caught.code == "too_many_cols"
    assert "5" in describe_error(caught, "ru")


def test_too_many_classes():
    rows = "\n".join(f"{i} {i} c{i}" for i in range(150))
    assert error(rows).code == "too_many_classes"


# --- does a plain message look like a table? ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["0 0 1 0\n1 1 1 1", "1,5;2;3\n4;5;6", "x y\n1 2\n3 4", "1 2 → 3\n4 5 → 6", "1 2 a\n3 4 b"],
)
def test_tables_look_like_tables(text):
    assert looks_like_table(text)


@pytest.mark.parametrize(
    "text",
    ["hello", "what is a neuron?", "I am 25 years old", "1 2 3", "привет\nкак дела", ""],
)
def test_chat_does_not_look_like_a_table(text):
    assert not looks_like_table(text)


def test_numeric_classes_that_differ_past_four_digits_stay_two_classes():
    table = parse("x | class\n1 | 0.12345\n2 | 0.12346\n3 | 0.5")
    assert table.task == "multiclass"
    assert table.classes == ["0.12345", "0.12346", "0.5"]
