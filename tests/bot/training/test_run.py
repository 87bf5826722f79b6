from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nncore as nn
from bot.i18n import LANGUAGES, t
from bot.store import ChatState, Store
from bot.training import run as training
from bot.training.run import SettingsError, TrainSettings, default_settings, parse_settings
from tests.support.tables import COLOURS, GENDER, LIMITS, PRICES, XOR, train

# --- settings -----------------------------------------------------------------------------


def test_defaults_depend_on_the_task():
    assert default_settings("regression").hidden == (8,)
    assert default_settings("multiclass").hidden == (16,)
    assert default_settings("binary").loss == "auto"
    assert training.resolved_loss(COLOURS, default_settings("multiclass")) == "ce"
    assert training.resolved_loss(PRICES, default_settings("regression")) == "mse"


def test_parse_settings_reads_keys_values_and_aliases():
    s = parse_settings("lr=0.5 hidden=4 epochs=2000", default_settings("binary"), LIMITS)
    assert (s.lr, s.hidden, s.epochs) == (0.5, (4,), 2000)
    s = parse_settings("layers = 8, 4 act=relu opt=momentum bs=all val=20%", s, LIMITS)
    assert s.hidden == (8, 4) and s.activation == "relu" and s.optimizer == "momentum"
    assert s.batch_size == 0 and s.validation == pytest.approx(0.2)
    s = parse_settings("слои=нет скорость=0,3 seed=random", s, LIMITS)
    assert s.hidden == () and s.lr == pytest.approx(0.3) and s.seed is None
    assert {"hidden", "lr", "seed", "activation"} <= s.custom


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("lr=abc", "range"),
        ("lr=100", "range"),
        ("lr=nan", "range"),
        ("epochs=0", "range"),
        ("epochs=2.5", "range"),
        ("batch=-1", "range"),
        ("validation=0.9", "range"),
        ("activation=swish", "choice"),
        ("colour=red", "unknown_key"),
        ("hidden=4,x", "hidden"),
        ("hidden=4,0", "hidden"),
        ("lr", "syntax"),
        ("epochs=999999999", "limit_epochs"),
        ("hidden=1000", "limit_units"),
        ("hidden=2,2,2,2,2,2", "limit_layers"),
    ],
)
def test_invalid_settings_say_what_is_allowed(text, key):
    with pytest.raises(SettingsError) as error:
        parse_settings(text, default_settings("binary"), LIMITS)
    assert error.value.key == key
    for lang in LANGUAGES:
        message = t(error.value.message_key, lang, **error.value.values)
        assert message


def test_limit_messages_state_the_limit():
    limits = replace(LIMITS, max_epochs=500)
    with pytest.raises(SettingsError) as error:
        parse_settings("epochs=501", default_settings("binary"), limits)
    assert "500" in t(error.value.message_key, "en", **error.value.values)


def test_parameter_limit_is_checked_against_the_table():
    settings = parse_settings("hidden=200,200", default_settings("binary"), LIMITS)
    small = replace(LIMITS, max_parameters=1000)
    with pytest.raises(SettingsError) as error:
        training.check_settings(XOR, settings, small)
    assert error.value.key == "limit_parameters"
    assert error.value.values["value"] == training.parameter_count(XOR, settings)


def test_loss_must_fit_the_task():
    with pytest.raises(SettingsError):
        training.check_settings(
            COLOURS, parse_settings("loss=mse", TrainSettings(), LIMITS), LIMITS
        )
    with pytest.raises(SettingsError):
        training.check_settings(PRICES, parse_settings("loss=bce", TrainSettings(), LIMITS), LIMITS)


def test_presets_article_and_default():
    s = parse_settings("preset=article", default_settings("binary"), LIMITS)
    assert s.hidden == (2,) and s.init == "textbook" and s.loss == "mse" and s.scale == "none"
    assert parse_settings("preset=default", s, LIMITS).custom == frozenset()


def test_learner_choices_survive_a_table_of_another_task():
    chosen = parse_settings("epochs=77", default_settings("binary"), LIMITS).to_dict()
    s = training.settings_for(PRICES, chosen)
    assert s.epochs == 77
    assert s.hidden == default_settings("regression").hidden
    assert TrainSettings.from_dict(s.to_dict()) == s


# --- encoding -----------------------------------------------------------------------------


def test_textbook_start_gives_the_articles_numbers():
    settings = parse_settings("preset=article", default_settings("binary"), LIMITS)
    model = training.build_model(GENDER, settings)
    x = training.encode_inputs(GENDER, settings.to_dict(), [[-2, -1]])
    assert x.tolist() == [[-2.0, -1.0]]  # raw values, as in the article
    assert float(model.predict(x)[0, 0]) == pytest.approx(0.523695, abs=1e-5)


def test_large_inputs_are_standardised_and_predictions_decoded_in_table_units():
    encoding = training.compute_encoding(PRICES, default_settings("regression"))
    assert encoding["inputs"] is not None and encoding["targets"] is not None
    stored = {"encoding": encoding}
    X = training.encode_inputs(PRICES, stored, PRICES["X"])
    assert abs(float(X.mean())) < 1e-6
    Y = training.encode_targets(PRICES, stored, PRICES["Y"])
    back = training.decode_outputs(PRICES, stored, Y)
    assert back[0].value == pytest.approx(PRICES["Y"][0][0], rel=1e-5)


