"""Country normalisation: every key of the GlobalOpinionQA release maps, exactly, and nothing is guessed."""

from pathlib import Path

import pytest

from builder.countries import Country, UnknownCountry, is_valid_code, resolve_country, split_sample_frame

REPO_KEYS = Path(__file__).resolve().parent / "data" / "globalopinionqa_country_keys.txt"


def release_keys() -> list[str]:
    path = REPO_KEYS
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]


def test_all_138_release_keys_map_to_valid_codes():
    keys = release_keys()
    assert len(keys) == 138
    resolved = {key: resolve_country(key) for key in keys}
    assert all(is_valid_code(country.code) for country in resolved.values())
    # Frames are split off, never part of the name.
    assert all("sample" not in country.name.lower() for country in resolved.values())
    non_national = {key for key in keys if key.endswith("(Non-national sample)")}
    assert {key for key, country in resolved.items() if country.sample_frame == "non_national"} == non_national
    assert resolved["Palest. ter."].code == "PSE" and resolved["S. Africa"].code == "ZAF"


@pytest.mark.parametrize(
    "key, expected",
    [
        ("Britain", Country("GBR", "United Kingdom")),
        ("Great Britain", Country("GBR", "United Kingdom")),
        ("United Kingdom", Country("GBR", "United Kingdom")),
        ("S. Korea", Country("KOR", "South Korea")),
        ("South Korea", Country("KOR", "South Korea")),
        ("Czech Rep.", Country("CZE", "Czechia")),
        ("Czechia", Country("CZE", "Czechia")),
        ("Taiwan", Country("TWN", "Taiwan")),
        ("Taiwan ROC", Country("TWN", "Taiwan")),
        ("Palest. ter.", Country("PSE", "Palestine")),
        ("S. Africa (Non-national sample)", Country("ZAF", "South Africa", "non_national")),
        ("India (Old national sample)", Country("IND", "India", "old_national")),
        ("India (Current national sample)", Country("IND", "India", "current_national")),
        ("Northern Ireland", Country("XNI", "Northern Ireland")),
        ("Côte d’Ivoire", Country("CIV", "Côte d'Ivoire")),
        ("Russia", Country("RUS", "Russia")),
        (909, Country("XNI", "Northern Ireland")),
        (410, Country("KOR", "South Korea")),
        (410.0, Country("KOR", "South Korea")),
        ("276", Country("DEU", "Germany")),
        ("DEU", Country("DEU", "Germany")),
    ],
)
def test_aliases_codes_and_frames(key, expected):
    assert resolve_country(key) == expected


@pytest.mark.parametrize("key", ["Korea", "Atlantis", "Sth Africa", 999, 410.5, "", "XXX"])
def test_unknown_keys_are_errors_not_guesses(key):
    with pytest.raises(UnknownCountry):
        resolve_country(key)


def test_split_sample_frame():
    assert split_sample_frame("Angola (Non-national sample)") == ("Angola", "non_national")
    assert split_sample_frame("Mexico") == ("Mexico", "national")


def test_valid_codes():
    assert is_valid_code("USA") and is_valid_code("XKX") and is_valid_code("XNI")
    assert not is_valid_code("NIR") and not is_valid_code("usa") and not is_valid_code(None)
