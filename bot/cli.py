"""The `nnbot` command: one entry point, one module per subcommand.

Each subcommand lives in the module that owns the feature and exposes
`main(argv: list[str]) -> int`; this file only dispatches, so `nnbot --help`
stays fast and a broken feature cannot stop the others from starting.
"""

from __future__ import annotations

import importlib
import os
import sys

COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("bot.app", "run the bot against Telegram (needs TELEGRAM_BOT_TOKEN)"),
    "chat": ("bot.chat.terminal", "try the real bot offline, in this terminal"),
    "digits": ("bot.digits.cli", "read handwritten digits from image files"),
    "train-digits": ("bot.digits.train", "train the digit model (CNN) on MNIST"),
    "repair": ("bot.repair", "set a damaged database aside and copy what can be read"),
    "lab-data": ("bot.lab.data", "build the MNIST subset the digits lab ships with"),
    "worker": ("bot.backends.worker", "run trainings from the Redis task queue (QUEUE_URL)"),
    "migrate": ("bot.backends.migrate", "copy the SQLite state into PostgreSQL, and check it"),
}

BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def usage() -> str:
    lines = ["usage: nnbot COMMAND [options]", "", "commands:"]
    lines += [f"  {name:<14}{text}" for name, (_, text) in COMMANDS.items()]
    lines += ["", "Run `nnbot COMMAND --help` for a command's options."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0 if argv else 2
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        print(f"nnbot: unknown command {name!r}\n\n{usage()}", file=sys.stderr)
        return 2
    if name == "train-digits":  # nncore splits batches over threads: BLAS, one thread per call
        for variable in BLAS_THREAD_VARIABLES:
            os.environ.setdefault(variable, "1")
    module = importlib.import_module(COMMANDS[name][0])
    return int(module.main(rest) or 0)
