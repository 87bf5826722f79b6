"""Table files: which documents are tables, and their bytes as text whatever the encoding."""

import pytest

from bot.tables.files import IMAGE, OTHER, TABLE, decode_table_bytes, document_kind, kilobytes


def test_decoding_table_files():
    assert decode_table_bytes("a,b\n".encode("utf-8-sig")) == "a,b\n"
    assert decode_table_bytes("вес".encode("cp1251")) == "вес"
    assert decode_table_bytes("вес".encode("utf-16")) == "вес"
    assert decode_table_bytes(b"\x00\x00") is None


def test_plain_utf8_without_a_bom_is_read():
    assert decode_table_bytes(b"x y\n1 2\n") == "x y\n1 2\n"


@pytest.mark.parametrize(
    ("name", "mime", "kind"),
    [
        ("seven.png", "image/png", IMAGE),
        ("photo.JPG", "application/octet-stream", IMAGE),
        ("scan", "image/heic", IMAGE),
        ("data.csv", None, TABLE),
        ("data.TSV", "application/octet-stream", TABLE),
        ("export", "text/csv", TABLE),
        ("notes", "text/plain", TABLE),
        ("paper.pdf", "application/pdf", OTHER),
        ("notes.md", "text/markdown", OTHER),
        (None, None, OTHER),
    ],
)
def test_document_kind_from_extension_and_mime(name, mime, kind):
    assert document_kind(name, mime) == kind


def test_kilobytes_round_up():
    assert [kilobytes(n) for n in (0, 1, 1000, 1001, 256_000)] == [0, 1, 1, 2, 256]
