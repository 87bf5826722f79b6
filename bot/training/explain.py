"""/explain: one training step of the chat's network, written out like a textbook page.

nncore computes the step for one row (`nn.explain` → a Trace); `explain_lines` writes its
numbers so that every line checks by hand, and `explain_batch` adds the step training really
takes: η times the mean gradient over the batch (the whole table with batch=all). Large
networks get a summary and the parameters with the largest gradients, so every message stays
within Telegram's 4096 characters.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

import numpy as np

import nncore as nn
from bot.i18n import choice_name, plural, plural_form, t
from bot.store import ChatState
from bot.tables.table import Table
from bot.text import pack
from bot.training import answers as honest
from bot.training import explain_batch as batching
from bot.training.advice import best_single_line, separability_text
from bot.training.arithmetic import shown
from bot.training.encoding import decode_outputs, encode_inputs, encode_targets, encoding_for
from bot.training.explain_choice import (
    ChoiceError,
    RowChoice,
    answer_example,
    choose,
    values_command,
)
from bot.training.explain_lines import (
    DIGITS,
    hidden_gradient_lines,
    loss_lines,
    neuron_lines,
    param_lines,
    sub,
)
from bot.training.run import build_model, load_model, loss_for, textbook_model
from bot.training.settings import settings_for, symmetric_start

MESSAGE_LIMIT = 4096
BLOCK_LIMIT = 3500  # one <pre> block; leaves room for the heading around it
MAX_MESSAGES = 5
FULL_PARAMS = 24  # up to this many parameters, every one is shown
SHOWN_PARAMS = 12  # otherwise, those with the largest gradients
FULL_NEURONS = 24  # more neurons: hidden layers are summarised
TEXTBOOK_INITS = ("textbook", "article")  # untrained, these explain from all weights 1

__all__ = [
    "CannotExplain",
    "ChoiceError",
    "Context",
    "RowChoice",
    "choose",
    "explain_messages",
    "explain_row",
    "sub",
]


class CannotExplain(Exception):
    """The chat's network cannot be written out (e.g. it is not a plain Dense network)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Context:
    """What the trace does not know but a learner should be told."""

    row: RowChoice | None = None
    trained: bool = False
    textbook_start: bool = False
    article_init: bool = False  # init=article: the step from all-ones, training from random
    legacy_init: bool = False  # init=legacy: the single-neuron article's np.random.seed start
    symmetric: bool = False  # training starts with identical hidden neurons
    scaled: bool = False
    optimizer: str = "sgd"
    separability: float | None = None  # best accuracy of one straight line, if it is < 1
    batch_rows: int = 1  # rows averaged in one training step
    batch_whole: bool = False
    batch_blocks: list[list[str]] = field(default_factory=list)  # the mean-gradient step
    article_blocks: list[list[str]] = field(default_factory=list)  # Δw = Xᵀ·(error·σ′)
    article_k: float = 1.0
    answer: str = ""  # what the network answers, for inputs whose right answer is not known


# --- choosing the row and computing the trace (plain Python, no Telegram) ---------------------


def pick_row(table: Table, text: str) -> RowChoice | None:
    """What `/explain` should use (`explain_choice.choose`), or None when `text` says nothing
    that fits the table."""
    try:
        return choose(table, text)
    except ChoiceError:
        return None


def _subject(table: Table, choice: RowChoice) -> tuple[list[float], list[float]]:
    """(raw inputs, target row) of the choice; a row whose answer is not known gets the first
    row's target in its place, only so that nncore can run (its loss is never shown)."""
    if choice.index is not None:
        return table.X[choice.index], table.Y[choice.index]
    target = list(choice.target) if choice.target is not None else table.Y[0]
    return list(choice.values or ()), target


def explain_row(state: ChatState, table: Table, choice: RowChoice, lang: str) -> list[str]:
    """The chat's network (trained, else the one training would start from) on one row or on
    new inputs; without a known answer, the forward pass only."""
    settings = settings_for(table, state.settings)
    trained = state.model is not None
    textbook = not trained and settings.init in TEXTBOOK_INITS
    encoding = encoding_for(table, state.encoding, settings)
    try:
        if trained:
            model = load_model(state.model)
        else:
            model = textbook_model(table, settings) if textbook else build_model(table, settings)
        X = encode_inputs(encoding, table.X)
        Y = encode_targets(table, encoding, table.Y)
        loss = loss_for(table, settings)
        digits = DIGITS if textbook else None
        raw_x, raw_y = _subject(table, choice)
        x = encode_inputs(encoding, [raw_x])[0]
        y = encode_targets(table, encoding, [raw_y])[0]
        trace = nn.explain(model, loss, x, y, settings.lr, digits)
        row = choice.index if choice.index is not None else -1
        batch = batching.batch_for(max(row, 0), settings.batch_size, len(X))
        if row < 0:  # not a row of the table: training never steps on it
            batch = batching.Batch([row], False)
        batch_blocks = _batch_blocks(trace, model, loss, X, Y, batch, settings.lr)
        article = batching.article_form_applies(model, loss, settings.optimizer, batch)
        start = build_model(table, settings) if article else None
    except ValueError as error:  # not a plain Dense network, or one made for another table
        raise CannotExplain("network") from error
    raw = np.asarray(raw_x, dtype=float)
    answer = decode_outputs(table, encoding, np.array([trace.prediction]))[0]
    context = Context(
        row=choice,
        trained=trained,
        textbook_start=textbook,
        article_init=settings.init == "article",
        legacy_init=settings.init == "legacy",
        symmetric=symmetric_start(settings),
        scaled=not np.allclose(raw, x),
        optimizer=settings.optimizer,
        separability=best_single_line(table, settings),
        batch_rows=len(batch.rows),
        batch_whole=batch.whole,
        batch_blocks=batch_blocks,
        article_blocks=batching.article_lines(start, X, Y, settings.lr) if start else [],
        article_k=2 * settings.lr / len(X),
        answer=html.escape(honest.answer_text(asdict(answer), lang))
        + honest.detail_text(asdict(answer), lang),
    )
    return explain_messages(trace, table, lang, context)


