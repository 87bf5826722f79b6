"""The conversation fuzzer, long: random conversations with the real bot until N steps.

    .venv/bin/python -m benchmarks.fuzz_conversations --steps 2000
    .venv/bin/python -m benchmarks.fuzz_conversations --steps 300 --seed 7

Each conversation is one run of `tests.support.conversations.Conversation` (hypothesis'
stateful testing) in a chat of its own, against one bot on one DATA_DIR, restarted now and
then on the same data. Prints the steps, conversations, restarts and trainings done and
whether anything was lost; on the first broken invariant hypothesis shrinks the conversation
and prints it, and the script exits 1.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, seed, settings
from hypothesis.stateful import run_state_machine_as_test

from tests.support.conversations import BotDriver, conversation_class

STEPS_PER_CONVERSATION = 25


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fuzz_conversations")
    parser.add_argument("--steps", type=int, default=1000, help="steps to run at least")
    parser.add_argument("--seed", type=int, default=None, help="hypothesis seed (default: random)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="nnbot-fuzz-") as tmp:
        driver = BotDriver(Path(tmp) / "data")
        failed = False
        try:
            while driver.tally.steps < args.steps:
                examples = max(1, (args.steps - driver.tally.steps) // STEPS_PER_CONVERSATION)
                options = settings(
                    max_examples=min(examples, 20),
                    stateful_step_count=STEPS_PER_CONVERSATION,
                    deadline=None,
                    database=None,
                    suppress_health_check=list(HealthCheck),
                )
                machine = conversation_class(driver)
                if args.seed is not None:
                    machine = seed(args.seed + driver.tally.conversations)(machine)
                try:
                    run_state_machine_as_test(machine, settings=options)
                except AssertionError as error:
                    print(f"invariant broken: {error}", file=sys.stderr)
                    failed = True
                    break
        finally:
            driver.close()
    tally = driver.tally
    print(f"steps:         {tally.steps}")
    print(f"conversations: {tally.conversations}")
    print(f"restarts:      {tally.restarts}")
    print(f"trainings:     {tally.trainings}")
    print(f"time:          {time.monotonic() - started:.0f} s")
    print("nothing lost" if not tally.lost else f"LOST: {tally.lost}")
    return 1 if failed or tally.lost else 0


if __name__ == "__main__":
    sys.exit(main())
