"""The training feature's handlers: settings, training, pictures, questions to the network."""

from __future__ import annotations

import re

from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.training import quality as fixes
from bot.training import views
from bot.training.handlers import pictures, quality, questions, settings, train

COMMANDS = [
    "settings",
    "train",
    "stop",
    "plot",
    "net",
    "boundary",
    "weights",
    "predict",
    "explain",
    "confusion",
]
CALLBACK_PREFIX = views.CALLBACK_PREFIX

HANDLERS = {
    "settings": settings.settings_command,
    "train": train.train_command,
    "stop": train.stop_command,
    "plot": pictures.plot_command,
    "net": pictures.net_command,
    "boundary": pictures.boundary_command,
    "weights": pictures.weights_command,
    "predict": questions.predict_command,
    "explain": questions.explain_command,
    "confusion": quality.confusion_command,
}


def register(application: Application) -> None:
    for command in COMMANDS:
        application.add_handler(CommandHandler(command, HANDLERS[command]))
    setting = rf"^{re.escape(views.SETTING)}"
    application.add_handler(CallbackQueryHandler(settings.settings_button, pattern=setting))
    application.add_handler(
        CallbackQueryHandler(train.training_button, pattern=views.CALLBACK_PATTERN)
    )
    application.add_handler(CallbackQueryHandler(quality.fix_button, pattern=fixes.FIX_PATTERN))
