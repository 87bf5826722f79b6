"""/explain: one training step of the chat's network, written out like a textbook page.

nncore computes the step (`nn.explain` → a Trace); this module only lays its numbers out:
the forward pass neuron by neuron, the loss, the chain rule for every weight with the rounded
factors a textbook would print (and the exact gradient next to them), then the SGD update.
Nothing is re-derived here. Large networks get a summary and the parameters with the largest
gradients, so every message stays within Telegram's 4096 characters.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

import nncore as nn
from bot.i18n import t
from bot.store import ChatState
from bot.tables.table import Table
from bot.text import pack
from bot.training.advice import best_single_line
from bot.training.encoding import encode_inputs, encode_targets, encoding_for
from bot.training.run import build_model, load_model, loss_for
from bot.training.settings import settings_for

MESSAGE_LIMIT = 4096
BLOCK_LIMIT = 3500  # one <pre> block; leaves room for the heading around it
MAX_MESSAGES = 5
FULL_PARAMS = 24  # up to this many parameters, every one is shown
SHOWN_PARAMS = 12  # otherwise, those with the largest gradients
FULL_INPUTS = 6  # a weighted sum with more terms is written as Σ
FULL_NEURONS = 24  # more neurons: hidden layers are summarised
DIGITS = 3

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_ACTIVATION_SYMBOLS = {
    "sigmoid": "σ",
    "tanh": "tanh",
    "relu": "ReLU",
    "leaky_relu": "LReLU",
    "leakyrelu": "LReLU",
    "softmax": "softmax",
}


class CannotExplain(Exception):
    """The chat's network cannot be written out (e.g. it is not a plain Dense network)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class RowChoice:
    index: int  # 0-based among the table's training rows
    name: str | None = None


@dataclass(frozen=True)
class Context:
    """What the trace does not know but a learner should be told."""

    row: RowChoice | None = None
    trained: bool = False
    textbook_start: bool = False
    scaled: bool = False
    optimizer: str = "sgd"
    separability: float | None = None  # best accuracy of one straight line, if it is < 1


# --- choosing the row and computing the trace (plain Python, no Telegram) ---------------------


def pick_row(table: Table, text: str) -> RowChoice | None:
    """The row `/explain` should use: a 1-based number, a row name, or the first row."""
    text = text.strip()
    if not text:
        return RowChoice(0, table.names[0] if table.names else None)
    if text.isdecimal() and len(text) <= 18:  # not isdigit(): int() refuses "²" and "①"
        index = int(text) - 1
        if 0 <= index < len(table.X):
            return RowChoice(index, table.names[index] if table.names else None)
        return None
    for index, name in enumerate(table.names or []):
        if name.casefold() == text.casefold():
            return RowChoice(index, name)
    return None


def explain_row(state: ChatState, table: Table, choice: RowChoice, lang: str) -> list[str]:
    """The chat's network (trained, else the one training would start from) on one row."""
    settings = settings_for(table, state.settings)
    trained = state.model is not None
    raw = table.X[choice.index]
    encoding = encoding_for(table, state.encoding, settings)
    try:
        model = load_model(state.model) if trained else build_model(table, settings)
        x = encode_inputs(encoding, [raw])[0]
        target = encode_targets(table, encoding, [table.Y[choice.index]])[0]
        loss = loss_for(table, settings)
        trace = nn.explain(model, loss, x, target, lr=settings.lr, digits=DIGITS)
    except ValueError as error:  # not a plain Dense network, or one made for another table
        raise CannotExplain("network") from error
    context = Context(
        row=choice,
        trained=trained,
        textbook_start=not trained and settings.init == "textbook",
        scaled=not np.allclose(np.asarray(raw, dtype=float), np.asarray(x, dtype=float)),
        optimizer=settings.optimizer,
        separability=best_single_line(table, settings),
    )
    return explain_messages(trace, table, lang, context)


# --- formatting -------------------------------------------------------------------------------


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


def num(value: float, digits: int = DIGITS) -> str:
    """A number as a textbook prints it: `digits` significant digits, a real minus sign."""
    if value == 0:
        return "0"
    if value == int(value) and abs(value) < 1e6:
        text = str(int(value))
    else:
        text = f"{value:.{digits}g}"
    return text.replace("-", "−")


def exact(value: float) -> str:
    return num(value, 6)


def _factor_value(value: float) -> str:
    text = num(value)
    return f"({text})" if text.startswith("−") else text


def _exact_factor(value: float) -> str:
    text = exact(value)
    return f"({text})" if text.startswith("−") else text


def _activation(name: str) -> str:
    return _ACTIVATION_SYMBOLS.get(name.lower(), "")


def _apply(name: str, inner: str) -> str:
    symbol = _activation(name)
    return f"{symbol}({inner})" if symbol else inner


