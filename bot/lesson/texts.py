"""The text of each lesson step, from the numbers its job computed (HTML, in the user's
language). Every number shown is one the job measured; no Telegram here."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from bot.i18n import plural, t
from bot.lesson.steps import LAST, NOISY_LINE
from bot.text import number
from bot.training.arithmetic import factor, shown
from bot.training.explain_lines import sub


def step_text(step: int, facts: Mapping[str, Any], lang: str) -> str:
    """The whole message of step `step` (its heading, the explanation, the measured numbers)."""
    head = t("guide.head", lang, step=step, last=LAST, title=t(f"guide.{step}.title", lang))
    return f"{head}\n\n{TEXTS[step](facts, lang)}"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _rows(rows: list[list[float]], outputs: list[float]) -> str:
    return "\n".join(
        f"{' '.join(number(v) for v in row)} → {shown(out)}"
        for row, out in zip(rows, outputs, strict=True)
    )


def _neuron_text(facts: Mapping[str, Any], lang: str) -> str:
    start = ", ".join(f"{w:.8f}".replace("-", "−") for w in facts["start"])
    update = "\n\n".join("\n".join(group) for group in facts["update"])
    answer = "—" if facts["answer"] is None else f"{facts['answer']:.8f}"
    return t(
        "guide.1.text",
        lang,
        start=start,
        update=html.escape(update),
        epochs=plural(facts["epochs"], lang, "word.update"),
        answer=answer,
    )


def _line_text(facts: Mapping[str, Any], lang: str) -> str:
    rows = [[0, 0], [0, 1], [1, 0], [1, 1]]
    return t(
        "guide.2.text",
        lang,
        best=_percent(facts["best"]),
        rows=_rows(rows, facts["outputs"]),
        accuracy=_percent(facts["accuracy"]),
    )


def _hidden_text(facts: Mapping[str, Any], lang: str) -> str:
    rows = [[0, 0], [0, 1], [1, 0], [1, 1]]
    neurons = plural(sum(facts["hidden"]), lang, "word.neuron")
    return t(
        "guide.3.text",
        lang,
        neurons=neurons,
        rows=_rows(rows, facts["outputs"]),
        accuracy=_percent(facts["accuracy"]),
    )


def _backprop_text(facts: Mapping[str, Any], lang: str) -> str:
    (s1, f1), (s2, f2), (s3, f3) = ((sub(s), f) for s, f in facts["factors"])
    chain = f"{s1} · {s2} · {s3} = {factor(shown(f1))} · {factor(shown(f2))} · {factor(shown(f3))}"
    answers = "\n".join(
        f"{html.escape(name)} → {shown(value)}" for name, value in facts["questions"]
    )
    x1, x2 = (shown(v) for v in facts["x"])
    return t(
        "guide.4.text",
        lang,
        row=html.escape(facts["row"]),
        x1=x1,
        x2=x2,
        h=shown(facts["hidden"][0]),
        y=shown(facts["prediction"]),
        chain=html.escape(chain),
        product=shown(facts["product"]),
        exact=shown(facts["grad"], 4),
        answers=answers,
    )


def _symmetry_text(facts: Mapping[str, Any], lang: str) -> str:
    twins = "guide.5.twins" if facts["textbook"]["twins"] else "guide.5.not_twins"
    return t(
        "guide.5.text",
        lang,
        twins=t(twins, lang),
        ones=_percent(facts["textbook"]["accuracy"]),
        random=_percent(facts["auto"]["accuracy"]),
    )


def _batches_text(facts: Mapping[str, Any], lang: str) -> str:
    sgd, full = facts["sgd"], facts["full"]
    return t(
        "guide.6.text",
        lang,
        sgd_updates=plural(sgd["updates"], lang, "word.update"),
        full_updates=plural(full["updates"], lang, "word.update"),
        sgd_loss=number(sgd["loss"]),
        full_loss=number(full["loss"]),
        times=plural(sgd["updates"] // max(1, full["updates"]), lang, "word.times"),
    )


def _activation(name: str, lang: str) -> str:
    return t(f"guide.picture.activations.{name}", lang)


def _activations_text(facts: Mapping[str, Any], lang: str) -> str:
    lines = [
        t(
            "guide.7.line",
            lang,
            name=_activation(name, lang),
            loss=number(run["loss"]),
            accuracy=_percent(run["accuracy"]),
        )
        for name, run in facts.items()
    ]
    best = min(facts, key=lambda name: facts[name]["loss"])
    return t("guide.7.text", lang, lines="\n".join(lines), best=_activation(best, lang))


def _overfitting_text(facts: Mapping[str, Any], lang: str) -> str:
    if facts["best_epoch"] is None:
        return t("guide.8.no_validation", lang)
    rises = facts["final_val"] > facts["best_val"]
    verdict = t(
        "guide.8.rises" if rises else "guide.8.steady", lang, best_epoch=facts["best_epoch"]
    )
    return t(
        "guide.8.text",
        lang,
        table=html.escape(NOISY_LINE.strip()),
        rows=plural(facts["rows"], lang, "word.row"),
        kept=facts["kept"],
        epochs=plural(facts["epochs"], lang, "word.epoch"),
        train=number(facts["final_train"]),
        best_val=number(facts["best_val"]),
        best_epoch=facts["best_epoch"],
        final_val=number(facts["final_val"]),
        verdict=verdict,
    )


def _convolution_text(facts: Mapping[str, Any], lang: str) -> str:
    source = t("guide.9.own" if facts.get("own") else "guide.9.ready", lang)
    return t("guide.9.text", lang, filters=facts["filters"], shown=facts["shown"], source=source)


def _lab_text(facts: Mapping[str, Any], lang: str) -> str:
    return t("guide.10.text", lang)


TEXTS = dict(enumerate((_neuron_text, _line_text, _hidden_text, _backprop_text), start=1))
TEXTS.update({5: _symmetry_text, 6: _batches_text, 7: _activations_text})
TEXTS.update({8: _overfitting_text, 9: _convolution_text, 10: _lab_text})
