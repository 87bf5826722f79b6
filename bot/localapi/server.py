"""A small Telegram Bot API server on 127.0.0.1, faithful enough to run the unmodified bot.

The bot talks to it exactly as to api.telegram.org (python-telegram-bot with `base_url` /
`base_file_url`): JSON, urlencoded or multipart requests, `{"ok": true, "result": …}` answers,
Telegram's error codes and wording, long polling with `offset`/`timeout`/`allowed_updates`,
uploads stored and downloadable under `/file/bot<token>/<file_path>`.

Users are simulated in the same process: `bot.localapi.client` calls `receive_message` and
`receive_callback`, and reads the chat back from `messages` and `events`.

Scope: private chats and simple groups, text/photo/document messages, inline keyboards.
Not covered: webhooks delivery, inline mode, payments, stickers, voice, MarkdownV2 parsing.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.localapi.entities import EntityError, parse_html, utf16_len
from bot.localapi.media import (
    MAX_DOWNLOAD_BYTES,
    FileStore,
    PhotoError,
    StoredFile,
    guess_mime,
    photo_sizes,
)

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_CALLBACK_ANSWER = 200  # characters of an answerCallbackQuery notification
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_POLL_SECONDS = 50
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
DEFAULT_UPDATES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "callback_query",
        "inline_query",
        "chosen_inline_result",
        "shipping_query",
        "pre_checkout_query",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
    }
)
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
MEDIA_KEYS = ("photo", "document")
METHOD_NAMES = (
    *("getMe", "logOut", "close", "getUpdates", "deleteWebhook", "setWebhook", "getWebhookInfo"),
    *("setMyCommands", "getMyCommands", "deleteMyCommands", "setMyDescription"),
    *("getMyDescription", "setMyShortDescription", "getMyShortDescription", "setMyName"),
    *("getMyName", "setChatMenuButton", "getChat", "sendMessage", "editMessageText"),
    *("editMessageCaption", "editMessageReplyMarkup", "editMessageMedia"),
    *("answerCallbackQuery", "sendChatAction", "sendPhoto", "sendDocument", "sendMediaGroup"),
    *("getFile", "deleteMessage", "deleteMessages"),
)


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


def bad_request(text: str) -> ApiError:
    return ApiError(400, f"Bad Request: {text}")


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
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None


class LocalBotApi:
    """The server for one bot. `await start()` → base URL for TELEGRAM_API_BASE_URL."""

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
        self.base_url = ""
        self._updates: list[dict] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count] = {}
        self._query_ids = itertools.count(1)
        self._event_seq = itertools.count(1)
        self._photo_sets: dict[str, list[dict]] = {}
        self._allowed = DEFAULT_UPDATES
        self._webhook_url = ""
        self._wakeup = asyncio.Event()
        self._poller = 0
        self._closing = False
        self._listeners: list[asyncio.Queue[Event]] = []
        self._failures: dict[str, list[ApiError]] = {}
        self._in_flight = 0
        self._last_activity = time.monotonic()
        self._runner: web.AppRunner | None = None
        self._methods: dict[str, Callable] = {
            name.lower(): getattr(self, f"_m_{name}") for name in METHOD_NAMES
        }

    # ---- lifecycle -------------------------------------------------------------------

    async def start(self, port: int = 0, host: str = "127.0.0.1") -> str:
        """Serve on host:port (0 = a free port); returns the base URL (no /bot suffix)."""
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES + 1024 * 1024)
        app.router.add_route("*", "/file/{tail:.*}", self._download)
        app.router.add_route("*", "/{tail:.*}", self._api)
        self._runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound = self._runner.addresses[0][1]
        self.base_url = f"http://{host}:{bound}"
        return self.base_url

    async def stop(self) -> None:
        self._closing = True
        self._wake()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # ---- what tests and the client use -----------------------------------------------

    @property
    def pending_updates(self) -> int:
        """Updates the bot has not confirmed yet (with a later getUpdates offset)."""
        return len(self._updates)

    def activity(self) -> tuple[int, int, float]:
        """(pending updates, requests being served, seconds since the last bot request)."""
        return len(self._updates), self._in_flight, time.monotonic() - self._last_activity

    def fail_next(
        self,
        method: str,
        error_code: int = 429,
        description: str | None = None,
        retry_after: int | None = 1,
        times: int = 1,
    ) -> None:
        """Make the next `times` calls of `method` fail, e.g. with 429 Too Many Requests."""
        if description is None:
            description = (
                f"Too Many Requests: retry after {retry_after}"
                if error_code == 429
                else "Bad Request: injected error"
            )
        if error_code != 429:
            retry_after = None
        error = ApiError(error_code, description, retry_after)
        self._failures.setdefault(method.lower(), []).extend([error] * times)

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

    def receive_message(self, user: dict, chat: dict, fields: dict) -> StoredMessage:
        """A user sends a message: store it and queue a `message` update for the bot."""
        chat = self.ensure_chat(chat)
        stored = self._store_message(chat["id"], user, fields, from_bot=False)
        self._push_update({"message": stored.data})
        return stored

    def receive_callback(self, user: dict, chat_id: int, message_id: int, data: str) -> str:
        """A user presses an inline button: queue a `callback_query`; returns its id."""
        message = self.messages.get(chat_id, {}).get(message_id)
        if message is None or message.deleted:
            raise LookupError(f"no message {message_id} in chat {chat_id}")
        query_id = f"{next(self._query_ids)}{secrets.randbelow(10**6):06d}"
        self.callback_answers[query_id] = None
        query = {
            "id": query_id,
            "from": user,
            "message": message.data,
            "chat_instance": f"ci{chat_id}",
            "data": data,
        }
        self._push_update({"callback_query": query})
        return query_id

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

    # ---- HTTP ----------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        head, _, method = request.match_info["tail"].partition("/")
        if not head.startswith("bot") or not method:
            return web.json_response(ApiError(404, "Not Found").body(), status=404)
        if head[3:] != self.token:
            return web.json_response(ApiError(401, "Unauthorized").body(), status=401)
        name = method.lower()
        busy = name != "getupdates"
        if busy:
            self._in_flight += 1
            self._last_activity = time.monotonic()
        try:
            values = await self._read_params(request)
            self.calls.append((method, {k: v for k, v in values.items() if isinstance(v, str)}))
            handler = self._methods.get(name)
            if handler is None:
                raise ApiError(404, "Not Found")
            failures = self._failures.get(name)
            if failures:
                raise failures.pop(0)
            result = await handler(Params(values))
            return web.json_response({"ok": True, "result": result})
        except ApiError as error:
            self.errors.append((method, error.description))
            return web.json_response(error.body(), status=error.error_code)
        finally:
            if busy:
                self._in_flight -= 1
                self._last_activity = time.monotonic()

    async def _read_params(self, request: web.Request) -> dict[str, Any]:
        values: dict[str, Any] = dict(request.query)
        if request.method != "POST" or not request.body_exists:
            return values
        try:
            if request.content_type == "application/json":
                body = await request.json()
                if not isinstance(body, dict):
                    raise bad_request("parameters must be a JSON object")
                values.update(body)
            else:
                values.update((await request.post()).items())
        except web.HTTPRequestEntityTooLarge:
            raise ApiError(413, "Request Entity Too Large") from None
        except ValueError:
            raise bad_request("can't parse request JSON object") from None
        return values

    async def _download(self, request: web.Request) -> web.Response:
        head, _, path = request.match_info["tail"].partition("/")
        if head != f"bot{self.token}":
            return web.json_response(ApiError(401, "Unauthorized").body(), status=401)
        stored = self.files.by_path(path)
        if stored is None:
            return web.json_response(ApiError(404, "Not Found").body(), status=404)
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )

    # ---- internals -----------------------------------------------------------------

    def _wake(self) -> None:
        self._wakeup.set()
        self._wakeup = asyncio.Event()

    def _emit(self, kind: str, chat_id: int, message=None, **detail) -> None:
        if message is not None:
            detail["version"] = len(message.versions) - 1  # which state this event shows
        event = Event(next(self._event_seq), kind, chat_id, message, detail)
        self.events.append(event)
        for queue in self._listeners:
            queue.put_nowait(event)

    def _push_update(self, payload: dict) -> None:
        self._updates.append({"update_id": next(self._update_ids), **payload})
        self._wake()

    def _chat(self, params: Params) -> dict:
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

    def _target(self, params: Params) -> StoredMessage:
        if params.has("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        chat = self._chat(params)
        message = self.messages[chat["id"]].get(params.int("message_id") or 0)
        if message is None or message.deleted:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return message

    def _text(
        self, params: Params, text_key: str, entities_key: str, limit: int, required: bool
    ) -> tuple[str, list[dict], str | None]:
        raw = params.str(text_key, "") or ""
        parse_mode = (params.str("parse_mode", "") or "").lower()
        if parse_mode == "html":
            try:
                plain, entities = parse_html(raw)
            except EntityError as error:
                raise bad_request(f"can't parse entities: {error}") from None
        else:
            plain, entities = raw, params.json(entities_key) or []
        if required and not plain.strip():
            raise bad_request("message text is empty")
        if utf16_len(plain) > limit:
            raise bad_request("message is too long" if required else "message caption is too long")
        return plain, entities, raw if parse_mode == "html" else None

    def _markup(self, params: Params) -> dict | None:
        markup = params.json("reply_markup")
        if not isinstance(markup, dict) or "inline_keyboard" not in markup:
            return None
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request("can't parse inline keyboard button: InlineKeyboardButton expected")
        for row in rows:
            for button in row:
                if not isinstance(button, dict) or not button.get("text"):
                    raise bad_request(
                        "can't parse inline keyboard button: "
                        "Text buttons are unallowed in the inline keyboard"
                    )
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                    raise bad_request("BUTTON_DATA_INVALID")
        rows = [row for row in rows if row]
        return {"inline_keyboard": rows} if rows else None

    def _reply_to(self, params: Params, chat_id: int) -> dict:
        reply = params.json("reply_parameters")
        message_id = reply.get("message_id") if isinstance(reply, dict) else None
        message_id = message_id or params.int("reply_to_message_id")
        if not message_id:
            return {}
        target = self.messages[chat_id].get(int(message_id))
        if target is None or target.deleted:
            if isinstance(reply, dict) and reply.get("allow_sending_without_reply"):
                return {}
            raise bad_request("message to be replied not found")
        original = {k: v for k, v in target.data.items() if k != "reply_to_message"}
        return {"reply_to_message": original}

    def _send(
        self, params: Params, fields: dict, html: str | None = None, upload: bytes | None = None
    ) -> dict:
        chat = self._chat(params)
        fields = {**self._reply_to(params, chat["id"]), **fields}
        markup = self._markup(params)
        if markup:
            fields["reply_markup"] = markup
        stored = self._store_message(
            chat["id"], self.bot_user, fields, from_bot=True, html=html, upload=upload
        )
        return stored.data

    def _edit(self, message: StoredMessage, changes: dict, drop: tuple[str, ...]) -> dict:
        data = {k: v for k, v in message.data.items() if k not in drop}
        data.update(changes)
        data["edit_date"] = int(time.time())
        message.data = data
        message.versions.append(json.loads(json.dumps(data)))
        self._emit("edit", message.chat_id, message)
        return data

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

    def _caption_fields(self, plain: str, entities: list[dict]) -> dict:
        fields: dict[str, Any] = {}
        if plain:
            fields["caption"] = plain
        if entities:
            fields["caption_entities"] = entities
        return fields

    # ---- methods: the bot and updates ----------------------------------------------

    async def _m_getMe(self, params: Params) -> dict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _m_logOut(self, params: Params) -> bool:
        return True

    async def _m_close(self, params: Params) -> bool:
        return True

    async def _m_getUpdates(self, params: Params) -> list[dict]:
        if self._webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.int("offset", 0) or 0
        limit = min(max(params.int("limit", 100) or 100, 1), 100)
        timeout = min(max(params.int("timeout", 0) or 0, 0), MAX_POLL_SECONDS)
        allowed = params.json("allowed_updates")
        if isinstance(allowed, list):
            self._allowed = frozenset(allowed) or DEFAULT_UPDATES
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]
        self._poller += 1
        me = self._poller
        self._wake()  # an older poller still waiting is terminated (Telegram's 409)
        deadline = time.monotonic() + timeout
        while True:
            self._updates = [u for u in self._updates if self._kind(u) in self._allowed]
            ready = self._updates[:limit]
            left = deadline - time.monotonic()
            if ready or left <= 0 or self._closing:
                return ready
            wakeup = self._wakeup
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wakeup.wait(), left)
            if self._poller != me:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )

    @staticmethod
    def _kind(update: dict) -> str:
        return next(k for k in update if k != "update_id")

    async def _m_deleteWebhook(self, params: Params) -> bool:
        self._webhook_url = ""
        if params.bool("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _m_setWebhook(self, params: Params) -> bool:
        self._webhook_url = params.str("url", "") or ""
        return True

    async def _m_getWebhookInfo(self, params: Params) -> dict:
        return {
            "url": self._webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    # ---- methods: commands and profile ---------------------------------------------

    def _commands_key(self, params: Params) -> tuple[str, str]:
        scope = params.json("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), params.str("language_code", "") or ""

    async def _m_setMyCommands(self, params: Params) -> bool:
        commands = params.json("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH" if commands else "commands not specified")
        for command in commands:
            name = str(command.get("command", ""))
            if not (1 <= len(name) <= 32 and name.replace("_", "").isalnum() and name.islower()):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._commands_key(params)] = commands
        return True

    async def _m_getMyCommands(self, params: Params) -> list[dict]:
        return self.commands.get(self._commands_key(params), [])

    async def _m_deleteMyCommands(self, params: Params) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True

    def _set_profile(self, params: Params, kind: str) -> bool:
        text = params.str(kind, "") or ""
        self.descriptions.setdefault(kind, {})[params.str("language_code", "") or ""] = text
        return True

    def _get_profile(self, params: Params, kind: str) -> dict:
        language = params.str("language_code", "") or ""
        texts = self.descriptions.get(kind, {})
        return {kind: texts.get(language, texts.get("", ""))}

    async def _m_setMyDescription(self, params: Params) -> bool:
        return self._set_profile(params, "description")

    async def _m_getMyDescription(self, params: Params) -> dict:
        return self._get_profile(params, "description")

    async def _m_setMyShortDescription(self, params: Params) -> bool:
        return self._set_profile(params, "short_description")

    async def _m_getMyShortDescription(self, params: Params) -> dict:
        return self._get_profile(params, "short_description")

    async def _m_setMyName(self, params: Params) -> bool:
        return self._set_profile(params, "name")

    async def _m_getMyName(self, params: Params) -> dict:
        return self._get_profile(params, "name")

    async def _m_setChatMenuButton(self, params: Params) -> bool:
        return True

    async def _m_getChat(self, params: Params) -> dict:
        return {**self._chat(params), "accent_color_id": 0, "max_reaction_count": 11}

    # ---- methods: messages ---------------------------------------------------------

    async def _m_sendMessage(self, params: Params) -> dict:
        plain, entities, html = self._text(params, "text", "entities", MAX_TEXT, required=True)
        fields: dict[str, Any] = {"text": plain}
        if entities:
            fields["entities"] = entities
        return self._send(params, fields, html=html)

    async def _m_editMessageText(self, params: Params) -> dict:
        message = self._target(params)
        if "text" not in message.data:
            raise bad_request("there is no text in the message to edit")
        plain, entities, html = self._text(params, "text", "entities", MAX_TEXT, required=True)
        changes: dict[str, Any] = {"text": plain}
        if entities:
            changes["entities"] = entities
        markup = self._markup(params)
        if markup:
            changes["reply_markup"] = markup
        self._not_modified(message, changes, ("text", "entities", "reply_markup"))
        message.html = html
        return self._edit(message, changes, drop=("entities", "reply_markup"))

    async def _m_editMessageCaption(self, params: Params) -> dict:
        message = self._target(params)
        if not any(key in message.data for key in MEDIA_KEYS):
            raise bad_request("there is no caption in the message to edit")
        plain, entities, html = self._text(
            params, "caption", "caption_entities", MAX_CAPTION, required=False
        )
        changes = self._caption_fields(plain, entities)
        markup = self._markup(params)
        if markup:
            changes["reply_markup"] = markup
        self._not_modified(message, changes, ("caption", "caption_entities", "reply_markup"))
        message.html = html
        return self._edit(message, changes, drop=("caption", "caption_entities", "reply_markup"))

    async def _m_editMessageReplyMarkup(self, params: Params) -> dict:
        message = self._target(params)
        markup = self._markup(params)
        changes = {"reply_markup": markup} if markup else {}
        self._not_modified(message, changes, ("reply_markup",))
        return self._edit(message, changes, drop=("reply_markup",))

    async def _m_editMessageMedia(self, params: Params) -> dict:
        message = self._target(params)
        if not any(key in message.data for key in MEDIA_KEYS):
            raise bad_request("there is no media in the message to edit")
        media = params.json("media")
        if not isinstance(media, dict) or media.get("type") not in MEDIA_KEYS:
            raise bad_request("can't parse InputMedia: media type is not supported")
        changes, html, upload = await self._media_fields(params, media)
        markup = self._markup(params)
        if markup:
            changes["reply_markup"] = markup
        message.html, message.upload = html, upload
        drop = ("caption", "caption_entities", "reply_markup", *MEDIA_KEYS)
        return self._edit(message, changes, drop=drop)

    def _not_modified(self, message: StoredMessage, changes: dict, keys: tuple[str, ...]) -> None:
        current = {k: message.data[k] for k in keys if k in message.data}
        if current == {k: changes[k] for k in keys if k in changes}:
            raise bad_request(NOT_MODIFIED)

    async def _media_fields(self, params: Params, media: dict) -> tuple[dict, str | None, bytes]:
        caption_params = Params(
            {
                "caption": media.get("caption", ""),
                "parse_mode": media.get("parse_mode", ""),
                "caption_entities": media.get("caption_entities"),
            }
        )
        plain, entities, html = self._text(
            caption_params, "caption", "caption_entities", MAX_CAPTION, required=False
        )
        fields = self._caption_fields(plain, entities)
        if media["type"] == "photo":
            fields["photo"], upload = await self._photo_field(params, "media", media.get("media"))
        else:
            fields["document"], upload = await self._document_field(
                params, "media", media.get("media")
            )
        return fields, html, upload

    async def _m_sendPhoto(self, params: Params) -> dict:
        plain, entities, html = self._text(
            params, "caption", "caption_entities", MAX_CAPTION, required=False
        )
        self._chat(params)
        sizes, upload = await self._photo_field(params, "photo")
        fields = {"photo": sizes, **self._caption_fields(plain, entities)}
        return self._send(params, fields, html=html, upload=upload)

    async def _m_sendDocument(self, params: Params) -> dict:
        plain, entities, html = self._text(
            params, "caption", "caption_entities", MAX_CAPTION, required=False
        )
        self._chat(params)
        document, upload = await self._document_field(params, "document")
        fields = {"document": document, **self._caption_fields(plain, entities)}
        return self._send(params, fields, html=html, upload=upload)

    async def _m_sendMediaGroup(self, params: Params) -> list[dict]:
        chat = self._chat(params)
        media = params.json("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise bad_request("wrong number of media specified")
        if any(not isinstance(m, dict) or m.get("type") not in MEDIA_KEYS for m in media):
            raise bad_request("can't parse InputMedia: media type is not supported")
        prepared = [await self._media_fields(params, item) for item in media]
        group_id = str(10**17 + next(self._update_ids))
        sent = []
        for fields, html, upload in prepared:
            fields = {**self._reply_to(params, chat["id"]), **fields, "media_group_id": group_id}
            stored = self._store_message(
                chat["id"], self.bot_user, fields, from_bot=True, html=html, upload=upload
            )
            sent.append(stored.data)
        return sent

    async def _m_answerCallbackQuery(self, params: Params) -> bool:
        query_id = params.str("callback_query_id", "") or ""
        if query_id not in self.callback_answers or self.callback_answers[query_id] is not None:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        if len(params.str("text", "") or "") > MAX_CALLBACK_ANSWER:
            raise bad_request("MESSAGE_TOO_LONG")
        answer = {
            "text": params.str("text", "") or "",
            "show_alert": params.bool("show_alert"),
            "url": params.str("url"),
        }
        self.callback_answers[query_id] = answer
        self._emit("answer", 0, None, query_id=query_id, **answer)
        return True

    async def _m_sendChatAction(self, params: Params) -> bool:
        chat = self._chat(params)
        action = params.str("action", "") or ""
        if action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self._emit("action", chat["id"], None, action=action)
        return True

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

    async def _m_deleteMessage(self, params: Params) -> bool:
        chat = self._chat(params)
        message = self.messages[chat["id"]].get(params.int("message_id") or 0)
        if message is None or message.deleted:
            raise bad_request("message to delete not found")
        message.deleted = True
        self._emit("delete", chat["id"], message)
        return True

    async def _m_deleteMessages(self, params: Params) -> bool:
        chat = self._chat(params)
        ids = params.json("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise bad_request("message_ids must be a non-empty list")
        for message_id in ids:
            message = self.messages[chat["id"]].get(int(message_id))
            if message is not None and not message.deleted:
                message.deleted = True
                self._emit("delete", chat["id"], message)
        return True
