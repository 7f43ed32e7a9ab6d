"""`translate_questions`: the questions table in, the translations table out.

1. Split every question into strings (text + each option) per target language.
2. Curated (official, then human) translations from the memory fill what they cover.
3. The rest is masked (placeholders -> tokens); strings without letters are copied as is.
4. Unique (language, masked text) pairs not in the memory are sent once each, by a bounded
   pool of worker threads; each answer is committed to the memory as it arrives (main thread
   only, so SQLite is never shared across threads).
5. Rows are assembled from the memory alone, so a rebuild gives identical rows.

If any string fails, no table is returned: `TranslationIncomplete` says how many were cached,
sent and failed, and what went wrong first. Everything that succeeded is in the memory, so a
rerun continues from there.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

import pandas as pd

from builder.errors import BuilderError, DataError
from builder.translate import assemble, strings as string_table
from builder.translate.languages import SOURCE_LANGUAGE, parse_languages
from builder.translate.memory import TranslationMemory
from builder.translate.placeholders import mask, needs_translation, restore
from builder.translate.providers import Provider, TranslationFailure
from builder.translate.quality import similarity
from builder.translate.table import check_questions

log = logging.getLogger("builder.translate")


@dataclass
class TranslationReport:
    """What a run did. Counts of cached / sent / failed are unique strings sent to the provider."""

    provider: str
    languages: list[str]
    rows: int = 0
    strings: int = 0  # question texts and options, times languages
    curated: int = 0  # strings served by official or human translations
    copied: int = 0  # strings without letters, copied as is
    unique_machine: int = 0  # distinct (language, text) pairs needing machine translation
    cached: int = 0
    sent: int = 0
    failed: int = 0
    not_attempted: int = 0
    requests: int = 0  # HTTP requests, retries included
    retries: int = 0
    seconds: float = 0.0
    first_error: str | None = None
    failures: list[str] = field(default_factory=list)

    def summary(self) -> str:
        counts = f"{self.cached} cached, {self.sent} sent, {self.failed} failed"
        if self.not_attempted:
            counts += f", {self.not_attempted} not attempted"
        text = f"{self.provider}: {len(self.languages)} language(s), {self.curated} curated strings, {counts}"
        return text + (f"; first error: {self.first_error}" if self.first_error else "")


class TranslationIncomplete(BuilderError):
    """Some strings could not be translated; what succeeded is kept in the memory."""

    exit_code = 1

    def __init__(self, report: TranslationReport):
        self.report = report
        super().__init__(f"translation incomplete: {report.summary()}; "
                         "translated strings are kept in the translation memory, rerun to continue")


class NullProgress:
    """The progress interface: `start` once per pass, `advance` once per finished string."""

    def start(self, label: str, total: int, cached: int) -> None: ...

    def advance(self, sent: int = 0, failed: int = 0) -> None: ...

    def finish(self) -> None: ...


def _send_all(jobs: list[tuple[str, str, str]], provider: Provider, memory: TranslationMemory, *,
              workers: int, report: TranslationReport, progress, max_consecutive_failures: int) -> None:
    """Translate each (source, target, text) once; commit each answer as it arrives.

    At most 2 x workers jobs are queued at a time, so Ctrl-C cancels the queue at once and
    loses only the calls in flight. A fatal failure (refused key, quota) or
    `max_consecutive_failures` strings failing in a row stops the run early.
    """
    remaining = iter(jobs)
    in_flight: dict[Future, tuple[str, str, str]] = {}
    consecutive_failures, stop = 0, False
    pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="translate")

    def submit_next() -> None:
        job = next(remaining, None)
        if job is not None:
            in_flight[pool.submit(provider.translate, job[2], job[0], job[1])] = job

    try:
        for _ in range(2 * max(1, workers)):
            submit_next()
        while in_flight:
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                source, target, text = in_flight.pop(future)
                try:
                    translation = future.result()
                except TranslationFailure as failure:
                    report.failed += 1
                    report.first_error = report.first_error or failure.message
                    report.failures.append(f"{target}: {failure.message}")
                    consecutive_failures += 1
                    stop = stop or failure.fatal or consecutive_failures >= max_consecutive_failures
                    progress.advance(failed=1)
                else:
                    memory.put_machine(provider.name, source, target, text, translation, provider.version)
                    report.sent += 1
                    consecutive_failures = 0
                    progress.advance(sent=1)
                if not stop:
                    submit_next()
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)  # Ctrl-C: don't wait for the queue
        raise
    pool.shutdown(wait=True)
    report.not_attempted += sum(1 for _ in remaining)


def _machine_pass(pairs: pd.DataFrame, provider: Provider, memory: TranslationMemory, *, label: str,
                  refresh: bool, offline: bool, workers: int, report: TranslationReport, progress,
                  max_consecutive_failures: int) -> pd.DataFrame:
    """Translate distinct (source_language, target_language, masked) pairs; returns them with
    machine_translation, provider_version, created_at read back from the memory."""
    pairs = pairs.drop_duplicates().sort_values(["source_language", "target_language", "masked"])

    def lookup() -> pd.DataFrame:
        frames = [memory.machine_entries(provider.name, source, group["target_language"].unique())
                  .assign(source_language=source)
                  for source, group in pairs.groupby("source_language")]
        found = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
            columns=["target_language", "source_text", "translation", "provider_version", "created_at",
                     "source_language"])
        found = found.rename(columns={"source_text": "masked", "translation": "machine_translation"})
        return pairs.merge(found, on=["source_language", "target_language", "masked"], how="left")

    known = lookup()
    to_send = known if refresh else known[known["machine_translation"].isna()]
    report.unique_machine += len(pairs)
    report.cached += len(pairs) - len(to_send)
    if len(to_send) and offline:
        raise DataError(f"--offline: {len(to_send)} distinct string(s) ({label}) have no translation in the "
                        f"memory for provider {provider.name!r} in {', '.join(sorted(to_send['target_language'].unique()))}; "
                        "run without --offline or import curated translations")
    if len(to_send):
        jobs = list(to_send[["source_language", "target_language", "masked"]].itertuples(index=False, name=None))
        progress.start(label, total=len(pairs), cached=len(pairs) - len(to_send))
        try:
            _send_all(jobs, provider, memory, workers=workers, report=report, progress=progress,
                      max_consecutive_failures=max_consecutive_failures)
        finally:
            progress.finish()
            report.requests, report.retries = provider.stats.requests, provider.stats.retries
        if report.failed or report.not_attempted:
            raise TranslationIncomplete(report)
        known = lookup()
    return known


def translate_questions(questions: pd.DataFrame, languages, provider: Provider, memory: TranslationMemory, *,
                        refresh: bool = False, workers: int = 4, offline: bool = False,
                        backtranslate: bool = False, progress=None,
                        max_consecutive_failures: int = 5) -> tuple[pd.DataFrame, TranslationReport]:
    """Translate every question (text and options) into each language; see the module docstring.

    `provider` supplies the machine translations (and its rate limit); with `offline` it is
    never called and only names the memory entries to use. Raises UsageError (bad language,
    missing key), DataError (offline and missing strings, bad curated entries) or
    TranslationIncomplete (some strings failed); in every case the memory keeps what was done.
    """
    started = time.monotonic()
    progress = progress or NullProgress()
    check_questions(questions)
    languages = parse_languages(languages)
    report = TranslationReport(provider=provider.name, languages=languages)
    if not offline:  # every check that needs no translation call, before the first one
        provider.check_ready()
        for tag in [SOURCE_LANGUAGE, *languages]:
            provider.code_for(tag)

    strings = string_table.for_languages(string_table.english_strings(questions), languages)
    strings = string_table.add_masks(string_table.apply_curated(strings, memory.curated_entries(languages)))
    curated = strings["translation"].notna()
    copied = ~curated & ~strings["translatable"]
    machine = ~curated & strings["translatable"]
    report.strings, report.curated, report.copied = len(strings), int(curated.sum()), int(copied.sum())

    pairs = pd.DataFrame({"source_language": SOURCE_LANGUAGE, "target_language": strings.loc[machine, "language"],
                          "masked": strings.loc[machine, "masked"]})
    known = _machine_pass(pairs, provider, memory, label="translate", refresh=refresh, offline=offline,
                          workers=workers, report=report, progress=progress,
                          max_consecutive_failures=max_consecutive_failures)
    strings = strings.merge(known.rename(columns={"target_language": "language"})
                            .drop(columns="source_language")
                            .rename(columns={"created_at": "machine_created_at"}),
                            on=["language", "masked"], how="left")

    strings["placeholder_ok"] = True
    if curated.any():
        strings.loc[curated, "placeholder_ok"] = string_table.curated_placeholders_ok(strings[curated])
    if machine.any():
        machine_strings = strings[machine]
        restored = pd.DataFrame([restore(text, placeholders) for text, placeholders in
                                 zip(machine_strings["machine_translation"], machine_strings["placeholders"])],
                                columns=["translation", "placeholder_ok"], index=machine_strings.index)
        strings.loc[machine, "translation"] = restored["translation"]
        strings.loc[machine, "placeholder_ok"] = restored["placeholder_ok"]
        strings.loc[machine, "method"] = "machine"
        strings.loc[machine, "created_at"] = machine_strings["machine_created_at"]
    strings.loc[copied, "translation"] = strings.loc[copied, "english"]

    rows = assemble.rows(strings, questions, provider)
    if backtranslate:
        rows = _add_backtranslation(rows, questions, provider, memory, refresh=refresh, offline=offline,
                                    workers=workers, report=report, progress=progress,
                                    max_consecutive_failures=max_consecutive_failures)
    report.rows = len(rows)
    report.requests, report.retries = provider.stats.requests, provider.stats.retries
    report.seconds = round(time.monotonic() - started, 3)
    return rows, report


def _add_backtranslation(rows: pd.DataFrame, questions: pd.DataFrame, provider: Provider,
                         memory: TranslationMemory, **options) -> pd.DataFrame:
    """Translate each translated question back into English (through the memory) and score it.

    Questions only: option labels are too short for a similarity score to mean much.
    """
    masks = rows["question"].map(mask)
    pairs = pd.DataFrame({"source_language": rows["language"], "target_language": SOURCE_LANGUAGE,
                          "masked": masks.map(lambda masked: masked.text)})
    scored = pairs["masked"].map(needs_translation)
    known = _machine_pass(pairs[scored], provider, memory, label="back-translate", **options)
    back = pairs.merge(known, on=["source_language", "target_language", "masked"], how="left")
    english = rows["question_id"].map(questions.set_index("question_id")["question"])
    rows = rows.copy()
    rows["backtranslation_similarity"] = [
        similarity(source, restore(text, masked.placeholders)[0]) if isinstance(text, str) else float("nan")
        for source, text, masked in zip(english, back["machine_translation"], masks)
    ]
    return rows
