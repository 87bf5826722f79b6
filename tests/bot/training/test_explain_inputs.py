"""/explain on a row name, a question row or new inputs, with or without the right answer;
p − y after softmax; the local factors x · f′(z). Numbers are checked against NumPy written
here, never against the code under test."""

import re

import numpy as np
import pytest

from bot.config import Limits
from bot.store import ChatState
from bot.tables.examples import EXAMPLES, suggested_settings
from bot.tables.parse import parse_table
from bot.tables.table import Table
from bot.training.explain import explain_row
from bot.training.explain_choice import ChoiceError, RowChoice, choose, refusal
from bot.training.run import load_model, run_training
from bot.training.settings import TrainSettings, parse_settings, settings_for

LIMITS = Limits()
NUMBER = r"−?\d+(?:\.\d+)?(?:e[−+]\d+)?"


def number(text: str) -> float:
    return float(text.replace("−", "-"))


def half_unit(text: str) -> float:
    mantissa, _, exponent = text.replace("−", "-").partition("e")
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    return 0.5 * 10.0 ** (int(exponent or 0) - decimals)


def example(key: str, lang: str = "en", settings: str = "") -> tuple[ChatState, Table]:
    table = parse_table(EXAMPLES[key].text_for(lang), LIMITS)
    state = ChatState(chat_id=1, table=table.to_dict())
    state.settings = suggested_settings(key, table, LIMITS)
    if settings:
        current = TrainSettings.from_dict(state.settings)
        state.settings = parse_settings(settings, current, LIMITS).to_dict()
    return state, table


def explain(key: str, argument: str, lang: str = "en", settings: str = "") -> str:
    state, table = example(key, lang, settings)
    return "\n".join(explain_row(state, table, choose(table, argument), lang))


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def textbook_gradients(x: np.ndarray, y: float) -> dict[str, float]:
    """The 2-2-1 sigmoid network with every weight 1 and every bias 0, by hand (MSE)."""
    W1, W2 = np.ones((2, 2)), np.ones(2)
    h = sigmoid(x @ W1)
    y_hat = sigmoid(h @ W2)
    d_out = 2 * (y_hat - y) * y_hat * (1 - y_hat)
    d_h = d_out * W2 * h * (1 - h)
    grads = {"w5": d_out * h[0], "w6": d_out * h[1], "b3": d_out, "b1": d_h[0], "b2": d_h[1]}
    grads |= {"w1": d_h[0] * x[0], "w2": d_h[0] * x[1], "w3": d_h[1] * x[0], "w4": d_h[1] * x[1]}
    return grads


SUBSCRIPT = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")


def updates(text: str) -> dict[str, tuple[float, float, float]]:
    """Every "w₁ ← 1 − 0.1·g = new" line: name → (old, gradient, new) as written."""
    found = {}
    pattern = rf"([wb][₀-₉]+) ← ({NUMBER}) − ({NUMBER})·\(?({NUMBER})\)? = ({NUMBER})"
    for name, old, _lr, grad, new in re.findall(pattern, text):
        found[name.translate(SUBSCRIPT)] = (number(old), number(grad), number(new))
    return found


# --- choosing ---------------------------------------------------------------------------------


def test_emily_is_the_gender_tables_question_row_by_name_in_any_case():
    table = parse_table(EXAMPLES["gender"].text, LIMITS)
    for text in ("Emily", "emily", "EMILY"):
        choice = choose(table, text)
        assert choice == RowChoice(None, "Emily", (-7.0, -3.0), None, True)
        assert not choice.known
    assert choose(table, "bob").index == 1
    assert choose(table, "Frank → 0") == RowChoice(None, "Frank", (20.0, 2.0), (0.0,), True)


@pytest.mark.parametrize("mark", ["→", "->", "=", "=>", "|"])
def test_new_inputs_with_an_answer_after_any_arrow(mark):
    table = parse_table(EXAMPLES["gender"].text, LIMITS)
    assert choose(table, f"-7 -3 {mark} 1") == RowChoice(None, "Emily", (-7.0, -3.0), (1.0,), True)
    assert choose(table, f"1,5 -2 {mark} 0") == RowChoice(None, None, (1.5, -2.0), (0.0,))
    assert choose(table, f"1,5 -2 {mark} ?").target is None


def test_a_class_answer_by_its_name_and_a_number_in_a_one_input_table():
    colours = parse_table(EXAMPLES["colours"].text, LIMITS)
    choice = choose(colours, "1 1 = Red")
    assert choice.target == (float(colours.classes.index("red")),)
    line = parse_table("x | y\n1 | 3\n2 | 5\n3 | 7", LIMITS)
    assert choose(line, "2").index == 1  # a lone whole number is a row
    assert choose(line, "2 → ?") == RowChoice(None, values=(2.0,))
    assert choose(line, "2 = 5") == RowChoice(None, values=(2.0,), target=(5.0,))
    assert choose(line, "2,5") == RowChoice(None, values=(2.5,))


