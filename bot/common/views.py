"""What the common commands say: /help, /start's greeting, /stats, and their buttons.

Keyboards are plain rows of (label, callback_data); the handlers turn them into Telegram's
buttons. Callback data is built from the constants below, never typed twice. No Telegram here.
"""

from __future__ import annotations

import html
import time

from bot.common.memory import memory_mb
from bot.i18n import LANGUAGES, catalogue, t
from bot.services import Services
from bot.text import duration

COMMANDS = ["start", "help", "lang", "reset"]
ADMIN_COMMANDS = ["stats"]
CALLBACK_PREFIX = "app:"
LANG_CALLBACK = f"{CALLBACK_PREFIX}lang:"  # + a language code
RESET_CALLBACK = f"{CALLBACK_PREFIX}reset:"  # + RESET_YES or RESET_NO
RESET_YES = "yes"
RESET_NO = "no"
LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}
COMMAND_SHOWN = 64  # characters of an unknown command repeated back

Keyboard = list[list[tuple[str, str]]]


def command_text(name: str, lang: str) -> str:
    """The short description of /name for menus and /help (`cmd.<name>` in the catalogue)."""
    if f"cmd.{name}" not in catalogue():
        return name
    text = t(f"cmd.{name}", lang)
    return text[:1].upper() + text[1:]  # every feature's description starts the same way


def help_text(lang: str, commands: list[str], *, is_admin: bool = False) -> str:
    """What the bot does, the quick start, and every command with an example."""
    lines = [t("app.help.intro", lang), "", t("app.help.quickstart", lang), ""]
    lines.append(t("app.help.commands", lang))
    listed = [name for name in commands if name not in ("start", "help")]
    for name in listed + (ADMIN_COMMANDS if is_admin else []):
        lines.append(f"/{name} — {html.escape(command_text(name, lang), quote=False)}")
        if f"app.example.{name}" in catalogue():
            lines.append(f"    {t(f'app.example.{name}', lang)}")
    lines += ["", t("app.help.photo", lang), "", t("app.help.footer", lang)]
    return "\n".join(lines)


def start_text(lang: str, commands: list[str], first_name: str, *, is_admin: bool) -> str:
    """/start: a greeting by name, then the help."""
    greeting = t("app.start.greeting", lang, name=html.escape(first_name))
    return greeting + "\n\n" + help_text(lang, commands, is_admin=is_admin)


def unknown_command_text(name: str, lang: str) -> str:
    """A command no feature knows, repeated back (escaped, shortened) with a pointer to /help."""
    return t("app.unknown_command", lang, command=html.escape(name[:COMMAND_SHOWN]))


def command_name(text: str) -> tuple[str, str]:
    """("name", "addressee") of "/name@addressee …"; the addressee is "" when none is named."""
    word = text.split(maxsplit=1)[0][1:] if text.strip() else ""
    name, _, addressee = word.partition("@")
    return name, addressee


def lang_keyboard(current: str) -> Keyboard:
    """One button per language in a row, the current one ticked."""
    return [
        [
            (("✓ " if code == current else "") + LANGUAGE_NAMES[code], LANG_CALLBACK + code)
            for code in LANGUAGES
        ]
    ]


def chosen_language(callback_data: str | None) -> str | None:
    """The language a /lang button names, or None when it names none we speak."""
    wanted = (callback_data or "").rsplit(":", 1)[-1]
    return wanted if wanted in LANGUAGES else None


def reset_keyboard(lang: str) -> Keyboard:
    """Yes, forget everything / No, keep it."""
    return [
        [
            (t("app.reset.yes", lang), RESET_CALLBACK + RESET_YES),
            (t("app.reset.no", lang), RESET_CALLBACK + RESET_NO),
        ]
    ]


def stats_text(services: Services, lang: str) -> str:
    """For admins: chats, trainings running and queued, uptime and memory."""
    current, peak, workers_memory = memory_mb()
    jobs = services.jobs
    finished = jobs.stats() if jobs else {}
    limits = services.config.limits
    return t(
        "app.stats",
        lang,
        chats=len(services.store.chat_ids()),
        running=jobs.running_count if jobs else 0,
        queued=jobs.queued_count if jobs else 0,
        workers=limits.workers,
        queue_size=limits.queue_size,
        uptime=duration(time.time() - services.started, lang),
        completed=finished.get("completed", 0),
        failed=finished.get("failed", 0),
        memory=f"{current:.0f}",
        peak=f"{peak:.0f}",
        workers_memory=f"{workers_memory:.0f}",
    )
