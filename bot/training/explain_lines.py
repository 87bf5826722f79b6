"""The lines of /explain's worked step: forward pass, loss and chain rule, written so that every
line a learner can check by hand does check (see `bot.training.arithmetic`).

Each function takes the numbers of an `nncore.Trace` and returns plain text lines; nothing is
re-derived except the shown rounding. Used by `bot.training.explain`, which adds the headings.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

import nncore as nn
from bot.i18n import t
from bot.training.arithmetic import (
    MAX_DIGITS,
    agreeing,
    factor,
    operands_for,
    parse_shown,
    shown,
)

DIGITS = 3  # significant digits of every result
UPDATE_DIGITS = 6  # of weights before and after a step
FULL_INPUTS = 6  # a weighted sum with more terms is written as Σ

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
SYMBOLS = {
    "sigmoid": "σ",
    "tanh": "tanh",
    "relu": "ReLU",
    "leaky_relu": "LReLU",
    "softmax": "softmax",
}
_FUNCTIONS: dict[str, Callable[[float], float]] = {
    "sigmoid": lambda z: 0.5 * (1 + math.tanh(z / 2)),
    "tanh": math.tanh,
    "relu": lambda z: max(z, 0.0),
    "leaky_relu": lambda z: z if z > 0 else 0.01 * z,
    "linear": lambda z: z,
}


def sub(name: str) -> str:
    """w12 → w₁₂, h1 → h₁, ∂h1/∂w1 → ∂h₁/∂w₁ (digits after a letter become subscripts)."""
    out, previous = [], ""
    for char in name:
        if char.isdigit() and (previous.isalpha() or previous in "₀₁₂₃₄₅₆₇₈₉_"):
            out.append(char.translate(_SUBSCRIPTS))
        else:
            out.append(char)
        previous = out[-1]
    return "".join(out).replace("_", "")


def _apply(activation: str, inner: str) -> str:
    symbol = SYMBOLS.get(activation, "")
    return f"{symbol}({inner})" if symbol else inner


def weighted_sum(
    weights: list[float], inputs: list[float], bias: float | None, z_text: str
) -> list[str]:
    """Weights, inputs and bias as shown, so that Σ w·x + b rounds to the shown z."""
    values = [*weights, *inputs, *([] if bias is None else [bias])]
    n = len(weights)

    def total(v: list[float]) -> float:
        return sum(v[i] * v[n + i] for i in range(n)) + (v[2 * n] if bias is not None else 0.0)

    texts = operands_for(values, total, z_text, start=DIGITS)
    terms = [f"{factor(texts[i])}·{factor(texts[n + i])}" for i in range(n)]
    if bias is not None:
        terms.append(factor(texts[2 * n]))
    return terms


def z_shown(neuron: nn.NeuronStep) -> tuple[str, str]:
    """(z, a) as shown: a with DIGITS digits, z with as many as f(z) needs to round to a."""
    f = _FUNCTIONS.get(neuron.activation)
    if f is None:  # softmax: a depends on every output, nothing to check on one line
        return shown(neuron.z, DIGITS), shown(neuron.a, DIGITS)
    (z_text,), a_text = agreeing([neuron.z], lambda v: f(v[0]), neuron.a)
    return z_text, a_text


def neuron_lines(neuron: nn.NeuronStep, inputs: list[str]) -> list[str]:
    """h₁ = σ(w₁·x₁ + w₂·x₂ + b₁) = σ(numbers) = σ(z) = a, on three lines."""
    name = sub(neuron.symbol)
    act = neuron.activation
    z_text, a_text = z_shown(neuron)
    numeric = None
    if len(neuron.inputs) <= FULL_INPUTS:
        terms = [f"{sub(w)}·{sub(x)}" for w, x in zip(neuron.weight_names, inputs, strict=True)]
        if neuron.bias is not None:
            terms.append(sub(neuron.bias_name or "b"))
        symbolic = " + ".join(terms)
        numeric = " + ".join(weighted_sum(neuron.weights, neuron.inputs, neuron.bias, z_text))
    else:
        symbolic = "Σ wᵢ·inᵢ" + (f" + {sub(neuron.bias_name or 'b')}" if neuron.bias else "")
    if act == "softmax":  # not one neuron's function: it divides by all outputs
        z = f"z{name}"
        lines = [f"{z} = {symbolic}"]
        if numeric is not None:
            lines.append(f"{' ' * len(z)} = {numeric}")
        lines[-1] += f" = {z_text}"
        lines.append(f"{name} = e^{z} / Σ e^z = {a_text}")
        return lines
    pad = " " * (len(name) + 1)
    lines = [f"{name} = {_apply(act, symbolic)}"]
    if numeric is not None:
        lines.append(f"{pad}= {_apply(act, numeric)}")
    if act in SYMBOLS:
        lines.append(f"{pad}= {_apply(act, z_text)} = {a_text}")
    else:
        lines[-1] += f" = {a_text}"
    return lines


def loss_lines(trace: nn.Trace, lang: str) -> list[str]:
    """The loss written out with the prediction and the target, and ∂L/∂ŷ."""
    name = trace.loss_name
    pred, target = trace.prediction, trace.target
    if name == "softmax_cross_entropy":
        k = int(np.argmax(target)) if len(target) == len(pred) else int(target[0])
        (p,), loss = agreeing([pred[k]], lambda v: -math.log(v[0]), trace.loss)
        lines = [f"L = −ln p{sub(str(k + 1))}", f"  = −ln {p} = {loss}"]
    elif name == "binary_cross_entropy":
        y, p = target[0], pred[0]
        (q, r), loss = agreeing(
            [p, 1 - p], lambda v: -(y * math.log(v[0]) + (1 - y) * math.log(v[1])), trace.loss
        )
        lines = [
            "L = −[y·ln ŷ + (1 − y)·ln(1 − ŷ)]",
            f"  = −[{shown(y)}·ln {q} + {shown(1 - y)}·ln {r}] = {loss}",
        ]
    elif len(pred) == 1:
        (p, y), loss = agreeing([pred[0], target[0]], lambda v: (v[0] - v[1]) ** 2, trace.loss)
        lines = ["L = (ŷ − y)²", f"  = ({p} − {y})² = {loss}"]
    else:
        lines = ["L = mean((oᵢ − yᵢ)²)", f"  = {shown(trace.loss)}"]
    return lines + _slope_lines(trace, lang)


def _slope_lines(trace: nn.Trace, lang: str) -> list[str]:
    """∂L/∂ŷ (the first factor of every chain below), or ∂L/∂oᵢ for several outputs."""
    pred, target, slopes = trace.prediction, trace.target, trace.d_loss_d_pred
    if trace.loss_name == "softmax_cross_entropy" and len(target) == len(pred):
        pairs = list(zip(pred, target, strict=True))[:10]
        return [_softmax_slope_line(i, p, y) for i, (p, y) in enumerate(pairs)]
    if len(pred) != 1:
        return [f"∂L/∂o{sub(str(i + 1))} = {shown(v)}" for i, v in enumerate(slopes[:10])]
    textbook = _textbook_loss_slope(trace)
    if trace.loss_name != "mse":
        return [f"∂L/∂ŷ = {shown(textbook if textbook is not None else slopes[0])}"]
    if textbook is not None and trace.digits is not None:  # from the rounded ŷ, as the article
        p = shown(pred[0], trace.digits)
        y = shown(target[0])
        exact = t("lesson.exact", lang, value=shown(slopes[0], UPDATE_DIGITS))
        return [f"∂L/∂ŷ = 2(ŷ − y) = 2({p} − {y}) = {shown(textbook)}   {exact}"]
    (p, y), slope = agreeing([pred[0], target[0]], lambda v: 2 * (v[0] - v[1]), slopes[0])
    return [f"∂L/∂ŷ = 2(ŷ − y) = 2({p} − {y}) = {slope}"]


def _softmax_slope_line(i: int, p: float, y: float) -> str:
    """∂L/∂zₒᵢ = oᵢ − yᵢ: softmax and cross-entropy together differentiate to p − y (one-hot y),
    the very number the output's weights are multiplied by below."""
    (p_text, y_text), result = agreeing([p, y], lambda v: v[0] - v[1], p - y)
    o, k = sub(f"o{i + 1}"), sub(f"y{i + 1}")
    return f"∂L/∂z{o} = {o} − {k} = {p_text} − {y_text} = {result}"


