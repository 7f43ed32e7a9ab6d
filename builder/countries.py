"""Country normalisation: any survey spelling -> ISO 3166-1 alpha-3, short name, sample frame.

One mapping serves every adapter. A country key is a value label ("S. Korea",
"Angola (Non-national sample)"), an ISO numeric code (WVS `B_COUNTRY`) or an alpha-3 code.
Lookup is exact (after case folding and whitespace collapsing) against the alias table in
`builder/data/countries.yaml` and the ISO names in pycountry; anything else is an error,
never a fuzzy guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pycountry
import yaml

NATIONAL = "national"
SAMPLE_FRAMES = ("national", "non_national", "old_national", "current_national")

# "Angola (Non-national sample)", "India (Old national sample)", "India - current national sample"
_FRAME_SUFFIX = re.compile(
    r"\s*(?:\(\s*|-\s*)(non-national|old national|current national)\s+sample\s*\)?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-3, or a documented user-assigned code (XKX, XNI)
    name: str  # English short name
    sample_frame: str = NATIONAL


class UnknownCountry(KeyError):
    """The key matches no alias and no ISO name or code."""


def _fold(text: str) -> str:
    text = str(text).replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text).strip().casefold()


@lru_cache(maxsize=1)
def _tables() -> dict:
    raw = yaml.safe_load(resources.files("builder").joinpath("data/countries.yaml").read_text(encoding="utf-8"))
    by_name = {}
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            value = getattr(country, attribute, None)
            if value:
                by_name[_fold(value)] = country.alpha_3
    by_name.update({_fold(alias): code for alias, code in raw["aliases"].items()})
    extra = raw["extra_codes"]
    by_numeric = {int(c.numeric): c.alpha_3 for c in pycountry.countries}
    by_numeric.update({int(info["numeric"]): code for code, info in extra.items()})
    return {"by_name": by_name, "by_numeric": by_numeric, "extra": extra, "short_names": raw["short_names"]}


def is_valid_code(code: str) -> bool:
    """True for an assigned ISO 3166-1 alpha-3 code or one of our documented extra codes."""
    if not isinstance(code, str) or len(code) != 3 or not code.isupper():
        return False
    return code in _tables()["extra"] or pycountry.countries.get(alpha_3=code) is not None


def short_name(code: str) -> str:
    tables = _tables()
    if code in tables["extra"]:
        return tables["extra"][code]["name"]
    if code in tables["short_names"]:
        return tables["short_names"][code]
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        raise UnknownCountry(code)
    return getattr(country, "common_name", None) or country.name


def split_sample_frame(label: str) -> tuple[str, str]:
    """'India (Old national sample)' -> ('India', 'old_national'); no suffix -> national."""
    match = _FRAME_SUFFIX.search(label)
    if not match:
        return label.strip(), NATIONAL
    frame = match.group(1).lower().replace("-", "_").replace(" ", "_")
    return label[: match.start()].strip(), frame


def resolve_country(key: str | int | float) -> Country:
    """Map one country key (label, ISO numeric or alpha-3 code) to a Country."""
    tables = _tables()
    if isinstance(key, (int, float)) and not isinstance(key, bool):
        if key != key or int(key) != key or int(key) not in tables["by_numeric"]:
            raise UnknownCountry(key)
        code = tables["by_numeric"][int(key)]
        return Country(code, short_name(code))
    text = str(key).strip()
    if text.isdigit():
        return resolve_country(int(text))
    name, frame = split_sample_frame(text)
    code = tables["by_name"].get(_fold(name))
    if code is None and len(name) == 3 and is_valid_code(name.upper()):
        code = name.upper()
    if code is None:
        raise UnknownCountry(key)
    return Country(code, short_name(code), frame)
