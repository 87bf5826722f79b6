"""What the chat reads about overfitting and the diagnosis: the validation lines of the
summary, the diagnosis after a training with its fix buttons, and reading a fix button back.

A fix button's callback data is FIX + the `/settings` text it applies ("fix:patience=50").
`fix_of` accepts only the settings a diagnosis offers, parsed by the same `parse_settings` as
typed text, so forged data can never set anything a learner could not type. No Telegram here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot.config import Limits
from bot.i18n import plural, t
from bot.text import number
from bot.training.settings import SettingsError, TrainSettings, parse_settings

FIX_PREFIX = "fix:"
FIX_PATTERN = rf"^{FIX_PREFIX}"
FIXABLE = ("lr", "patience", "l2", "hidden", "scale", "activation")  # what a fix may change
FIX_LABELS = {"hidden": "fix.hidden", "scale": "fix.scale", "activation": "fix.activation"}

Rows = list[list[tuple[str, str]]]


def fix_data(change: str) -> str:
    return FIX_PREFIX + change


def fix_of(data: str, current: TrainSettings, limits: Limits) -> tuple[str, TrainSettings] | None:
    """(the change, the settings after it) of a fix button's data; None for data no diagnosis
    makes (another key, two changes, a value out of range)."""
    change = data.removeprefix(FIX_PREFIX) if data.startswith(FIX_PREFIX) else ""
    if not re.fullmatch(r"[a-z0-9_]+=[a-z0-9_.,]+", change):
        return None
    if change.partition("=")[0] not in FIXABLE:
        return None
    try:
        return change, parse_settings(change, current, limits)
    except SettingsError:
        return None


def _label(change: str, symptom: str, current: TrainSettings, lang: str) -> str:
    key, _, value = change.partition("=")
    if key == "hidden" and not current.hidden:
        return t("fix.layer", lang, value=value)
    return t(FIX_LABELS.get(key, f"fix.{key}"), lang, value=value)


def diagnosis_text(findings: list[Mapping[str, Any]], lang: str) -> str | None:
    """The diagnosis message (HTML), or None when the training shows no symptom."""
    if not findings:
        return None
    lines = [t("diagnosis.title", lang)]
    for finding in findings:
        values = dict(finding["values"])
        for name in ("loss", "floor", "best", "lr"):
            if name in values:
                values[name] = number(values[name])
        if "share" in values:
            values["percent"] = f"{100 * values.pop('share'):.0f}"
        if "edge" in values:
            values["edge"] = f"{values['edge']:g}"
        if "best_epoch" in values:
            values["epoch"] = values.pop("best_epoch")
        lines.append("• " + t(f"diagnosis.{finding['symptom']}", lang, **values))
    if any(finding["fixes"] for finding in findings):
        lines.append(t("diagnosis.fix_hint", lang))
    return "\n".join(lines)


def diagnosis_rows(findings: list[Mapping[str, Any]], current: TrainSettings, lang: str) -> Rows:
    """One button per fix (each change offered once)."""
    seen: dict[str, str] = {}
    for finding in findings:
        for change in finding["fixes"]:
            seen.setdefault(change, _label(change, finding["symptom"], current, lang))
    return [[(label, fix_data(change))] for change, label in seen.items()]


def validation_lines(
    evaluation: Mapping[str, Any], settings: TrainSettings, lang: str
) -> list[str]:
    """The summary's validation figures: accuracy, the best epoch, early stopping, dropout."""
    lines = []
    if evaluation.get("val_loss") is not None and evaluation.get("val_accuracy") is not None:
        percent = f"{100 * evaluation['val_accuracy']:.0f}"
        lines.append(t("quality.val_accuracy", lang, percent=percent))
    best = evaluation.get("best_epoch")
    stopped, kept = evaluation.get("stopped_early"), evaluation.get("kept_epoch")
    if best is not None and evaluation.get("best_val_loss") is not None and kept is None:
        loss = number(evaluation["best_val_loss"])
        lines.append(t("quality.best_epoch", lang, epoch=best, loss=loss))
    if stopped:
        patience = plural(settings.patience, lang, "word.epoch")
        lines.append(
            t("quality.early_stopped", lang, patience=patience, best=kept, stopped=stopped)
        )
    elif kept:
        lines.append(t("quality.kept_best", lang, best=kept))
    if settings.patience and evaluation.get("val_loss") is None:
        lines.append(t("quality.patience_unused", lang))
    if settings.dropout and settings.hidden:
        lines.append(t("quality.dropout_note", lang))
    return lines
