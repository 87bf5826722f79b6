"""The photos the bot keeps for the buttons under its answers: one cache for every chat.

"How I saw it" redraws a photo's stages and "Wrong?" stores what the network saw, so the bot
keeps each answered photo for a while — decoded once (`bot.digits.photo.Decoded`, at most
1 MB) rather than as the file that was sent (up to 20 MB). The cache is bounded twice: at
most KEEP_PHOTOS per chat, and CACHE_BYTES in all, dropping the least recently used photo of
any chat first. A button whose photo was dropped says so and asks for the photo again.
In memory only, for this process: after a restart the old buttons ask for the photo again.
"""

from __future__ import annotations

import itertools
import time
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

PHOTOS = "digit_photos"  # bot_data: the PhotoCache of every chat
KEEP_PHOTOS = 5  # per chat: the buttons under its last five answers work
CACHE_BYTES = 64_000_000  # all chats together


@dataclass(frozen=True)
class KeptPhoto:
    """One answered photo, as the buttons under its answer need it."""

    grey: np.ndarray  # the photo decoded once (uint8, long side ≤ NUMBER_SIDE)
    single: bool  # read as one digit (else as a number)
    image28: np.ndarray | None = None  # what the network saw, for a one-digit answer

    @property
    def nbytes(self) -> int:
        return self.grey.nbytes + (0 if self.image28 is None else self.image28.nbytes)


class PhotoCache:
    """Kept photos of every chat, least recently used dropped first; keys are button tokens."""

    def __init__(self, max_bytes: int = CACHE_BYTES, per_chat: int = KEEP_PHOTOS) -> None:
        self.max_bytes, self.per_chat = max_bytes, per_chat
        self._photos: OrderedDict[tuple[int, str], KeptPhoto] = OrderedDict()
        self.nbytes = 0
        # Tokens never repeat, not even after a restart: an old button cannot find a new photo.
        self._tokens = itertools.count(time.time_ns() // 1000)

    def __len__(self) -> int:
        return len(self._photos)

    def put(self, chat_id: int, photo: KeptPhoto) -> str:
        """Keep `photo` for chat `chat_id`; returns the token its buttons carry."""
        token = str(next(self._tokens))
        self._photos[(chat_id, token)] = photo
        self.nbytes += photo.nbytes
        mine = [key for key in self._photos if key[0] == chat_id]
        for key in mine[: -self.per_chat]:
            self._drop(key)
        while self.nbytes > self.max_bytes and len(self._photos) > 1:
            self._drop(next(iter(self._photos)))
        return token

    def get(self, chat_id: int, token: str) -> KeptPhoto | None:
        """The photo behind a button of this chat, or None when it was dropped (or is foreign)."""
        photo = self._photos.get((chat_id, token))
        if photo is not None:
            self._photos.move_to_end((chat_id, token))
        return photo

    def latest_digit(self, chat_id: int) -> np.ndarray | None:
        """What the network saw in this chat's most recent one-digit photo (28×28), or None."""
        for (chat, _), photo in reversed(self._photos.items()):
            if chat == chat_id and photo.image28 is not None:
                return photo.image28
        return None

    def forget(self, chat_id: int) -> int:
        """Drop every photo of a chat (`/reset`): its old buttons then ask for the photo again.
        Returns how many were dropped."""
        mine = [key for key in self._photos if key[0] == chat_id]
        for key in mine:
            self._drop(key)
        return len(mine)

    def _drop(self, key: tuple[int, str]) -> None:
        self.nbytes -= self._photos.pop(key).nbytes
