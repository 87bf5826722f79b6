"""Logging for `nnbot run`: readable lines on stderr, and never the bot token.

The token is a password: anyone who has it controls the bot. It reaches log records in more
ways than one would guess — httpx logs every request URL (`…/bot<TOKEN>/getUpdates`) at INFO,
python-telegram-bot puts it in the `InvalidToken` message, and any exception raised while
talking to the API may carry the URL in its text or traceback. So redaction does not rely on
each caller being careful:

* every log record is cleaned when it is created (a log-record factory), whatever logger made
  it and whatever handler will receive it: the message with its arguments, the exception text
  with its traceback, and the stack info;
* the formatter of our handler cleans its final output once more;
* uncaught exceptions (main thread and other threads) go through logging too.

Message contents are not logged at INFO: handlers log chat ids and command names only.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import traceback
from collections.abc import Iterable
from typing import TextIO
from urllib.parse import quote

from telegram.error import BadRequest, NetworkError

REDACTED = "[REDACTED]"

# Anything shaped like a bot token, even one we were not told about (e.g. a second bot's).
TOKEN_SHAPE = re.compile(r"\d{3,20}(?::|%3A)[A-Za-z0-9_-]{25,}", re.IGNORECASE)

# Loggers that are noisy or print request URLs: only their warnings and errors are shown.
QUIET_LOGGERS = ("httpx", "httpcore", "hpack", "tornado.access", "aiohttp.access", "asyncio")

_secrets: list[str] = []
_base_factory = logging.getLogRecordFactory()
_installed = False


def redact(text: str) -> str:
    """`text` with every known secret and every token-shaped string replaced."""
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return TOKEN_SHAPE.sub(REDACTED, text)


def add_secrets(*secrets: str | None) -> None:
    """Remember values that must never be logged (the token, the webhook secret).

    For a token `123:abc` this also covers its URL-encoded form and the part after the
    colon, which alone is enough to misuse it.
    """
    variants: set[str] = set()
    for secret in filter(None, secrets):
        variants.add(secret)
        variants.add(quote(secret, safe=""))
        _, colon, after = secret.partition(":")
        if colon and len(after) >= 8:
            variants.add(after)
    # Longest first, so a whole token is replaced before the part after its colon.
    _secrets[:] = sorted(variants | set(_secrets), key=len, reverse=True)


def clean_record(record: logging.LogRecord) -> logging.LogRecord:
    """Replace secrets in a record's message, exception text and stack info, in place."""
    try:
        message = record.getMessage()
    except Exception:  # a bad format string: let logging report it as usual
        return record
    record.msg, record.args = redact(message), None
    if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
        record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    return record


def _redacting_factory(*args, **kwargs) -> logging.LogRecord:
    return clean_record(_base_factory(*args, **kwargs))


class RedactingFormatter(logging.Formatter):
    """A formatter whose output never contains a secret, whatever the record held."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def install_redaction(secrets: Iterable[str | None] = ()) -> None:
    """Clean every log record from now on (idempotent; safe to call from tests)."""
    global _installed
    add_secrets(*secrets)
    if not _installed:
        logging.setLogRecordFactory(_redacting_factory)
        _installed = True


class BriefNetworkErrors(logging.Filter):
    """Above DEBUG, a network problem is one line: its message says all (no traceback wall).

    python-telegram-bot logs a full traceback when it gives up reaching the Bot API; for
    "Name or service not known" or a timeout that is 90 lines of httpx internals.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
            record.msg = f"{record.msg} ({redact(str(error))})"
            record.exc_info = record.exc_text = None
        return True


def setup_logging(
    level: str = "INFO", secrets: Iterable[str | None] = (), stream: TextIO | None = None
) -> None:
    """Configure the root logger for the bot process: one handler (stderr), redacted."""
    install_redaction(secrets)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%Y-%m-%d %H:%M:%S")
    )
    if logging.getLevelName(level) > logging.DEBUG:
        handler.addFilter(BriefNetworkErrors())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    logging.captureWarnings(True)
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_uncaught_in_thread


def _log_uncaught(exc_type, exc, tb) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    logging.getLogger("nnbot").critical("Uncaught exception", exc_info=(exc_type, exc, tb))


def _log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    name = args.thread.name if args.thread else "?"
    logging.getLogger("nnbot").error(
        "Uncaught exception in thread %s",
        name,
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
    )
