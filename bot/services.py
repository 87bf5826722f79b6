"""The long-lived objects a handler needs, built once in `bot.app` and kept in `bot_data`.

Handlers reach them as `context.services` (bot.context.BotContext); core code receives what
it needs as arguments and never looks them up itself.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.config import Config
from bot.store import Store

if TYPE_CHECKING:
    from bot.jobs import JobRunner

SERVICES = "services"  # the bot_data key


@dataclass
class Services:
    config: Config
    store: Store
    jobs: JobRunner | None = None  # started by bot.app after the bot connected
    started: float = field(default_factory=time.time)
