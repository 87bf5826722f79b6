"""/quiz: one step of /explain for the learner to work out by hand, and the check of the answer.

A question is plain data (kept in `ChatState.extra["quiz"]` until answered): what is asked,
the numbers given (written with 4 significant digits), the exact value from `nncore.explain`
on the chat's trained network, the value those written numbers give, and the working. An
answer is right within textbook rounding: 1% of the value (rounding every number of a short
calculation to 3 significant digits stays well inside it), or 0.0005 for values near zero.
A wrong answer gets the first factor that differs, when one number can tell it. No Telegram.
"""

from __future__ import annotations

import math
import random
import re
from typing import Any

import numpy as np

import nncore as nn
from bot.training.arithmetic import agreeing, factor, rounded, shown
from bot.training.explain_lines import SYMBOLS, sub

RELATIVE, ABSOLUTE = 0.01, 0.0005  # the tolerance, said in the question
GIVEN_DIGITS = 4
KINDS = ("z", "a", "yhat", "loss", "grad")
FUNCTIONS = {
    "sigmoid": lambda z: 0.5 * (1 + math.tanh(z / 2)),
    "tanh": math.tanh,
    "relu": lambda z: max(z, 0.0),
    "leaky_relu": lambda z: z if z > 0 else 0.01 * z,
    "linear": lambda z: z,
}
SLOPES = {
    "sigmoid": lambda z: FUNCTIONS["sigmoid"](z) * (1 - FUNCTIONS["sigmoid"](z)),
    "tanh": lambda z: 1 - math.tanh(z) ** 2,
    "relu": lambda z: 1.0 if z > 0 else 0.0,
    "leaky_relu": lambda z: 1.0 if z > 0 else 0.01,
    "linear": lambda z: 1.0,
    "softmax": lambda z: 1.0,  # after a softmax the chain splits at z (nncore.explain)
}
INVERSES = {"sigmoid": lambda a: math.log(a / (1 - a)), "tanh": math.atanh}
NUMBER = re.compile(r"^[+\-−–]?(\d+([.,]\d*)?|[.,]\d+)([eE][+\-−]?\d+)?$")


def symbol_of(activation: str) -> str:
    """How the working writes an activation function: σ, tanh, ReLU, …"""
    return SYMBOLS.get(activation, activation)


def parse_answer(text: str) -> float | None:
    """The learner's number ("0,524", "−0.0214", "2.1e-3"), or None when it is not one."""
    text = text.strip().replace(" ", "").replace("\u202f", "")
    if not NUMBER.match(text):
        return None
    value = float(text.replace(",", ".").replace("−", "-").replace("–", "-"))
    return value if math.isfinite(value) else None


def close(answer: float, value: float) -> bool:
    return abs(answer - value) <= max(RELATIVE * abs(value), ABSOLUTE)


def accepted(answer: float, question: dict[str, Any]) -> bool:
    """Right when near the exact value or the value the written numbers give."""
    return close(answer, question["exact"]) or close(answer, question["from_shown"])


def given(value: float) -> float:
    return rounded(float(value), GIVEN_DIGITS)


def kinds_for(trace: nn.Trace, loss_name: str) -> list[str]:
    """The questions this network allows (ŷ and L need a single output; L not for softmax)."""
    single = len(trace.prediction) == 1 and trace.neurons[-1].activation in FUNCTIONS
    kinds = ["z", "a"] + (["yhat", "loss"] if single and loss_name in ("mse", "bce") else [])
    if any(p.key == "W" for p in trace.params):
        kinds.append("grad")
    return kinds


def make_question(trace: nn.Trace, loss_name: str, row: int, number: int) -> dict[str, Any]:
    """Question `number` (they take turns over the kinds) about `trace` of table row `row`."""
    kinds = kinds_for(trace, loss_name)
    kind = kinds[number % len(kinds)]
    rng = random.Random(f"{row}-{number}")
    first = [n for n in trace.neurons if n.layer == 1]
    if kind in ("z", "a"):
        question = _neuron_question(trace, rng.choice(first), kind)
    elif kind == "yhat":
        question = _neuron_question(trace, trace.neurons[-1], "a")
        question["kind"] = "yhat"
    elif kind == "loss":
        question = _loss_question(trace, loss_name)
    else:
        weights = [p for p in trace.params if p.key == "W"]
        useful = [p for p in weights if abs(p.grad) > 1e-9]  # an input of 0 makes it 0
        question = _grad_question(trace, rng.choice(useful or weights))
    return {**question, "row": row + 1, "number": number + 1}


