"""Every line of /explain that a learner can check with a calculator does check.

The checker below is independent of the bot's formatting code: it reads the text the learner
sees, evaluates each numeric expression from the numbers as written, and demands that the
result shown after "=" is that value correctly rounded (within half a unit of its last digit).
"""

import html
import itertools
import math
import re
from decimal import Decimal

import pytest

from bot.config import Limits
from bot.store import ChatState
from bot.tables.examples import EXAMPLES
from bot.tables.parse import parse_table
from bot.tables.table import Table
from bot.training.explain import RowChoice, explain_row
from bot.training.explain_lines import update_line
from bot.training.run import run_training
from bot.training.settings import parse_settings, settings_for

LIMITS = Limits()
NUMBER = r"−?\d+(?:\.\d+)?(?:e[−+]\d+)?"
FUNCTIONS = {
    "sig": lambda z: 1 / (1 + math.exp(-z)),
    "tanh": math.tanh,
    "relu": lambda z: max(z, 0.0),
    "lrelu": lambda z: z if z > 0 else 0.01 * z,
    "log": math.log,
}
REGRESSION = "x | y\n1 | 3\n2 | 5\n3 | 7\n4 | 9\n"


def statements(messages: list[str]) -> list[str]:
    """The lines of every <pre> block, a continuation line ("   = …") joined to its head."""
    result: list[str] = []
    for block in re.findall(r"<pre>(.*?)</pre>", "\n".join(messages), re.S):
        for line in html.unescape(block).split("\n"):
            if line.strip().startswith("=") and result:
                result[-1] += " " + line.strip()
            elif line.strip():
                result.append(line.strip())
    return result


def value(expression: str) -> float | None:
    """The expression's value from its written numbers; None when it has symbols in it."""
    text = re.sub(r"\s{2,}\(.*\)$", "", expression.strip())
    text = text.replace("LReLU(", "lrelu(").replace("ReLU(", "relu(").replace("σ(", "sig(")
    text = re.sub(rf"ln\s*({NUMBER})", r"log(\1)", text)
    text = text.replace("−", "-").replace("·", "*").replace("²", "**2")
    text = text.replace("[", "(").replace("]", ")")
    text = re.sub(r"(\d)\(", r"\1*(", text)
    if re.search(r"[^\d.e+\-*/() ]", re.sub(r"\b(sig|tanh|relu|lrelu|log)\(", "(", text)):
        return None
    if re.search(r"e(?![+-]?\d)", text):
        return None
    return float(eval(text, {"__builtins__": {}}, FUNCTIONS))


def half_unit(shown: str) -> float:
    return 0.5 * 10.0 ** Decimal(shown.replace("−", "-")).as_tuple().exponent


def check(statement: str) -> list[str]:
    """The complaints about one statement ([] when every numeric step rounds right)."""
    return steps(statement)[1]


def steps(statement: str) -> tuple[int, list[str]]:
    """(numeric steps checked, complaints) for one statement."""
    body = statement.split("←", 1)[-1]
    parts = [re.sub(r"\s{2,}\(.*\)$", "", p).strip() for p in body.split(" = ")]
    problems, count = [], 0
    for left, right in itertools.pairwise(parts):
        inner = re.fullmatch(rf"(σ|tanh|ReLU|LReLU)\(({NUMBER})\)", right)
        if inner and left.startswith(inner.group(1) + "("):
            left, right = left[len(inner.group(1)) + 1 : -1], inner.group(2)
        if not re.fullmatch(NUMBER, right):
            continue
        computed = value(left)
        if computed is None:
            continue
        count += 1
        target = float(right.replace("−", "-"))
        if abs(computed - target) > half_unit(right) * (1 + 1e-9) + 1e-12 * abs(target):
            problems.append(f"{statement!r}: {left} = {computed!r}, shown {right}")
    return count, problems


def state_for(text: str, settings: str, train: bool) -> tuple[ChatState, Table]:
    table = parse_table(text, LIMITS)
    state = ChatState(chat_id=1, table=table.to_dict())
    base = settings_for(table, None)
    state.settings = parse_settings(settings, base, LIMITS).to_dict() if settings else None
    if train:
        outcome = run_training(table, settings_for(table, state.settings), lambda _: None, bool)
        state.model, state.encoding = outcome.model_bytes, outcome.encoding
    return state, table


