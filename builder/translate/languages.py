"""Language tags: parse the user's BCP 47 tags and map them to each provider's own codes.

Users write BCP 47 (`zh-Hans`, `ru`, `tr`); every provider has its own code list (Google wants
`zh-CN`, MyMemory `ru-RU`, DeepL `zh`, a LibreTranslate server `zh-Hans` or `zh`). The mapping
is done here, before any call, so an unsupported language is one clear error instead of a
failure in the middle of a run.

Only `standardize_tag`, `is_valid` and `maximize` from langcodes are used: they work without
the optional `language_data` package (language display names would need it).
"""

from __future__ import annotations

from typing import Iterable

import langcodes

from builder.errors import UsageError

SOURCE_LANGUAGE = "en"  # every question is translated from English


def normalize_tag(tag: str, *, option: str = "--lang") -> str:
    """The canonical form of one BCP 47 tag (`zh-hans` -> `zh-Hans`, `iw` -> `he`), or a UsageError."""
    text = str(tag).strip()
    try:
        standard = langcodes.standardize_tag(text)
        valid = langcodes.Language.get(standard).is_valid()
    except (langcodes.LanguageTagError, ValueError):
        valid = False
    if not text or not valid:
        raise UsageError(f"{text!r} is not a valid BCP 47 language tag (examples: zh-Hans, ru, tr)", variable=option)
    language = langcodes.Language.get(standard)
    if standard == "und" or standard.startswith("x-") or language.language is None:
        raise UsageError(f"{text!r} names no specific language", variable=option)
    return standard


def parse_languages(values: str | Iterable[str], *, option: str = "--lang") -> list[str]:
    """Target tags from `"zh-Hans,ru"` or a list: normalised, deduplicated, in the given order.

    English is refused: it is the source language, so there is nothing to translate.
    """
    if isinstance(values, str):
        values = values.split(",")
    tags: list[str] = []
    for value in values:
        if not str(value).strip():
            continue
        tag = normalize_tag(value, option=option)
        if langcodes.Language.get(tag).language == SOURCE_LANGUAGE:
            raise UsageError(f"{tag!r} is the source language (English); choose a target language", variable=option)
        if tag not in tags:
            tags.append(tag)
    if not tags:
        raise UsageError("no target language given", variable=option)
    return tags


def _default_script(language_and_region: str) -> str | None:
    return langcodes.Language.get(language_and_region).maximize().script


def candidate_codes(tag: str) -> list[str]:
    """Codes a provider might use for `tag`, most specific first.

    A fallback that drops the script or the region is only offered when it keeps the script
    (`zh-Hant` never falls back to `zh`, which providers read as Simplified; `sr-Latn` never
    to `sr-RS`, which is Cyrillic). Dropping a region is accepted (`pt-BR` -> `pt`).
    """
    requested = langcodes.Language.get(normalize_tag(tag))
    full = requested.maximize()
    language, script, region = full.language, full.script, full.territory
    candidates = [requested.to_tag(), full.to_tag(), f"{language}-{script}"]
    if region and _default_script(f"{language}-{region}") == script:
        candidates.append(f"{language}-{region}")
    if _default_script(language) == script:
        candidates.append(language)
    return list(dict.fromkeys(candidates))


def _comparable(code: str) -> str:
    try:
        return langcodes.standardize_tag(code).lower()
    except (langcodes.LanguageTagError, ValueError):
        return code.lower()


def provider_code(tag: str, provider_codes: Iterable[str], *, provider: str) -> str:
    """The provider's code for a BCP 47 tag, or a UsageError naming the provider."""
    by_standard_form: dict[str, str] = {}
    for code in provider_codes:
        by_standard_form.setdefault(_comparable(code), code)
    for candidate in candidate_codes(tag):
        code = by_standard_form.get(candidate.lower())
        if code is not None:
            return code
    raise UsageError(f"language {tag!r} is not supported by provider {provider!r}", variable="--lang")
