"""Telegram's HTML parse mode, as the Bot API applies it: markup in, plain text + entities out.

The real server is strict, and so is this one: an unknown tag, an unclosed tag or a bare `<`
is a 400 "can't parse entities" error. That strictness is the point — a handler that forgets
`html.escape` on user data fails in the tests instead of in a learner's chat.
Entity offsets and lengths count UTF-16 code units, like Telegram's.

Not covered: MarkdownV2 / Markdown (nnbot sends HTML only; such text is stored unparsed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TAG_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
ATTRIBUTE = re.compile(r"""\s*([A-Za-z-]+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+)))?""")


class EntityError(ValueError):
    """The text is not valid Telegram HTML; the message is Telegram's wording."""


@dataclass
class _Open:
    tag: str
    start: int  # UTF-16 offset in the plain text
    entity: dict


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def parse_html(markup: str) -> tuple[str, list[dict]]:
    """Telegram HTML → (plain text, entities sorted by offset). Raises EntityError."""
    out: list[str] = []
    length = 0  # UTF-16 length of the plain text so far
    stack: list[_Open] = []
    entities: list[dict] = []
    i = 0
    while i < len(markup):
        char = markup[i]
        if char == "&":
            end = markup.find(";", i + 1, i + 12)
            name = markup[i + 1 : end] if end != -1 else ""
            decoded = _decode_entity(name)
            if decoded is None:
                out.append("&")
                length += 1
                i += 1
                continue
            out.append(decoded)
            length += utf16_len(decoded)
            i = end + 1
            continue
        if char != "<":
            out.append(char)
            length += utf16_len(char)
            i += 1
            continue
        close = markup.find(">", i + 1)
        if close == -1:
            raise EntityError(f"Unclosed start tag at byte offset {_byte_offset(markup, i)}")
        body = markup[i + 1 : close]
        if body.startswith("/"):
            name = body[1:].strip().lower()
            if not stack:
                raise EntityError(f"Unexpected end tag at byte offset {_byte_offset(markup, i)}")
            top = stack.pop()
            if name != top.tag:
                raise EntityError(
                    f"Unmatched end tag at byte offset {_byte_offset(markup, i)}, "
                    f'expected "</{top.tag}>", found "</{name}>"'
                )
            if length > top.start:
                top.entity.update(offset=top.start, length=length - top.start)
                entities.append(top.entity)
        else:
            name, _, rest = body.partition(" ")
            name = name.strip().lower()
            entity = _start_tag(name, rest, markup, i)
            if name == "code" and stack and stack[-1].tag == "pre" and "language" in entity:
                stack[-1].entity["language"] = entity.pop("language")
                entity = {"type": "code"}
            stack.append(_Open(name, length, entity))
        i = close + 1
    if stack:
        raise EntityError(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    # Telegram nests a pre's inner code into the pre itself.
    entities = [e for e in entities if not _code_inside_pre(e, entities)]
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _decode_entity(name: str) -> str | None:
    if name in NAMED_ENTITIES:
        return NAMED_ENTITIES[name]
    try:
        if name.startswith(("#x", "#X")):
            return chr(int(name[2:], 16))
        if name.startswith("#"):
            return chr(int(name[1:]))
    except (ValueError, OverflowError):
        return None
    return None


def _start_tag(name: str, rest: str, markup: str, index: int) -> dict:
    if name not in TAG_TYPES:
        raise EntityError(
            f'Unsupported start tag "{name}" at byte offset {_byte_offset(markup, index)}'
        )
    attributes = {
        m.group(1).lower(): next((g for g in m.groups()[1:] if g is not None), "")
        for m in ATTRIBUTE.finditer(rest)
        if m.group(1)
    }
    entity: dict = {"type": TAG_TYPES[name]}
    if name == "span" and attributes.get("class") != "tg-spoiler":
        raise EntityError(
            f'Unsupported start tag "span" at byte offset {_byte_offset(markup, index)}'
        )
    if name == "a":
        url = attributes.get("href", "")
        match = re.fullmatch(r"tg://user\?id=(\d+)", url)
        if match:
            entity = {"type": "text_mention", "user": {"id": int(match.group(1))}}
        else:
            entity["url"] = url
    if name == "code" and attributes.get("class", "").startswith("language-"):
        entity["language"] = attributes["class"][len("language-") :]
    if name == "blockquote" and "expandable" in attributes:
        entity["type"] = "expandable_blockquote"
    if name == "tg-emoji":
        entity["custom_emoji_id"] = attributes.get("emoji-id", "")
    return entity


def _code_inside_pre(entity: dict, entities: list[dict]) -> bool:
    if entity["type"] != "code":
        return False
    return any(
        other["type"] == "pre"
        and other["offset"] == entity["offset"]
        and other["length"] == entity["length"]
        for other in entities
    )