CASES = [
    (EXAMPLES["neuron"].text, EXAMPLES["neuron"].settings),
    (EXAMPLES["gender"].text, EXAMPLES["gender"].settings),
    (EXAMPLES["xor"].text, EXAMPLES["xor"].settings + " epochs=300"),
    (EXAMPLES["colours"].text, "hidden=4 epochs=100"),
    (EXAMPLES["and"].text, "hidden=2 activation=relu loss=bce epochs=100"),
    (EXAMPLES["or"].text, "hidden=3 activation=leaky_relu epochs=50 batch=2"),
    (REGRESSION, "hidden=2 epochs=200"),
    (REGRESSION, "hidden=none optimizer=sgd lr=0.01 epochs=50"),
    (EXAMPLES["digits7"].text, "hidden=6 epochs=50"),
]


@pytest.mark.parametrize("train", [False, True], ids=["start", "trained"])
@pytest.mark.parametrize(("text", "settings"), CASES)
def test_every_arithmetic_line_checks(text, settings, train):
    state, table = state_for(text, settings, train)
    checked = 0
    for row in range(min(len(table.X), 3)):
        for lang in ("en", "ru"):
            lines = statements(explain_row(state, table, RowChoice(row), lang))
            results = [steps(line) for line in lines]
            assert [p for _, found in results for p in found] == []
            checked += sum(count for count, _ in results)
    assert checked >= 10 * len(table.inputs)


def test_the_checker_catches_the_lines_the_issue_quoted():
    assert check("L = (ŷ − y)² = (3 − 3)² = 5.72e−06")
    assert check("∂L/∂w₂ = 0 · (−1.61) · 0.936 = 0.00478")
    assert check("L = −ln p₁ = −ln 1 = 0.000154")
    assert check("∂L/∂w₁ = (−0.014) · 0.00672 = −9.08e−05")
    assert check("ŷ = σ(w₁·x₁) = σ(9.75·0 + (−2.82)·1) = σ(−4.76) = 0.00847")
    assert not check("∂L/∂w₁ = (−0.952) · 0.249 · (−0.0904) = 0.0214   (exactly 0.0214695)")
    assert not check("w₁ ← 1 − 0.1·0.0214695 = 0.997853")


def updates(lines: list[str]) -> list[tuple[float, float, float]]:
    """(old, step η·g, new) of every "w ← old − η·g = new" line, from the numbers as written."""
    found = []
    for line in lines:
        match = re.search(rf"← ({NUMBER}) − ({NUMBER})·\(?({NUMBER})\)? = ({NUMBER})", line)
        if match:
            old, eta, grad, new = (float(g.replace("−", "-")) for g in match.groups())
            found.append((old, eta * grad, new))
    return found


def test_a_tiny_step_still_shows_in_the_new_value():
    line = update_line("w₅", 1.0, 0.1, -1.1349e-05, 1.0 - 0.1 * -1.1349e-05)
    ((old, step, new),) = updates([line])
    assert step != 0 and new != old  # was "w₅ ← 1 − 0.1·(−1.1349e−05) = 1"
    assert new > old  # the step goes the right way
    assert check(line) == []  # and the subtraction still rounds to the shown result
    line = update_line("w₁", 0.123456789, 0.5, 3e-09, 0.123456789 - 0.5 * 3e-09)
    ((old, step, new),) = updates([line])
    assert new < old and check(line) == []


def test_an_ordinary_step_keeps_six_digits():
    assert update_line("w₁", 1.0, 0.1, 0.0214695, 1 - 0.1 * 0.0214695) == (
        "w₁ ← 1 − 0.1·0.0214695 = 0.997853"
    )
    assert update_line("b", 2.5, 0.1, 0.0, 2.5) == "b ← 2.5 − 0.1·0 = 2.5"


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_no_update_of_a_trained_neuron_hides_its_step(lang):
    """The article's neuron after 10 000 updates: its gradients are tiny, its steps too."""
    state, table = state_for(EXAMPLES["neuron"].text, EXAMPLES["neuron"].settings, train=True)
    lines = statements(explain_row(state, table, RowChoice(0), lang))
    found = updates(lines)
    assert found
    for old, step, new in found:
        assert step == 0 or new != old, lines
    assert [p for line in lines for p in check(line)] == []
