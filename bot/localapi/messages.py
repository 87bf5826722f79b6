"""Bot API methods on messages: send, edit, delete, answer buttons, chat actions.

Texts are checked as Telegram checks them (HTML parsed into entities, lengths in UTF-16
units, inline keyboards validated); every change is recorded as an `Event`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.localapi.entities import EntityError, parse_html, utf16_len
from bot.localapi.files import FileMethods
from bot.localapi.params import Params, bad_request
from bot.localapi.state import StoredMessage

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_CALLBACK_ANSWER = 200  # characters of an answerCallbackQuery notification
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
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
CAPTION_KEYS = ("caption", "caption_entities", "reply_markup")

FileReader = Callable[..., Awaitable[tuple]]


class MessageMethods(FileMethods):
    """Messages in chats; `_m_<method>` answers the Bot API method <method>."""

    # ---- sending -------------------------------------------------------------------

    async def _m_sendMessage(self, params: Params) -> dict:
        plain, entities, html = self._text(params, "text", "entities", MAX_TEXT, required=True)
        fields: dict[str, Any] = {"text": plain}
        if entities:
            fields["entities"] = entities
        return self._send(params, fields, html=html)

    async def _m_sendPhoto(self, params: Params) -> dict:
        return await self._send_file(params, "photo", self._photo_field)

    async def _m_sendDocument(self, params: Params) -> dict:
        return await self._send_file(params, "document", self._document_field)

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

    async def _m_sendChatAction(self, params: Params) -> bool:
        chat = self._chat(params)
        action = params.str("action", "") or ""
        if action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self._emit("action", chat["id"], None, action=action)
        return True

    async def _send_file(self, params: Params, key: str, read: FileReader) -> dict:
        """sendPhoto / sendDocument: the file under `key`, with a caption."""
        plain, entities, html = self._caption(params)
        self._chat(params)
        value, upload = await read(params, key)
        fields = {key: value, **self._caption_fields(plain, entities)}
        return self._send(params, fields, html=html, upload=upload)

    def _send(
        self, params: Params, fields: dict, html: str | None = None, upload: bytes | None = None
    ) -> dict:
        chat = self._chat(params)
        fields = self._add_markup(params, {**self._reply_to(params, chat["id"]), **fields})
        stored = self._store_message(
            chat["id"], self.bot_user, fields, from_bot=True, html=html, upload=upload
        )
        return stored.data

    # ---- editing and deleting ------------------------------------------------------

    async def _m_editMessageText(self, params: Params) -> dict:
        message = self._target(params)
        if "text" not in message.data:
            raise bad_request("there is no text in the message to edit")
        plain, entities, html = self._text(params, "text", "entities", MAX_TEXT, required=True)
        changes: dict[str, Any] = {"text": plain}
        if entities:
            changes["entities"] = entities
        keys = ("text", "entities", "reply_markup")
        return self._rewrite(params, message, changes, html, keys, drop=keys[1:])

    async def _m_editMessageCaption(self, params: Params) -> dict:
        message = self._target(params)
        if not any(key in message.data for key in MEDIA_KEYS):
            raise bad_request("there is no caption in the message to edit")
        plain, entities, html = self._caption(params)
        changes = self._caption_fields(plain, entities)
        return self._rewrite(params, message, changes, html, CAPTION_KEYS, drop=CAPTION_KEYS)

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
        self._add_markup(params, changes)
        message.html, message.upload = html, upload
        return self._edit(message, changes, drop=(*CAPTION_KEYS, *MEDIA_KEYS))

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

    def _target(self, params: Params) -> StoredMessage:
        """The bot's own message named by chat_id + message_id, to edit."""
        if params.has("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        chat = self._chat(params)
        message = self.messages[chat["id"]].get(params.int("message_id") or 0)
        if message is None or message.deleted:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return message

    def _rewrite(
        self,
        params: Params,
        message: StoredMessage,
        changes: dict,
        html: str | None,
        keys: tuple[str, ...],
        drop: tuple[str, ...],
    ) -> dict:
        """A new text or caption (and keyboard); 400 "not modified" if nothing changes."""
        self._add_markup(params, changes)
        self._not_modified(message, changes, keys)
        message.html = html
        return self._edit(message, changes, drop=drop)

    def _not_modified(self, message: StoredMessage, changes: dict, keys: tuple[str, ...]) -> None:
        current = {k: message.data[k] for k in keys if k in message.data}
        if current == {k: changes[k] for k in keys if k in changes}:
            raise bad_request(NOT_MODIFIED)

    # ---- buttons -------------------------------------------------------------------

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

    def _add_markup(self, params: Params, fields: dict) -> dict:
        """`fields` with the request's inline keyboard, if it has one."""
        markup = self._markup(params)
        if markup:
            fields["reply_markup"] = markup
        return fields

    # ---- parts of a message --------------------------------------------------------

    def _text(
        self, params: Params, text_key: str, entities_key: str, limit: int, required: bool
    ) -> tuple[str, list[dict], str | None]:
        """(plain text, entities, the HTML as sent or None) of a text or caption."""
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

    def _caption(self, params: Params) -> tuple[str, list[dict], str | None]:
        return self._text(params, "caption", "caption_entities", MAX_CAPTION, required=False)

    def _caption_fields(self, plain: str, entities: list[dict]) -> dict:
        fields: dict[str, Any] = {}
        if plain:
            fields["caption"] = plain
        if entities:
            fields["caption_entities"] = entities
        return fields

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

    async def _media_fields(self, params: Params, media: dict) -> tuple[dict, str | None, bytes]:
        """(message fields, caption HTML, uploaded bytes) of one InputMedia."""
        caption_params = Params(
            {
                "caption": media.get("caption", ""),
                "parse_mode": media.get("parse_mode", ""),
                "caption_entities": media.get("caption_entities"),
            }
        )
        plain, entities, html = self._caption(caption_params)
        fields = self._caption_fields(plain, entities)
        read = self._photo_field if media["type"] == "photo" else self._document_field
        fields[media["type"]], upload = await read(params, "media", media.get("media"))
        return fields, html, upload
