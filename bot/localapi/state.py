"""What the local Bot API remembers: the bot, its chats, their messages, the events seen.

`ApiState` is the base of `server.LocalBotApi`; the method modules (`profile`, `files`,
`messages`) add the Bot API methods on top of it, `server` adds HTTP and the update queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from bot.localapi.media import FileStore
from bot.localapi.params import ApiError, Params, bad_request


@dataclass
class StoredMessage:
    """One message of a chat, with every version it had (edits append)."""

    chat_id: int
    message_id: int
    data: dict  # the Message object as Telegram would return it now
    from_bot: bool
    html: str | None = None  # text or caption exactly as the bot sent it (parse_mode HTML)
    upload: bytes | None = None  # the bytes the bot uploaded, before Telegram's re-encoding
    versions: list[dict] = field(default_factory=list)
    deleted: bool = False


@dataclass
class Event:
    """Something that happened in a chat, in order: what `nnbot chat` prints."""

    seq: int
    kind: str  # "message" | "edit" | "delete" | "action" | "answer"
    chat_id: int
    message: StoredMessage | None = None
    detail: dict = field(default_factory=dict)


class ApiState:
    """The bot's identity, chats, messages, files and the events listeners receive."""

    def __init__(
        self,
        token: str | None = None,
        *,
        bot_username: str = "nnbot_local_bot",
        bot_name: str = "nnbot",
    ) -> None:
        self.token = token or f"{secrets.randbelow(9 * 10**8) + 10**8}:{secrets.token_urlsafe(30)}"
        bot_id = int(self.token.split(":", 1)[0]) if self.token.split(":")[0].isdigit() else 1
        self.bot_user = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_name,
            "username": bot_username,
        }
        self.files = FileStore()
        self.chats: dict[int, dict] = {}
        self.messages: dict[int, dict[int, StoredMessage]] = {}
        self.events: list[Event] = []
        self.calls: list[tuple[str, dict]] = []  # every method call, for tests
        self.errors: list[tuple[str, str]] = []  # (method, description) of every error answer
        self.commands: dict[tuple[str, str], list[dict]] = {}
        self.descriptions: dict[str, dict[str, str]] = {}
        self.callback_answers: dict[str, dict | None] = {}
        self.blocked: set[int] = set()  # chats whose user blocked the bot (sending → 403)
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count] = {}
        self._event_seq = itertools.count(1)
        self._photo_sets: dict[str, list[dict]] = {}
        self._listeners: list[asyncio.Queue[Event]] = []

    def subscribe(self) -> asyncio.Queue[Event]:
        """A queue that receives every later Event (for `nnbot chat`)."""
        queue: asyncio.Queue[Event] = asyncio.Queue()
        self._listeners.append(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[Event]) -> None:
        with contextlib.suppress(ValueError):
            self._listeners.remove(queue)

    def chat_messages(self, chat_id: int) -> list[StoredMessage]:
        return sorted(self.messages.get(chat_id, {}).values(), key=lambda m: m.message_id)

    def ensure_chat(self, chat: dict) -> dict:
        self.chats.setdefault(chat["id"], dict(chat))
        self.messages.setdefault(chat["id"], {})
        self._message_ids.setdefault(chat["id"], itertools.count(1))
        return self.chats[chat["id"]]

    def _emit(
        self, kind: str, chat_id: int, message: StoredMessage | None = None, **detail: Any
    ) -> None:
        if message is not None:
            detail["version"] = len(message.versions) - 1  # which state this event shows
        event = Event(next(self._event_seq), kind, chat_id, message, detail)
        self.events.append(event)
        for queue in self._listeners:
            queue.put_nowait(event)

    def _chat(self, params: Params) -> dict:
        """The chat named by `chat_id`; 400 if unknown, 403 if its user blocked the bot."""
        chat_id = params.int("chat_id")
        if chat_id is None:
            raise bad_request("chat_id is empty")
        if chat_id not in self.chats:
            raise bad_request("chat not found")
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return self.chats[chat_id]

    def _store_message(
        self, chat_id: int, sender: dict, fields: dict, from_bot: bool, **extra: Any
    ) -> StoredMessage:
        message_id = next(self._message_ids[chat_id])
        data = {
            "message_id": message_id,
            "from": sender,
            "chat": self.chats[chat_id],
            "date": int(time.time()),
            **fields,
        }
        stored = StoredMessage(chat_id, message_id, data, from_bot, **extra)
        stored.versions.append(json.loads(json.dumps(data)))
        self.messages[chat_id][message_id] = stored
        self._emit("message", chat_id, stored)
        return stored

    def _edit(self, message: StoredMessage, changes: dict, drop: tuple[str, ...]) -> dict:
        data = {k: v for k, v in message.data.items() if k not in drop}
        data.update(changes)
        data["edit_date"] = int(time.time())
        message.data = data
        message.versions.append(json.loads(json.dumps(data)))
        self._emit("edit", message.chat_id, message)
        return data
