"""Overfitting: the noisy example overfits on every seed, the bot says so, and every fix it
offers lowers the final validation loss when followed; patience, l2 and dropout as settings."""

import pytest

import nncore as nn
from bot.i18n import t
from bot.tables.examples import EXAMPLES, suggested_settings
from bot.tables.parse import parse_table
from bot.training import views
from bot.training.quality import diagnosis_rows, diagnosis_text, fix_of
from bot.training.run import load_model, run_training
from bot.training.settings import (
    NEXT,
    SettingsError,
    TrainSettings,
    changed_by_button,
    default_settings,
    parse_settings,
)
from tests.support.tables import LIMITS, XOR, as_table

SEEDS = (1, 2, 3, 4)
NOISY = parse_table(EXAMPLES["noisy"].text, LIMITS)


def _noisy_settings(seed: int) -> TrainSettings:
    chosen = TrainSettings.from_dict(suggested_settings("noisy", NOISY, LIMITS))
    return parse_settings(f"seed={seed}", chosen, LIMITS)


def _train(settings: TrainSettings):
    return run_training(NOISY, settings, lambda _: None, lambda: False)


def _overfitting(outcome) -> dict | None:
    return next((f for f in outcome.diagnosis if f["symptom"] == "overfitting"), None)


@pytest.fixture(scope="module")
def overfit_runs():
    return {seed: _train(_noisy_settings(seed)) for seed in SEEDS}


def test_the_noisy_example_overfits_on_every_seed(overfit_runs):
    for seed, outcome in overfit_runs.items():
        history = outcome.history_dict
        best = history["best_epoch"]
        assert best < len(history["val_loss"]) // 4, seed  # validation turned up early …
        assert history["val_loss"][-1] > 2 * history["val_loss"][best - 1], seed
        assert history["loss"][-1] < 0.1 * history["loss"][best - 1], seed  # … training fell
        finding = _overfitting(outcome)
        assert finding is not None, seed
        assert set(finding["fixes"]) == {"patience=50", "l2=0.05", "hidden=2"}


def test_every_offered_fix_lowers_the_final_validation_loss(overfit_runs):
    for seed, outcome in overfit_runs.items():
        settings = _noisy_settings(seed)
        for label, data in (row[0] for row in diagnosis_rows(outcome.diagnosis, settings, "en")):
            change, fixed = fix_of(data, settings, LIMITS)
            followed = _train(fixed)
            before, after = outcome.evaluation["val_loss"], followed.evaluation["val_loss"]
            assert after < 0.75 * before, (seed, label, before, after)
            assert _overfitting(followed) is None or change != "patience=50", (seed, change)


def test_early_stopping_reports_the_kept_epoch_in_both_languages():
    settings = parse_settings("patience=50", _noisy_settings(1), LIMITS)
    outcome = _train(settings)
    evaluation = outcome.evaluation
    kept, stopped = evaluation["kept_epoch"], evaluation["stopped_early"]
    assert stopped == kept + 50 == outcome.history_dict["epochs_run"]
    assert evaluation["val_loss"] == pytest.approx(min(outcome.history_dict["val_loss"]))
    assert not outcome.stopped  # not "stopped by the learner"
    english = views.summary_text(NOISY, settings, evaluation, "en")
    russian = views.summary_text(NOISY, settings, evaluation, "ru")
    assert f"kept the network of epoch {kept}" in english
    assert f"сохранена сеть эпохи {kept}" in russian
    assert "50 epochs" in english and "50 эпох" in russian


def test_the_summary_gives_validation_accuracy_beside_the_training_figures(overfit_runs):
    evaluation = overfit_runs[1].evaluation
    settings = _noisy_settings(1)
    percent = f"{100 * evaluation['val_accuracy']:.0f}%"
    for lang in ("en", "ru"):
        text = views.summary_text(NOISY, settings, evaluation, lang)
        assert t("quality.val_accuracy", lang, percent=percent[:-1]) in text
        whole = f"{100 * evaluation['accuracy']:.0f}"
        assert t("train.summary.accuracy", lang, percent=whole) in text


def test_the_diagnosis_names_overfitting_in_both_languages(overfit_runs):
    findings = overfit_runs[1].diagnosis
    assert "Overfitting" in diagnosis_text(findings, "en")
    assert "Переобучение" in diagnosis_text(findings, "ru")
    labels = [row[0][0] for row in diagnosis_rows(findings, _noisy_settings(1), "ru")]
    assert labels == [
        "⏹ Ранняя остановка: patience=50",
        "⚖ Штраф за веса: l2=0.05",
        "➖ Меньше нейронов: hidden=2",
    ]


