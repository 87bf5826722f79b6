"""Russian texts are Russian: no English word outside <code>, commands, placeholders and a
short list of names (formats, libraries, abbreviations a Russian textbook writes in Latin too).

The Russian buttons and picture labels that Python builds from setting values are walked too.
"""

import html
import re
from dataclasses import replace

import pytest

import nncore as nn
from bot.config import Limits
from bot.i18n import catalogue
from bot.tables.examples import EXAMPLES
from bot.tables.parse import parse_table
from bot.training.network_picture import dense_layers, layer_name
from bot.training.settings import CYCLED, default_settings
from bot.training.views import settings_rows

ALLOWED = {
    # file formats, encodings, services, libraries, the bot itself
    "CSV", "TSV", "TXT", "UTF", "JPEG", "PNG", "WebP", "GIF", "BMP", "TIFF", "JSON",
    "MNIST", "NumPy", "Python", "Telegram", "nnbot", "nncore",
    # names a Russian text writes in Latin too: abbreviations and proper names
    "MSE", "ReLU", "Adam", "XOR", "AND", "OR", "NaN",
    # mathematical notation a Russian textbook writes the same way
    "ln",
}  # fmt: skip
BILINGUAL = {"app.lang.choose"}  # the language chooser speaks both languages on purpose

CODE = re.compile(r"<(code|pre)>.*?</\1>", re.S)
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
TAG = re.compile(r"</?\w+[^>]*>")
COMMAND = re.compile(r"(?<!\w)/\w+(?: [a-z]+\b)?")  # /lab, /lab train: what the learner types
# a setting as the learner types it: hidden=4, or its value left to a placeholder: lr={value}
TYPED = re.compile(r"\b[a-z_0-9]+=(?:[\w.,%]+|\{[^{}]*\})")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_]*")


def english_words(text: str) -> list[str]:
    text = html.unescape(text)  # &lt; is "<", not the word "lt"
    for pattern in (CODE, TYPED, PLACEHOLDER, TAG, COMMAND):
        text = pattern.sub(" ", text)
    # single letters are the formulas' variables (x, y, w, L); the rest must be allowed names
    return [w for w in LATIN_WORD.findall(text) if len(w) > 1 and w not in ALLOWED]


def test_the_checker_catches_english_and_lets_code_through():
    assert english_words("оптимизатор: sgd ▸") == ["sgd"]
    assert english_words("перекрёстная энтропия (exact 0.5)") == ["exact"]
    assert english_words("<code>hidden=2</code>, /lab train, {name}, MNIST, w₁") == []
    assert english_words("(/settings lr=0.5 hidden=4)") == []
    assert english_words("Шаг поменьше: lr={value}; z &lt; 0") == []
    assert english_words("при lr{value} и tanh") == ["lr", "tanh"]


def test_no_russian_message_has_english_words():
    leaks = {
        key: english_words(texts["ru"])
        for key, texts in catalogue().items()
        if key not in BILINGUAL and english_words(texts["ru"])
    }
    assert leaks == {}


@pytest.mark.parametrize("key", sorted(CYCLED))
def test_russian_settings_buttons_name_every_value_in_russian(key):
    for value in CYCLED[key]:
        settings = replace(default_settings("binary"), **{key: value})
        labels = [label for row in settings_rows(settings, "ru") for label, _ in row]
        assert [w for label in labels for w in english_words(label)] == [], value


def test_russian_layer_names_name_the_activation_in_russian():
    hidden = [nn.Dense(2, 3, rng=0), nn.Tanh(), nn.Dense(3, 3, rng=1), nn.ReLU()]
    model = nn.Sequential([*hidden, nn.Dense(3, 1, rng=2), nn.Sigmoid()])
    dense = dense_layers(model)
    names = [layer_name(i, dense, "ru") for i in range(len(dense) + 1)]
    assert names[0].startswith("входной слой")
    assert "гиперболический тангенс" in names[1] and "ReLU" in names[2]
    assert "сигмоида" in names[3] and names[3].startswith("выходной слой")
    assert not [w for name in names for w in english_words(name)]


@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_ready_tables_in_russian_name_everything_in_russian(key):
    table = parse_table(EXAMPLES[key].text_for("ru"), Limits())
    names = [*table.inputs, *table.targets, *(table.classes or [])]
    names += [*(table.names or []), *(table.question_names or [])]
    assert [w for name in names for w in english_words(str(name))] == []


@pytest.mark.parametrize(
    ("key", "term"),
    [
        ("settings.current", "функция активации"),
        ("settings.current", "функция потерь"),
        ("settings.current", "скорость обучения"),
        ("lesson.update", "градиентный спуск"),
        ("train.summary.val_higher", "переобучение"),
        ("train.summary.memorise", "переобучение"),
        ("train.plot.caption", "Функция потерь (ошибка сети)"),
        ("app.help.intro", "ошибка (функция потерь)"),
    ],
)
def test_the_usual_russian_terms_are_used(key, term):
    assert term in catalogue()[key]["ru"]


def test_russian_lab_preset_buttons_are_russian():
    from bot.lab.chat import lab_buttons

    labels = [label for row in lab_buttons("ru") for label, _ in row]
    assert len(labels) >= 5
    assert [w for label in labels for w in english_words(label)] == []
