"""Looking inside the network: /activations, /neurons, /compare, /share and `/start <code>`."""

from __future__ import annotations

from telegram.ext import Application, CommandHandler

from bot.inside.handlers import compare, pictures

COMMANDS = ["activations", "neurons", "compare"]

HANDLERS = {
    "activations": pictures.activations_command,
    "neurons": pictures.neurons_command,
    "compare": compare.compare_command,
}


def register(application: Application) -> None:
    for command in COMMANDS:
        application.add_handler(CommandHandler(command, HANDLERS[command]))
