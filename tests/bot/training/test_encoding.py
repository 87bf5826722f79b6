import json
import sqlite3

import numpy as np
import pytest

from bot.store import ChatState, Store
from bot.training.encoding import (
    compute_encoding,
    decode_outputs,
    encode_inputs,
    encode_targets,
    encoding_for,
)
from bot.training.run import load_model, textbook_model
from bot.training.settings import default_settings, parse_settings, settings_for
from bot.training.views import predict_text
from tests.support.tables import COLOURS, GENDER, LIMITS, PRICES, XOR, as_table, train


def test_textbook_start_gives_the_articles_numbers():
    settings = parse_settings("preset=article", default_settings("binary"), LIMITS)
    gender = as_table(GENDER)
    model = textbook_model(gender, settings)
    x = encode_inputs(compute_encoding(gender, settings), [[-2, -1]])
    assert x.tolist() == [[-2.0, -1.0]]  # raw values, as in the article
    assert float(model.predict(x)[0, 0]) == pytest.approx(0.523695, abs=1e-5)


def test_large_inputs_are_standardised_and_predictions_decoded_in_table_units():
    prices = as_table(PRICES)
    encoding = compute_encoding(prices, default_settings("regression"))
    assert encoding["inputs"] is not None and encoding["targets"] is not None
    X = encode_inputs(encoding, PRICES["X"])
    assert abs(float(X.mean())) < 1e-6
    Y = encode_targets(prices, encoding, PRICES["Y"])
    back = decode_outputs(prices, encoding, Y)
    assert back[0].value == pytest.approx(PRICES["Y"][0][0], rel=1e-5)


def test_small_inputs_stay_raw_with_scale_auto():
    assert compute_encoding(as_table(XOR), default_settings("binary"))["inputs"] is None


def test_class_targets_are_encoded_and_decoded():
    colours = as_table(COLOURS)
    onehot = encode_targets(colours, {}, COLOURS["Y"])
    assert onehot.shape == (7, 3) and onehot[4].tolist() == [0, 0, 1]
    decoded = decode_outputs(colours, {}, np.array([[0.1, 0.7, 0.2]]))
    assert decoded[0].text == "green" and decoded[0].confidence == pytest.approx(0.7)
    binary = decode_outputs(as_table(GENDER), {}, np.array([[0.2], [0.9]]))
    assert [p.text for p in binary] == ["0", "1"]
    assert binary[0].confidence == pytest.approx(0.8)


def test_a_saved_encoding_wins_over_the_settings():
    prices = as_table(PRICES)
    saved = {"inputs": None, "targets": None}
    assert encoding_for(prices, saved, default_settings("regression")) is saved
    computed = encoding_for(prices, None, default_settings("regression"))
    assert computed == compute_encoding(prices, default_settings("regression"))


def test_trained_model_survives_the_store(tmp_path):
    outcome = train(XOR)
    store = Store(tmp_path / "db.sqlite3")
    state = ChatState(chat_id=1, table=XOR, model=outcome.model_bytes)
    state.history = outcome.history_dict
    state.encoding = outcome.encoding
    store.save(state)
    store.close()
    loaded = Store(tmp_path / "db.sqlite3").load(1)
    model = load_model(loaded.model)
    x = encode_inputs(loaded.encoding, XOR["X"])
    answers = decode_outputs(as_table(loaded.table), loaded.encoding, model.predict(x))
    assert [a.text for a in answers] == ["0", "1", "1", "0"]


def test_a_database_of_the_old_format_opens_with_the_encoding_moved(tmp_path):
    """Before ChatState.encoding, the trained network's encoding lived in settings."""
    outcome = train(PRICES, "epochs=300")
    assert outcome.encoding["inputs"] is not None  # standardised: a wrong encoding would show
    path = tmp_path / "db.sqlite3"
    Store(path).close()  # today's schema; the row is written the old way, by hand
    old_state = {
        "lang": "en",
        "table": PRICES,
        "settings": {"epochs": 300, "custom": ["epochs"], "encoding": outcome.encoding},
        "history": outcome.history_dict,
        "training": None,
        "pending": None,
        "extra": {},
    }
    db = sqlite3.connect(path)
    with db:
        db.execute(
            "INSERT INTO chats (chat_id, state, model, updated) VALUES (?, ?, ?, ?)",
            (9, json.dumps(old_state), outcome.model_bytes, 0.0),
        )
    db.close()
    store = Store(path)
    state = store.load(9)
    assert state.encoding == outcome.encoding
    assert state.settings == {"epochs": 300, "custom": ["epochs"]}
    assert settings_for(as_table(state.table), state.settings).epochs == 300
    text = predict_text(state, [[75.0]], "en")
    expected = outcome.evaluation["questions"][0]["text"]  # the same row, answered in the worker
    assert f"<b>{expected}</b>" in text
    store.save(state)  # written back in today's form
    row = sqlite3.connect(path).execute("SELECT state FROM chats WHERE chat_id = 9").fetchone()
    saved = json.loads(row[0])
    assert "encoding" not in saved["settings"] and saved["encoding"] == outcome.encoding
    store.close()
