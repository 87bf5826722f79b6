"""nnbot: a Telegram bot that teaches neural networks by building them from scratch."""

import os

__version__ = "0.1.0"

# python-telegram-bot 22 is moving time periods (RetryAfter.retry_after, …) from int seconds to
# timedelta and warns on every use unless a program opts in; we handle both (see
# bot.training.handlers.retry_seconds), so opt in before telegram is imported.
os.environ.setdefault("PTB_TIMEDELTA", "true")
