"""`nnbot chat`: the real bot and the local Bot API server (bot.localapi) in one process.

- `session.LocalSession`: the server on a free port plus the Application `nnbot run` builds,
  polling it; simulated users; `busy()` / `handling()` tell when the bot has finished.
  Used by `nnbot chat` and by the end-to-end and stress tests.
- `terminal`: the `nnbot chat` command — type to the bot in a terminal, or pipe a script in
  for a transcript (`main(argv)`, listed in bot.cli).
"""
