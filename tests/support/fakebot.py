"""In-process handler tests: a Bot API that answers from memory, and updates built from dicts.

`FakeBotApi` is a `telegram.request.BaseRequest`: give it to `build_application(…, request=…)`
and every API call the bot makes is recorded (`api.calls`, `api.sent`) and answered with
plausible JSON, without any network. `feed()` queues updates for `getUpdates`, so the real
polling path can be exercised too; `app.process_update(message(...))` skips polling entirely.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from typing import Any

from telegram import Update
from telegram.request import BaseRequest, RequestData

BOT_USER = {"id": 42, "is_bot": True, "first_name": "nnbot", "username": "nnbot_test_bot"}
TOKEN = "123456789:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ"

_ids = itertools.count(1)


class FakeBotApi(BaseRequest):
    """Records every Bot API call and answers it.

    `fail` maps a method to (HTTP code, description) to answer with an error instead; for 429
    the description ends with the seconds to wait ("Too Many Requests: retry after 3").
    """

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.fail: dict[str, tuple[int, str]] = {}
        self._updates: asyncio.Queue[dict] | None = None

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    def feed(self, *updates: Update | dict) -> None:
        """Queue updates that the next getUpdates calls return."""
        if self._updates is None:
            self._updates = asyncio.Queue()
        for update in updates:
            self._updates.put_nowait(update.to_dict() if isinstance(update, Update) else update)

    def sent(self, method: str = "sendMessage") -> list[dict[str, Any]]:
        """Parameters of every call of `method`, oldest first."""
        return [params for name, params in self.calls if name == method]

    def texts(self) -> list[str]:
        """Texts of every message sent or edited, oldest first."""
        return [
            params["text"]
            for name, params in self.calls
            if name in ("sendMessage", "editMessageText")
        ]

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, **_: Any
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        if name == "getUpdates":
            return 200, _ok(await self._get_updates())
        self.calls.append((name, params))
        if name in self.fail:
            code, description = self.fail[name]
            body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
            if code == 429:  # flood control says when to come back, like Telegram does
                body["parameters"] = {"retry_after": int(description.split()[-1])}
            return code, json.dumps(body).encode()
        return 200, _ok(_answer(name, params))

    async def _get_updates(self) -> list[dict]:
        if self._updates is None:
            self._updates = asyncio.Queue()
        try:
            first = await asyncio.wait_for(self._updates.get(), timeout=0.2)
        except TimeoutError:
            return []
        batch = [first]
        while not self._updates.empty():
            batch.append(self._updates.get_nowait())
        return batch


class FakeJobs:
    """Stands in for `bot.jobs.JobRunner`: one job running, two waiting; records calls."""

    running_count = 1
    queued_count = 2

    def __init__(self) -> None:
        self.cancelled: list[int] = []
        self.started = self.stopped = False

    async def start(self) -> None:
        self.started = True

    async def stop(self) -> None:
        self.stopped = True

    def cancel(self, chat_id: int) -> bool:
        self.cancelled.append(chat_id)
        return True

    def is_active(self, chat_id: int) -> bool:
        return False

    def stats(self) -> dict[str, int]:
        return {"running": 1, "queued": 2, "completed": 7, "failed": 1}


def _ok(result: Any) -> bytes:
    return json.dumps({"ok": True, "result": result}).encode()


def _answer(name: str, params: dict[str, Any]) -> Any:
    if name == "getMe":
        return BOT_USER
    if name == "getMyDescription":
        return {"description": ""}
    if name == "getMyShortDescription":
        return {"short_description": ""}
    if name in ("sendMessage", "editMessageText", "sendPhoto", "sendDocument"):
        chat_id = int(params.get("chat_id", 1))
        sent = {
            "message_id": int(params.get("message_id", next(_ids))),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": BOT_USER,
        }
        if "text" in params:
            sent["text"] = params["text"]
        return sent
    return True


def user(user_id: int = 1, lang: str | None = "en", first_name: str = "Ada") -> dict[str, Any]:
    data = {"id": user_id, "is_bot": False, "first_name": first_name}
    if lang:
        data["language_code"] = lang
    return data


def message(
    text: str, user_id: int = 1, lang: str | None = "en", chat_id: int | None = None, bot=None
) -> Update:
    """A private-chat text message; a leading /command gets its entity like Telegram does."""
    data: dict[str, Any] = {
        "message_id": next(_ids),
        "date": int(time.time()),
        "chat": {"id": chat_id or user_id, "type": "private"},
        "from": user(user_id, lang),
        "text": text,
    }
    if text.startswith("/"):
        data["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return Update.de_json({"update_id": next(_ids), "message": data}, bot)


def button(
    data: str,
    user_id: int = 1,
    lang: str | None = "en",
    chat_id: int | None = None,
    bot=None,
    age: float = 5.0,
) -> Update:
    """A press of an inline button with callback data `data` under a bot message `age` s old."""
    query = {
        "id": str(next(_ids)),
        "from": user(user_id, lang),
        "chat_instance": "test",
        "data": data,
        "message": {
            "message_id": next(_ids),
            "date": int(time.time() - age),
            "chat": {"id": chat_id or user_id, "type": "private"},
            "from": BOT_USER,
            "text": "…",
        },
    }
    return Update.de_json({"update_id": next(_ids), "callback_query": query}, bot)
