"""The throwaway Redis server, for the lab's jobs on the task queue."""

from tests.support.queue import queue  # noqa: F401
from tests.support.server_fixtures import redis_server_url, redis_url  # noqa: F401
