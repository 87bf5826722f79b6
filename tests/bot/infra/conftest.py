"""The throwaway PostgreSQL and Redis servers, for the tests of both backends."""

from tests.support.server_fixtures import (  # noqa: F401
    postgres_server_url,
    postgres_url,
    redis_server_url,
    redis_url,
)
