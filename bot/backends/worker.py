"""`nnbot worker`: run trainings from the task queue in Redis (QUEUE_URL), on any machine.

Start as many as the machine has cores (`--processes`, default 1 per call; the compose file
scales containers instead). Each is an RQ worker that forks a work horse per job, so a job
that crashes or runs past its hard limit takes only its horse with it. SIGTERM finishes the
job in hand, then exits (RQ's warm shutdown); a second SIGTERM stops at once.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit

from bot.backends.horse import TARGETS_VARIABLE, allowed_targets, load_target

MONITOR_SECONDS = 1  # how often the worker looks at its work horse (RQ's default is 30)
WORKER_TTL = 30  # seconds a silent worker stays registered (RQ: 420); idle ones beat every 15


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="nnbot worker",
        description="Run nnbot trainings from the Redis task queue named by QUEUE_URL.",
    )
    p.add_argument("--queue-url", default=os.environ.get("QUEUE_URL", ""), help="redis://…")
    p.add_argument("--name", default="", help="a unique worker name (default: host and pid)")
    p.add_argument(
        "--target",
        action="append",
        default=[],
        help="a job function module:function this worker may run (default: the training)",
    )
    p.add_argument("--burst", action="store_true", help="exit when the queue is empty")
    p.add_argument("--log-level", default=os.environ.get("LOG_LEVEL", "INFO"))
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not args.queue_url.startswith(("redis://", "rediss://", "unix://")):
        print(
            "nnbot worker: set QUEUE_URL (or --queue-url) to redis://host:6379/0", file=sys.stderr
        )
        return 2
    if args.target:
        os.environ[TARGETS_VARIABLE] = ",".join(args.target)
    from bot.logs import setup_logging

    setup_logging(args.log_level.upper(), secrets=[urlsplit(args.queue_url).password])
    import redis
    from rq import Queue, Worker
    from rq.serializers import JSONSerializer

    from bot.backends.redis_queue import QUEUE_NAME, key

    for target in allowed_targets():  # import once here, so each forked horse starts warm
        load_target(target)
    connection = redis.Redis.from_url(args.queue_url)
    try:
        connection.ping()
    except redis.RedisError as error:
        print(f"nnbot worker: Redis does not answer: {error}", file=sys.stderr)
        return 1
    queue = Queue(QUEUE_NAME, connection=connection, serializer=JSONSerializer)
    heartbeat = Path(os.environ.get("DATA_DIR", "").strip() or "nnbot-data") / "heartbeat"

    class HeartbeatWorker(Worker):
        """RQ's worker, touching DATA_DIR/heartbeat on each of its heartbeats (the image's
        healthcheck: healthy while Redis takes the heartbeats, at least every 15 s), and
        saying it is alive to bot replicas that saw a work horse of its die."""

        def heartbeat(self, *args, **kwargs):
            super().heartbeat(*args, **kwargs)
            self.connection.delete(key("gone", self.name))
            with contextlib.suppress(OSError):
                heartbeat.parent.mkdir(parents=True, exist_ok=True)
                heartbeat.touch()

    worker = HeartbeatWorker(
        [queue],
        connection=connection,
        serializer=JSONSerializer,
        name=args.name or f"{socket.gethostname()}-{os.getpid()}",
        job_monitoring_interval=MONITOR_SECONDS,
        worker_ttl=WORKER_TTL,
    )
    worker.work(burst=args.burst, logging_level=args.log_level.upper(), with_scheduler=False)
    return 0
