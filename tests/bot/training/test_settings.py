from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.i18n import LANGUAGES, t
from bot.training.settings import (
    HIDDEN_CHOICES,
    LR_RANGE,
    SettingsError,
    TrainSettings,
    changed_by_button,
    check_settings,
    default_settings,
    parameter_count,
    parse_settings,
    resolved_loss,
    settings_for,
)
from tests.support.tables import COLOURS, LIMITS, PRICES, XOR, as_table


def test_defaults_depend_on_the_task():
    assert default_settings("regression").hidden == (8,)
    assert default_settings("multiclass").hidden == (16,)
    assert default_settings("binary").loss == "auto"
    assert resolved_loss(as_table(COLOURS), default_settings("multiclass")) == "ce"
    assert resolved_loss(as_table(PRICES), default_settings("regression")) == "mse"


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
        check_settings(as_table(XOR), settings, small)
    assert error.value.key == "limit_parameters"
    assert error.value.values["value"] == parameter_count(as_table(XOR), settings)


def test_loss_must_fit_the_task():
    with pytest.raises(SettingsError):
        check_settings(
            as_table(COLOURS), parse_settings("loss=mse", TrainSettings(), LIMITS), LIMITS
        )
    with pytest.raises(SettingsError):
        check_settings(
            as_table(PRICES), parse_settings("loss=bce", TrainSettings(), LIMITS), LIMITS
        )


def test_presets_article_and_default():
    s = parse_settings("preset=article", default_settings("binary"), LIMITS)
    assert s.hidden == (2,) and s.init == "article" and s.loss == "mse" and s.scale == "none"
    assert parse_settings("preset=default", s, LIMITS).custom == frozenset()


def test_learner_choices_survive_a_table_of_another_task():
    chosen = parse_settings("epochs=77", default_settings("binary"), LIMITS).to_dict()
    s = settings_for(as_table(PRICES), chosen)
    assert s.epochs == 77
    assert s.hidden == default_settings("regression").hidden
    assert TrainSettings.from_dict(s.to_dict()) == s


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
    assert 0 <= result.validation <= 0.5 and LR_RANGE[0] <= result.lr


# --- the settings buttons ------------------------------------------------------------------


def test_lr_doubles_and_halves_and_clamps_at_the_range():
    s = default_settings("binary")
    assert changed_by_button(s, "lr", "double", LIMITS).lr == pytest.approx(2 * s.lr)
    assert changed_by_button(s, "lr", "half", LIMITS).lr == pytest.approx(s.lr / 2)
    top = replace(s, lr=LR_RANGE[1] * 0.75)
    assert changed_by_button(top, "lr", "double", LIMITS).lr == LR_RANGE[1]
    bottom = replace(s, lr=LR_RANGE[0] * 1.5)
    assert changed_by_button(bottom, "lr", "half", LIMITS).lr == LR_RANGE[0]
    assert "lr" in changed_by_button(s, "lr", "double", LIMITS).custom


def test_epochs_halve_never_below_one_and_double_up_to_the_limit():
    s = replace(default_settings("binary"), epochs=3)
    assert changed_by_button(s, "epochs", "half", LIMITS).epochs == 1
    one = replace(s, epochs=1)
    assert changed_by_button(one, "epochs", "half", LIMITS).epochs == 1
    limits = replace(LIMITS, max_epochs=500)
    assert changed_by_button(replace(s, epochs=400), "epochs", "double", limits).epochs == 500
    assert changed_by_button(replace(s, epochs=100), "epochs", "double", limits).epochs == 200


def test_hidden_cycles_through_the_shapes_the_limits_allow():
    limits = replace(LIMITS, max_hidden_layers=1, max_layer_units=8)
    allowed = [h for h in HIDDEN_CHOICES if len(h) <= 1 and max(h, default=0) <= 8]
    s = replace(default_settings("binary"), hidden=(4,))
    seen = []
    for _ in range(2 * len(allowed)):
        s = changed_by_button(s, "hidden", "next", limits)
        seen.append(s.hidden)
    assert set(seen) == set(allowed) and "hidden" in s.custom
    assert seen[: len(allowed)] == seen[len(allowed) :]  # round and round
    odd = replace(s, hidden=(5, 5))  # typed by hand: the cycle starts at the first shape
    assert changed_by_button(odd, "hidden", "next", limits).hidden == allowed[0]


def test_other_buttons_cycle_their_choices_and_apply_presets():
    s = default_settings("binary")
    assert changed_by_button(s, "activation", "next", LIMITS).activation == "relu"
    article = changed_by_button(s, "preset", "article", LIMITS)
    assert article.init == "article" and article.hidden == (2,)
    assert changed_by_button(article, "preset", "default", LIMITS).custom == frozenset()
    with pytest.raises(SettingsError):
        changed_by_button(s, "preset", "nonsense", LIMITS)
    with pytest.raises(KeyError):
        changed_by_button(s, "colour", "next", LIMITS)
