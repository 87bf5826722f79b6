"""How often a chat may write: a sliding window per chat, in memory only. No Telegram here.

The gate (`bot.common.handlers.gate`) keeps two limiters in `bot_data`: RATE_LIMITER for
every chat (RATE_PER_MINUTE) and REFUSALS, so a stranger hears "no" at most once in a while.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from enum import Enum

RATE_LIMITER = "rate_limiter"  # bot_data: the RateLimiter of every chat (absent when off)
REFUSALS = "refusals"  # bot_data: one refusal per chat every REFUSAL_WINDOW seconds
REFUSAL_WINDOW = 600.0
# Updates of one chat that may wait for their turn (bot.app handles a chat's updates one at a
# time); more than that counts as over the rate limit, even with the limit off.
MAX_WAITING = 40


class Verdict(Enum):
    OK = "ok"
    FIRST_OVER = "first_over"  # the first update over the limit: tell the user once
    OVER = "over"  # still over the limit: drop silently


class RateLimiter:
    """At most `limit` updates per chat in any `window` seconds (a sliding window).

    Plain Python and in memory only: nothing about a chat is written anywhere. Chats idle for
    a whole window are forgotten once MAX_KEYS chats are remembered, so memory stays bounded.
    """

    MAX_KEYS = 10_000

    def __init__(
        self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._hits: dict[int, deque[float]] = {}
        self._warned: dict[int, float] = {}

    def hit(self, key: int) -> Verdict:
        """Count one update from chat `key` and say whether it may pass."""
        now = self.clock()
        if key not in self._hits and len(self._hits) >= self.MAX_KEYS:
            self._forget_idle(now)
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) < self.limit:
            hits.append(now)
            return Verdict.OK
        return self.refuse(key)

    def refuse(self, key: int) -> Verdict:
        """Count one update from chat `key` as over the limit: FIRST_OVER once per window."""
        now = self.clock()
        if self._warned.get(key, -1e18) > now - self.window:
            return Verdict.OVER
        self._warned[key] = now
        return Verdict.FIRST_OVER

    def wait_seconds(self, key: int) -> int:
        """Seconds until this chat may send again."""
        hits = self._hits.get(key)
        if not hits:
            return 0
        return max(1, round(hits[0] + self.window - self.clock()))

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, h in self._hits.items() if not h or h[-1] <= now - self.window]:
            del self._hits[key]
            self._warned.pop(key, None)