def _batch_blocks(
    trace: nn.Trace,
    model: nn.Sequential,
    loss: nn.Loss,
    X: np.ndarray,
    Y: np.ndarray,
    batch: batching.Batch,
    lr: float,
) -> list[list[str]]:
    """The mean-gradient step over `batch`, one line group per shown parameter ([] for 1 row)."""
    if len(batch.rows) == 1:
        return []
    means = batching.mean_gradients(model, loss, X[batch.rows], Y[batch.rows])
    per_row: list[nn.Trace] = []
    if len(batch.rows) <= batching.WRITTEN_ROWS:
        per_row = [nn.explain(model, loss, X[r], Y[r], lr) for r in batch.rows]
    blocks = []
    for param in _shown_params(trace):
        mean = float(means[param.layer - 1][param.key][param.index])
        grads = [_grad_of(row_trace, param.name) for row_trace in per_row] or None
        blocks.append(batching.mean_lines(param, grads, mean, lr, len(batch.rows)))
    return blocks


def _grad_of(trace: nn.Trace, name: str) -> float:
    return next(p.grad for p in trace.params if p.name == name)


def _shown_params(trace: nn.Trace) -> list[nn.ParamStep]:
    params = list(trace.params)
    if len(params) > FULL_PARAMS:
        params = sorted(params, key=lambda p: abs(p.grad), reverse=True)[:SHOWN_PARAMS]
    return params


# --- formatting -------------------------------------------------------------------------------


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


def _forward_blocks(trace: nn.Trace, lang: str) -> list[str]:
    inputs = _input_symbols(trace)
    last_layer = trace.neurons[-1].layer
    if len(trace.neurons) <= FULL_NEURONS:
        chunks = [neuron_lines(n, inputs[n.layer]) for n in trace.neurons]
        return _pre_blocks(chunks)
    chunks = []
    for layer in sorted(inputs):
        neurons = [n for n in trace.neurons if n.layer == layer]
        written = 10 if layer == last_layer else 2
        chunks += [neuron_lines(n, inputs[layer]) for n in neurons[:written]]
        if len(neurons) <= written:
            continue
        values = [n.a for n in neurons]
        chunks.append(
            [
                t(
                    "lesson.layer_summary",
                    lang,
                    layer=layer,
                    count=plural(len(neurons), lang, "word.neuron"),
                    low=shown(min(values)),
                    high=shown(max(values)),
                )
            ]
        )
    return _pre_blocks(chunks)


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
    return f"{symbol}{label} = {shown(value, 6)}"


def _subject_lines(table: Table, lang: str, row: RowChoice) -> list[str]:
    """The title and the inputs with the right answer (or that it is not known)."""
    label = f" ({html.escape(row.name)})" if row.name else ""
    target: str | None
    if row.index is not None:
        raw = table.X[row.index] if row.index < len(table.X) else []
        target = table.target_text(table.Y[row.index]) if row.index < len(table.Y) else "?"
        title = t("lesson.title", lang, row=row.index + 1, name=label)
    else:
        raw = list(row.values or ())
        target = table.target_text(list(row.target)) if row.target is not None else None
        key = "lesson.title_question" if row.question else "lesson.title_values"
        if row.from_row is not None:
            key = "lesson.title_other_answer"
        title = t(key, lang, name=label, row=(row.from_row or 0) + 1)
    inputs = ", ".join(
        _input_text(i, name, v) for i, (name, v) in enumerate(zip(table.inputs, raw, strict=False))
    )
    if target is None:
        return [title, t("lesson.row_unknown", lang, inputs=inputs)]
    return [title, t("lesson.row", lang, inputs=inputs, target=html.escape(target))]


