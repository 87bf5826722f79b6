"""What several bot replicas behind one webhook share in Redis (the QUEUE_URL server).

- `SharedUpdates`: an update is handled by one replica only, even when Telegram or the proxy
  delivers it twice (SET NX on its update_id), and one chat's updates are handled one at a time
  and in update_id order across every replica:
  - `arrive`, called by the replica that receives the update *before it acknowledges it* (the
    webhook answers Telegram only after its update queue took the update, `bot.app`), claims
    it, counts the chat's rate limit and puts it in its chat's line (a sorted set by
    update_id), all in one Lua script;
  - `chat_turn` holds the chat (a redis-py `Lock`, with a timeout so a replica that dies
    mid-update cannot hold its chat for ever) and lets an update through only when no earlier
    update of its chat is still in the line. An entry of a replica that stopped beating
    (REPLICA_TTL) is taken out of the line instead of waited for.
  So an update Telegram delivered after an earlier one of its chat was acknowledged is never
  handled before it. An update that reaches Redis only after a later one of its chat was
  handled is still handled, counted (`out_of_order`) and logged.
- `SharedRateLimiter`: `bot.common.ratelimit.RateLimiter`'s interface on a sorted set per
  chat, so a chat's limit holds across replicas (a flood spread over them is still one flood).
  `arrive` counts on the same keys, on receipt.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
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
ORDER_WAIT = 120.0  # longest wait for an earlier update of a live replica (a safety net)
REPLICA_TTL = 5.0  # seconds without a beat after which a replica's line entries are dropped
BEAT = 1.0
TURN_POLL = 0.01
RATE_NAME = "rate"  # the keys SharedRateLimiter(name="rate") counts the chats' updates in
VERDICTS = (Verdict.OK, Verdict.FIRST_OVER, Verdict.OVER)

# Count one update of a chat: KEYS hits, warned; ARGV limit, window, a unique member. Redis's own
# clock, the same for every replica. `verdict`: the index of the verdict in VERDICTS.
COUNT = """
verdict = 0
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local keep = math.ceil(tonumber(ARGV[{window}])) + 1
redis.call('ZREMRANGEBYSCORE', KEYS[{hits}], 0, now - tonumber(ARGV[{window}]))
if redis.call('ZCARD', KEYS[{hits}]) < tonumber(ARGV[{limit}]) then
  redis.call('ZADD', KEYS[{hits}], now, ARGV[{member}])
  redis.call('EXPIRE', KEYS[{hits}], keep)
elseif redis.call('SET', KEYS[{warned}], 1, 'NX', 'EX', keep) then
  verdict = 1
else
  verdict = 2
end
"""
HIT = f"local verdict\n{COUNT.format(hits=1, warned=2, limit=1, window=2, member=3)}return verdict"

# On receipt: claim the update (once per bot), count it against its chat's rate limit (when
# ARGV[6] > 0) and put it in its chat's line, unless it is over the limit and will be dropped
# (ARGV[8] = 1). Returns -1 for a duplicate, else the verdict's index in VERDICTS.
ARRIVE = f"""
if not redis.call('SET', KEYS[1], 1, 'NX', 'EX', ARGV[1]) then
  return -1
end
local verdict = 0
if tonumber(ARGV[6]) > 0 then
  {COUNT.format(hits=3, warned=4, limit=6, window=7, member=5)}
end
if verdict < 2 or ARGV[8] == '0' then
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[4])
  redis.call('EXPIRE', KEYS[2], ARGV[3])
