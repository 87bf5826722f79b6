"""Table files: which documents are tables, and their bytes as text.

A learner sends a CSV from a spreadsheet, a TXT from Notepad or a photo as a file; this
module decides which is which and reads the text whatever the encoding. No Telegram here.
"""

from __future__ import annotations

import re
from pathlib import PurePath

TABLE = "table"
IMAGE = "image"
OTHER = "other"
TABLE_EXTENSIONS = {".csv", ".tsv", ".txt", ".tab", ".dat"}
IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif", ".tif", ".tiff", ".heic"}
TABLE_MIME_TYPES = {"text/csv", "text/tab-separated-values"}


def document_kind(file_name: str | None, mime: str | None) -> str:
    """IMAGE, TABLE or OTHER, from the file's extension and MIME type."""
    suffix = PurePath(file_name or "").suffix.lower()
    mime = (mime or "").lower()
    if mime.startswith("image/") or suffix in IMAGE_EXTENSIONS:
        return IMAGE
    if suffix in TABLE_EXTENSIONS or mime in TABLE_MIME_TYPES:
        return TABLE
    if mime.startswith("text/") and not suffix:
        return TABLE
    return OTHER


def decode_table_bytes(data: bytes) -> str | None:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1251 or Windows-1252
    (which reads Latin-1 too), whichever gives plausible words; None for binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    readings = []
    for codec in ("cp1251", "cp1252"):  # on a tie Cyrillic wins: most learners write Russian
        try:
            readings.append(data.decode(codec))
        except UnicodeDecodeError:
            continue
    return min(readings, key=_implausible_words, default=None)


_WORD = re.compile(r"[^\W\d_]{2,}")


def _implausible_words(text: str) -> int:
    """How many words look like a wrong code page: Latin letters mixed with Cyrillic in one
    word ("GrцЯe" is "Größe" read as Windows-1251), or a word made only of accented Latin
    letters ("Ðîñò" is "Рост" read as Windows-1252)."""
    count = 0
    for word in _WORD.findall(text):
        ascii_letters = any(c.isascii() for c in word)
        cyrillic = any("\u0400" <= c <= "\u04ff" for c in word)
        if (ascii_letters and cyrillic) or not (ascii_letters or cyrillic):
            count += 1
    return count


def kilobytes(size: int) -> int:
    """A file size in whole kB, rounded up (a 1-byte file is 1 kB, not 0)."""
    return -(-size // 1000)
