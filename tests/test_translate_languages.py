"""BCP 47 parsing and the mapping to each provider's language codes."""

from __future__ import annotations

import pytest
from deep_translator import constants

from builder.errors import UsageError
from builder.translate.languages import candidate_codes, normalize_tag, parse_languages, provider_code

GOOGLE = constants.GOOGLE_LANGUAGES_TO_CODES.values()
MYMEMORY = constants.MY_MEMORY_LANGUAGES_TO_CODES.values()
DEEPL = constants.DEEPL_LANGUAGE_TO_CODE.values()
LIBRE_BUILTIN = constants.LIBRE_LANGUAGES_TO_CODES.values()


def test_tags_are_normalised_deduplicated_and_kept_in_order():
    assert parse_languages("zh-hans, ru,tr,RU") == ["zh-Hans", "ru", "tr"]
    assert parse_languages(["iw", "pt_BR"]) == ["he", "pt-BR"]
    assert normalize_tag("ZH-hans-cn") == "zh-Hans-CN"


@pytest.mark.parametrize("value, message", [
    ("xx", "'xx' is not a valid BCP 47 language tag"),
    ("klingon", "'klingon' is not a valid BCP 47 language tag"),
    ("und", "'und' names no specific language"),
    ("en-GB", "'en-GB' is the source language"),
    (" , ", "no target language given"),
])
def test_bad_tags_are_usage_errors(value, message):
    with pytest.raises(UsageError, match=message) as error:
        parse_languages(value)
    assert str(error.value).startswith("--lang: ")


@pytest.mark.parametrize("tag, google, mymemory, deepl, libre", [
    ("zh-Hans", "zh-CN", "zh-CN", "zh", "zh"),
    ("zh", "zh-CN", "zh-CN", "zh", "zh"),
    ("ru", "ru", "ru-RU", "ru", "ru"),
    ("tr", "tr", "tr-TR", "tr", "tr"),
    ("pt-BR", "pt", "pt-BR", "pt", "pt"),
    ("he", "iw", "he-IL", None, None),
    ("zh-Hant", "zh-TW", "zh-TW", None, None),  # never falls back to Simplified "zh"
])
def test_provider_codes(tag, google, mymemory, deepl, libre):
    for codes, expected, name in [(GOOGLE, google, "google"), (MYMEMORY, mymemory, "mymemory"),
                                  (DEEPL, deepl, "deepl"), (LIBRE_BUILTIN, libre, "libre")]:
        if expected is None:
            with pytest.raises(UsageError, match=f"not supported by provider '{name}'"):
                provider_code(tag, codes, provider=name)
        else:
            assert provider_code(tag, codes, provider=name) == expected


def test_script_is_never_dropped():
    assert "sr-RS" not in candidate_codes("sr-Latn")  # sr-RS is Cyrillic
    assert provider_code("sr-Latn", MYMEMORY, provider="mymemory") == "sr-Latn-RS"
    assert provider_code("en", MYMEMORY, provider="mymemory") == "en-US"
