from bot.i18n import LANGUAGES, catalogue, pick_language, placeholders, t


def test_every_message_exists_in_every_language():
    missing = [
        (key, lang)
        for key, texts in catalogue().items()
        for lang in LANGUAGES
        if not texts.get(lang, "").strip()
    ]
    assert missing == []


def test_languages_use_the_same_placeholders():
    mismatched = [
        key
        for key, texts in catalogue().items()
        if len({frozenset(placeholders(texts[lang])) for lang in LANGUAGES}) != 1
    ]
    assert mismatched == []


def test_no_message_has_an_unknown_language():
    extra = {lang for texts in catalogue().values() for lang in texts} - set(LANGUAGES)
    assert extra == set()


def test_telegram_language_codes_map_to_ours():
    assert pick_language("ru") == "ru"
    assert pick_language("ru-RU") == "ru"
    assert pick_language("uk") == "ru"
    assert pick_language("en-GB") == "en"
    assert pick_language("de") == "en"
    assert pick_language(None) == "en"


def test_translation_falls_back_and_formats():
    assert t("error.internal", "ru") != t("error.internal", "en")
    assert "ru" in LANGUAGES
