"""What the digits lab says in a chat, and what it remembers per chat. No Telegram here.

The lab's part of a chat's state is `state.extra["lab"]`:
    {"settings": LabSettings dict, "use": "lab" | "personal" | None, "collect": next digit or None,
     "trained": {"layers", "accuracy"} of the last lab network}
Its networks are files of the chat in the store (`LAB_FILE`, `PERSONAL_FILE`), loaded only when
a photo needs them; `/reset` deletes them with everything else.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np

import nncore as nn
from bot.config import Limits
from bot.digits.reader import NumberResult
from bot.i18n import plural, t
from bot.lab.job import LabOutcome, cosine_lr
from bot.lab.personal import PersonalOutcome
from bot.lab.settings import PRESETS, LabSettings, build_network, describe
from bot.store import ChatState
from bot.text import duration

EXTRA_KEY = "lab"
LAB_FILE = "lab.npz"
PERSONAL_FILE = "personal.npz"
CALLBACK_PREFIX = "lab:"
PRESET = f"{CALLBACK_PREFIX}preset:"  # + preset name
TRAIN = f"{CALLBACK_PREFIX}train"
WORST_SHOWN = 3  # confusions named in the text

Rows = list[list[tuple[str, str]]]


def lab_state(state: ChatState) -> dict[str, Any]:
    """The chat's lab record (created empty on first use; saved with the state)."""
    return state.extra.setdefault(EXTRA_KEY, {})


def chat_settings(state: ChatState) -> LabSettings:
    return LabSettings.from_dict(lab_state(state).get("settings"))


# --------------------------------------------------------------------------- /lab


def layer_table(model: nn.Sequential, lang: str) -> str:
    """The layer list as aligned rows: what, output shape, parameters."""
    rows = [(t("lab.view.input", lang), "1×28×28", "")]
    described = describe(model)
    for i, (what, shape, params) in enumerate(described):
        last_dense = i == len(described) - 2  # the output layer and its softmax close the list
        if last_dense:
            what = t("lab.view.output", lang)
        if what == "softmax":
            continue
        rows.append((what, shape, f"{params:,}".replace(",", " ") if params else ""))
    width = max(len(r[0]) for r in rows)
    lines = [f"{what:<{width}}  {shape:<9} {params:>7}".rstrip() for what, shape, params in rows]
    return html.escape("\n".join(lines))


def lab_view(settings: LabSettings, limits: Limits, test_count: int, lang: str) -> str:
    """The /lab message: the network as a layer list, its size, the training settings."""
    model = build_network(settings)
    preset = t("lab.view.preset", lang, name=settings.preset) if settings.preset else ""
    return t(
        "lab.view",
        lang,
        preset=preset,
        layers=layer_table(model, lang),
        params=f"{model.param_count():,}".replace(",", " "),
        images=settings.images,
        validation=round(settings.images * settings.validation),
        epochs=settings.epochs,
        lr=f"{settings.lr:g}",
        lr_end=f"{cosine_lr(settings.lr, settings.epochs, settings.epochs):.2g}",
        batch=settings.batch,
        augment=t("lab.on" if settings.augment else "lab.off_word", lang),
        seed=settings.seed,
        test=test_count,
    )


def lab_buttons(lang: str) -> Rows:
    """Preset buttons (two a row) and Train."""
    buttons = [(t(f"lab.preset.{name}", lang), f"{PRESET}{name}") for name in PRESETS]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    return [*rows, [(t("lab.button.train", lang), TRAIN)]]


# --------------------------------------------------------------------------- results


def plural_times(count: int, lang: str) -> str:
    """The word "times" for `count`: time/times in English, раз/раза by the Russian rule."""
    if lang != "ru":
        form = "one" if count == 1 else "many"
    elif count % 10 == 1 and count % 100 != 11:
        form = "one"
    elif count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        form = "few"
    else:
        form = "many"
    return t(f"lab.times.{form}", lang)


def worst_confusions(confusion: list[list[int]], count: int = WORST_SHOWN) -> list[tuple]:
    """The most frequent mistakes as (true digit, said digit, times), most frequent first."""
    matrix = np.asarray(confusion)
    pairs = [
        (int(matrix[a, b]), a, b) for a in range(10) for b in range(10) if a != b and matrix[a, b]
    ]
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    return [(a, b, n) for n, a, b in pairs[:count]]