def test_dropout_trains_with_dropout_and_keeps_the_network_without_it():
    settings = parse_settings("dropout=0.3", _noisy_settings(1), LIMITS)
    outcome = _train(settings)
    model = load_model(outcome.model_bytes)
    assert not [layer for layer in model.layers if isinstance(layer, nn.Dropout)]
    assert outcome.history_dict["dropout"] == 0.3
    plain = _train(_noisy_settings(1))
    assert outcome.history_dict["loss"][5] != plain.history_dict["loss"][5]  # it did act
    assert t("quality.dropout_note", "ru") in views.summary_text(
        NOISY, settings, outcome.evaluation, "ru"
    )


def test_l2_pulls_the_weights_towards_zero():
    def weight_size(text: str) -> float:
        outcome = _train(parse_settings(text, _noisy_settings(1), LIMITS))
        model = load_model(outcome.model_bytes)
        return sum(float((value**2).sum()) for name, value, _ in model.parameters() if "W" in name)

    assert weight_size("l2=0.05") < 0.5 * weight_size("l2=0")


def test_patience_without_validation_says_it_was_off():
    settings = parse_settings("patience=10 epochs=50", default_settings("binary"), LIMITS)
    outcome = run_training(as_table(XOR), settings, lambda _: None, lambda: False)
    assert outcome.history_dict["epochs_run"] == 50
    for lang in ("en", "ru"):
        text = views.summary_text(as_table(XOR), settings, outcome.evaluation, lang)
        assert t("quality.patience_unused", lang) in text


@pytest.mark.parametrize(
    ("typed", "key", "value"),
    [
        ("patience=30", "patience", 30),
        ("patience=off", "patience", 0),
        ("l2=0.001", "l2", 0.001),
        ("weight_decay=0,01", "l2", 0.01),
        ("dropout=0.2", "dropout", 0.2),
        ("дропаут=0", "dropout", 0.0),
    ],
)
def test_the_new_settings_are_read_like_the_others(typed, key, value):
    assert getattr(parse_settings(typed, default_settings("binary"), LIMITS), key) == value


@pytest.mark.parametrize(
    ("typed", "high"), [("l2=2", "1"), ("dropout=0.95", "0.9"), ("patience=-3", "100000")]
)
def test_values_out_of_range_get_the_allowed_range_in_both_languages(typed, high):
    with pytest.raises(SettingsError) as raised:
        parse_settings(typed, default_settings("binary"), LIMITS)
    assert raised.value.key == "range"
    for lang in ("en", "ru"):
        assert high in views.settings_error_text(raised.value, lang)


def test_the_settings_buttons_cycle_patience_l2_and_dropout():
    settings = default_settings("binary")
    seen = []
    for _ in range(6):
        settings = changed_by_button(settings, "dropout", NEXT, LIMITS)
        seen.append(settings.dropout)
    assert seen == [0.1, 0.2, 0.3, 0.5, 0.0, 0.1]
    assert changed_by_button(settings, "patience", NEXT, LIMITS).patience == 20
    assert changed_by_button(settings, "l2", NEXT, LIMITS).l2 == 0.0001
    labels = [label for row in views.settings_rows(settings, "ru") for label, _ in row]
    assert "терпение: выкл ▸" in labels and "дропаут: 0.1 ▸" in labels
    text = views.settings_text(as_table(XOR), settings, "ru")
    assert "dropout=0.1" in text and "patience=выкл" in text


def test_the_validation_line_names_overfitting_only_when_the_numbers_show_it(overfit_runs):
    settings = _noisy_settings(1)
    evaluation = overfit_runs[1].evaluation  # validation loss far above the training rows'
    assert evaluation["val_loss"] > 3 * evaluation["kept_train_loss"]
    for lang in ("en", "ru"):
        text = views.summary_text(NOISY, settings, evaluation, lang)
        assert t("train.summary.val_higher", lang) in text
        assert t("train.summary.val_close", lang) not in text
    # the same network, numbers where validation is as good as training: no such verdict
    close = {**evaluation, "val_loss": 0.011, "kept_train_loss": 0.010}
    english = views.summary_text(NOISY, settings, close, "en")
    russian = views.summary_text(NOISY, settings, close, "ru")
    assert t("train.summary.val_higher", "en") not in english
    assert "no sign of overfitting" in english
    assert t("train.summary.val_higher", "ru") not in russian
    assert "признаков переобучения нет" in russian
    assert "0.011" in english and "0.01 on the training rows" in english


def test_the_memorising_note_shows_the_loss_it_talks_about():
    table = parse_table("x | y\n1 | 3\n2 | 5\n3 | 7\n4 | 9", LIMITS)
    settings = parse_settings("hidden=16 epochs=200", default_settings(table.task), LIMITS)
    outcome = run_training(table, settings, lambda _: None, lambda: False)
    shown = views.number(outcome.evaluation["loss"])
    for lang, about_zero in (("en", "near 0"), ("ru", "около 0")):
        text = views.summary_text(table, settings, outcome.evaluation, lang)
        assert about_zero not in text
        assert f"({shown})" in text, text
