"""Small helpers the end-to-end tests share: expected texts from the message catalogue."""

from __future__ import annotations

import io

from PIL import Image

from bot.i18n import t
from bot.localapi.entities import parse_html

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def plain(key: str, lang: str = "en", **values: object) -> str:
    """A catalogue message as the user reads it (HTML applied)."""
    return parse_html(t(key, lang, **values))[0]


def fragment(key: str, lang: str = "en") -> str:
    """The longest fixed piece of a message with placeholders, as the user reads it."""
    pieces = t(key, lang).replace("}", "{").split("{")[::2]
    return max((parse_html(piece)[0].strip() for piece in pieces), key=len)


def joined(messages) -> str:
    """The texts of several bot messages, as one string to search in."""
    return "\n".join(m.text for m in messages)


def assert_png(data: bytes) -> tuple[int, int]:
    """A real PNG that Pillow can decode; returns its size."""
    assert data.startswith(PNG_SIGNATURE), data[:16]
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        assert image.format == "PNG"
        return image.size