def _input_symbols(trace: nn.Trace) -> dict[int, list[str]]:
    """The names of each Dense layer's inputs: x₁, x₂, … then the previous layer's neurons."""
    layers: dict[int, list[str]] = {}
    for neuron in trace.neurons:
        layers.setdefault(neuron.layer, []).append(neuron.symbol)
    first = trace.neurons[0]
    names = {1: [f"x{i + 1}" for i in range(len(first.inputs))]}
    for layer in sorted(layers)[1:]:
        names[layer] = layers[layer - 1]
    return names


def _neuron_lines(neuron: nn.NeuronStep, inputs: list[str]) -> list[str]:
    name = sub(neuron.symbol)
    act = neuron.activation
    bias = neuron.bias
    if len(neuron.inputs) <= FULL_INPUTS:
        terms = [f"{sub(w)}·{sub(x)}" for w, x in zip(neuron.weight_names, inputs, strict=True)]
        values = [
            f"{_factor_value(w)}·{_factor_value(x)}"
            for w, x in zip(neuron.weights, neuron.inputs, strict=True)
        ]
        if bias is not None:
            terms.append(sub(neuron.bias_name))
            values.append(_factor_value(bias))
        symbolic = " + ".join(terms)
        numeric = " + ".join(values)
    else:
        symbolic = "Σ wᵢ·inᵢ" + (f" + {sub(neuron.bias_name)}" if bias is not None else "")
        numeric = None
    if act.lower() == "softmax":  # not one neuron's function: it divides by all outputs
        z = f"z{name}"
        lines = [f"{z} = {symbolic}"]
        if numeric is not None:
            lines.append(f"{' ' * len(z)} = {numeric}")
        lines[-1] += f" = {num(neuron.z)}"
        lines.append(f"{name} = e^{z} / Σ e^z = {num(neuron.a)}")
        return lines
    pad = " " * (len(name) + 1)
    lines = [f"{name} = {_apply(act, symbolic)}"]
    if numeric is not None:
        lines.append(f"{pad}= {_apply(act, numeric)}")
    if _activation(act):
        lines.append(f"{pad}= {_apply(act, num(neuron.z))} = {num(neuron.a)}")
    else:
        lines.append(f"{pad}= {num(neuron.a)}")
    return lines


def _forward_blocks(trace: nn.Trace, lang: str) -> list[str]:
    inputs = _input_symbols(trace)
    last_layer = trace.neurons[-1].layer
    if len(trace.neurons) <= FULL_NEURONS:
        chunks = [_neuron_lines(n, inputs[n.layer]) for n in trace.neurons]
        return _pre_blocks(chunks)
    chunks = []
    for layer in sorted(inputs):
        neurons = [n for n in trace.neurons if n.layer == layer]
        shown = 10 if layer == last_layer else 2
        chunks += [_neuron_lines(n, inputs[layer]) for n in neurons[:shown]]
        if len(neurons) <= shown:
            continue
        values = [n.a for n in neurons]
        chunks.append(
            [
                t(
                    "lesson.layer_summary",
                    lang,
                    layer=layer,
                    count=len(neurons),
                    low=num(min(values)),
                    high=num(max(values)),
                )
            ]
        )
    return _pre_blocks(chunks)


def _loss_lines(trace: nn.Trace, lang: str) -> list[str]:
    name = trace.loss_name.lower()
    pred, target = trace.prediction, trace.target
    one = len(pred) == 1
    yhat = "ŷ" if one else "o"
    if "softmax" in name or name in ("ce", "crossentropy", "softmaxcrossentropy"):
        correct = int(np.argmax(target)) if len(target) == len(pred) else int(target[0])
        formula = f"L = −ln p{sub(str(correct + 1))}"
        numbers = f"  = −ln {num(pred[correct])} = {num(trace.loss)}"
    elif "binary" in name or name == "bce":
        formula = "L = −[y·ln ŷ + (1−y)·ln(1−ŷ)]"
        y, p = target[0], pred[0]
        numbers = f"  = −[{num(y)}·ln {num(p)} + {num(1 - y)}·ln {num(1 - p)}] = {num(trace.loss)}"
    elif one:
        formula = "L = (ŷ − y)²"
        numbers = f"  = ({num(pred[0])} − {num(target[0])})² = {num(trace.loss)}"
    else:
        formula = "L = mean((oᵢ − yᵢ)²)"
        numbers = f"  = {num(trace.loss)}"
    lines = [formula, numbers]
    slopes = trace.d_loss_d_pred
    if one:
        shown = _textbook_loss_slope(trace)
        derivative = f"∂L/∂{yhat}"
        if name in ("mse", "mean_squared_error"):
            derivative += f" = 2(ŷ − y) = 2({num(pred[0])} − {num(target[0])})"
        if shown is None or num(shown) == num(slopes[0]):
            lines.append(f"{derivative} = {num(slopes[0])}")
        else:  # the textbook value, from the rounded ŷ, as the factors below use it
            lines.append(f"{derivative} = {num(shown)}   (exact {exact(slopes[0])})")
    else:
        for i, value in enumerate(slopes[:10]):
            lines.append(f"∂L/∂o{sub(str(i + 1))} = {num(value)}")
    return lines


