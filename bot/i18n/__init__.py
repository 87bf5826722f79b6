"""Every text a user reads, in English and Russian.

Messages live in feature modules next to this file (`common.py`, `table.py`, …). Each module
defines `MESSAGES = {"key": {"en": "...", "ru": "..."}}` with both languages side by side, so a
translator sees the pair and a test can prove no key is missing a language. Placeholders use
`str.format` syntax and must be the same in both languages.
"""

from __future__ import annotations

import importlib
import pkgutil
import string
from functools import cache

LANGUAGES = ("en", "ru")
DEFAULT_LANGUAGE = "en"


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """All messages of all feature modules; a key defined twice is a developer error."""
    merged: dict[str, dict[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for key, texts in getattr(module, "MESSAGES", {}).items():
            if key in merged:
                raise RuntimeError(f"message key {key!r} is defined twice (in {info.name})")
            merged[key] = texts
    return merged


def pick_language(code: str | None) -> str:
    """Map a Telegram `language_code` (e.g. 'ru', 'ru-RU', 'uk', 'en-GB') to ours."""
    base = (code or "").split("-")[0].lower()
    if base in LANGUAGES:
        return base
    # Speakers of these usually read Russian more easily than English.
    return "ru" if base in {"uk", "be", "kk", "ky", "uz", "tg"} else DEFAULT_LANGUAGE


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The message `key` in `lang`, with `{placeholders}` filled from `values`."""
    texts = catalogue()[key]
    text = texts.get(lang) or texts[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def placeholders(text: str) -> set[str]:
    """The `{names}` a message expects (for the completeness test)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def plural_form(count: int, lang: str, forms: str) -> str:
    """The word of `forms` ("one|few|many" in Russian, "one|other" in English) that fits
    `count`: 1 эпоха, 2 эпохи, 5 эпох, 21 эпоха; 1 epoch, 2 epochs.

    Russian: one for 1, 21, 31… (not 11); few for 2–4, 22–24… (not 12–14); many for the rest.
    """
    words = forms.split("|")
    count = abs(int(count))
    if lang == "ru" and len(words) == 3:
        if count % 10 == 1 and count % 100 != 11:
            return words[0]
        if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
            return words[1]
        return words[2]
    return words[0] if count == 1 else words[-1]


def plural(count: int, lang: str, key: str) -> str:
    """`count` and the catalogue word `key` in its right form: "4 эпохи", "1 row"; thousands
    from 10 000 on are grouped with a narrow space, as Russian typography does."""
    shown = f"{int(count):,}".replace(",", "\u202f") if abs(count) >= 10_000 else str(count)
    return f"{shown} {plural_form(count, lang, t(key, lang))}"


def choice_name(kind: str, value: str, lang: str) -> str:
    """The learner-facing name of a setting's value ("activation", "tanh" → "гиперболический
    тангенс" in Russian); a value without a name in `names.py` is shown as it is."""
    key = f"name.{kind}.{value}"
    return t(key, lang) if key in catalogue() else value
