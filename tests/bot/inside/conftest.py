"""The throwaway PostgreSQL server, for the /share store tests on both stores."""

from tests.support.server_fixtures import postgres_server_url, postgres_url  # noqa: F401
