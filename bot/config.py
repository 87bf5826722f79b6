"""Settings from the environment, validated once at start.

Every variable is documented in README.md and `.env.example`. A wrong value raises
`ConfigError` naming the variable and what is allowed, so `nnbot run` can fail with one clear
line instead of a traceback. The token is kept out of `repr()` so it cannot leak into logs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import urlsplit

TOKEN_PATTERN = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{20,}$")


class ConfigError(ValueError):
    """A setting has a value we cannot use; the message names the variable."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable


@dataclass(frozen=True)
class Limits:
    """What one chat may ask of the bot. Each field maps to an environment variable."""

    max_table_rows: int = 10_000  # MAX_TABLE_ROWS
    max_table_cols: int = 64  # MAX_TABLE_COLS
    max_file_bytes: int = 1_000_000  # MAX_FILE_BYTES: tables sent as documents
    max_image_bytes: int = 20_000_000  # MAX_IMAGE_BYTES: photos and images as files
    max_image_pixels: int = 40_000_000  # MAX_IMAGE_PIXELS: checked before decoding
    max_epochs: int = 100_000  # MAX_EPOCHS
    max_hidden_layers: int = 4  # MAX_HIDDEN_LAYERS
    max_layer_units: int = 256  # MAX_LAYER_UNITS
    max_parameters: int = 100_000  # MAX_PARAMETERS: weights + biases of one network
    job_seconds: float = 120.0  # JOB_SECONDS: wall-clock cap of one training
    workers: int = max(1, os.cpu_count() or 1)  # WORKERS: training processes
    training_threads: int = 1  # TRAINING_THREADS: threads of each one (WORKERS × this ≤ cores)
    queue_size: int = 16  # QUEUE_SIZE: trainings waiting for a worker
    rate_per_minute: int = 30  # RATE_PER_MINUTE: messages per chat per minute (0 = off)
    max_lab_images: int = 60_000  # MAX_LAB_IMAGES: training digits of one /lab training
    max_lab_parameters: int = 500_000  # MAX_LAB_PARAMETERS: weights + biases of a lab network
    lab_personal_epochs: int = 3  # LAB_PERSONAL_EPOCHS: epochs of /lab personal's fine-tuning


LIMIT_VARIABLES: dict[str, tuple[str, float, float]] = {
    # field: (variable, smallest allowed, largest allowed)
    "max_table_rows": ("MAX_TABLE_ROWS", 2, 1_000_000),
    "max_table_cols": ("MAX_TABLE_COLS", 2, 1_000),
    "max_file_bytes": ("MAX_FILE_BYTES", 1_000, 20_000_000),
    "max_image_bytes": ("MAX_IMAGE_BYTES", 10_000, 20_000_000),
    "max_image_pixels": ("MAX_IMAGE_PIXELS", 10_000, 200_000_000),
    "max_epochs": ("MAX_EPOCHS", 1, 10_000_000),
    "max_hidden_layers": ("MAX_HIDDEN_LAYERS", 0, 16),
    "max_layer_units": ("MAX_LAYER_UNITS", 1, 4096),
    "max_parameters": ("MAX_PARAMETERS", 10, 10_000_000),
    "job_seconds": ("JOB_SECONDS", 1, 86_400),
    "workers": ("WORKERS", 1, 64),
    "training_threads": ("TRAINING_THREADS", 1, 64),
    "queue_size": ("QUEUE_SIZE", 0, 10_000),
    "rate_per_minute": ("RATE_PER_MINUTE", 0, 10_000),
    "max_lab_images": ("MAX_LAB_IMAGES", 100, 1_000_000),
    "max_lab_parameters": ("MAX_LAB_PARAMETERS", 1_000, 10_000_000),
    "lab_personal_epochs": ("LAB_PERSONAL_EPOCHS", 1, 20),
}

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


