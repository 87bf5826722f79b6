"""Counts take the word's right form: Russian one/few/many, English one/other."""

import pytest

from bot.i18n import catalogue, plural, plural_form

RUSSIAN = {
    1: "эпоха", 2: "эпохи", 4: "эпохи", 5: "эпох", 11: "эпох", 12: "эпох", 14: "эпох",
    21: "эпоха", 22: "эпохи", 25: "эпох", 101: "эпоха", 111: "эпох", 112: "эпох", 0: "эпох",
}  # fmt: skip


@pytest.mark.parametrize(("count", "word"), RUSSIAN.items())
def test_russian_one_few_many(count, word):
    assert plural_form(count, "ru", "эпоха|эпохи|эпох") == word


def test_english_one_other_and_grouped_thousands():
    assert plural(1, "en", "word.epoch") == "1 epoch"
    assert plural(2, "en", "word.epoch") == "2 epochs"
    assert plural(1000, "en", "word.epoch") == "1000 epochs"
    assert plural(10_000, "ru", "word.epoch") == "10\u202f000 эпох"
    assert plural(4, "ru", "word.parameter") == "4 параметра (веса и смещения)"
    assert plural(51, "ru", "word.parameter") == "51 параметр (вес или смещение)"
    assert plural(5, "ru", "word.input_value") == "5 входных значений"


def test_every_word_has_its_forms_in_both_languages():
    words = {k: v for k, v in catalogue().items() if k.startswith("word.")}
    assert len(words) >= 10
    for key, texts in words.items():
        assert len(texts["ru"].split("|")) == 3, key
        assert len(texts["en"].split("|")) == 2, key


def test_no_message_writes_a_bracketed_plural():
    for key, texts in catalogue().items():
        for text in texts.values():
            assert "(s)" not in text and "(я)" not in text and "(й)" not in text, key