def test_small_inputs_stay_raw_with_scale_auto():
    assert training.compute_encoding(XOR, default_settings("binary"))["inputs"] is None


def test_class_targets_are_encoded_and_decoded():
    onehot = training.encode_targets(COLOURS, {}, COLOURS["Y"])
    assert onehot.shape == (7, 3) and onehot[4].tolist() == [0, 0, 1]
    decoded = training.decode_outputs(COLOURS, {}, np.array([[0.1, 0.7, 0.2]]))
    assert decoded[0].text == "green" and decoded[0].confidence == pytest.approx(0.7)
    binary = training.decode_outputs(GENDER, {}, np.array([[0.2], [0.9]]))
    assert [p.text for p in binary] == ["0", "1"]
    assert binary[0].confidence == pytest.approx(0.8)


# --- training -----------------------------------------------------------------------------


def test_training_learns_xor_and_answers_questions():
    outcome = train(XOR)
    assert outcome.reason == "done" and not outcome.stopped
    assert outcome.evaluation["accuracy"] == 1.0
    model = training.load_model(outcome.model_bytes)
    assert isinstance(model, nn.Sequential)
    history = nn.History.from_dict(outcome.history_dict)
    assert history.loss[-1] < history.loss[0]


def test_training_multiclass_and_regression():
    outcome = train(COLOURS)
    assert outcome.evaluation["accuracy"] == 1.0
    assert outcome.evaluation["questions"][0]["text"] == "red"
    outcome = train(PRICES, "epochs=600")
    answer = outcome.evaluation["questions"][0]["value"]
    assert answer == pytest.approx(80_000, rel=0.05)


def test_stop_keeps_the_network_learned_so_far():
    calls = {"n": 0}

    def should_stop():
        calls["n"] += 1
        return calls["n"] > 3

    settings = parse_settings("epochs=100000 batch=1", default_settings("binary"), LIMITS)
    outcome = training.run_training(XOR, settings.to_dict(), lambda p: None, should_stop)
    assert outcome.stopped and outcome.reason == "stopped"
    assert 0 < nn.History.from_dict(outcome.history_dict).epochs_run < 100000
    assert training.load_model(outcome.model_bytes) is not None


def test_deadline_stops_training_as_a_timeout():
    import time

    settings = parse_settings("epochs=100000", default_settings("binary"), LIMITS)
    outcome = training.run_training(
        XOR, settings.to_dict(), lambda p: None, lambda: False, deadline=time.monotonic() + 0.2
    )
    assert outcome.reason == "timeout" and outcome.seconds < 5


def test_progress_is_reported_and_throttled():
    reports = []
    settings = parse_settings("epochs=3000 batch=1", default_settings("binary"), LIMITS)
    training.run_training(XOR, settings.to_dict(), reports.append, lambda: False)
    assert reports and reports[-1]["epoch"] == 3000 and reports[-1]["fraction"] == 1.0
    assert all(0 <= r["fraction"] <= 1 for r in reports)


def test_trained_model_survives_the_store(tmp_path):
    outcome = train(XOR)
    store = Store(tmp_path / "db.sqlite3")
    state = ChatState(chat_id=1, table=XOR, model=outcome.model_bytes)
    state.history = outcome.history_dict
    state.settings = {"encoding": outcome.encoding}
    store.save(state)
    store.close()
    loaded = Store(tmp_path / "db.sqlite3").load(1)
    model = training.load_model(loaded.model)
    x = training.encode_inputs(loaded.table, loaded.settings, XOR["X"])
    answers = training.decode_outputs(loaded.table, loaded.settings, model.predict(x))
    assert [a.text for a in answers] == ["0", "1", "1", "0"]


def test_forget_model_keeps_the_learners_settings():
    state = ChatState(chat_id=1, model=b"x", history={"loss": [1]})
    state.settings = {"lr": 0.3, "custom": ["lr"], "encoding": {"inputs": None}}
    training.forget_model(state)
    assert state.model is None and state.history is None
    assert state.settings == {"lr": 0.3, "custom": ["lr"]}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_settings_text_gives_settings_or_a_settings_error(text):
    try:
        result = parse_settings(text, default_settings("binary"), LIMITS)
    except SettingsError as error:
        for lang in LANGUAGES:
            assert t(error.message_key, lang, **error.values)
    else:
        assert isinstance(result, TrainSettings)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(["lr", "hidden", "epochs", "batch", "val", "seed", "init", "act", "scale"]),
        min_size=1,
        max_size=4,
    ),
    st.lists(st.text(alphabet="0123456789.,-x eE%", max_size=8), min_size=4, max_size=4),
)
def test_key_value_pairs_never_crash(keys, values):
    text = " ".join(f"{k}={v}" for k, v in zip(keys, values, strict=False))
    try:
        result = parse_settings(text, default_settings("regression"), LIMITS)
    except SettingsError:
        return
    assert (
        1 <= result.epochs <= LIMITS.max_epochs and len(result.hidden) <= LIMITS.max_hidden_layers
    )
    assert all(1 <= h <= LIMITS.max_layer_units for h in result.hidden)
    assert 0 <= result.validation <= 0.5 and training.LR_RANGE[0] <= result.lr