def test_the_table_rows_own_answer_keeps_it_a_training_row():
    table = parse_table(EXAMPLES["gender"].text, LIMITS)
    assert choose(table, "Alice = 1") == RowChoice(0, "Alice")
    other = choose(table, "Alice = 0")
    assert other == RowChoice(None, "Alice", (-2.0, -1.0), (0.0,), from_row=0)
    state = ChatState(chat_id=1, table=table.to_dict())
    text = "\n".join(explain_row(state, table, other, "ru"))
    assert "строка 1 (Alice) с вашим ответом" in text
    assert "правильный ответ (цель): <b>0</b>" in text and "добавьте его в таблицу" in text


def twins_table() -> Table:
    return Table(
        inputs=["x", "y"],
        targets=["t"],
        X=[[1, 2], [2, 3], [5, 5]],
        Y=[[0], [1], [1]],
        task="binary",
        classes=["0", "1"],
        questions=[[4, 4]],
        names=["Ann", "Ann", "2"],
        question_names=["ann"],
    )


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_two_rows_with_one_name_and_a_name_that_is_a_number_are_asked_about(lang):
    table = twins_table()
    with pytest.raises(ChoiceError) as caught:
        choose(table, "ANN")
    text = refusal(caught.value, table, lang)
    for command in ("/explain 1", "/explain 2", "/explain 4 4"):
        assert f"<code>{command}</code>" in text
    assert text.startswith("❓")
    with pytest.raises(ChoiceError) as caught:
        choose(table, "2")  # row 2 is an Ann, row 3 is called "2"
    text = refusal(caught.value, table, lang)
    assert "<code>/explain 2</code>" in text and "<code>/explain 3</code>" in text


@pytest.mark.parametrize(
    ("lang", "argument", "expected"),
    [
        (
            "en",
            "1 2 3",
            "That is 3 values, but the table has 2 inputs (weight, height). Give 2 "
            "values, e.g. <code>/explain -7 -3</code>",
        ),
        (
            "ru",
            "1 2 3",
            "Здесь 3 значения, а в таблице 2 входа (вес, рост). Укажите 2 значения, "
            "например <code>/explain -7 -3</code>",
        ),
        ("en", "5", "There is no row 5: the table has 4 rows."),
        ("ru", "5", "Строки 5 нет: в таблице 4 строки."),
        ("en", "Zed", "No row is called “Zed”"),
        ("ru", "Зед", "Строки с именем «Зед» нет"),
        ("en", "-7 -3 = maybe", "“maybe” is not a class of this table"),
        ("ru", "-7 -3 = может", "«может» — не класс этой таблицы"),
        ("ru", "= 1", "Перед ответом укажите входы, например <code>/explain -7 -3 = 1</code>"),
        ("en", "1 2; 3 4", "one row at a time"),
    ],
)
def test_wrong_counts_and_unknown_names_get_a_friendly_answer(lang, argument, expected):
    table = parse_table(EXAMPLES["gender"].text_for(lang), LIMITS)
    with pytest.raises(ChoiceError) as caught:
        choose(table, argument)
    text = refusal(caught.value, table, lang)
    assert text.startswith("❌") and expected in text
    if lang == "ru":
        assert not re.search("[a-zA-Z]{3,}", re.sub(r"<[^>]+>|/explain|Zed", "", text)), text


def test_a_regression_answer_must_be_a_number():
    line = parse_table("x | y\n1 | 3\n2 | 5", LIMITS)
    with pytest.raises(ChoiceError) as caught:
        choose(line, "2 = many")
    assert "give 1 value (y)" in refusal(caught.value, line, "en")
    assert "нужно 1 значение (y)" in refusal(caught.value, line, "ru")


# --- the explanation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argument", "x1", "x2", "subject", "title"),
    [
        ("Emily", -7, -3, "Emily", "a question from your table (Emily)"),
        ("-7 -3", -7, -3, "Emily", "a question from your table (Emily)"),  # Emily's inputs
        ("-5 -2", -5, -2, "-5 -2", "new inputs"),
    ],
)
def test_without_an_answer_only_the_forward_pass_and_how_to_give_one(
    argument, x1, x2, subject, title
):
    text = explain("gender", argument)
    inputs = f"x₁ (weight) = {x1}, x₂ (height) = {x2}".replace("-", "−")
    assert f"{inputs}; the right answer is not known." in text
    assert f"by hand</b> — {title}\n" in text
    z = x1 + x2  # every weight 1, every bias 0
    h = sigmoid(z)
    assert f"σ({z}) = {h:.3g}".replace("-", "−") in text
    assert f"= σ({2 * h:.3g}) = {sigmoid(2 * h):.3g}".replace("-", "−") in text
    assert "Loss function" not in text and "∂L/∂" not in text and "←" not in text
    assert f"<code>/explain {subject} = 1</code>" in text
    assert "Backward pass</b>: it needs the right answer" in text


def test_without_an_answer_in_russian():
    text = explain("gender", "Эмили", "ru")
    assert "вопрос из вашей таблицы (Эмили)" in text
    assert "правильный ответ неизвестен" in text
    assert "<code>/explain Эмили = 1</code>" in text


