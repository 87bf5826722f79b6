"""The bot token never reaches a log line: messages, arguments, tracebacks, httpx, uncaught."""

from __future__ import annotations

import io
import logging
import sys
import threading

import httpx
import pytest
from telegram.error import BadRequest, InvalidToken, NetworkError

from bot.logs import REDACTED, add_secrets, redact, setup_logging

TOKEN = "987654321:ZZyyXXwwVVuuTTssRRqqPPooNNmmLLkkJJi"
SECRET_PART = TOKEN.split(":", 1)[1]


@pytest.fixture
def debug_logging():
    """The real `nnbot run` logging setup at DEBUG, restored afterwards; yields the output."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level, sys.excepthook, threading.excepthook)
    stream = io.StringIO()
    setup_logging("DEBUG", secrets=[TOKEN, "hook-secret-value"], stream=stream)

    def output() -> str:
        return stream.getvalue()

    yield output
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    sys.excepthook, threading.excepthook = saved[2], saved[3]
    logging.captureWarnings(False)


def test_message_and_arguments_are_redacted(debug_logging):
    logging.getLogger("nnbot.test").debug("calling %s with %r", f"bot{TOKEN}/getMe", {"t": TOKEN})
    out = debug_logging()
    assert TOKEN not in out and SECRET_PART not in out
    assert f"bot{REDACTED}/getMe" in out


def test_traceback_and_chained_exceptions_are_redacted(debug_logging):
    try:
        try:
            raise ConnectionError(f"https://api.telegram.org/bot{TOKEN}/getUpdates failed")
        except ConnectionError as inner:
            raise RuntimeError(f"while polling {TOKEN}") from inner
    except RuntimeError:
        logging.getLogger("nnbot.test").exception("polling broke")
    out = debug_logging()
    assert "Traceback" in out and "ConnectionError" in out and "RuntimeError" in out
    assert TOKEN not in out and SECRET_PART not in out


def test_ptb_invalid_token_message_is_redacted(debug_logging):
    error = InvalidToken(f"The token `{TOKEN}` was rejected by the server.")
    logging.getLogger("telegram.ext").error("bootstrap failed: %s", error, exc_info=error)
    out = debug_logging()
    assert "rejected by the server" in out and TOKEN not in out


def test_httpx_request_lines_are_silenced_and_redacted(debug_logging):
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"ok": True}))
    with httpx.Client(transport=transport) as client:
        client.post(f"https://api.telegram.org/bot{TOKEN}/getUpdates")
    logging.getLogger("httpx").warning("HTTP Request: POST https://api.telegram.org/bot%s/x", TOKEN)
    out = debug_logging()
    assert "HTTP Request" in out  # the warning got through …
    assert out.count("HTTP Request") == 1  # … the INFO request line did not
    assert TOKEN not in out


def test_url_encoded_and_secret_only_forms_are_redacted(debug_logging):
    log = logging.getLogger("nnbot.test")
    log.info("encoded %s", TOKEN.replace(":", "%3A"))
    log.info("secret part only: %s", SECRET_PART)
    log.info("webhook secret: hook-secret-value")
    out = debug_logging()
    assert SECRET_PART not in out and "hook-secret-value" not in out
    assert out.count(REDACTED) == 3


def test_stack_info_is_redacted(debug_logging):
    def deep(token: str) -> None:
        logging.getLogger("nnbot.test").warning("here", stack_info=True)

    deep(TOKEN)
    logging.getLogger("nnbot.test").warning("args are not in stack info: %s", TOKEN)
    assert TOKEN not in debug_logging()


def test_uncaught_exceptions_go_through_redacted_logging(debug_logging):
    try:
        raise OSError(f"cannot reach bot{TOKEN}")
    except OSError:
        sys.excepthook(*sys.exc_info())
    out = debug_logging()
    assert "Uncaught exception" in out and "OSError" in out and TOKEN not in out


def test_uncaught_exceptions_in_threads_are_redacted(debug_logging):
    def fail() -> None:
        raise ValueError(TOKEN)

    thread = threading.Thread(target=fail, name="worker-x")
    thread.start()
    thread.join()
    out = debug_logging()
    assert "worker-x" in out and TOKEN not in out


def test_records_seen_by_other_handlers_are_clean_too(debug_logging, caplog):
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("nnbot.test").debug("token=%s", TOKEN)
    assert caplog.records and all(TOKEN not in r.getMessage() for r in caplog.records)
    assert TOKEN not in caplog.text


def test_token_shaped_strings_are_redacted_even_when_unknown():
    other = "55555555:AAAAaaaaBBBBbbbbCCCCccccDDDDdddd_-x"
    assert redact(f"url /bot{other}/getMe") == f"url /bot{REDACTED}/getMe"
    assert (
        redact("12:30 on 2026-11-28, chat 123456: hello")
        == "12:30 on 2026-11-28, chat 123456: hello"
    )


def test_short_secrets_do_not_blank_ordinary_words():
    add_secrets("1:ab")
    assert redact("ab abc") == "ab abc"


def test_info_level_hides_debug_lines():
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    stream = io.StringIO()
    try:
        setup_logging("INFO", secrets=[TOKEN], stream=stream)
        logging.getLogger("telegram.ext").debug("update contents: hello")
        logging.getLogger("nnbot").info("started")
        err = stream.getvalue()
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
    assert "started" in err and "update contents" not in err


def test_network_errors_are_one_line_above_debug_and_full_at_debug():
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    outputs = {}
    try:
        for level in ("INFO", "DEBUG"):
            stream = io.StringIO()
            setup_logging(level, secrets=[TOKEN], stream=stream)
            try:
                raise NetworkError(f"httpx.ConnectError: bot{TOKEN} unreachable")
            except NetworkError:
                logging.getLogger("telegram.ext").exception("Failed run number 5 of 5.")
            try:
                raise BadRequest("Message text is empty")
            except BadRequest:
                logging.getLogger("nnbot").exception("a bug")
            outputs[level] = stream.getvalue()
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
    info = outputs["INFO"]
    assert f"Failed run number 5 of 5. (httpx.ConnectError: bot{REDACTED} unreachable)" in info
    assert info.count("Traceback") == 1  # only the BadRequest, which is a bug worth a traceback
    assert outputs["DEBUG"].count("Traceback") == 2
    assert TOKEN not in info + outputs["DEBUG"]
