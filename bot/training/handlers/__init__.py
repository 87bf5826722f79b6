"""The training feature's handlers: settings and training, pictures, questions to the network."""

from __future__ import annotations

from telegram.ext import Application

from bot.training.handlers import questions, training

COMMANDS = [*training.COMMANDS, *questions.COMMANDS]
CALLBACK_PREFIX = training.CALLBACK_PREFIX


def register(application: Application) -> None:
    training.register(application)
    questions.register(application)
