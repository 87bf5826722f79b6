"""Text the bot writes, formatted once for every feature: numbers, durations, short and plain
forms, and messages packed to Telegram's size without breaking their HTML.

Messages use Telegram's HTML subset (`<b>`, `<i>`, `<code>`, `<pre>`, `<a>`, …). Everything
here is plain Python and knows no feature.
"""

from __future__ import annotations

import html
import math
import re

from bot.i18n import t

MESSAGE_LIMIT = 4096  # telegram.constants.MessageLimit.MAX_TEXT_LENGTH
ELLIPSIS = "…"

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^<>]*)>")
_TOKEN = re.compile(r"<[^<>]*>|&[#a-zA-Z0-9]+;|[^<&]+|[<&]")


def number(value: float) -> str:
    """One form for every number a learner reads: 3, -0.5, 0.1235, 1234.57, 1.235e-05.

    Whole numbers are written whole; below 1, four significant digits; from 1 up, six;
    very small or very large values in scientific notation.
    """
    value = float(value)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    if 1e-3 <= abs(value) < 1:
        return f"{value:.4g}"
    if 1 <= abs(value) < 1e6:
        return f"{value:.6g}"
    return f"{value:.3e}"


def duration(seconds: float, lang: str) -> str:
    """A duration in its largest units that matter: 0.3 s, 5 s, 4 min 5 s, 3 h 4 min, 2 d 3 h 4 min.

    Under a second it keeps tenths (hundredths below 0.1 s): a table lesson trains that fast,
    and "0 s" would read as if nothing ran. (No "<" sign: the text goes into HTML messages.)
    """
    if seconds < 0.95:
        shown = f"{seconds:.1f}" if seconds >= 0.095 else f"{max(seconds, 0.01):.2f}"
        return t("text.duration.seconds", lang, seconds=shown)
    minutes_total, secs = divmod(max(0, round(seconds)), 60)
    hours_total, minutes = divmod(minutes_total, 60)
    days, hours = divmod(hours_total, 24)
    if days:
        return t("text.duration.days", lang, days=days, hours=hours, minutes=minutes)
    if hours:
        return t("text.duration.hours", lang, hours=hours, minutes=minutes)
    if minutes:
        return t("text.duration.minutes", lang, minutes=minutes, seconds=secs)
    return t("text.duration.seconds", lang, seconds=secs)


def short(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: max(0, limit - 1)] + ELLIPSIS


def plain(text: str) -> str:
    """HTML message text as plain text (alerts and button answers have no formatting)."""
    return html.unescape(re.sub(r"<[^<>]+>", "", text))


def pack(sections: list[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Join sections with blank lines into as few messages as fit in `limit` characters.

    A section that fits is never split. A longer one is cut at line ends where it can, else
    between words or characters, never inside a tag or an entity; tags open at a cut are
    closed before it and opened again after it. No message is empty or blank.
    """
    messages: list[str] = []
    current = ""
    for section in sections:
        if not section.strip():
            continue
        candidate = f"{current}\n\n{section}" if current else section
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            messages.append(current)
        pieces = _split_html(section, limit)
        messages.extend(pieces[:-1])
        current = pieces[-1]
    if current.strip():
        messages.append(current)
    return messages


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """One message text as messages of at most `limit` characters, cut at blank lines first."""
    return pack(text.split("\n\n"), limit)


def _split_html(text: str, limit: int) -> list[str]:
    """Cut one HTML text into well-formed parts of at most `limit` characters, at a line end
    in the second half of a part where there is one, else at the last word that fits."""
    parts: list[str] = []
    pending = _tokens(text, limit // 4)
    opened: list[tuple[str, str]] = []  # tags open before the part begins: (name, opening tag)
    while pending:
        prefix = "".join(tag for _, tag in opened)
        size, stack, states = len(prefix), list(opened), []
        for token in pending:
            after = _after(stack, token)
            closing = sum(len(name) + 3 for name, _ in after)
            if size + len(token) + closing > limit and states:
                break
            size += len(token)
            stack = after
            states.append((size, stack))
        cut = len(states)
        if cut < len(pending):  # prefer a line end in the second half of the part
            for i in range(len(states) - 1, -1, -1):
                if states[i][0] < limit // 2:
                    break
                if pending[i].endswith("\n"):
                    cut = i + 1
                    break
        stack = states[cut - 1][1]
        body = prefix + "".join(pending[:cut])
        parts.append(body + "".join(f"</{name}>" for name, _ in reversed(stack)))
        pending, opened = pending[cut:], stack
    return [part.strip("\n") for part in parts if plain(part).strip()] or [short(text, limit)]


def _after(stack: list[tuple[str, str]], token: str) -> list[tuple[str, str]]:
    """The open tags after `token`."""
    match = _TAG.fullmatch(token)
    if match is None:
        return stack
    name = match.group(2).lower()
    if not match.group(1):
        return [*stack, (name, token)]
    if stack and stack[-1][0] == name:
        return stack[:-1]
    return stack


def _tokens(text: str, longest: int) -> list[str]:
    """Tags, entities and runs of text; text runs end after a newline or a space where they
    can, and are never longer than `longest` characters."""
    tokens: list[str] = []
    for token in _TOKEN.findall(text):
        if token.startswith(("<", "&")) and len(token) > 1:
            tokens.append(token)
            continue
        for line in re.findall(r"[^\n]*\n|[^\n]+", token):
            for word in re.findall(r"\S*\s*", line):
                tokens.extend(word[i : i + longest] for i in range(0, len(word), longest) if word)
    return tokens