def _input_names(trace: nn.Trace, neuron: nn.NeuronStep) -> list[str]:
    """x1, x2, … for the first layer; the previous layer's neurons (h1, h2, …) after it."""
    if neuron.layer == 1:
        return [sub(f"x{i + 1}") for i in range(len(neuron.inputs))]
    return [sub(n.symbol) for n in trace.neurons if n.layer == neuron.layer - 1]


def _neuron_question(trace: nn.Trace, neuron: nn.NeuronStep, kind: str) -> dict[str, Any]:
    """z = Σ w·x + b of one neuron, or its output a = f(z)."""
    xs, ws = [given(x) for x in neuron.inputs], [given(w) for w in neuron.weights]
    b = given(neuron.bias) if neuron.bias is not None else None
    names = _input_names(trace, neuron)
    givens = [[name, shown(x, GIVEN_DIGITS)] for name, x in zip(names, xs, strict=True)]
    givens += [
        [sub(w), shown(v, GIVEN_DIGITS)] for w, v in zip(neuron.weight_names, ws, strict=True)
    ]
    if b is not None:
        givens.append([sub(neuron.bias_name), shown(b, GIVEN_DIGITS)])
    z_shown = sum(w * x for w, x in zip(ws, xs, strict=True)) + (b or 0.0)
    terms = " + ".join(
        f"{factor(shown(w, GIVEN_DIGITS))}·{factor(shown(x, GIVEN_DIGITS))}"
        for w, x in zip(ws, xs, strict=True)
    )
    if b is not None:
        terms += f" + {factor(shown(b, GIVEN_DIGITS))}"
    symbol = f"z({sub(neuron.symbol)})" if kind == "z" else sub(neuron.symbol)
    working = [f"z = {terms} = {shown(z_shown, 4)}"]
    question = {
        "kind": kind,
        "symbol": symbol,
        "neuron": sub(neuron.symbol),
        "givens": givens,
        "activation": neuron.activation,
        "z": neuron.z,
        "bias": b,
    }
    if kind == "z":
        return {**question, "exact": neuron.z, "from_shown": z_shown, "working": working}
    f = FUNCTIONS[neuron.activation]
    (z_text,), a_text = agreeing([z_shown], lambda v: f(v[0]), f(z_shown))
    working.append(f"{sub(neuron.symbol)} = {symbol_of(neuron.activation)}({z_text}) = {a_text}")
    return {**question, "exact": neuron.a, "from_shown": f(z_shown), "working": working}


def _loss_question(trace: nn.Trace, loss_name: str) -> dict[str, Any]:
    y_hat, y = given(trace.prediction[0]), float(trace.target[0])
    givens = [["ŷ", shown(y_hat, GIVEN_DIGITS)], ["y", shown(y, GIVEN_DIGITS)]]
    if loss_name == "mse":
        value = (y_hat - y) ** 2
        (p, q), text = agreeing([y_hat, y], lambda v: (v[0] - v[1]) ** 2, value)
        working = [f"L = (ŷ − y)² = ({p} − {factor(q)})² = {text}"]
    else:
        chance = y_hat if y >= 0.5 else 1 - y_hat
        value = -math.log(chance)
        (c,), text = agreeing([chance], lambda v: -math.log(v[0]), value)
        inner = "ŷ" if y >= 0.5 else "1 − ŷ"
        working = [f"L = −ln({inner}) = −ln({c}) = {text}"]
    return {
        "kind": "loss",
        "symbol": "L",
        "loss": loss_name,
        "givens": givens,
        "exact": trace.loss,
        "from_shown": value,
        "working": working,
        "y_hat": y_hat,
        "y": y,
    }