def _textbook_loss_slope(trace: nn.Trace) -> float | None:
    """∂L/∂ŷ as the chain-rule factors show it (nncore rounds ŷ first, as textbooks do)."""
    for param in trace.params:
        if param.factors and param.factors[0].symbol == "∂L/∂ŷ":
            return param.factors[0].value
    return None


def _param_lines(param: nn.ParamStep, lr: float) -> list[str]:
    name = sub(param.name)
    head = f"∂L/∂{name}"
    pad = " " * len(head)
    symbols = " · ".join(sub(f.symbol) for f in param.factors)
    values = " · ".join(_factor_value(f.value) for f in param.factors)
    return [
        f"{head} = {symbols}",
        f"{pad} = {values} = {num(param.product)}",
        f"{pad}   (exact {exact(param.grad)})",
        f"{name} ← {exact(param.value)} − {num(lr, 6)}·{_exact_factor(param.grad)}"
        f" = {exact(param.new_value)}",
    ]


def _pre_blocks(chunks: Iterable[list[str]]) -> list[str]:
    """Pack line groups into <pre> blocks of at most BLOCK_LIMIT characters."""
    blocks, current = [], []
    for chunk in chunks:
        text = "\n".join(chunk)
        if current and len("\n\n".join([*current, text])) > BLOCK_LIMIT:
            blocks.append(current)
            current = []
        current.append(text[:BLOCK_LIMIT])
    if current:
        blocks.append(current)
    return ["<pre>" + html.escape("\n\n".join(block)) + "</pre>" for block in blocks]


def _shape(trace: nn.Trace) -> str:
    sizes = [len(trace.neurons[0].inputs)]
    for neuron in trace.neurons:
        if neuron.index == 0:
            sizes.append(0)
        sizes[-1] += 1
    return " → ".join(str(s) for s in sizes)


def _input_text(i: int, name: str, value: float) -> str:
    symbol = sub(f"x{i + 1}")
    label = "" if name == f"x{i + 1}" else f" ({html.escape(name)})"
    return f"{symbol}{label} = {num(value, 6)}"


def _intro(trace: nn.Trace, table: Table, lang: str, context: Context) -> str:
    row = context.row or RowChoice(0)
    raw = table.X[row.index] if row.index < len(table.X) else []
    inputs = ", ".join(
        _input_text(i, name, v) for i, (name, v) in enumerate(zip(table.inputs, raw, strict=False))
    )
    target = table.target_text(table.Y[row.index]) if row.index < len(table.Y) else "?"
    label = f" ({html.escape(row.name)})" if row.name else ""
    activations = sorted({n.activation for n in trace.neurons})
    lines = [
        t("lesson.title", lang, row=row.index + 1, name=label),
        t("lesson.row", lang, inputs=inputs, target=html.escape(target)),
        t(
            "lesson.network",
            lang,
            shape=_shape(trace),
            activations=html.escape(", ".join(activations)),
            lr=num(trace.lr, 6),
        ),
    ]
    if context.trained:
        lines.append(t("lesson.trained", lang))
    elif context.textbook_start:
        lines.append(t("lesson.textbook_start", lang))
    else:
        lines.append(t("lesson.untrained", lang))
    if context.scaled:
        lines.append(t("lesson.scaled", lang))
    return "\n".join(lines)


def explain_messages(
    trace: nn.Trace, table: Table, lang: str, context: Context | None = None
) -> list[str]:
    """The trace as HTML messages, each at most 4096 characters, in reading order."""
    context = context or Context()
    sections: list[str] = [_intro(trace, table, lang, context)]
    sections.append(t("lesson.forward", lang))
    sections += _forward_blocks(trace, lang)
    sections.append(t("lesson.loss", lang, name=html.escape(trace.loss_name)))
    sections += _pre_blocks([_loss_lines(trace, lang)])

    params = list(trace.params)
    sections.append(t("lesson.backward", lang, digits=trace.digits or DIGITS))
    if len(params) > FULL_PARAMS:
        params = sorted(params, key=lambda p: abs(p.grad), reverse=True)[:SHOWN_PARAMS]
        sections.append(t("lesson.largest", lang, shown=len(params), total=len(trace.params)))
    sections += _pre_blocks(_param_lines(p, trace.lr) for p in params)
    sections.append(t("lesson.update", lang, lr=num(trace.lr, 6)))
    if context.optimizer != "sgd":
        sections.append(t("lesson.optimizer", lang, optimizer=html.escape(context.optimizer)))
    if context.separability is not None:
        sections.append(t("lesson.separability", lang, percent=f"{context.separability:.0%}"))
    row = (context.row.index if context.row else 0) + 1
    sections.append(t("lesson.outro", lang, next=row % max(len(table.X), 1) + 1))
    return _pack(sections)


def _pack(sections: list[str]) -> list[str]:
    """Join sections into as few messages as fit (bot.text.pack); at most MAX_MESSAGES, the
    last one (what to try next) always kept."""
    messages = pack(sections, MESSAGE_LIMIT)
    if len(messages) > MAX_MESSAGES:
        messages = [*messages[: MAX_MESSAGES - 1], messages[-1]]
    return messages
