"""Simulated Telegram users for the local Bot API: they send, press buttons and read replies.

    client = BotClient(server, busy=session.busy)
    ann = client.user(1001, "Ann", language_code="ru")
    await ann.send("/start")
    for reply in await ann.replies():      # waits until the bot is idle, then reads
        print(reply.text, reply.buttons)

"Idle" is what makes scripts deterministic: no update waiting for the bot, no bot request in
flight, no bot request for `quiet` seconds, and the `busy()` hook (updates being processed,
training jobs running — supplied by the harness that owns the bot) false for `quiet` seconds.
"""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from bot.localapi.media import PhotoError
from bot.localapi.messages import MAX_TEXT
from bot.localapi.server import LocalBotApi
from bot.localapi.state import StoredMessage

CLIENT_PHOTO_SIDE = 1280  # Telegram apps shrink photos to this long side before sending


@dataclass(frozen=True)
class Button:
    text: str
    callback_data: str | None = None
    url: str | None = None


class BotMessage:
    """What a user sees of one bot message: its current state and its history of edits."""

    def __init__(self, server: LocalBotApi, stored: StoredMessage) -> None:
        self._server = server
        self.stored = stored

    def __repr__(self) -> str:
        return f"<BotMessage {self.message_id} {self.kind} {self.text[:40]!r}>"

    @property
    def message_id(self) -> int:
        return self.stored.message_id

    @property
    def data(self) -> dict:
        """The Message object as Telegram returns it."""
        return self.stored.data

    @property
    def kind(self) -> str:
        return next((k for k in ("photo", "document") if k in self.data), "text")

    @property
    def text(self) -> str:
        """The text (or caption) as the user reads it: HTML markup already applied."""
        return self.data.get("text", self.data.get("caption", ""))

    @property
    def html(self) -> str:
        """The text or caption exactly as the bot sent it."""
        return self.stored.html if self.stored.html is not None else self.text

    @property
    def versions(self) -> list[str]:
        """Every text the message had, first as sent, then after each edit."""
        return [v.get("text", v.get("caption", "")) for v in self.stored.versions]

    @property
    def edits(self) -> int:
        return len(self.stored.versions) - 1

    @property
    def deleted(self) -> bool:
        return self.stored.deleted

    @property
    def keyboard(self) -> list[list[Button]]:
        rows = self.data.get("reply_markup", {}).get("inline_keyboard", [])
        return [
            [Button(b["text"], b.get("callback_data"), b.get("url")) for b in row] for row in rows
        ]

    @property
    def buttons(self) -> list[Button]:
        """Inline buttons left to right, top to bottom (what `/press N` numbers)."""
        return [button for row in self.keyboard for button in row]

    @property
    def photo(self) -> bytes:
        """The picture exactly as the bot uploaded it (e.g. its PNG)."""
        if self.kind != "photo":
            raise ValueError(f"message {self.message_id} has no photo")
        if self.stored.upload is not None:
            return self.stored.upload
        return self._server.download(self.data["photo"][-1]["file_id"])

    @property
    def document(self) -> bytes:
        if self.kind != "document":
            raise ValueError(f"message {self.message_id} has no document")
        return self._server.download(self.data["document"]["file_id"])

    @property
    def file_name(self) -> str | None:
        return self.data.get("document", {}).get("file_name")

    @property
    def mime_type(self) -> str | None:
        return self.data.get("document", {}).get("mime_type")