def end_text(outcome: LabOutcome, settings: LabSettings, limits: Limits, lang: str) -> str:
    """The last word of the progress message: trained, stopped, or out of time."""
    epochs = len(outcome.history.get("loss") or [])
    values = {
        "shape": html.escape(settings.layer_text),
        "epochs": epochs,
        "epochs_counted": plural(epochs, lang, "word.epoch"),
        "total": settings.epochs,
        "elapsed": duration(outcome.seconds, lang),
    }
    if outcome.reason == "timeout":
        return t("lab.end.timeout", lang, limit=duration(limits.job_seconds, lang), **values)
    return t(f"lab.end.{outcome.reason}", lang, **values)


def result_text(outcome: LabOutcome, lang: str) -> str:
    """Test accuracy, the worst confusions by name, and overfitting when validation turned."""
    source = (
        t("lab.source.subset", lang)
        if outcome.source == "subset"
        else t("lab.source.full", lang, name=html.escape(outcome.source))
    )
    right = round(outcome.test_accuracy * outcome.test_count)
    parts = [
        t(
            "lab.result",
            lang,
            accuracy=f"{outcome.test_accuracy * 100:.1f}",
            right=right,
            count=outcome.test_count,
            train=outcome.train_count,
            source=source,
        )
    ]
    worst = worst_confusions(outcome.confusion)
    if worst:
        items = "; ".join(
            t("lab.confusion_item", lang, true=a, said=b, count=n, times=plural_times(n, lang))
            for a, b, n in worst
        )
        parts.append(t("lab.confusions", lang, items=items))
    else:
        parts.append(t("lab.no_confusions", lang))
    if outcome.turn_epoch is not None:
        val = outcome.history["val_loss"]
        parts.append(
            t(
                "lab.overfit",
                lang,
                epoch=outcome.turn_epoch,
                low=f"{val[outcome.turn_epoch - 1]:.3f}",
                last=f"{val[-1]:.3f}",
                train=outcome.train_count,
            )
        )
    return "\n\n".join(parts)


PICTURE_ORDER = ("curves", "confusion", "gallery", "filters")


def pictures_in_order(outcome: LabOutcome, lang: str) -> list[tuple[bytes, str]]:
    """The result pictures with their captions, in the order they are sent."""
    return [
        (outcome.pictures[name], t(f"lab.caption.{name}", lang))
        for name in PICTURE_ORDER
        if name in outcome.pictures
    ]


def personal_text(outcome: PersonalOutcome, lang: str) -> str:
    """Before and after, on the learner's held-out digits and on MNIST test digits."""
    return t(
        "lab.personal.result",
        lang,
        held=outcome.held_out,
        trained=outcome.trained_on,
        before=f"{outcome.before * 100:.0f}",
        after=f"{outcome.after * 100:.0f}",
        mnist=outcome.mnist_count,
        mnist_before=f"{outcome.mnist_before * 100:.1f}",
        mnist_after=f"{outcome.mnist_after * 100:.1f}",
        elapsed=duration(outcome.seconds, lang),
    )


# --------------------------------------------------------------------------- photos


def own_reading(model: nn.Sequential, result: NumberResult) -> tuple[str, list[float]]:
    """What a chat's network reads in the digits the reader found: (text, confidences)."""
    from bot.lab.job import probabilities

    images = np.stack([d.image28 for d in result.digits])
    probs = probabilities(model, images)
    return "".join(str(int(p.argmax())) for p in probs), [float(p.max()) for p in probs]


def both_answers(
    result: NumberResult, mine: tuple[str, list[float]], personal: bool, lang: str
) -> str:
    """ "your network: 7 (81%), the reader: 7 (99%)" — or for a number, each as a whole."""
    from bot.training.answers import percent

    text, confidences = mine
    if len(result.digits) == 1:
        own = f"{text} ({percent(confidences[0])})"
        reader = f"{result.text} ({percent(result.digits[0].confidence)})"
    else:
        own, reader = text, result.text
    key = "lab.both.personal" if personal else "lab.both.lab"
    return t(key, lang, mine=own, reader=reader)
