"""Load benchmark: 50 simulated users at once through the local Bot API (issue 7).

    .venv/bin/python -m benchmarks.bench_load                 # 50 users, ~1150 updates
    .venv/bin/python -m benchmarks.bench_load --users 10 --short
    .venv/bin/python -m benchmarks.bench_load --separate      # the bot as `nnbot run`

The real bot (what `nnbot run` builds, with its training worker processes) polls a local Bot
API server in this process. Each user, in its own chat, sends a table, changes settings,
trains (waiting for the result; "busy, try later" → tries again a few seconds later), asks
for predictions, sends photos of digits, presses buttons, asks for /explain, /plot, /net,
/boundary, /weights, switches language… One more chat floods the bot past the rate limit.
The scenario and its checks live in tests/stress/loadgen.py (the CI test runs it small).

Prints latency percentiles (update sent → the bot's first answer), event-loop lag, peak
memory and the job runner's bounds, and exits 1 if any requirement fails: an update not
answered, a step answered more often than it should be, a reply in the wrong chat, an
apology or ERROR log, more running or waiting trainings than WORKERS / QUEUE_SIZE, or a rate
limit that let through more (or fewer) than RATE_PER_MINUTE messages.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

from tests.stress.loadgen import run_load


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--short", action="store_true", help="12 steps per user instead of 23")
    parser.add_argument("--workers", type=int, default=2, help="training processes (WORKERS)")
    parser.add_argument("--queue", type=int, default=16, help="QUEUE_SIZE")
    parser.add_argument("--rate", type=int, default=60, help="RATE_PER_MINUTE")
    parser.add_argument("--flood", type=int, default=90, help="messages of the flooding chat")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--separate",
        action="store_true",
        help="run the bot as its own process (`nnbot run`) to measure its memory alone; "
        "job counts and the bot's event-loop lag are then not visible",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="nnbot-load-") as folder:
        started = time.strftime("%Y-%m-%d %H:%M:%S")
        result = asyncio.run(
            run_load(
                Path(folder) / "data",
                users=args.users,
                short=args.short,
                workers=args.workers,
                queue_size=args.queue,
                rate=args.rate,
                flood=args.flood,
                seed=args.seed,
                separate=args.separate,
            )
        )
    print(f"nnbot load benchmark, started {started}")
    print(result.report())
    failures = result.failures()
    if result.updates + result.flood_sent < 1000 and not args.short and args.users >= 50:
        failures.append(f"only {result.updates + result.flood_sent} updates (need ≥ 1000)")
    for problem in failures:
        print(f"FAIL: {problem}")
    print("PASS" if not failures else "FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