class LocalUser:
    """One Telegram user talking to the bot in one chat (private by default)."""

    def __init__(
        self,
        client: BotClient,
        user_id: int,
        first_name: str,
        language_code: str | None = "en",
        chat_id: int | None = None,
    ) -> None:
        self.client = client
        self.server = client.server
        self.user = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            self.user["language_code"] = language_code
        self.chat_id = user_id if chat_id is None else chat_id
        if self.chat_id == user_id:
            self.chat = {"id": user_id, "type": "private", "first_name": first_name}
        else:
            self.chat = {"id": self.chat_id, "type": "group", "title": f"group {self.chat_id}"}
        self.last_sent = 0  # message_id of the latest thing this user sent

    # ---- acting ------------------------------------------------------------------

    async def send(self, text: str) -> int:
        """Send a text message; a leading /command gets its bot_command entity.

        Like a Telegram app, it refuses an empty message and one over 4096 characters
        (longer tables go as documents).
        """
        if not text.strip():
            raise ValueError("Telegram apps do not send empty messages")
        if len(text.encode("utf-16-le")) // 2 > MAX_TEXT:
            raise ValueError(f"a message holds at most {MAX_TEXT} characters; send a file")
        fields: dict = {"text": text}
        command = text.split(maxsplit=1)[0] if text.startswith("/") and text.strip() else ""
        if len(command) > 1:
            fields["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self._receive(fields)

    async def send_photo(self, photo: bytes | str | Path, caption: str | None = None) -> int:
        """Send a photo the way a phone app does: shrunk to 1280 px, JPEG, several sizes."""
        data = _read(photo)
        try:
            sizes = self.server.store_photo(_as_phone_photo(data))
        except (
            PhotoError,
            OSError,
            ValueError,
            SyntaxError,
            Image.DecompressionBombError,
        ) as error:
            raise ValueError(f"a Telegram app would not send this as a photo: {error}") from None
        fields: dict = {"photo": sizes}
        if caption:
            fields["caption"] = caption
        return self._receive(fields)

    async def send_document(
        self,
        data: bytes | str | Path,
        file_name: str | None = None,
        mime_type: str | None = None,
        caption: str | None = None,
    ) -> int:
        """Send a file as a document (no re-encoding), like "send as file" in the apps."""
        if file_name is None and isinstance(data, str | Path):
            file_name = Path(data).name
        fields: dict = {"document": self.server.store_document(_read(data), file_name, mime_type)}
        if caption:
            fields["caption"] = caption
        return self._receive(fields)

    async def press(self, button: str | int, message: BotMessage | None = None) -> str:
        """Press an inline button by its text or its 1-based number; returns the query id.

        Without `message`, the latest bot message that currently shows a keyboard is used.
        """
        message = message or self.keyboard_message()
        if message is None:
            raise LookupError("no message with inline buttons in this chat")
        chosen = _choose(message.buttons, button)
        if chosen.callback_data is None:
            raise LookupError(f"button {chosen.text!r} opens a URL, it has no callback data")
        return self.server.receive_callback(
            self.user, self.chat_id, message.message_id, chosen.callback_data
        )

    def block(self, blocked: bool = True) -> None:
        """Block (or unblock) the bot: its messages to this chat then fail with 403."""
        if blocked:
            self.server.blocked.add(self.chat_id)
        else:
            self.server.blocked.discard(self.chat_id)

    def answer(self, query_id: str) -> dict | None:
        """The bot's answerCallbackQuery for a press (None while unanswered)."""
        return self.server.callback_answers.get(query_id)

    # ---- reading ----------------------------------------------------------------

    def messages(self) -> list[BotMessage]:
        """Everything the bot sent to this chat, oldest first (deleted ones flagged)."""
        return [
            BotMessage(self.server, m)
            for m in self.server.chat_messages(self.chat_id)
            if m.from_bot
        ]

    def since(self, message_id: int) -> list[BotMessage]:
        return [m for m in self.messages() if m.message_id > message_id]

    async def replies(
        self, after: int | None = None, quiet: float | None = None, timeout: float | None = None
    ) -> list[BotMessage]:
        """Wait until the bot is idle, then the bot messages sent after `after`
        (default: after this user's latest message)."""
        await self.client.wait_idle(quiet=quiet, timeout=timeout)
        return self.since(self.last_sent if after is None else after)

    @property
    def last(self) -> BotMessage | None:
        messages = [m for m in self.messages() if not m.deleted]
        return messages[-1] if messages else None

    def keyboard_message(self) -> BotMessage | None:
        shown = [m for m in self.messages() if m.buttons and not m.deleted]
        return shown[-1] if shown else None

    def _receive(self, fields: dict) -> int:
        stored = self.server.receive_message(self.user, self.chat, fields)
        self.last_sent = stored.message_id
        return stored.message_id


class BotClient:
    """Creates users and knows when the bot has finished answering."""

    def __init__(
        self,
        server: LocalBotApi,
        busy: Callable[[], bool] | None = None,
        quiet: float = 0.4,
        timeout: float = 90.0,
    ) -> None:
        self.server = server
        self.busy = busy or (lambda: False)
        self.quiet = quiet
        self.timeout = timeout

    def user(
        self,
        user_id: int,
        first_name: str,
        language_code: str | None = "en",
        chat_id: int | None = None,
    ) -> LocalUser:
        return LocalUser(self, user_id, first_name, language_code, chat_id)

    async def wait_idle(
        self,
        quiet: float | None = None,
        timeout: float | None = None,
        busy: Callable[[], bool] | None = None,
    ) -> None:
        """Return once the bot has been idle for `quiet` seconds; TimeoutError after `timeout`.

        `busy` replaces the client's own hook for this wait (e.g. to ignore running jobs).
        """
        busy = busy or self.busy
        quiet = self.quiet if quiet is None else quiet
        timeout = self.timeout if timeout is None else timeout
        started = time.monotonic()
        calm_since: float | None = None
        while True:
            now = time.monotonic()
            pending, in_flight, silent = self.server.activity()
            if pending or in_flight or busy():
                calm_since = None
            elif calm_since is None:
                calm_since = now
            if calm_since is not None and now - calm_since >= quiet and silent >= quiet:
                return
            if now - started > timeout:
                raise TimeoutError(
                    f"the bot is still busy after {timeout:.0f} s (pending updates {pending}, "
                    f"requests {in_flight}, busy hook {busy()})"
                )
            await asyncio.sleep(0.02)


def _read(source: bytes | str | Path) -> bytes:
    return source if isinstance(source, bytes) else Path(source).read_bytes()


def _as_phone_photo(data: bytes) -> bytes:
    """Re-encode like a Telegram app: upright, RGB, long side ≤ 1280 px, JPEG."""
    with Image.open(io.BytesIO(data)) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        image.thumbnail((CLIENT_PHOTO_SIDE, CLIENT_PHOTO_SIDE), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _choose(buttons: list[Button], wanted: str | int) -> Button:
    if isinstance(wanted, int):
        if not 1 <= wanted <= len(buttons):
            raise LookupError(f"there is no button {wanted} (the message has {len(buttons)})")
        return buttons[wanted - 1]
    exact = [b for b in buttons if b.text == wanted]
    if exact:
        return exact[0]
    loose = [b for b in buttons if wanted.lower() in b.text.lower()]
    if len(loose) != 1:
        shown = ", ".join(repr(b.text) for b in buttons)
        raise LookupError(f"no single button matches {wanted!r} (buttons: {shown})")
    return loose[0]