def _intro(trace: nn.Trace, table: Table, lang: str, context: Context) -> str:
    activations = sorted({n.activation for n in trace.neurons}, key=_activation_order)
    lines = [
        *_subject_lines(table, lang, context.row or RowChoice(0)),
        *filter(None, [honest.class_one_text(table, lang)]),
        t(
            "lesson.network",
            lang,
            shape=_shape(trace),
            functions=plural_form(len(activations), lang, t("lesson.activation_function", lang)),
            activations=", ".join(
                html.escape(choice_name("activation", a, lang)) for a in activations
            ),
            lr=shown(trace.lr, 6),
        ),
    ]
    if context.trained:
        lines.append(t("lesson.trained", lang))
    elif context.article_init:
        lines.append(t("lesson.article_start", lang))
    elif context.textbook_start:
        lines.append(t("lesson.textbook_start", lang))
    elif context.legacy_init:
        lines.append(t("lesson.legacy_start", lang))
    else:
        lines.append(t("lesson.untrained", lang))
    if context.symmetric:
        lines.append(t("lesson.symmetric", lang))
    if context.scaled:
        lines.append(t("lesson.scaled", lang))
    return "\n".join(lines)


def _activation_order(name: str) -> int:
    """Hidden activations first, then the output's: the order the forward pass meets them."""
    return ("sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax").index(name)


def _step_sections(trace: nn.Trace, table: Table, lang: str, context: Context) -> list[str]:
    """4. the update training really makes: one row (SGD), or the mean over a batch."""
    lr = shown(trace.lr, 6)
    if context.row is not None and context.row.index is None:
        return [t("lesson.update_new", lang, lr=lr)]
    if context.batch_rows == 1:
        return [t("lesson.update", lang, lr=lr)]
    rows = plural(context.batch_rows, lang, "word.row")
    key = "lesson.batch_whole" if context.batch_whole else "lesson.batch_part"
    sections = [t(key, lang, rows=rows, lr=lr)]
    sections += _pre_blocks(context.batch_blocks)
    if context.article_blocks:
        k = (
            ""
            if context.article_k == 1
            else t("lesson.article_k", lang, k=shown(context.article_k, 6))
        )
        rows = plural(len(table.X), lang, "word.row")
        sections.append(t("lesson.article_form", lang, rows=rows, lr=lr, k=k))
        sections += _pre_blocks(context.article_blocks)
    return sections


def explain_messages(
    trace: nn.Trace, table: Table, lang: str, context: Context | None = None
) -> list[str]:
    """The trace as HTML messages, each at most 4096 characters, in reading order."""
    context = context or Context()
    rounded = trace.digits is not None
    sections: list[str] = [_intro(trace, table, lang, context)]
    sections.append(t("lesson.forward", lang))
    sections += _forward_blocks(trace, lang)
    if context.row is not None and not context.row.known:
        return _pack([*sections, *_forward_only(table, lang, context)])
    loss_name = t(f"loss.name.{trace.loss_name}", lang)
    sections.append(t("lesson.loss", lang, name=html.escape(loss_name)))
    sections += _pre_blocks([loss_lines(trace, lang)])
    if trace.loss_name == "softmax_cross_entropy":
        sections.append(t("lesson.softmax_gradient", lang))
        hidden = hidden_gradient_lines(trace)
        if hidden:
            sections.append(t("lesson.softmax_hidden", lang))
            sections += _pre_blocks(hidden)
    params = _shown_params(trace)
    sections.append(t("lesson.backward_rounded" if rounded else "lesson.backward", lang))
    if len(params) < len(trace.params):
        total = plural(len(trace.params), lang, "word.parameter")
        sections.append(t("lesson.largest", lang, shown=len(params), total=total))
    single = context.batch_rows == 1
    sections += _pre_blocks(param_lines(p, trace.lr, lang, rounded, single) for p in params)
    sections += _step_sections(trace, table, lang, context)
    if context.optimizer != "sgd":
        sections.append(
            t(
                "lesson.optimizer",
                lang,
                optimizer=html.escape(choice_name("optimizer", context.optimizer, lang)),
            )
        )
    if context.separability is not None:
        sections.append(separability_text(context.separability, lang))
    sections.append(_outro(table, lang, context))
    return _pack(sections)


def _forward_only(table: Table, lang: str, context: Context) -> list[str]:
    """What the network answers, and how to give the right answer for the backward pass."""
    row = context.row or RowChoice(0)
    subject = row.name if row.name else values_command(table, row.values or ())
    subject = subject.removesuffix(" → ?")
    return [
        t("lesson.answer", lang, answer=context.answer),
        t(
            "lesson.need_answer",
            lang,
            subject=html.escape(subject),
            answer=html.escape(answer_example(table)),
        ),
    ]


def _outro(table: Table, lang: str, context: Context) -> str:
    """What to try next: the next row, or, after new inputs, a row of the table."""
    if context.row is not None and context.row.index is None:
        return t("lesson.outro_values", lang)
    row = (context.row.index if context.row else 0) + 1
    outro = "lesson.outro_row" if context.batch_rows == 1 else "lesson.outro_batch"
    return t(outro, lang, next=row % max(len(table.X), 1) + 1)


def _pack(sections: list[str]) -> list[str]:
    """Join sections into as few messages as fit (bot.text.pack); at most MAX_MESSAGES, the
    last one (what to try next) always kept."""
    messages = pack(sections, MESSAGE_LIMIT)
    if len(messages) > MAX_MESSAGES:
        messages = [*messages[: MAX_MESSAGES - 1], messages[-1]]
    return messages
