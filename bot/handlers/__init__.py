"""The bot's handlers, one module per feature, registered in a fixed order.

`common` comes first (the gate in group -1, the error handler, /start, /help, …); `tables`
comes last because it owns the router for plain text messages, which must only see what no
other handler took. Each module exposes `register(application)` and `COMMANDS`.
"""

from __future__ import annotations

from telegram.ext import Application

from bot.handlers import common, digits

MODULES = (common, digits)


def all_commands() -> list[str]:
    """Every public command, in menu order: /start and /help first, housekeeping last."""
    names = [name for module in MODULES for name in module.COMMANDS]
    head = [name for name in ("start", "help") if name in names]
    tail = [name for name in common.COMMANDS if name not in head]
    middle = [name for name in names if name not in head and name not in tail]
    return head + list(dict.fromkeys(middle)) + tail


def register_all(application: Application) -> None:
    """Adds every feature's handlers and remembers the command list for /help."""
    for module in MODULES:
        module.register(application)
    application.bot_data["commands"] = all_commands()
