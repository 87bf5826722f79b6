"""Request parameters and error answers, in the Bot API's words.

`Params` reads a request's values with Telegram's loose typing (python-telegram-bot sends every
value as a string); `ApiError` is an error answer whose HTTP status is its `error_code`.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web


class ApiError(Exception):
    """An error answer: HTTP status = error_code, `description` in Telegram's words."""

    def __init__(self, error_code: int, description: str, retry_after: int | None = None):
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body

    def response(self) -> web.Response:
        return web.json_response(self.body(), status=self.error_code)


def bad_request(text: str) -> ApiError:
    """A 400 answer: `Bad Request: <text>`."""
    return ApiError(400, f"Bad Request: {text}")


class Params:
    """Request parameters with Telegram's loose typing: PTB sends every value as a string."""

    def __init__(self, values: dict[str, Any]):
        self.values = values

    def has(self, name: str) -> bool:
        return self.values.get(name) not in (None, "")

    def str(self, name: str, default: str | None = None) -> str | None:
        value = self.values.get(name)
        if value is None or isinstance(value, web.FileField):
            return default
        return value if isinstance(value, str) else str(value)

    def int(self, name: str, default: int | None = None) -> int | None:
        value = self.values.get(name)
        if value in (None, ""):
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def bool(self, name: str) -> bool:
        value = self.values.get(name)
        return value is True or (isinstance(value, str) and value.lower() in {"true", "1"})

    def json(self, name: str) -> Any:
        value = self.values.get(name)
        if not isinstance(value, str):
            return value
        if value == "":
            return None
        try:
            return json.loads(value)
        except (ValueError, RecursionError):  # RecursionError: nested too deeply
            raise bad_request(f"can't parse {name} JSON object") from None
