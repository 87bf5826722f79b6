"""docker-compose.scale.yml, read as Docker Compose merges it over docker-compose.yml: every
service hardened and restarted, the servers with named volumes and health checks, the bot and
the workers on PostgreSQL and Redis. (No Docker engine runs in CI: this reads the files.)"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.paths import ROOT

yaml = pytest.importorskip("yaml")


def merged() -> dict:
    """The two files merged the way Compose merges an override (maps deep, lists appended)."""

    def merge(base, override):
        if isinstance(base, dict) and isinstance(override, dict):
            return {k: merge(base.get(k), v) if k in base else v for k, v in override.items()} | {
                k: v for k, v in base.items() if k not in override
            }
        return override

    base = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    scale = yaml.safe_load((ROOT / "docker-compose.scale.yml").read_text())
    return merge(base, {k: v for k, v in scale.items() if not k.startswith("x-")})


@pytest.fixture(scope="module")
def services():
    return merged()["services"]


def test_every_service_is_hardened_and_restarts(services):
    assert set(services) == {"nnbot", "worker", "postgres", "redis", "caddy"}
    for name, service in services.items():
        assert service["read_only"] is True, name
        assert "no-new-privileges:true" in service["security_opt"], name
        assert service["restart"] == "unless-stopped", name
        assert service["cap_drop"] == ["ALL"], name
        assert "privileged" not in service, name


def test_the_servers_keep_their_data_in_named_volumes_and_have_health_checks(services):
    volumes = merged()["volumes"]
    for name, mount in (("postgres", "/var/lib/postgresql/data"), ("redis", "/data")):
        service = services[name]
        assert service["healthcheck"]["test"], name
        named = [v.split(":")[0] for v in service["volumes"] if v.split(":")[1] == mount]
        assert named and named[0] in volumes, name


def test_bot_replicas_and_workers_use_postgres_and_redis_and_wait_for_them(services):
    for name in ("nnbot", "worker"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgresql://"), name
        assert env["QUEUE_URL"].startswith("redis://"), name
        assert services[name]["deploy"]["replicas"], name
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"
    assert services["nnbot"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["worker"]["command"] == ["worker"]
    assert services["nnbot"]["build"]["args"]["EXTRAS"] == "postgres,queue"
    assert services["nnbot"]["environment"]["WEBHOOK_SECRET"].startswith("${WEBHOOK_SECRET:?")


def test_the_nnbot_containers_and_the_proxy_run_as_non_root(services):
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "USER 10001:10001" in dockerfile  # the nnbot image, for the bot and the workers
    assert services["worker"]["image"] == services["nnbot"]["image"]
    assert "user" not in services["nnbot"] and "user" not in services["worker"]
    assert services["caddy"]["user"].split(":")[0] != "0"


def test_the_proxy_sends_webhooks_to_every_bot_replica(services):
    caddyfile = Path(ROOT / "deploy" / "Caddyfile").read_text()
    assert "dynamic a nnbot 8443" in caddyfile
    mounted = [v for v in services["caddy"]["volumes"] if v.startswith("./deploy/Caddyfile:")]
    assert mounted and mounted[0].endswith(":ro")
    assert services["nnbot"]["environment"]["WEBHOOK_PORT"] == "8443"


SAMPLE_ENV = {
    "TELEGRAM_BOT_TOKEN": "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345678",
    "NNBOT_DOMAIN": "bot.example.org",
    "POSTGRES_PASSWORD": "pg-secret",
    "REDIS_PASSWORD": "redis-secret",
    "WEBHOOK_SECRET": "hook-secret",
}


def interpolated(value: str) -> str:
    """`${NAME:?message}`, `${NAME:-default}` and `${NAME}` with SAMPLE_ENV, as Compose does."""

    def one(match: re.Match) -> str:
        name, _, fallback = match.group(1).partition(":-")
        name = name.split(":?")[0]
        return SAMPLE_ENV.get(name, fallback)

    return re.sub(r"\$\{([^}]+)\}", one, str(value))


def container_env(service: dict) -> dict[str, str]:
    return {"TELEGRAM_BOT_TOKEN": SAMPLE_ENV["TELEGRAM_BOT_TOKEN"]} | {
        name: interpolated(value) for name, value in service["environment"].items()
    }


def names_read_by(*modules: str) -> set[str]:
    """Every upper-case string literal in these modules: the variables they can read."""
    found: set[str] = set()
    for module in modules:
        source = (ROOT / (module.replace(".", "/") + ".py")).read_text()
        found |= set(re.findall(r"\"([A-Z][A-Z0-9_]{2,})\"", source))
    return found


def test_every_variable_given_to_the_nnbot_containers_is_one_nnbot_reads(services):
    known = names_read_by("bot.config", "bot.backends.worker", "bot.backends.horse")
    for name in ("nnbot", "worker"):
        unknown = set(services[name]["environment"]) - known
        assert not unknown, f"{name}: {unknown}"


def test_the_bot_replicas_configuration_is_valid_and_lands_where_meant(services):
    from bot.config import Config

    config = Config.from_env(container_env(services["nnbot"]))
    assert config.database_url == "postgresql://nnbot:pg-secret@postgres:5432/nnbot"
    assert config.queue_url == "redis://:redis-secret@redis:6379/0"
    assert config.webhook_url == "https://bot.example.org/telegram"
    assert config.webhook_port == 8443 and config.webhook_secret == "hook-secret"
    assert str(config.data_dir) == "/tmp/nnbot"  # inside the container's tmpfs
    tmpfs = services["nnbot"]["tmpfs"]
    assert any(mount.startswith("/tmp:") for mount in tmpfs)


def test_the_workers_command_exists_and_reads_the_queue_from_the_environment(services, monkeypatch):
    from bot.backends import worker
    from bot.cli import COMMANDS

    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["nnbot"]' in dockerfile and 'CMD ["run"]' in dockerfile
    assert "run" in COMMANDS and services["worker"]["command"][0] in COMMANDS
    for name, value in container_env(services["worker"]).items():
        monkeypatch.setenv(name, value)
    args = worker.parser().parse_args(services["worker"]["command"][1:])
    assert args.queue_url == "redis://:redis-secret@redis:6379/0"


def test_the_readmes_migrate_command_parses():
    from bot.backends import migrate
    from bot.cli import COMMANDS

    readme = (ROOT / "README.md").read_text()
    line = re.search(r"run --rm --no-deps nnbot (migrate [^`]+)`", readme).group(1)
    words = line.split()
    assert words[0] in COMMANDS
    args = migrate.parser().parse_args(words[1:])
    assert args.source == "/data/nnbot.sqlite3" and args.to.startswith("postgresql://")


def test_docker_compose_accepts_the_merged_files(tmp_path):
    """Compose's own schema check (`docker-compose config`), where the tool is installed;
    in a copy of the files with .env.example as .env (the host's own .env is not needed)."""
    tool = shutil.which("docker-compose")
    if tool is None:
        pytest.skip("docker-compose is not installed (apt-get install docker-compose)")
    for name in ("docker-compose.yml", "docker-compose.scale.yml", "Dockerfile"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    shutil.copytree(ROOT / "deploy", tmp_path / "deploy")
    env = {**os.environ, **SAMPLE_ENV}
    files = ["-f", "docker-compose.yml", "-f", "docker-compose.scale.yml"]
    done = subprocess.run(
        [tool, *files, "config", "--quiet"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
