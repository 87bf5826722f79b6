"""Looking inside the network: /activations, /neurons, /compare, /share and `/start <code>`."""

from __future__ import annotations

from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.inside.handlers import compare, pictures, share

COMMANDS = ["activations", "neurons", "compare", "share"]

HANDLERS = {
    "activations": pictures.activations_command,
    "neurons": pictures.neurons_command,
    "compare": compare.compare_command,
    "share": share.share_command,
}


def register(application: Application) -> None:
    """The commands, the /share buttons, and `/start <code>` (registered before the plain
    /start of `bot.common`, which sees every /start this one leaves)."""
    application.add_handler(CommandHandler("start", share.start_with_code, has_args=True))
    for command in COMMANDS:
        application.add_handler(CommandHandler(command, HANDLERS[command]))
    application.add_handler(CallbackQueryHandler(share.share_button, pattern=f"^{share.CALLBACK}"))