def test_new_inputs_with_an_answer_get_the_full_backward_pass_numpy_checked():
    text = explain("gender", "-7 -3 → 1")
    assert "the right answer (target): <b>1</b>" in text
    expected = textbook_gradients(np.array([-7.0, -3.0]), 1.0)
    written = updates(text)
    assert set(written) == set(expected)
    for name, grad in expected.items():
        old, shown_grad, new = written[name]
        assert shown_grad == pytest.approx(grad, rel=1e-5), name
        assert new == pytest.approx(old - 0.1 * grad, rel=1e-5, abs=1e-6), name
    assert "add it to the table" in text  # not a training row: training never steps on it


def test_a_question_row_with_an_answer_in_russian():
    text = explain("gender", "эмили -> 1", "ru")
    assert "правильный ответ (цель): <b>1</b>" in text
    assert "Функция потерь" in text and "w₁ ← 1 − 0.1·" in text


def test_softmax_shows_p_minus_y_for_every_class():
    state, table = example("colours", settings="epochs=20")
    outcome = run_training(table, settings_for(table, state.settings), lambda _: None, bool)
    state.model, state.encoding = outcome.model_bytes, outcome.encoding
    text = "\n".join(explain_row(state, table, choose(table, "1.1 1 = green"), "en"))
    x = np.array([1.1, 1.0])
    if state.encoding and state.encoding.get("inputs"):
        stats = state.encoding["inputs"]
        x = (x - np.array(stats["mean"])) / np.array(stats["std"])
    dense = [layer for layer in load_model(state.model).layers if "W" in layer.params]
    a = x
    for layer in dense[:-1]:
        a = np.tanh(a @ layer.params["W"] + layer.params["b"])
    z = a @ dense[-1].params["W"] + dense[-1].params["b"]
    p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    onehot = np.eye(3)[table.classes.index("green")]
    for k, expected in enumerate(p - onehot):
        o = f"o{'₁₂₃'[k]}"
        match = re.search(rf"∂L/∂z{o} = {o} − y{'₁₂₃'[k]} = ({NUMBER}) − ([01]) = ({NUMBER})", text)
        assert match, text
        p_shown, y_shown, result = match.groups()
        assert number(y_shown) == onehot[k]
        assert abs(number(p_shown) - p[k]) <= half_unit(p_shown) * 1.001
        assert abs(number(result) - expected) <= half_unit(result) * 1.001
    assert "∂L/∂z = p − y" in text
    back = dense[-1].params["W"] @ (p - onehot)  # ∂L/∂h for each neuron of the hidden layer
    for j, expected in enumerate(back[:9]):
        h = f"h{'₁₂₃₄₅₆₇₈₉'[j]}"
        match = re.search(rf"∂L/∂{h} = ∂L/∂zo₁·\S+ \+ .*\n\s+= .* = ({NUMBER})(?=\n|</pre>)", text)
        assert match, h
        assert abs(number(match.group(1)) - expected) <= half_unit(match.group(1)) * 1.001


def test_local_factors_are_the_input_times_the_slope_and_multiply_to_the_chain():
    state, table = example("gender")
    text = "\n".join(explain_row(state, table, RowChoice(0, "Alice"), "en"))
    slope = sigmoid(-3) * (1 - sigmoid(-3))  # σ′(z₁) at z₁ = −2 − 1
    assert f"∂h₁/∂w₁ = x₁ · σ′(zh₁) = (−2) · {slope:.3g} = −0.0904" in text
    assert "(−0.952) · 0.249 · (−0.0904) = 0.0214" in text  # the article's page, unchanged
    assert "= 0.524" in text
    pattern = rf"(∂\S+/∂\S+) = (\S+) · (\S+) = \(?({NUMBER})\)? · \(?({NUMBER})\)? = ({NUMBER})"
    found = re.findall(pattern, text)
    assert len(found) >= 8
    for _chain, _left, _right, first, second, result in found:
        assert abs(number(first) * number(second) - number(result)) <= half_unit(result) * 1.001
    for block in text.split("\n\n"):
        chain = re.search(r"= .*· \(?(−?[\d.e−]+)\)? = \S+\n", block)
        local = re.search(rf"∂h₁/∂w₁ = x₁ · σ′\(zh₁\) = .* = ({NUMBER})", block)
        if chain and local:
            assert chain.group(1) == local.group(1)  # the same factor in both lines


def test_one_activation_function_is_named_in_the_singular():
    single = explain("and", "1", "ru")  # one neuron: a sigmoid and nothing else
    assert "функция активации: сигмоида" in single and "функции активации:" not in single
    assert "activation function: sigmoid" in explain("and", "1", "en")
    two = explain("xor", "1", "ru")  # tanh in the hidden layer, a sigmoid at the output
    assert "функции активации:" in two


@pytest.mark.parametrize("count", [1, 2, 5])
def test_the_predict_count_error_reads_right_for_any_count(count):
    from bot.tables.parse import parse_rows
    from bot.tables.preview import describe_error
    from bot.tables.table import TableError

    with pytest.raises(TableError) as caught:
        parse_rows(" ".join("1" for _ in range(count + 1)), count)
    text = describe_error(caught.value, "ru")
    assert "должно быть" not in text and "В каждой строке нужно" in text
