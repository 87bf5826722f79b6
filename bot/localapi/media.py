"""Files and photos as the Bot API keeps them: ids, paths, and a photo's several sizes.

Telegram re-encodes every photo as JPEG and offers it in several sizes (a 90 px thumbnail,
320, 800 and 1280 px on the long side, never larger than the original). The server does the
same with Pillow, so a bot that downloads "the largest PhotoSize" gets what it would get
from Telegram: a JPEG no larger than 1280 px.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import mimetypes
from dataclasses import dataclass

from PIL import Image, ImageOps

PHOTO_SIDES = (90, 320, 800, 1280)
MAX_PHOTO_DIMENSIONS = 10_000  # width + height, Telegram's rule for sendPhoto
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024  # getFile refuses bigger files


class PhotoError(ValueError):
    """The bytes cannot be a Telegram photo; the message is Telegram's error code."""


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    data: bytes
    file_path: str
    mime_type: str | None = None
    file_name: str | None = None

    @property
    def file_size(self) -> int:
        return len(self.data)


class FileStore:
    """Every file the server has seen, by file_id; file_path is what getFile returns."""

    def __init__(self) -> None:
        self._files: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._numbers = itertools.count(1)

    def add(
        self, data: bytes, folder: str, mime_type: str | None = None, file_name: str | None = None
    ) -> StoredFile:
        number = next(self._numbers)
        digest = hashlib.sha256(data).hexdigest()
        extension = _extension(mime_type, file_name)
        stored = StoredFile(
            file_id=f"{folder[:3].upper()}{number:06d}-{digest[:24]}",
            file_unique_id=f"U{digest[:15]}",
            data=data,
            file_path=f"{folder}/file_{number}{extension}",
            mime_type=mime_type,
            file_name=file_name,
        )
        self._files[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def get(self, file_id: str) -> StoredFile | None:
        return self._files.get(file_id)

    def by_path(self, file_path: str) -> StoredFile | None:
        return self._by_path.get(file_path)


def _extension(mime_type: str | None, file_name: str | None) -> str:
    if file_name and "." in file_name:
        return "." + file_name.rsplit(".", 1)[1].lower()[:10]
    if mime_type == "image/jpeg":
        return ".jpg"
    return (mimetypes.guess_extension(mime_type) or "") if mime_type else ""


def guess_mime(file_name: str | None, data: bytes) -> str:
    """The mime type a Telegram client would attach to a document."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    guessed = mimetypes.guess_type(file_name or "")[0]
    return guessed or "application/octet-stream"


def photo_sizes(data: bytes, files: FileStore) -> list[dict]:
    """Store a photo the way Telegram does and return its PhotoSize list, smallest first.

    Raises PhotoError("IMAGE_PROCESS_FAILED") for bytes Pillow cannot decode and
    PhotoError("PHOTO_INVALID_DIMENSIONS") for width + height over 10 000.
    """
    try:
        with Image.open(io.BytesIO(data)) as opened:
            if opened.width + opened.height > MAX_PHOTO_DIMENSIONS:
                raise PhotoError("PHOTO_INVALID_DIMENSIONS")
            image = ImageOps.exif_transpose(opened).convert("RGB")
    except PhotoError:
        raise
    except Exception as exc:  # Pillow raises many types for broken input
        raise PhotoError("IMAGE_PROCESS_FAILED") from exc
    sizes = []
    long_side = max(image.size)
    largest = min(long_side, PHOTO_SIDES[-1])
    sides = [s for s in PHOTO_SIDES if s < largest] + [largest]
    for side in sides:
        scaled = image.copy()
        scaled.thumbnail((side, side), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        scaled.save(buffer, "JPEG", quality=87)
        stored = files.add(buffer.getvalue(), "photos", "image/jpeg")
        sizes.append(
            {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_size": stored.file_size,
                "width": scaled.width,
                "height": scaled.height,
            }
        )
    return sizes
