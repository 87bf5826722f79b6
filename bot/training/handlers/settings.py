"""/settings and its buttons: show the training settings, change them by text or by a press."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode

from bot.context import BotContext, edit_quietly
from bot.i18n import t
from bot.text import plain
from bot.training import views
from bot.training.handlers.common import chat_settings, chat_table, markup, reply
from bot.training.settings import SettingsError, changed_by_button, check_settings, parse_settings

ALERT_LIMIT = 190  # characters of a callback answer shown as an alert


async def settings_command(update: Update, context: BotContext) -> None:
    """Shows the training settings with buttons; `/settings lr=0.5 hidden=4` changes them."""
    svc = context.services
    state = context.chat_state(update)
    lang = context.lang(update, state)
    table = chat_table(state)
    current = chat_settings(state, table)
    text = " ".join(context.args or [])
    notes = []
    if text:
        try:
            current = parse_settings(text, current, svc.config.limits)
            if table:
                check_settings(table, current, svc.config.limits)
        except SettingsError as error:
            await reply(update, views.settings_error_text(error, lang))
            return
        state.settings = current.to_dict()
        svc.store.save(state)
        notes.append(t("settings.changed", lang))
        if svc.jobs is not None and svc.jobs.is_active(state.chat_id):
            notes.append(t("settings.during_training", lang))
    if current.patience and not current.validation:
        notes.append(t("settings.patience_needs_validation", lang))
    shown = views.settings_text(table, current, lang)
    helps = [t("settings.help", lang), t("settings.help_overfitting", lang)]
    body = "\n\n".join([*notes, shown, *helps])
    await update.effective_message.reply_text(
        body, parse_mode=ParseMode.HTML, reply_markup=markup(views.settings_rows(current, lang))
    )


async def settings_button(update: Update, context: BotContext) -> None:
    """A settings button: the setting changes and the settings message is redrawn."""
    query = update.callback_query
    svc = context.services
    state = context.chat_state(update)
    lang = context.lang(update, state)
    pressed = views.setting_of(query.data or "")
    if pressed is None:
        await query.answer()
        return
    table = chat_table(state)
    try:
        changed = changed_by_button(chat_settings(state, table), *pressed, svc.config.limits)
        if table:
            check_settings(table, changed, svc.config.limits)
    except SettingsError as error:
        message = plain(views.settings_error_text(error, lang))
        await query.answer(message[:ALERT_LIMIT], show_alert=True)
        return
    except (KeyError, ValueError):  # a button from an older version of the bot
        await query.answer()
        return
    state.settings = changed.to_dict()
    svc.store.save(state)
    await query.answer(t("settings.changed", lang))
    body = views.settings_text(table, changed, lang) + "\n\n" + t("settings.help", lang)
    await edit_quietly(
        query.edit_message_text(
            body, parse_mode=ParseMode.HTML, reply_markup=markup(views.settings_rows(changed, lang))
        )
    )
