"""pytest fixtures over `tests.support.servers`: one server per session, a clean slate per test.

Import them into a conftest (`from tests.support.server_fixtures import *`); a test that asks
for `postgres_url` or `redis_url` skips, with the reason, where the server is not installed.
"""

from __future__ import annotations

import itertools

import pytest

from tests.support.servers import ServerMissing, fresh_database, postgres_server, redis_server

_databases = itertools.count(1)


def _started(factory, request):
    try:
        context = factory()
        url = context.__enter__()
    except ServerMissing as missing:
        pytest.skip(str(missing))
    request.addfinalizer(lambda: context.__exit__(None, None, None))
    return url


@pytest.fixture(scope="session")
def postgres_server_url(request):
    return _started(postgres_server, request)


@pytest.fixture(scope="session")
def redis_server_url(request):
    return _started(redis_server, request)


@pytest.fixture
def postgres_url(postgres_server_url):
    """An empty database of its own for this test."""
    return fresh_database(postgres_server_url, f"test_{next(_databases)}")


@pytest.fixture
def redis_url(redis_server_url):
    """The session's Redis, emptied for this test."""
    import redis

    connection = redis.Redis.from_url(redis_server_url)
    connection.flushall()
    connection.close()
    return redis_server_url
