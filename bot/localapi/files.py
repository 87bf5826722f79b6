"""Files through the Bot API: uploads (multipart, `attach://`, file_id reuse) and getFile.

Photos are kept as Telegram keeps them (several PhotoSizes, re-encoded), documents as sent.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.localapi.media import MAX_DOWNLOAD_BYTES, PhotoError, StoredFile, guess_mime, photo_sizes
from bot.localapi.params import Params, bad_request
from bot.localapi.state import ApiState


class FileMethods(ApiState):
    """Storing, reusing and serving files; `_m_getFile` is the Bot API method."""

    def store_photo(self, data: bytes) -> list[dict]:
        """Keep a photo as Telegram does; returns its PhotoSize list (raises PhotoError)."""
        sizes = photo_sizes(data, self.files)
        for size in sizes:
            self._photo_sets[size["file_id"]] = sizes
        return sizes

    def store_document(self, data: bytes, file_name: str | None, mime_type: str | None) -> dict:
        stored = self.files.add(
            data, "documents", mime_type or guess_mime(file_name, data), file_name
        )
        return self._document_json(stored)

    def download(self, file_id: str) -> bytes:
        stored = self.files.get(file_id)
        if stored is None:
            raise LookupError(file_id)
        return stored.data

    async def _m_getFile(self, params: Params) -> dict:
        stored = self.files.get(params.str("file_id", "") or "")
        if stored is None:
            raise bad_request("invalid file_id")
        if stored.file_size > MAX_DOWNLOAD_BYTES:
            raise bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "file_path": stored.file_path,
        }

    async def _input_file(self, params: Params, name: str, value: Any = None) -> tuple:
        """(bytes | None, existing file_id | None, filename, mime) for a media parameter."""
        value = params.values.get(name) if value is None else value
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.values.get(value[len("attach://") :])
        if isinstance(value, web.FileField):
            data = value.file.read()
            return data, None, value.filename, value.content_type
        if isinstance(value, str) and value:
            if self.files.get(value) is None:
                raise bad_request("wrong file identifier/HTTP URL specified")
            return None, value, None, None
        raise bad_request(f"there is no {name} in the request")

    async def _photo_field(self, params: Params, name: str, value: Any = None) -> tuple:
        """(PhotoSize list, uploaded bytes or None when an existing file_id was sent)."""
        data, file_id, _, _ = await self._input_file(params, name, value)
        if file_id is not None:
            if file_id not in self._photo_sets:
                raise bad_request("wrong file identifier/HTTP URL specified")
            return self._photo_sets[file_id], None
        try:
            return self.store_photo(data), data
        except PhotoError as error:
            raise bad_request(str(error)) from None

    async def _document_field(self, params: Params, name: str, value: Any = None) -> tuple:
        """(Document object, its bytes)."""
        data, file_id, file_name, mime = await self._input_file(params, name, value)
        if file_id is not None:
            stored = self.files.get(file_id)
            return self._document_json(stored), stored.data
        if not data:
            raise bad_request("file must be non-empty")
        if mime in (None, "application/octet-stream"):
            mime = guess_mime(file_name, data)
        return self.store_document(data, file_name, mime), data

    def _document_json(self, stored: StoredFile) -> dict:
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
        }
        if stored.file_name:
            document["file_name"] = stored.file_name
        if stored.mime_type:
            document["mime_type"] = stored.mime_type
        return document
