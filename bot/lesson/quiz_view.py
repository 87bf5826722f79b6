"""/quiz around the checks of `bot.lesson.quiz`: the question for a chat's network, the texts,
and the score kept in `ChatState.extra["quiz"]` ({"pending", "right", "answered", "asked"}).
No Telegram here."""

from __future__ import annotations

import html
import random
from typing import Any

import nncore as nn
from bot.i18n import t
from bot.lesson import quiz
from bot.store import ChatState
from bot.tables.table import Table
from bot.training.arithmetic import shown
from bot.training.encoding import encode_inputs, encode_targets, encoding_for
from bot.training.run import load_model, loss_for
from bot.training.settings import resolved_loss, settings_for

KEY = "quiz"


def quiz_record(state: ChatState) -> dict[str, Any]:
    record = state.extra.get(KEY)
    if not isinstance(record, dict):
        record = state.extra[KEY] = {"pending": None, "right": 0, "answered": 0, "asked": 0}
    return record


def pending(state: ChatState) -> dict[str, Any] | None:
    record = state.extra.get(KEY)
    return record.get("pending") if isinstance(record, dict) else None


def new_question(state: ChatState, table: Table) -> dict[str, Any]:
    """A question on the chat's trained network (ValueError when it cannot be traced)."""
    record = quiz_record(state)
    settings = settings_for(table, state.settings)
    encoding = encoding_for(table, state.encoding, settings)
    X = encode_inputs(encoding, table.X)
    Y = encode_targets(table, encoding, table.Y)
    number = int(record.get("asked", 0))
    row = random.Random(f"{state.chat_id}-{number}").randrange(len(X))
    trace = nn.explain(load_model(state.model), loss_for(table, settings), X[row], Y[row])
    question = quiz.make_question(trace, resolved_loss(table, settings), row, number)
    record["pending"], record["asked"] = question, number + 1
    return question


def question_text(question: dict[str, Any], lang: str) -> str:
    kind = question["kind"]
    key = f"quiz.ask.loss.{question['loss']}" if kind == "loss" else f"quiz.ask.{kind}"
    what = t(
        key,
        lang,
        neuron=question.get("neuron", ""),
        symbol=question["symbol"],
        f=quiz.symbol_of(question.get("activation", "")),
        chain=question.get("chain", ""),
        last=question.get("last", ""),
    )
    givens = "\n".join(f"{name} = {value}" for name, value in question["givens"])
    return t(
        "quiz.question",
        lang,
        number=question["number"],
        row=question["row"],
        what=html.escape(what, quote=False),
        givens=html.escape(givens),
    )


def answer_text(state: ChatState, answer: float, lang: str) -> str:
    """Check the answer, count it, clear the question; the reply (right, or what differs)."""
    record = quiz_record(state)
    question = record["pending"]
    right = quiz.accepted(answer, question)
    record["pending"] = None
    record["answered"] = int(record.get("answered", 0)) + 1
    record["right"] = int(record.get("right", 0)) + right
    score = t("quiz.score", lang, right=record["right"], answered=record["answered"])
    values = {
        "symbol": question["symbol"],
        "exact": shown(question["from_shown"], 4),  # what the given numbers make
        "answer": shown(answer, 6),
        "working": html.escape("\n".join(question["working"])),
        "score": score,
    }
    if right:
        return t("quiz.right", lang, **values)
    key, extra = quiz.diagnosis(answer, question)
    extra = {k: quiz.symbol_of(v) if k == "f" else v for k, v in extra.items()}
    differs = html.escape(t(key, lang, **extra), quote=False)
    return t("quiz.wrong", lang, differs=differs, **values)
