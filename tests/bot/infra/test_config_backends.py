"""DATABASE_URL and QUEUE_URL: validated, kept out of logs, and the default stays embedded."""

import pytest

from bot.backends.choose import job_runner, open_store, share_rate_limits, shared_updates
from bot.config import Config, ConfigError
from bot.jobs import JobRunner
from bot.store import Store


def test_unset_means_sqlite_and_the_local_pool(tmp_path):
    config = Config.from_env({"DATA_DIR": str(tmp_path)})
    store = open_store(config)
    assert type(store) is Store and store.path == tmp_path / "nnbot.sqlite3"
    store.close()
    runner = job_runner(config, print, "x:y", dict, dict)
    assert type(runner) is JobRunner
    assert shared_updates(config) is None
    bot_data = {}
    share_rate_limits(config, bot_data)
    assert bot_data == {}


@pytest.mark.parametrize(
    ("variable", "value"),
    [("DATABASE_URL", "mysql://db/nnbot"), ("QUEUE_URL", "amqp://rabbit"), ("QUEUE_URL", "redis")],
)
def test_a_server_address_of_the_wrong_kind_is_refused_by_name(variable, value):
    with pytest.raises(ConfigError) as error:
        Config.from_env({variable: value})
    assert error.value.variable == variable


def test_passwords_in_the_addresses_never_reach_the_summary_or_repr():
    config = Config.from_env(
        {
            "DATABASE_URL": "postgresql://nnbot:pg-secret-1@db.example.org:5432/nnbot",
            "QUEUE_URL": "redis://:redis-secret-2@cache.example.org:6379/0",
        }
    )
    shown = config.summary() + repr(config)
    assert "pg-secret-1" not in shown and "redis-secret-2" not in shown
    assert "state=postgresql://db.example.org:5432" in config.summary()
    assert "jobs=redis://cache.example.org:6379" in config.summary()
    assert sorted(config.server_passwords) == ["pg-secret-1", "redis-secret-2"]
