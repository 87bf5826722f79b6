"""A stand-in for Telegram: a local Bot API server and simulated users. Knows nothing of nnbot.

- `server.LocalBotApi`: an aiohttp Bot API server on 127.0.0.1 (TELEGRAM_API_BASE_URL).
- `client.BotClient` / `LocalUser`: users who send messages, photos, files and press buttons,
  and read what the bot answered; `wait_idle()` knows when the bot has finished.

Inside the server: `state` (chats, messages, events), `params` (request values, ApiError),
the methods in `profile`, `messages` and `files`, and `entities` / `media` for HTML and photos.

`bot.chat` puts this server and the real bot together (`nnbot chat`, the end-to-end tests).
"""

from bot.localapi.client import BotClient, BotMessage, LocalUser
from bot.localapi.server import LocalBotApi

__all__ = ["BotClient", "BotMessage", "LocalBotApi", "LocalUser"]
