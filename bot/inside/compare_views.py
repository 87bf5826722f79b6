"""What /compare shows: the variants' loss curves on one picture, a one-line verdict, and a
line per variant with the /settings line that adopts it. Plain Python: text and PNG bytes."""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from bot.i18n import t
from bot.text import number
from bot.training.pictures import (
    DPI,
    LABEL_SIZE,
    PALETTE,
    TEXT_SIZE,
    TITLE_SIZE,
    png,
    stored_floats,
    style,
    thin_curve,
    uses_log_scale,
)
from bot.training.settings import TrainSettings, symmetric_start

CEILING = 10  # the axis ends at this many times the highest starting loss
Result = Mapping[str, Any]  # the JSON outcome of bot.inside.compare.run_compare_job


def winner(result: Result) -> Mapping[str, Any] | None:
    """The variant with the lowest final loss among those that did not diverge (or None)."""
    finished = [
        v for v in result["variants"] if v["reason"] != "diverged" and v["final_loss"] is not None
    ]
    return min(finished, key=lambda v: v["final_loss"]) if finished else None


def diverged(result: Result) -> list[str]:
    return [v["label"] for v in result["variants"] if v["reason"] == "diverged"]


def verdict(result: Result, lang: str) -> str:
    """One line: which variant reached the lowest final loss, which diverged."""
    best = winner(result)
    broken = diverged(result)
    if best is None:
        return t("inside.compare.all_diverged", lang)
    text = t("inside.compare.best", lang, label=best["label"], loss=number(best["final_loss"]))
    if broken:
        text += " " + t("inside.compare.diverged", lang, labels=", ".join(broken))
    return text


def details_text(result: Result, rows: int, lang: str) -> str:
    """A line per variant, and how to adopt the winner (the chat's settings are unchanged)."""
    lines = []
    for variant in result["variants"]:
        lines.append(_variant_line(variant, rows, lang))
    if result.get("stopped"):
        lines.append(t("inside.compare.stopped", lang))
    for variant in result["variants"]:  # the twins of a textbook start, named
        if symmetric_start(TrainSettings.from_dict(variant["settings"])):
            label = html.escape(variant["label"])
            lines += ["", f"<code>{label}</code>: {t('lesson.symmetric', lang)}"]
    best = winner(result)
    lines.append("")
    if best is not None:
        lines.append(t("inside.compare.adopt", lang, line=html.escape(best["label"])))
    lines.append(t("inside.compare.unchanged", lang))
    return "\n".join(lines)


def _variant_line(variant: Mapping[str, Any], rows: int, lang: str) -> str:
    label = html.escape(variant["label"])
    if variant["reason"] == "diverged":
        return t("inside.compare.line_diverged", lang, label=label, epoch=variant["diverged_at"])
    text = t(
        "inside.compare.line",
        lang,
        label=label,
        loss=number(variant["final_loss"]) if variant["final_loss"] is not None else "—",
    )
    if variant.get("accuracy") is not None:
        right = round(variant["accuracy"] * rows)
        text += t("inside.compare.line_right", lang, right=right, rows=rows)
    if variant["reason"] in ("timeout", "stopped"):
        key = (
            "inside.compare.line_cut"
            if variant["reason"] == "timeout"
            else "inside.compare.line_stopped"
        )
        text += t(key, lang, epoch=variant["epochs_run"], epochs=variant["epochs"])
    return text


def compare_picture(result: Result, lang: str) -> bytes:
    """Every variant's loss per epoch on one axis (log scale when the curves span decades); a
    diverged one ends in a cross where its loss stopped being a number."""
    figure = Figure(figsize=(9, 6.6), dpi=DPI, layout="constrained")
    ax = figure.add_subplot()
    every: list[float] = []
    starts = [
        v[0]
        for v in (stored_floats(x["loss"]) for x in result["variants"])
        if v and math.isfinite(v[0])
    ]
    top = CEILING * max(starts) if starts else math.inf  # a run that explodes leaves the top
    for index, variant in enumerate(result["variants"]):
        loss = stored_floats(variant["loss"])
        colour = PALETTE[index % len(PALETTE)]
        final = variant["final_loss"]
        if variant["reason"] == "diverged":
            label = t("inside.compare.legend_diverged", lang, label=variant["label"])
        else:
            label = t("inside.compare.legend", lang, label=variant["label"], loss=_shown(final))
        if loss:
            x, y = thin_curve(loss, variant.get("epoch"))
            y = np.minimum(y, top)
            ax.plot(x, y, color=colour, linewidth=2.5, label=label)
            every += [v for v in y if math.isfinite(v)]
            if variant["reason"] == "diverged":
                ax.plot(x[-1:], y[-1:], marker="X", markersize=16, color=colour)
        else:
            ax.plot([], [], color=colour, linewidth=2.5, label=label)
    log = uses_log_scale(every)
    if log:
        ax.set_yscale("log")
    ax.set_title(t("inside.compare.title", lang), fontsize=TITLE_SIZE)
    ax.set_xlabel(t("train.plot.epoch", lang), fontsize=LABEL_SIZE)
    ax.set_ylabel(t("train.plot.loss_log" if log else "train.plot.loss", lang), fontsize=LABEL_SIZE)
    style(ax)
    legend = ax.legend(  # below the axes: the curves keep the whole plot
        fontsize=TEXT_SIZE, loc="upper center", bbox_to_anchor=(0.5, -0.16), frameon=False
    )
    for text in legend.get_texts():
        text.set_parse_math(False)
    return png(figure)


def _shown(value: float | None) -> str:
    return "—" if value is None else number(value)


def progress_label(data: Mapping[str, Any], count: int, shape: str, lang: str) -> str:
    """The progress message's first line during a comparison: which variant is training."""
    return t(
        "inside.compare.progress",
        lang,
        shape=shape,
        index=data.get("variant", 1),
        count=count,
        label=html.escape(str(data.get("label", ""))),
    )
