import pytest

from bot.config import Limits
from bot.i18n import LANGUAGES, catalogue
from bot.tables.examples import EXAMPLES, suggested_settings
from bot.tables.parse import parse_table
from bot.training import settings as training

LIMITS = Limits()


@pytest.mark.parametrize("key", list(EXAMPLES))
def test_every_example_parses_and_has_its_texts(key):
    table = parse_table(EXAMPLES[key].text, LIMITS)
    assert len(table.X) >= 4
    for part in ("title", "about", "next"):
        texts = catalogue()[f"table.example.{key}.{part}"]
        assert all(texts[lang].strip() for lang in LANGUAGES)


@pytest.mark.parametrize("key", list(EXAMPLES))
def test_every_suggestion_is_valid_settings(key):
    table = parse_table(EXAMPLES[key].text, LIMITS)
    settings = suggested_settings(key, table, LIMITS)
    parsed = training.TrainSettings.from_dict(settings)
    training.check_settings(table, parsed, LIMITS)


def test_callback_data_fits_telegrams_64_bytes():
    assert all(len(f"tables:ex:{key}".encode()) <= 64 for key in EXAMPLES)


def test_the_single_neuron_table_is_the_articles():
    table = parse_table(EXAMPLES["neuron"].text, LIMITS)
    assert table.X == [[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]]
    assert [y[0] for y in table.Y] == [0, 1, 1, 0]
    assert table.questions == [[1, 0, 0]]
    settings = training.TrainSettings.from_dict(suggested_settings("neuron", table, LIMITS))
    assert settings.hidden == ()
    assert settings.activation == "sigmoid"
    assert (settings.loss, settings.optimizer, settings.lr) == ("mse", "sgd", 2.0)
    assert settings.epochs == 10_000


def test_the_gender_table_is_the_articles_with_emily_and_frank_as_questions():
    table = parse_table(EXAMPLES["gender"].text, LIMITS)
    assert table.names == ["Alice", "Bob", "Charlie", "Diana"]
    assert table.X == [[-2, -1], [25, 6], [17, 4], [-15, -6]]
    assert [y[0] for y in table.Y] == [1, 0, 0, 1]
    assert table.question_names == ["Emily", "Frank"]
    assert table.questions == [[-7, -3], [20, 2]]
    settings = training.TrainSettings.from_dict(suggested_settings("gender", table, LIMITS))
    assert settings.hidden == (2,)
    assert (settings.activation, settings.loss, settings.optimizer) == ("sigmoid", "mse", "sgd")
    assert (settings.lr, settings.epochs, settings.batch_size) == (0.1, 1000, 1)
    assert settings.init == "article"


def test_logic_gates_and_classes():
    assert [y[0] for y in parse_table(EXAMPLES["xor"].text, LIMITS).Y] == [0, 1, 1, 0]
    assert [y[0] for y in parse_table(EXAMPLES["and"].text, LIMITS).Y] == [0, 0, 0, 1]
    assert [y[0] for y in parse_table(EXAMPLES["or"].text, LIMITS).Y] == [0, 1, 1, 1]
    colours = parse_table(EXAMPLES["colours"].text, LIMITS)
    assert colours.task == "multiclass"
    assert colours.classes == ["blue", "green", "red"]


def test_seven_segments_cover_every_digit_once():
    table = parse_table(EXAMPLES["digits7"].text, LIMITS)
    assert table.task == "multiclass"
    assert table.classes == [str(d) for d in range(10)]
    assert len({tuple(x) for x in table.X}) == 10
    assert sum(table.X[8]) == 7  # 8 lights every segment
    assert table.X[1] == [0, 1, 1, 0, 0, 0, 0]


def test_a_host_limit_below_a_suggestion_falls_back_to_defaults():
    small = Limits(max_epochs=100)
    table = parse_table(EXAMPLES["neuron"].text, small)
    settings = suggested_settings("neuron", table, small)
    assert settings == training.default_settings("binary").to_dict()


def test_ready_tables_come_in_the_learners_language():
    gender = parse_table(EXAMPLES["gender"].text_for("ru"), LIMITS)
    assert gender.inputs == ["вес", "рост"] and gender.targets == ["женщина"]
    assert gender.question_names == ["Эмили", "Фрэнк"]
    colours = parse_table(EXAMPLES["colours"].text_for("ru"), LIMITS)
    assert set(colours.classes) == {"красный", "зелёный", "синий"}
    english = parse_table(EXAMPLES["gender"].text_for("en"), LIMITS)
    assert english.X == gender.X and english.Y == gender.Y
