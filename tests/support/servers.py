"""Throwaway PostgreSQL and Redis servers for the tests of the distributed backends.

Each starts from the distribution's binaries (Debian: `apt-get install postgresql
redis-server`, as `.ci/run` does) in a fresh temporary directory, listens only on 127.0.0.1
or a Unix socket, and is removed afterwards. Without the binaries, `postgres_server()` and
`redis_server()` raise `ServerMissing`, which the fixtures turn into a skip with the reason.

PostgreSQL refuses to run as root: when the tests run as root (CI), the server runs as the
`postgres` user; `pg_ctl -l` sends its output to a log file so it never holds our pipes.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

INSTALL_HINT = "install it with `apt-get install postgresql redis-server` (what .ci/run does)"


class ServerMissing(RuntimeError):
    """The server's binaries are not installed here."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise ServerMissing(f"PostgreSQL is not installed: {INSTALL_HINT}")


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server on a free 127.0.0.1 port; yields the URL of its `postgres` db."""
    binaries = _postgres_bin()
    home = Path(tempfile.mkdtemp(prefix="nnbot-pg-"))
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(home, user.pw_uid, user.pw_gid)
    data, log, port = home / "data", home / "server.log", free_port()
    try:
        subprocess.run(
            _as_server_user(
                [str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "nnbot"]
            ),
            check=True,
            capture_output=True,
        )
        options = f"-p {port} -k {home} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            _as_server_user(
                [
                    str(binaries / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(log),
                    "-o",
                    options,
                    "-w",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
            timeout=60,
        )
        yield f"postgresql://nnbot@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_server_user([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(home, ignore_errors=True)


def fresh_database(server_url: str, name: str) -> str:
    """A new, empty database on the server; returns its URL."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + "/" + name


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """A Redis server on a Unix socket (no TCP port at all); yields its unix:// URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise ServerMissing(f"Redis is not installed: {INSTALL_HINT}")
    home = Path(tempfile.mkdtemp(prefix="nnbot-redis-"))
    sock = home / "redis.sock"
    process = subprocess.Popen(
        [
            binary,
            "--port",
            "0",
            "--unixsocket",
            str(sock),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(home),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            if sock.exists():
                break
            time.sleep(0.02)
        else:
            raise RuntimeError("redis-server did not start")
        yield f"unix://{sock}"
    finally:
        process.kill()
        process.wait()
        shutil.rmtree(home, ignore_errors=True)


class Workers:
    """`nnbot worker` processes against one Redis, each in its own process group (so a
    `kill -9` of the group is a worker machine dying: the worker and its work horse)."""

    def __init__(self, url: str, targets: list[str], logs: Path) -> None:
        self.url, self.targets, self.logs = url, targets, logs
        self.processes: list[subprocess.Popen] = []

    def start(self, count: int = 1) -> None:
        from tests.support.paths import ROOT

        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        for _ in range(count):
            number = len(self.processes) + 1
            command = [sys.executable, "-m", "bot", "worker", "--queue-url", self.url]
            command += [f"--target={t}" for t in self.targets]
            command += ["--name", f"test-worker-{os.getpid()}-{number}", "--log-level", "WARNING"]
            log = open(self.logs / f"worker-{number}.log", "wb")  # noqa: SIM115 (kept open)
            self.processes.append(
                subprocess.Popen(
                    command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
                )
            )
        self.wait_registered()

    def wait_registered(self, timeout: float = 30.0) -> None:
        """Until every live worker has registered with Redis (so it takes jobs)."""
        import redis
        from rq import Queue, Worker

        from bot.backends.redis_queue import QUEUE_NAME

        connection = redis.Redis.from_url(self.url)
        queue = Queue(QUEUE_NAME, connection=connection)
        alive = sum(1 for p in self.processes if p.poll() is None)
        deadline = time.monotonic() + timeout
        while Worker.count(queue=queue) < alive:
            if time.monotonic() > deadline:
                raise RuntimeError(f"workers did not start; see {self.logs}")
            time.sleep(0.05)
        connection.close()

    def kill_running(self, horse_pid: int) -> None:
        """kill -9 the worker whose work horse is `horse_pid`, and the horse: a machine dying.

        (RQ puts each horse in a process group of its own, so both are named.)
        """
        parent = int(Path(f"/proc/{horse_pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        assert parent in [p.pid for p in self.processes], "not one of our workers' horses"
        os.kill(parent, signal.SIGKILL)
        os.killpg(os.getpgid(horse_pid), signal.SIGKILL)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def deregister_dead_workers(url: str) -> None:
    """Forget workers killed with -9 (RQ would after its worker TTL), so counts are exact."""
    import redis
    from rq import Worker

    connection = redis.Redis.from_url(url)
    for worker in Worker.all(connection=connection):
        pid = worker.pid
        if pid is not None and not _alive(pid):
            worker.register_death()
    connection.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