end
return verdict
"""


class SharedUpdates:
    """Once-only handling, and each chat's updates one at a time in order, across replicas."""

    def __init__(self, url: str, bot_id: str = "") -> None:
        self._redis = aioredis.Redis.from_url(url, socket_timeout=10)
        self.bot_id = bot_id  # update ids are numbered per bot
        self.replica = uuid.uuid4().hex[:12]
        self._arrive = self._redis.register_script(ARRIVE)
        self._beating: asyncio.Task | None = None
        self.admitted: set[int] = set()  # update ids `arrive` let in, not yet processed
        self.duplicates = 0
        self.out_of_order = 0

    async def start(self) -> None:
        """Beat, so the other replicas know this one's line entries are still coming."""
        await self._beat_once()
        self._beating = asyncio.create_task(self._beat(), name="nnbot-replica-beat")

    async def _beat_once(self) -> None:
        await self._redis.set(key("replica", self.replica), 1, px=int(REPLICA_TTL * 1000))

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(BEAT)
            try:
                await self._beat_once()
            except redis.RedisError as error:
                logger.warning("could not tell Redis this replica is alive: %s", error)

    def _member(self, update_id: int) -> str:
        return f"{update_id}:{self.replica}"

    async def arrive(
        self,
        update_id: int,
        chat_id: int | None,
        limit: int = 0,
        window: float = 60.0,
        drop_over: bool = True,
    ) -> Verdict | None:
        """On receipt: None for a duplicate, else the rate limit's verdict (always OK with
        `limit` 0). Unless it is OVER and `drop_over`, the update is now in its chat's line,
        and must leave it: through `chat_turn`, or `leave` if it is not handled."""
        seen = key("update", f"{self.bot_id}:{update_id}")
        line = key("line", chat_id if chat_id is not None else "none")
        hits, warned = key(RATE_NAME, chat_id), key(f"{RATE_NAME}-warned", chat_id)
        args = [SEEN_SECONDS, update_id, int(WAIT_SECONDS), self._member(update_id)]
        args += [uuid.uuid4().hex, limit if chat_id is not None else 0, window, int(drop_over)]
        index = await self._arrive(keys=[seen, line, hits, warned], args=args)
        if index < 0:
            self.duplicates += 1
            return None
        verdict = VERDICTS[index]
        if verdict is not Verdict.OVER or not drop_over:
            self.admitted.add(update_id)
        return verdict

    async def first_time(self, update_id: int, chat_id: int | None = None) -> bool:
        """True for the first replica to see this update (now in its chat's line)."""
        return await self.arrive(update_id, chat_id) is not None

    async def leave(self, chat_id: int | None, update_id: int) -> None:
        """An update that `arrive` let in will not be handled: out of its chat's line."""
        self.admitted.discard(update_id)
        line = key("line", chat_id if chat_id is not None else "none")
        with contextlib.suppress(redis.RedisError):
            await self._redis.zrem(line, self._member(update_id))

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
            ahead = update_id is not None and await self._earlier_in_line(line, update_id)
            if not ahead:
                break
            if time.monotonic() - waited_since > ORDER_WAIT:
                logger.warning("chat %s: update %s gave up waiting", chat_id, update_id)
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
                    self.admitted.discard(update_id)
                    await self._redis.zrem(line, self._member(update_id))
                if acquired:
                    await lock.release()

    async def _earlier_in_line(self, line: str, update_id: int) -> bool:
        """Whether an earlier update of the chat is still to be handled by a live replica
        (the entries of a replica that stopped beating are taken out of the line)."""
        while True:
            first = await self._redis.zrange(line, 0, 0, withscores=True)
            if not first or first[0][1] >= update_id:
                return False
            member = first[0][0].decode()
            owner = member.rpartition(":")[2]
            if owner == self.replica or await self._redis.exists(key("replica", owner)):
                return True
            logger.warning("update %s of a replica that stopped is dropped from the line", member)
            await self._redis.zrem(line, member)

    async def _note_order(self, chat_id: int, update_id: int) -> None:
        last = key("lastupdate", chat_id)
        previous = await self._redis.get(last)
        if previous is not None and int(previous) > update_id:
            self.out_of_order += 1
            logger.warning("chat %s: update %s arrived after %s", chat_id, update_id, previous)
            return
        await self._redis.set(last, update_id, ex=SEEN_SECONDS)

    async def close(self) -> None:
        if self._beating is not None:
            self._beating.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._beating
        await self._redis.aclose()


class SharedRateLimiter:
    """At most `limit` updates per chat in any `window` seconds, counted by every replica."""

    def __init__(self, url: str, limit: int, window: float = 60.0, name: str = "rate") -> None:
        self.limit, self.window, self.name = limit, window, name
        self._redis = redis.Redis.from_url(url, socket_timeout=5)
        self._hit = self._redis.register_script(HIT)

    def hit(self, chat_id: int) -> Verdict:
        """Count one update from the chat and say whether it may pass (one script: replicas
        counting the same chat at once cannot both take the last place)."""
        hits, warned = key(self.name, chat_id), key(f"{self.name}-warned", chat_id)
        index = self._hit(keys=[hits, warned], args=[self.limit, self.window, uuid.uuid4().hex])
        return VERDICTS[index]

    def refuse(self, chat_id: int) -> Verdict:
        """Count one update from the chat as over the limit: FIRST_OVER once per window."""
        warned = key(f"{self.name}-warned", chat_id)
        told = self._redis.set(warned, 1, nx=True, ex=math.ceil(self.window) + 1)
        return Verdict.FIRST_OVER if told else Verdict.OVER

    def wait_seconds(self, chat_id: int) -> int:
        """Seconds until this chat may send again."""
        oldest = self._redis.zrange(key(self.name, chat_id), 0, 0, withscores=True)
        if not oldest:
            return 0
        seconds, micro = self._redis.time()  # the clock the hits were counted by
        return max(1, round(oldest[0][1] + self.window - seconds - micro / 1e6))
