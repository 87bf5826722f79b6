"""What several bot replicas behind one webhook share in Redis (the QUEUE_URL server).

- `SharedUpdates`: an update is handled by one replica only, even when Telegram or the proxy
  delivers it twice (SET NX on its update_id); and one chat's updates run one at a time across
  every replica (a redis-py `Lock` per chat, with a timeout so a replica that dies mid-update
  cannot hold its chat for ever), in order: each update joins its chat's line (a sorted set
  by update_id) the moment a replica first sees it, and waits while an earlier one of the same
  chat is in the line (at most ORDER_WAIT seconds, in case that replica died). An update that
  reaches Redis only after a later one of its chat was handled (two deliveries within the same
  few milliseconds) cannot be put back in order: it is counted (`out_of_order`) and logged.
- `SharedRateLimiter`: `bot.common.ratelimit.RateLimiter`'s interface on a sorted set per
  chat, so a chat's limit holds across replicas (a flood spread over them is still one flood).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import AsyncIterator

import redis
import redis.asyncio as aioredis

from bot.backends.redis_queue import key
from bot.common.ratelimit import Verdict

logger = logging.getLogger(__name__)

SEEN_SECONDS = 24 * 3600  # Telegram keeps an undelivered update for at most 24 hours
LOCK_SECONDS = 120.0  # longest hold of a chat by one update (then the lock lapses)
WAIT_SECONDS = 300.0  # longest wait for a chat's turn
ORDER_WAIT = 10.0  # longest wait for an earlier update of the chat (its replica may be gone)
TURN_POLL = 0.01

# First sighting of an update: mark it seen and put it in its chat's line, in one step (one
# round trip, so the window in which a later update can overtake it stays as small as can be).
ARRIVE = """
if redis.call('SET', KEYS[1], 1, 'NX', 'EX', ARGV[1]) then
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[2])
  redis.call('EXPIRE', KEYS[2], ARGV[3])
  return 1
end
return 0
"""


class SharedUpdates:
    """Once-only handling and a per-chat lock across replicas."""

    def __init__(self, url: str, bot_id: str = "") -> None:
        self._redis = aioredis.Redis.from_url(url, socket_timeout=10)
        self.bot_id = bot_id  # update ids are numbered per bot
        self._arrive = self._redis.register_script(ARRIVE)
        self.duplicates = 0
        self.out_of_order = 0

    async def first_time(self, update_id: int, chat_id: int | None = None) -> bool:
        """True for the first replica to see this update; False for every later delivery.

        A first sighting also puts the update in its chat's line, so the chat's earlier
        updates, wherever they arrived, are handled before it (`chat_turn`).
        """
        seen = key("update", f"{self.bot_id}:{update_id}")
        line = key("line", chat_id if chat_id is not None else "none")
        fresh = await self._arrive(
            keys=[seen, line], args=[SEEN_SECONDS, update_id, int(WAIT_SECONDS)]
        )
        if not fresh:
            self.duplicates += 1
        return bool(fresh)

    @contextlib.asynccontextmanager
    async def chat_turn(self, chat_id: int, update_id: int | None) -> AsyncIterator[None]:
        """Hold the chat across replicas while one of its updates is handled."""
        lock = self._redis.lock(
            key("chatlock", chat_id),
            timeout=LOCK_SECONDS,
            blocking_timeout=WAIT_SECONDS,
            thread_local=False,
        )
        line = key("line", chat_id)
        waited_since = time.monotonic()
        while True:
            acquired = await lock.acquire(token=uuid.uuid4().hex)
            first = await self._redis.zrange(line, 0, 0, withscores=True)
            ahead = update_id is not None and first and first[0][1] < update_id
            if not ahead or time.monotonic() - waited_since > ORDER_WAIT:
                break
            if acquired:  # an earlier update of this chat is still to come: let it go first
                await lock.release()
            await asyncio.sleep(TURN_POLL)
        try:
            if update_id is not None:
                await self._note_order(chat_id, update_id)
            yield
        finally:
            with contextlib.suppress(redis.RedisError):
                if update_id is not None:
                    await self._redis.zrem(line, str(update_id))
                if acquired:
                    await lock.release()

    async def _note_order(self, chat_id: int, update_id: int) -> None:
        last = key("lastupdate", chat_id)
        previous = await self._redis.get(last)
        if previous is not None and int(previous) > update_id:
            self.out_of_order += 1
            logger.warning("chat %s: update %s arrived after %s", chat_id, update_id, previous)
            return
        await self._redis.set(last, update_id, ex=SEEN_SECONDS)

    async def close(self) -> None:
        await self._redis.aclose()


class SharedRateLimiter:
    """At most `limit` updates per chat in any `window` seconds, counted by every replica."""

    def __init__(self, url: str, limit: int, window: float = 60.0, name: str = "rate") -> None:
        self.limit, self.window, self.name = limit, window, name
        self._redis = redis.Redis.from_url(url, socket_timeout=5)

    def hit(self, chat_id: int) -> Verdict:
        """Count one update from the chat and say whether it may pass (one MULTI: replicas
        counting the same chat at once cannot both take the last place)."""
        now, member = time.time(), uuid.uuid4().hex
        hits = key(self.name, chat_id)
        pipe = self._redis.pipeline()
        pipe.zremrangebyscore(hits, 0, now - self.window)
        pipe.zadd(hits, {member: now})
        pipe.zcard(hits)
        pipe.expire(hits, int(self.window) + 1)
        count = pipe.execute()[2]
        if count <= self.limit:
            return Verdict.OK
        self._redis.zrem(hits, member)
        warned = self._redis.set(
            key(f"{self.name}-warned", chat_id), 1, nx=True, ex=int(self.window) + 1
        )
        return Verdict.FIRST_OVER if warned else Verdict.OVER

    def wait_seconds(self, chat_id: int) -> int:
        """Seconds until this chat may send again."""
        oldest = self._redis.zrange(key(self.name, chat_id), 0, 0, withscores=True)
        if not oldest:
            return 0
        return max(1, round(oldest[0][1] + self.window - time.time()))
