"""One `builder translate` run from the project settings: what the CLI command calls.

Reads `build/questions.parquet`, imports the curated files listed in builder.yaml into the
memory (`<cache_dir>/translation_memory.sqlite`), translates, and writes
`build/translations.parquet` atomically. When the run fails part-way, the previous table is
left as it was; the memory keeps every translation that succeeded.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from builder.config import CONFIG_NAME, Settings
from builder.errors import UsageError
from builder.translate.curated import import_curated
from builder.translate.languages import normalize_tag, parse_languages
from builder.translate.memory import CURATED_METHODS, TranslationMemory, memory_path
from builder.translate.pipeline import TranslationReport, translate_questions
from builder.translate.providers import make_provider, provider_name
from builder.translate.table import QUESTIONS_FILE, TRANSLATIONS_FILE, read_questions, write_translations
from builder.translate.throttle import RetryPolicy

DEFAULT_TIMEOUT = 10.0
DEFAULT_ATTEMPTS = 5


@dataclass
class TranslateOptions:
    """Command-line choices; None means "from builder.yaml" (or the environment for the provider)."""

    languages: str | list[str] | None = None
    provider: str | None = None
    refresh: bool = False
    offline: bool = False
    workers: int | None = None
    requests_per_second: float | None = None
    timeout: float | None = None
    backtranslate: bool = False


def _setting(config: dict, key: str, kind: type, minimum: float, default):
    value = config.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
        raise UsageError(f"translate.{key} must be a number >= {minimum}, not {value!r}", file=CONFIG_NAME)
    return kind(value)


def curated_files(settings: Settings) -> list[tuple[Path, str]]:
    """(path, method) of each `translate.curated` entry, paths resolved against the project root."""
    entries = settings.translate.get("curated") or []
    if not isinstance(entries, list):
        raise UsageError("translate.curated must be a list of {path, method}", file=CONFIG_NAME)
    files = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not entry.get("path") or entry.get("method") not in CURATED_METHODS:
            raise UsageError(f"translate.curated entry {number} needs a path and a method "
                             f"({' or '.join(CURATED_METHODS)})", file=CONFIG_NAME)
        files.append(((settings.root / entry["path"]).resolve(), entry["method"]))
    return files


def import_configured_curated(settings: Settings, memory: TranslationMemory) -> dict[str, int]:
    """Import every configured curated file (idempotent: unchanged entries are left as they are)."""
    totals = {"added": 0, "updated": 0, "unchanged": 0}
    for path, method in curated_files(settings):
        origin = path.relative_to(settings.root).as_posix() if path.is_relative_to(settings.root) else str(path)
        for key, count in import_curated(memory, path, method, origin=origin).items():
            totals[key] += count
    return totals


def run_translate(settings: Settings, options: TranslateOptions, *, env: Mapping[str, str] | None = None,
                  progress=None) -> tuple[Path, TranslationReport]:
    """Translate the built questions; returns the table written and the run's report."""
    env = os.environ if env is None else env
    config = settings.translate
    languages = parse_languages(options.languages if options.languages is not None else config.get("languages", []))
    workers = options.workers if options.workers is not None else _setting(config, "workers", int, 1, 4)
    rate = (options.requests_per_second if options.requests_per_second is not None
            else _setting(config, "requests_per_second", float, 0, 0))
    timeout = options.timeout if options.timeout is not None else _setting(config, "timeout", float, 0.1, DEFAULT_TIMEOUT)
    retry = RetryPolicy(attempts=_setting(config, "max_attempts", int, 1, DEFAULT_ATTEMPTS),
                        base=_setting(config, "retry_base_seconds", float, 0, RetryPolicy.base))
    provider = make_provider(provider_name(options.provider, env, config.get("provider")), env, timeout=timeout,
                             retry=retry, requests_per_second=rate)

    questions, build_id = read_questions(settings.build_dir / QUESTIONS_FILE)
    with TranslationMemory(memory_path(settings.cache_dir)) as memory:
        import_configured_curated(settings, memory)
        translations, report = translate_questions(
            questions, languages, provider, memory, refresh=options.refresh, workers=workers,
            offline=options.offline, backtranslate=options.backtranslate, progress=progress)
    target = settings.build_dir / TRANSLATIONS_FILE
    write_translations(target, translations, build_id)
    return target, report


def run_import(settings: Settings, file: Path, method: str, language: str | None = None) -> dict[str, int]:
    """`builder translate import`: one curated file into the memory."""
    default_language = normalize_tag(language) if language else None
    with TranslationMemory(memory_path(settings.cache_dir)) as memory:
        return import_curated(memory, Path(file), method, default_language=default_language)
