"""What every training picture must be: a valid PNG, sized for a phone, not huge."""

import io

from PIL import Image

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def picture(data):
    assert data.startswith(PNG_MAGIC)
    image = Image.open(io.BytesIO(data))
    image.verify()
    width, height = Image.open(io.BytesIO(data)).size
    assert 500 <= width <= 2000 and 400 <= height <= 2000  # phone-readable, not huge
    assert len(data) < 1_000_000
    return width, height
