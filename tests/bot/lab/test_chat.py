"""What the lab says: the layer list, the worst confusions, Russian plurals, both answers."""

from __future__ import annotations

import numpy as np

from bot.config import Limits
from bot.digits.reader import DigitResult, NumberResult
from bot.lab import chat
from bot.lab.job import LabOutcome
from bot.lab.settings import PRESETS
from bot.store import ChatState


def outcome(**changes) -> LabOutcome:
    confusion = np.diag([190] * 10)
    confusion[4, 9], confusion[7, 2], confusion[3, 5] = 23, 4, 2
    values = {
        "model_bytes": b"", "history": {"loss": [1.0, 0.5], "val_loss": [0.9, 0.6]},
        "test_accuracy": 0.95, "test_count": 2000, "confusion": confusion.tolist(),
        "seconds": 12.0, "reason": "done", "parameters": 52_138, "source": "subset",
        "train_count": 9000, "turn_epoch": None,
    }  # fmt: skip
    values.update(changes)
    return LabOutcome(**values)


def test_the_lab_view_lists_every_layer_with_its_parameters():
    text = chat.lab_view(PRESETS["cnn"], Limits(), 2000, "en")
    assert "conv 8 × 3×3" in text and "8×28×28" in text and "1 168" in text
    assert "<b>52 138</b> weights and biases" in text and "preset <b>cnn</b>" in text
    assert "10000 MNIST digits (1000 of them kept for validation)" in text


def test_the_worst_confusions_are_named_with_counts():
    text = chat.result_text(outcome(), "en")
    assert "4 taken for 9: 23 times; 7 taken for 2: 4 times; 3 taken for 5: 2 times" in text
    assert "<b>Test accuracy: 95.0%</b>" in text and "1900 of 2000" in text


def test_russian_counts_take_the_right_plural():
    forms = {n: chat.plural_times(n, "ru") for n in (1, 2, 5, 11, 12, 21, 23, 25, 101, 112)}
    assert forms == {1: "раз", 2: "раза", 5: "раз", 11: "раз", 12: "раз", 21: "раз",
                     23: "раза", 25: "раз", 101: "раз", 112: "раз"}  # fmt: skip
    assert "4 за 9 — 23 раза" in chat.result_text(outcome(), "ru")
    assert [chat.plural_times(n, "en") for n in (1, 2, 21)] == ["time", "times", "times"]


def test_overfitting_is_named_when_validation_turned():
    history = {"loss": [1, 0.5, 0.2, 0.1], "val_loss": [0.9, 0.7, 0.8, 0.95]}
    en = chat.result_text(outcome(history=history, turn_epoch=2), "en")
    assert "Overfitting" in en and "after epoch 2" in en and "from 0.700 to 0.950" in en
    assert "Переобучение" in chat.result_text(outcome(history=history, turn_epoch=2), "ru")
    assert "Overfitting" not in chat.result_text(outcome(), "en")


def test_a_photo_gets_both_answers_side_by_side():
    probs = np.full(10, 0.001)
    probs[7] = 0.991
    result = NumberResult("7", [DigitResult(7, 0.991, probs, np.zeros((28, 28)))])
    text = chat.both_answers(result, ("7", [0.81]), False, "en")
    assert text == "🧪 <b>your network: 7 (81%)</b>, the reader: 7 (99.1%)"


def test_the_lab_record_lives_in_the_chat_state():
    state = ChatState(chat_id=1)
    chat.lab_state(state)["use"] = "lab"
    again = ChatState.from_row(1, state.to_json(), None)
    assert again.extra["lab"] == {"use": "lab"}


def test_the_end_of_a_training_counts_its_epochs_in_the_right_form():
    def said(epochs: int, lang: str) -> str:
        outcome = LabOutcome(b"", {"loss": [0.1] * epochs}, 0.9, 2000, [], 3.0, "done", 1,
                             "subset", 9, None)  # fmt: skip
        return chat.end_text(outcome, PRESETS["mlp"], Limits(), lang)

    assert ": 1 epoch in 3 s" in said(1, "en") and ": 2 epochs in" in said(2, "en")
    assert "обучена: 1 эпоха за 3 с" in said(1, "ru")
    assert "обучена: 3 эпохи за" in said(3, "ru") and "обучена: 11 эпох за" in said(11, "ru")
