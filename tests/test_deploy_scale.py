"""docker-compose.scale.yml, read as Docker Compose merges it over docker-compose.yml: every
service hardened and restarted, the servers with named volumes and health checks, the bot and
the workers on PostgreSQL and Redis. (No Docker engine runs in CI: this reads the files.)"""

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