def hidden_gradient_lines(trace: nn.Trace, limit: int = 10) -> list[list[str]]:
    """After a softmax: ∂L/∂hⱼ = Σₖ ∂L/∂zoₖ · wⱼₖ for the last hidden layer, each hidden neuron
    feeding every output (up to `limit` neurons and classes; [] for any other network)."""
    outputs = [n for n in trace.neurons if n.layer == trace.neurons[-1].layer]
    hidden = [n for n in trace.neurons if n.layer == outputs[0].layer - 1]
    if outputs[0].activation != "softmax" or not hidden or len(trace.target) != len(outputs):
        return []
    if len(hidden) > limit or len(outputs) > limit:
        return []
    deltas = [p - y for p, y in zip(trace.prediction, trace.target, strict=True)]
    groups = []
    for j, neuron in enumerate(hidden):
        weights = [o.weights[j] for o in outputs]
        k = len(outputs)
        total = sum(d * w for d, w in zip(deltas, weights, strict=True))
        texts, result = agreeing(
            [*deltas, *weights], lambda v, k=k: sum(v[i] * v[k + i] for i in range(k)), total
        )
        head = f"∂L/∂{sub(neuron.symbol)}"
        symbols = " + ".join(f"∂L/∂z{sub(o.name)}·{sub(o.weight_names[j])}" for o in outputs)
        numbers = " + ".join(f"{factor(texts[i])}·{factor(texts[k + i])}" for i in range(k))
        groups.append([f"{head} = {symbols}", f"{' ' * len(head)} = {numbers} = {result}"])
    return groups


