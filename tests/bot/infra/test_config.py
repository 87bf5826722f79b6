from pathlib import Path

import pytest

from bot.config import Config, ConfigError

TOKEN = "123456789:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ"


def test_defaults_need_nothing_but_are_tokenless():
    config = Config.from_env({})
    assert config.token == ""
    assert config.data_dir == Path("nnbot-data")
    assert config.base_url is None
    assert config.limits.workers >= 1


def test_token_from_file_is_read_and_stripped(tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    assert Config.from_env({"TELEGRAM_BOT_TOKEN_FILE": str(token_file)}).token == TOKEN


def test_token_and_token_file_together_are_refused(tmp_path):
    with pytest.raises(ConfigError) as err:
        Config.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BOT_TOKEN_FILE": "x"})
    assert err.value.variable == "TELEGRAM_BOT_TOKEN_FILE"


def test_malformed_token_is_refused_without_echoing_it():
    with pytest.raises(ConfigError) as err:
        Config.from_env({"TELEGRAM_BOT_TOKEN": "not-a-token-secret"})
    assert "not-a-token-secret" not in str(err.value)
    assert err.value.variable == "TELEGRAM_BOT_TOKEN"


def test_token_never_appears_in_repr_or_summary():
    config = Config.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "WEBHOOK_SECRET": "s3cr3t-value"})
    for text in (repr(config), config.summary()):
        assert TOKEN not in text
        assert "s3cr3t-value" not in text


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ALLOWED_USERS", "12,abc"),
        ("ADMIN_IDS", "1.5"),
        ("LOG_LEVEL", "LOUD"),
        ("MAX_EPOCHS", "0"),
        ("MAX_EPOCHS", "ten"),
        ("WORKERS", "2.5"),
        ("TRAINING_THREADS", "0"),
        ("TRAINING_THREADS", "1.5"),
        ("JOB_SECONDS", "-1"),
        ("WEBHOOK_URL", "http://example.org/hook"),
        ("WEBHOOK_PORT", "70000"),
        ("WEBHOOK_SECRET", "has spaces"),
        ("TELEGRAM_API_BASE_URL", "localhost:8081"),
    ],
)
def test_wrong_values_name_the_variable(variable, value):
    with pytest.raises(ConfigError) as err:
        Config.from_env({variable: value})
    assert err.value.variable == variable
    assert str(err.value).startswith(variable)


def test_lists_and_limits_are_parsed():
    config = Config.from_env(
        {
            "ALLOWED_USERS": "1, 2;3",
            "ADMIN_IDS": "9",
            "MAX_EPOCHS": "5000",
            "JOB_SECONDS": "30.5",
            "TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081/",
            "LOG_LEVEL": "debug",
        }
    )
    assert config.allowed_users == {1, 2, 3}
    assert config.limits.max_epochs == 5000
    assert config.limits.job_seconds == 30.5
    assert config.log_level == "DEBUG"
    assert config.base_url == "http://127.0.0.1:8081/bot"
    assert config.base_file_url == "http://127.0.0.1:8081/file/bot"


@pytest.mark.parametrize(
    "given", ["http://127.0.0.1:8081", "http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/bot/"]
)
def test_api_base_url_is_the_server_root_or_ptbs_url_ending_in_bot(given):
    config = Config.from_env({"TELEGRAM_API_BASE_URL": given})
    assert config.api_base_url == "http://127.0.0.1:8081"
    assert config.base_url == "http://127.0.0.1:8081/bot"
    assert config.base_file_url == "http://127.0.0.1:8081/file/bot"


def test_a_server_under_a_path_keeps_its_path():
    config = Config.from_env({"TELEGRAM_API_BASE_URL": "https://proxy.example.org/telegram"})
    assert config.base_url == "https://proxy.example.org/telegram/bot"


def test_access_rules():
    open_config = Config.from_env({})
    assert open_config.is_allowed(42)
    closed = Config.from_env({"ALLOWED_USERS": "1", "ADMIN_IDS": "2"})
    assert closed.is_allowed(1)
    assert closed.is_allowed(2)  # admins are always allowed
    assert not closed.is_allowed(3)
    assert not closed.is_allowed(None)
    assert closed.is_admin(2) and not closed.is_admin(1)


def test_training_threads_default_to_one_and_are_read():
    assert Config.from_env({"TELEGRAM_BOT_TOKEN": TOKEN}).limits.training_threads == 1
    config = Config.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "TRAINING_THREADS": "2"})
    assert config.limits.training_threads == 2
