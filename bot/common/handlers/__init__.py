"""Handlers every chat needs: the gate, errors, /start, /help, /lang, /reset and /stats.

The gate runs in group -1, before every feature: it keeps out users the host did not allow
(ALLOWED_USERS) without storing anything of theirs, and slows down a chat that floods the bot
(RATE_PER_MINUTE), saying so once rather than on every message.

- `gate`: access and rate limit (group -1);
- `errors`: the error handler and the answer to an unknown command (group 1);
- `commands`: /start, /help, /lang, /reset, /stats and their buttons.
"""

from __future__ import annotations

from telegram.ext import Application

from bot.common.handlers import commands, errors, gate
from bot.common.views import COMMANDS, command_text

__all__ = ["COMMANDS", "command_text", "register"]


def register(application: Application) -> None:
    """Adds the gate (group -1), the error handler and the common commands."""
    gate.register(application)
    errors.register(application)
    commands.register(application)