def _textbook_loss_slope(trace: nn.Trace) -> float | None:
    for param in trace.params:
        if param.factors and param.factors[0].symbol == "∂L/∂ŷ":
            return param.factors[0].value
    return None


def param_lines(
    param: nn.ParamStep, lr: float, lang: str, rounded: bool, update: bool
) -> list[str]:
    """∂L/∂w as the chain rule's factors and their product; with `update`, the SGD step.

    `rounded`: the trace rounded every factor first, the way the article prints its page; the
    product of those factors is shown, and the exact gradient beside it.
    """
    name = sub(param.name)
    head = f"∂L/∂{name}"
    pad = " " * len(head)
    symbols = " · ".join(sub(f.symbol) for f in param.factors)
    if rounded:
        values, result = [shown(f.value) for f in param.factors], shown(param.product)
    else:
        values, result = agreeing(
            [f.value for f in param.factors], lambda v: float(np.prod(v)), param.grad
        )
    lines = [f"{head} = {symbols}", f"{pad} = {' · '.join(factor(v) for v in values)} = {result}"]
    if rounded and result != shown(param.grad, UPDATE_DIGITS):
        lines.append(f"{pad}   {t('lesson.exact', lang, value=shown(param.grad, UPDATE_DIGITS))}")
    lines += [parts_line(f, text) for f, text in zip(param.factors, values, strict=True) if f.parts]
    if update:
        lines.append(update_line(name, param.value, lr, param.grad, param.new_value))
    return lines


def parts_line(local: nn.Factor, text: str) -> str:
    """A local factor as its own two factors, the article's ∂h₁/∂w₁ = x₁ · σ′(zh₁), with the
    numbers that multiply to `text` (the factor as the chain above shows it). A bias multiplies
    1: ∂h₁/∂b₁ = σ′(zh₁)."""
    parts = [p for p in local.parts if p.symbol != "1"]
    texts = operands_for([p.value for p in parts], lambda v: float(np.prod(v)), text)
    symbols = " · ".join(sub(p.symbol) for p in parts)
    if len(parts) == 1:
        return f"{sub(local.symbol)} = {symbols} = {text}"
    return f"{sub(local.symbol)} = {symbols} = {' · '.join(factor(v) for v in texts)} = {text}"


def update_line(name: str, value: float, lr: float, grad: float, new_value: float) -> str:
    """w ← w − η·∂L/∂w = new, with digits that make the subtraction check."""
    (w, eta, g), new = visible_update([value, lr, grad], lambda v: v[0] - v[1] * v[2], new_value)
    return f"{name} ← {w} − {eta}·{factor(g)} = {new}"


def visible_update(
    operands: list[float], compute: Callable[[list[float]], float], new_value: float
) -> tuple[list[str], str]:
    """(operands, new value) as shown for a step from `operands[0]` (the old value) to
    `new_value`, the calculation on the shown operands rounding to the shown new value.

    A step far smaller than the weight would vanish at UPDATE_DIGITS ("1 − 0.1·(−1.13e−05) = 1"):
    the new value then gets more digits until it visibly differs from the old one ("= 1.000001"),
    the operands as many as it takes for the calculation still to round to it."""
    for digits in range(UPDATE_DIGITS, MAX_DIGITS + 1):
        texts, new = agreeing(operands, compute, new_value, digits, UPDATE_DIGITS)
        if new_value == operands[0] or parse_shown(new) != parse_shown(texts[0]):
            break
    return texts, new
