"""The long-lived objects a handler needs, built once in `bot.app` and kept in `bot_data`.

Handlers reach them with `services(context)`; core code receives what it needs as arguments
and never looks them up itself.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.config import Config
from bot.store import Store

if TYPE_CHECKING:
    from telegram.ext import CallbackContext


@dataclass
class Services:
    config: Config
    store: Store
    jobs: Any = None  # bot.jobs.JobRunner, started by bot.app
    started: float = field(default_factory=time.time)


def services(context: CallbackContext) -> Services:
    return context.application.bot_data["services"]