def _grad_question(trace: nn.Trace, param: nn.ParamStep) -> dict[str, Any]:
    """∂L/∂w = (the factors before, given) · ∂n/∂w, the last one computed as x·f′(z)."""
    neuron = next(n for n in trace.neurons if param.name in n.weight_names)
    x = given(neuron.inputs[neuron.weight_names.index(param.name)])
    z = given(neuron.z)
    before = [(sub(f.symbol), given(f.value)) for f in param.factors[:-1]]
    last_symbol = sub(param.factors[-1].symbol)
    slope = SLOPES[neuron.activation](z)
    last = x * slope
    product = float(np.prod([v for _, v in before])) * last if before else last
    givens = [[s, shown(v, GIVEN_DIGITS)] for s, v in before]
    givens += [["x", shown(x, GIVEN_DIGITS)], [f"z({sub(neuron.symbol)})", shown(z, GIVEN_DIGITS)]]
    (xt, st), last_text = agreeing([x, slope], lambda v: v[0] * v[1], last)
    chain = " · ".join([*(s for s, _ in before), last_symbol])
    values = [*(factor(shown(v, GIVEN_DIGITS)) for _, v in before), factor(last_text)]
    (_, result) = agreeing([*(v for _, v in before), last], lambda v: float(np.prod(v)), product)
    working = [
        f"{last_symbol} = x·f′(z) = {factor(xt)}·{factor(st)} = {last_text}",
        f"∂L/∂{sub(param.name)} = {chain} = {' · '.join(values)} = {result}",
    ]
    return {
        "kind": "grad",
        "symbol": f"∂L/∂{sub(param.name)}",
        "chain": chain,
        "last": last_symbol,
        "last_value": last,
        "x": x,
        "slope": slope,
        "before": float(np.prod([v for _, v in before])) if before else 1.0,
        "activation": neuron.activation,
        "givens": givens,
        "exact": param.grad,
        "from_shown": product,
        "working": working,
    }


def diagnosis(answer: float, question: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """The first factor that differs: a catalogue key `quiz.differs.*` and its values."""
    kind = question["kind"]
    if kind == "z":
        if question.get("bias") is not None and close(answer, question["exact"] - question["bias"]):
            return "quiz.differs.bias", {}
        if close(answer, FUNCTIONS.get(question["activation"], lambda z: z)(question["z"])):
            return "quiz.differs.gave_a", {}
        return "quiz.differs.sum", {}
    if kind in ("a", "yhat"):
        return _output_differs(answer, question)
    if kind == "loss":
        return _loss_differs(answer, question)
    return _grad_differs(answer, question)


def _output_differs(answer: float, question: dict[str, Any]) -> tuple[str, dict[str, str]]:
    z, name = question["z"], question["activation"]
    if name != "linear" and close(answer, z):
        return "quiz.differs.no_f", {"f": name}
    inverse = INVERSES.get(name)
    try:
        implied = inverse(answer) if inverse else None
    except (ValueError, ZeroDivisionError):
        implied = None
    if implied is not None and not close(implied, z):
        return "quiz.differs.z", {"implied": shown(implied), "z": shown(z), "f": name}
    return "quiz.differs.f", {"f": name}


def _loss_differs(answer: float, question: dict[str, Any]) -> tuple[str, dict[str, str]]:
    y_hat, y = question["y_hat"], question["y"]
    if question["loss"] == "mse" and close(answer, abs(y_hat - y)):
        return "quiz.differs.square", {}
    if question["loss"] == "bce":
        chance = y_hat if y >= 0.5 else 1 - y_hat
        if 0 < chance < 1 and close(answer, -math.log10(chance)):
            return "quiz.differs.log10", {}
        if 0 < chance < 1 and close(answer, -math.log(1 - chance)):
            return "quiz.differs.which", {}
    return "quiz.differs.loss", {}


def _grad_differs(answer: float, question: dict[str, Any]) -> tuple[str, dict[str, str]]:
    before, last = question["before"], question["last_value"]
    symbol = question["last"]
    if close(answer, -question["from_shown"]):
        return "quiz.differs.sign", {}
    if before == 0:
        return "quiz.differs.product", {}
    implied = answer / before
    if close(implied, last):
        return "quiz.differs.product", {}
    if close(implied, question["x"]):
        return "quiz.differs.no_slope", {"factor": symbol}
    if close(implied, question["slope"]):
        return "quiz.differs.no_x", {"factor": symbol}
    return "quiz.differs.last", {"factor": symbol, "implied": shown(implied), "value": shown(last)}
