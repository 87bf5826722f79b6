"""Past one machine: the load benchmark on the embedded and the distributed backends (issue 17).

    .venv/bin/python -m benchmarks.bench_scale                    # every mode below
    .venv/bin/python -m benchmarks.bench_scale --modes queue1 --users 10 --short

Needs PostgreSQL and Redis installed (`apt-get install postgresql redis-server`); starts
throwaway servers on 127.0.0.1 / a Unix socket. The scenario is the load benchmark's
(tests/stress/loadgen.py: 50 users, ≥ 1 000 updates, a flooding chat). Modes:

- `local`: SQLite and the local pool of 2 training processes (today's default; the reference);
- `queue1`, `queue2`, `queue4`: PostgreSQL and the Redis queue with 1, 2, 4 `nnbot worker`s;
- `replicas`: two bot Applications sharing PostgreSQL and Redis, fed by one distributor as a
  reverse proxy would (round robin; every 10th update is delivered to both, as a retried
  webhook would be), with 2 workers: lost, duplicated and out-of-order updates are counted;
- `kill`: `queue2`, with one worker machine (worker + work horse) killed with -9 while it
  trains: every chat it was training for must be told, and train again.

Prints, per mode: trainings finished per minute, first-answer latency p50/p99, the load
benchmark's verdict, and the CPU seconds and peak memory of the workers, PostgreSQL and Redis.
Ratios are against `local` from the same run. The machine may be shared: compare within a run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

from tests.stress import loadgen
from tests.stress.harness import client_for
from tests.support.replicas import replicas
from tests.support.servers import (
    Workers,
    fresh_database,
    postgres_server,
    redis_server,
)

MODES = ("local", "queue1", "queue2", "queue4", "replicas", "kill")


def _tree(pid: int) -> list[int]:
    return [pid, *loadgen._descendants(pid)]


def _rss_mb(pids: list[int]) -> float:
    return sum(loadgen._rss_mb(p) for p in pids)


def _cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])) / ticks
    return total


def _server_pids(name: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if (entry / "comm").read_text().strip().startswith(name):
                    found.append(int(entry.name))
    return found


class Meter:
    """Peak memory and CPU seconds of named groups of processes, sampled twice a second
    (a process that ends between two samples keeps the CPU time last seen)."""

    def __init__(self, groups: dict) -> None:
        self.groups = groups  # name → callable giving the pids now
        self.peak = dict.fromkeys(groups, 0.0)
        self.cpu: dict[str, float] = {}
        self._seen: dict[str, dict[int, float]] = {n: {} for n in groups}
        self._start = {n: {p: _cpu_seconds([p]) for p in f()} for n, f in groups.items()}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        for name, pids in self.groups.items():
            now = pids()
            self.peak[name] = max(self.peak[name], _rss_mb(now))
            for pid in now:
                self._seen[name][pid] = _cpu_seconds([pid])

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self._sample()

    def __enter__(self) -> Meter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()
        self.cpu = {
            name: sum(c - self._start[name].get(p, 0.0) for p, c in seen.items())
            for name, seen in self._seen.items()
        }


@contextlib.asynccontextmanager
async def replicas_host(config, data_dir, record: dict, count: int = 2, workers=None):
    """`count` bot replicas behind a distributor (the proxy, `tests.support.replicas`), with
    what loadgen needs of a bot host; `record` gets what the distributor and replicas did."""
    config = dataclasses.replace(config, data_dir=data_dir)
    async with replicas(config, count, twice_every=10, record=record) as host:
        yield _LoadHost(host, workers)


class _LoadHost:
    """What loadgen needs of a bot host, for several replicas."""

    def __init__(self, host, workers) -> None:
        self.host, self.workers = host, workers
        self.server, self.client = host.server, client_for(host.server)

    def user(self, *args, **kwargs):
        return self.client.user(*args, **kwargs)

    def jobs(self):
        return self.host.jobs()

    def rss(self) -> tuple[float, float]:
        workers = [
            p for w in (self.workers.processes if self.workers else []) for p in _tree(w.pid)
        ]
        return loadgen._rss_mb("self"), _rss_mb(workers)

    def errors(self) -> list[str]:
        return [e for e in self.host.capture.errors if "worker died" not in e]

    async def settle(self) -> None:
        await self.client.wait_idle(quiet=1.0, timeout=120, busy=self.host.busy)


async def kill_one_worker_while_it_trains(workers: Workers, url: str, after: float) -> int:
    """After `after` s, kill -9 a worker (and its horse) that is training; returns its pid."""
    import redis

    await asyncio.sleep(after)
    connection = redis.Redis.from_url(url)
    while True:
        for name in connection.scan_iter("nnbot:alive:*"):
            value = connection.get(name)
            if value:
                horse = int(value.decode().rsplit(":", 1)[1])
                with contextlib.suppress(AssertionError, OSError):
                    workers.kill_running(horse)
                    return horse
        await asyncio.sleep(0.2)


async def run_mode(mode: str, args, servers: dict, folder: Path) -> dict:
    from bot.training.wire import TARGET

    data_dir = folder / mode
    options = dict(
        users=args.users, short=args.short, queue_size=args.queue, rate=args.rate, seed=args.seed
    )
    if mode == "local":
        meter = Meter({"workers": lambda: _tree(os.getpid())[1:]})
        with meter:
            result = await loadgen.run_load(data_dir, workers=2, **options)
        return {"result": result, "meter": meter, "extra": ""}
    count = {"queue1": 1, "queue4": 4}.get(mode, 2)
    database = fresh_database(servers["postgres"], f"bench_{mode}")
    import redis

    redis.Redis.from_url(servers["redis"]).flushall()
    backends = {"database_url": database, "queue_url": servers["redis"]}
    workers = Workers(servers["redis"], [TARGET], folder)
    workers.start(count)
    meter = Meter(
        {
            "workers": lambda: [p for w in workers.processes for p in _tree(w.pid)],
            "postgres": lambda: _server_pids("postgres"),
            "redis": lambda: _server_pids("redis-server"),
        }
    )
    extra, host, record = "", None, {}
    if mode == "replicas":

        def host(config, data):
            return replicas_host(config, data, record, 2, workers)

    try:
        with meter:
            load = loadgen.run_load(
                data_dir, workers=count, backends=backends, host=host, **options
            )
            if mode == "kill":
                killer = asyncio.create_task(
                    kill_one_worker_while_it_trains(workers, servers["redis"], after=20)
                )
                result = await load
                killed = killer.done() and not killer.cancelled()
                killer.cancel()
                extra = f"worker killed: {'yes' if killed else 'no (load ended first)'}"
            else:
                result = await load
    finally:
        workers.stop()
    if record:
        extra = (
            f"2 replicas: {record['sent']} updates distributed, {record['resent']} of them "
            f"delivered twice; dropped as duplicates {record['duplicates']}; handled after a "
            f"later update of their chat {record['late']}"
        )
    return {"result": result, "meter": meter, "extra": extra}


def summary(mode: str, run: dict, reference: dict | None) -> list[str]:
    result, meter = run["result"], run["meter"]
    lat = sorted(result.all_latencies)
    per_minute = len(result.trainings) / (result.seconds / 60) if result.seconds else 0.0
    p50, p99 = _q(lat, 0.5), _q(lat, 0.99)
    lines = [
        f"== {mode}: {result.updates + result.flood_sent} updates, {result.seconds:.0f} s; "
        f"trainings finished {len(result.trainings)} ({per_minute:.1f}/min); first answer "
        f"p50 {p50:.2f} s, p99 {p99:.2f} s; 'queue full' {result.queue_full}, "
        f"'worker died' {result.crashed}",
        f"   lost {len(result.lost)}, over-answered {len(result.duplicated)}, wrong chat "
        f"{len(result.wrong_chat)}, apologies {result.apologies}, ERROR logs "
        f"{len(result.errors)}; verdict: {'PASS' if not result.failures() else 'FAILED'}",
    ]
    if reference is not None and reference is not run:
        ref = reference["result"]
        ref_rate = len(ref.trainings) / (ref.seconds / 60) if ref.seconds else 0
        ref_lat = sorted(ref.all_latencies)
        lines.append(
            f"   vs local: trainings/min ×{per_minute / ref_rate:.2f}, p50 "
            f"×{p50 / _q(ref_lat, 0.5):.2f}, p99 ×{p99 / _q(ref_lat, 0.99):.2f}"
            if ref_rate and ref_lat
            else "   vs local: —"
        )
    costs = ", ".join(
        f"{name} {meter.cpu.get(name, 0):.0f} CPU-s / peak {meter.peak[name]:.0f} MB"
        for name in meter.groups
    )
    lines.append(f"   {costs}; bot process peak {result.rss_peak_mb:.0f} MB")
    if run["extra"]:
        lines.append(f"   {run['extra']}")
    lines += [f"   FAIL: {problem}" for problem in result.failures()]
    return lines


def _q(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))] if values else 0.0


async def main_async(args) -> int:
    runs: dict[str, dict] = {}
    with (
        tempfile.TemporaryDirectory(prefix="nnbot-scale-") as folder,
        postgres_server() as pg,
        redis_server() as rd,
    ):
        servers = {"postgres": pg, "redis": rd}
        for mode in args.modes:
            runs[mode] = await run_mode(mode, args, servers, Path(folder))
            for line in summary(mode, runs[mode], runs.get("local")):
                print(line, flush=True)
    failed = [m for m, r in runs.items() if r["result"].failures()]
    print("PASS" if not failed else f"FAILED: {', '.join(failed)}")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modes", nargs="+", default=list(MODES), choices=MODES)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--short", action="store_true")
    parser.add_argument("--queue", type=int, default=16)
    parser.add_argument("--rate", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(f"nnbot scale benchmark, {time.strftime('%Y-%m-%d %H:%M:%S')}, {os.cpu_count()} cores")
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
