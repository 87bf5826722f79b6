"""nnbot: a Telegram bot that teaches neural networks by building them from scratch."""

__version__ = "0.1.0"
