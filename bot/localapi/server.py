"""A small Telegram Bot API server on 127.0.0.1, faithful enough to run the unmodified bot.

The bot talks to it exactly as to api.telegram.org (python-telegram-bot with `base_url` /
`base_file_url`): JSON, urlencoded or multipart requests, `{"ok": true, "result": …}` answers,
Telegram's error codes and wording, long polling with `offset`/`timeout`/`allowed_updates`,
uploads stored and downloadable under `/file/bot<token>/<file_path>`.

Users are simulated in the same process: `bot.localapi.client` calls `receive_message` and
`receive_callback`, and reads the chat back from `messages` and `events`.

This module is the aiohttp app, the routing and the update queue (getUpdates, webhooks); the
methods live in `profile` (the bot), `messages` and `files`, the state in `state`.

Scope: private chats and simple groups, text/photo/document messages, inline keyboards.
Not covered: webhooks delivery, inline mode, payments, stickers, voice, MarkdownV2 parsing.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.localapi.messages import MessageMethods
from bot.localapi.params import ApiError, Params, bad_request
from bot.localapi.profile import ProfileMethods
from bot.localapi.state import StoredMessage

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_POLL_SECONDS = 50
METHOD_PREFIX = "_m_"  # `_m_sendMessage` answers the Bot API method sendMessage
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

Method = Callable[[Params], Awaitable[Any]]


class LocalBotApi(MessageMethods, ProfileMethods):
    """The server for one bot. `await start()` → base URL for TELEGRAM_API_BASE_URL."""

    def __init__(self, token: str | None = None, **identity: str) -> None:
        """`identity`: bot_username, bot_name (see `ApiState`)."""
        super().__init__(token, **identity)
        self.base_url = ""
        self._updates: list[dict] = []
        self._query_ids = itertools.count(1)
        self._allowed = DEFAULT_UPDATES
        self._webhook_url = ""
        self._wakeup = asyncio.Event()
        self._poller = 0
        self._closing = False
        self._failures: dict[str, list[ApiError]] = {}
        self._results: dict[str, list[Any]] = {}
        self._in_flight = 0
        self._last_activity = time.monotonic()
        self._runner: web.AppRunner | None = None
        self._methods: dict[str, Method] = {
            name[len(METHOD_PREFIX) :].lower(): getattr(self, name)
            for name in dir(self)
            if name.startswith(METHOD_PREFIX)
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

    def answer_next(self, method: str, result: Any, times: int = 1) -> None:
        """Make the next `times` calls of `method` succeed with `result`, whatever it is: another
        Bot API implementation's odd answers (e.g. `true` where an object is due)."""
        self._results.setdefault(method.lower(), []).extend([result] * times)

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

    # ---- HTTP ----------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        head, _, method = request.match_info["tail"].partition("/")
        if not head.startswith("bot") or not method:
            return ApiError(404, "Not Found").response()
        if head[3:] != self.token:
            return ApiError(401, "Unauthorized").response()
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
            results = self._results.get(name)
            result = results.pop(0) if results else await handler(Params(values))
            return web.json_response({"ok": True, "result": result})
        except ApiError as error:
            self.errors.append((method, error.description))
            return error.response()
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
        except (ValueError, RecursionError):  # RecursionError: JSON nested too deeply
            raise bad_request("can't parse request JSON object") from None
        return values

    async def _download(self, request: web.Request) -> web.Response:
        head, _, path = request.match_info["tail"].partition("/")
        if head != f"bot{self.token}":
            return ApiError(401, "Unauthorized").response()
        stored = self.files.by_path(path)
        if stored is None:
            return ApiError(404, "Not Found").response()
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )

    # ---- the update queue ----------------------------------------------------------

    def _wake(self) -> None:
        self._wakeup.set()
        self._wakeup = asyncio.Event()

    def _push_update(self, payload: dict) -> None:
        self._updates.append({"update_id": next(self._update_ids), **payload})
        self._wake()

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
