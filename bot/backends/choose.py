"""Which store and which job runner the environment asks for (DATABASE_URL, QUEUE_URL).

Unset, both stay embedded: SQLite in DATA_DIR and the local process pool. The distributed
backends' packages (the `postgres` and `queue` extras) are imported only when asked for, and a
missing one is named with the command that installs it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.config import Config, ConfigError
from bot.jobs import JobRunner
from bot.store import Store


def open_store(config: Config) -> Any:
    """`bot.store.Store` on SQLite, or its PostgreSQL twin when DATABASE_URL is set."""
    if not config.database_url:
        return Store(config.database_path)
    try:
        from bot.backends.postgres import PostgresStore
    except ImportError:
        raise ConfigError("DATABASE_URL", "needs psycopg: pip install 'nnbot[postgres]'") from None
    return PostgresStore(config.database_url)


def job_runner(
    config: Config,
    target: Callable[..., Any],
    wire_target: str,
    encode: Callable[[Any], Any],
    decode: Callable[[Any], Any],
) -> Any:
    """The local pool running `target`, or the Redis queue running `wire_target` (JSON in
    and out through `encode`/`decode`) when QUEUE_URL is set."""
    limits = config.limits
    if not config.queue_url:
        return JobRunner(
            target,
            limits.workers,
            limits.queue_size,
            limits.job_seconds,
            threads=limits.training_threads,
        )
    try:
        from bot.backends.redis_queue import RedisJobRunner
    except ImportError:
        raise ConfigError("QUEUE_URL", "needs rq and redis: pip install 'nnbot[queue]'") from None
    return RedisJobRunner(
        config.queue_url,
        wire_target,
        limits.queue_size,
        limits.job_seconds,
        encode=encode,
        decode=decode,
    )


def shared_updates(config: Config) -> Any:
    """With QUEUE_URL, what replicas share per update (once-only, the chat's turn); else None."""
    if not config.queue_url:
        return None
    from bot.backends.shared import SharedUpdates

    return SharedUpdates(config.queue_url, bot_id=config.token.split(":", 1)[0])


def share_rate_limits(config: Config, bot_data: dict) -> None:
    """With QUEUE_URL, the gate's limiters count in Redis, so every replica sees every hit."""
    if not config.queue_url:
        return
    from bot.backends.shared import SharedRateLimiter
    from bot.common.ratelimit import RATE_LIMITER, REFUSAL_WINDOW, REFUSALS

    if config.limits.rate_per_minute:
        bot_data[RATE_LIMITER] = SharedRateLimiter(config.queue_url, config.limits.rate_per_minute)
    bot_data[REFUSALS] = SharedRateLimiter(
        config.queue_url, 1, window=REFUSAL_WINDOW, name="refusals"
    )
