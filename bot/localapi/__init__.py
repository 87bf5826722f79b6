"""The real bot without Telegram: a local Bot API server, simulated users, `nnbot chat`.

- `server.LocalBotApi`: an aiohttp Bot API server on 127.0.0.1 (TELEGRAM_API_BASE_URL).
- `client.BotClient` / `LocalUser`: users who send messages, photos, files and press buttons,
  and read what the bot answered; `wait_idle()` knows when the bot has finished.
- `session.LocalSession`: the server plus the real bot (`bot.app.build_application`) in one
  event loop — what `nnbot chat` (`chat.py`) and the end-to-end tests run.
"""

from bot.localapi.client import BotClient, BotMessage, LocalUser
from bot.localapi.server import LocalBotApi
from bot.localapi.session import LocalSession

__all__ = ["BotClient", "BotMessage", "LocalBotApi", "LocalSession", "LocalUser"]