@dataclass(frozen=True)
class Config:
    """Everything `nnbot run` and `nnbot chat` need to start the bot."""

    token: str = field(default="", repr=False)
    allowed_users: frozenset[int] = frozenset()
    admin_ids: frozenset[int] = frozenset()
    data_dir: Path = Path("nnbot-data")
    log_level: str = "INFO"
    api_base_url: str = ""  # TELEGRAM_API_BASE_URL: the server root, e.g. http://127.0.0.1:8081
    webhook_url: str = ""
    webhook_port: int = 8443
    webhook_secret: str = field(default="", repr=False)
    limits: Limits = field(default_factory=Limits)
    database_url: str = field(default="", repr=False)  # DATABASE_URL: PostgreSQL, else SQLite
    queue_url: str = field(default="", repr=False)  # QUEUE_URL: Redis task queue, else local

    @property
    def server_passwords(self) -> list[str]:
        """Passwords inside DATABASE_URL and QUEUE_URL: secrets, kept out of the logs."""
        return [p for u in (self.database_url, self.queue_url) if (p := urlsplit(u).password)]

    @property
    def heartbeat_path(self) -> Path:
        return self.data_dir / "heartbeat"

    @property
    def database_path(self) -> Path:
        return self.data_dir / "nnbot.sqlite3"

    @property
    def base_url(self) -> str | None:
        """`ApplicationBuilder.base_url` for a local Bot API server, or None for Telegram."""
        return f"{self.api_base_url}/bot" if self.api_base_url else None

    @property
    def base_file_url(self) -> str | None:
        return f"{self.api_base_url}/file/bot" if self.api_base_url else None

    def is_allowed(self, user_id: int | None) -> bool:
        """Empty ALLOWED_USERS lets everyone in; admins are always allowed."""
        if not self.allowed_users:
            return True
        return user_id is not None and (user_id in self.allowed_users or user_id in self.admin_ids)

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admin_ids

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Config:
        """Read and validate every variable; raise ConfigError on the first wrong one."""
        env = os.environ if env is None else env
        limits = Limits(**{name: _limit(env, name) for name in LIMIT_VARIABLES})
        level = env.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
        if level not in LOG_LEVELS:
            raise ConfigError("LOG_LEVEL", f"must be one of {', '.join(LOG_LEVELS)}")
        webhook_url = env.get("WEBHOOK_URL", "").strip()
        if webhook_url and not webhook_url.startswith("https://"):
            raise ConfigError("WEBHOOK_URL", "must be a public https:// address (Telegram's rule)")
        secret = env.get("WEBHOOK_SECRET", "").strip()
        if secret and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise ConfigError("WEBHOOK_SECRET", "1-256 characters: letters, digits, _ and -")
        base = env.get("TELEGRAM_API_BASE_URL", "").strip().rstrip("/")
        if base and not re.match(r"^https?://", base):
            raise ConfigError("TELEGRAM_API_BASE_URL", "must start with http:// or https://")
        base = _server_root(base)
        return cls(
            token=_token(env),
            allowed_users=_ids(env, "ALLOWED_USERS"),
            admin_ids=_ids(env, "ADMIN_IDS"),
            data_dir=Path(env.get("DATA_DIR", "").strip() or "nnbot-data"),
            log_level=level,
            api_base_url=base,
            webhook_url=webhook_url,
            webhook_port=_int(env, "WEBHOOK_PORT", 8443, 1, 65_535),
            webhook_secret=secret,
            limits=limits,
            database_url=_url(env, "DATABASE_URL", ("postgresql://", "postgres://")),
            queue_url=_url(env, "QUEUE_URL", ("redis://", "rediss://", "unix://")),
        )

    def summary(self) -> str:
        """A log-safe one-line description (no token, no secret)."""
        shown = {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name not in {"token", "webhook_secret", "limits", "database_url", "queue_url"}
        }
        shown["state"] = _where(self.database_url) or "sqlite"
        shown["jobs"] = _where(self.queue_url) or "local"
        shown["mode"] = "webhook" if self.webhook_url else "polling"
        return ", ".join(f"{k}={v}" for k, v in shown.items())


def _server_root(url: str) -> str:
    """The Bot API server's root: python-telegram-bot's own convention, `http://host:8081/bot`
    (its `base_url`), means the same server as `http://host:8081`, so the `/bot` is dropped."""
    return url.removesuffix("/bot")


def _token(env: Mapping[str, str]) -> str:
    token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
    token_file = env.get("TELEGRAM_BOT_TOKEN_FILE", "").strip()
    if token and token_file:
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN_FILE", "set either it or TELEGRAM_BOT_TOKEN, not both"
        )
    if token_file:
        try:
            token = Path(token_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN_FILE", f"cannot read the file ({exc.strerror})"
            ) from None
    if token and not TOKEN_PATTERN.match(token):
        variable = "TELEGRAM_BOT_TOKEN_FILE" if token_file else "TELEGRAM_BOT_TOKEN"
        raise ConfigError(
            variable, "does not look like a bot token (digits:letters from @BotFather)"
        )
    return token


def _url(env: Mapping[str, str], variable: str, schemes: tuple[str, ...]) -> str:
    url = env.get(variable, "").strip()
    if url and not url.startswith(schemes):
        raise ConfigError(variable, f"must start with {' or '.join(schemes)}")
    return url


def _where(url: str) -> str:
    """The scheme and host of a server address, without user or password (for logs)."""
    if not url:
        return ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}"


def _ids(env: Mapping[str, str], variable: str) -> frozenset[int]:
    raw = env.get(variable, "").replace(";", ",").replace(" ", ",")
    ids = set()
    for part in filter(None, (p.strip() for p in raw.split(","))):
        if not re.fullmatch(r"-?\d{1,20}", part):
            raise ConfigError(variable, f"{part!r} is not a numeric Telegram user id")
        ids.add(int(part))
    return frozenset(ids)


def _int(env: Mapping[str, str], variable: str, default: int, low: float, high: float) -> int:
    value = _number(env, variable, default, low, high)
    if value != int(value):
        raise ConfigError(variable, "must be a whole number")
    return int(value)


def _number(env: Mapping[str, str], variable: str, default: float, low: float, high: float):
    raw = env.get(variable, "").strip()
    if not raw:
        return default
    try:
        value = float(raw.replace("_", ""))
    except ValueError:
        raise ConfigError(variable, f"must be a number from {low:g} to {high:g}") from None
    if not low <= value <= high:
        raise ConfigError(variable, f"must be from {low:g} to {high:g}, got {raw}")
    return value


def _limit(env: Mapping[str, str], name: str) -> float | int:
    variable, low, high = LIMIT_VARIABLES[name]
    default = getattr(Limits(), name)
    if isinstance(default, int):
        return _int(env, variable, default, low, high)
    return float(_number(env, variable, default, low, high))
