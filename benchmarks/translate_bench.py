"""Translation benchmark: calls made vs unique strings, and throughput by number of workers.

Runs `translate_questions` with the real deep-translator LibreTranslate client against the
loopback server (tests/support/libretranslate_server.py) answering after a fixed latency
(50 ms by default), on a generated full-size questions table (builder/translate/synthetic.py).
Not a test: prints a Markdown section for benchmarks/RESULTS.md and exits non-zero when a
target is missed.

    .venv/bin/python benchmarks/translate_bench.py            # full run, about 4 minutes
    .venv/bin/python benchmarks/translate_bench.py --questions 500 --workers 1,16   # quick look

Targets (from the issue): calls == unique uncached strings; 16 workers >= 10x one worker.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from builder.translate.memory import TranslationMemory  # noqa: E402
from builder.translate.pipeline import translate_questions  # noqa: E402
from builder.translate.placeholders import mask, needs_translation  # noqa: E402
from builder.translate.providers import LibreProvider  # noqa: E402
from builder.translate.synthetic import synthetic_questions  # noqa: E402
from tests.support.libretranslate_server import LibreTranslateServer  # noqa: E402


def unique_strings(questions, languages) -> int:
    """Counted independently of the pipeline: distinct texts with letters, placeholders masked, per language."""
    texts = set(questions["question"]) | {option for options in questions["options"] for option in options}
    masked = {mask(text).text for text in texts}
    return len(languages) * sum(1 for text in masked if needs_translation(text))


def run(questions, languages, server, memory_file, workers):
    provider = LibreProvider({"LIBRETRANSLATE_URL": server.url}, timeout=10.0, requests_per_second=0)
    before = sum(server.attempts.values())
    started = time.perf_counter()
    with TranslationMemory(memory_file) as memory:
        _, report = translate_questions(questions, languages, provider, memory, workers=workers)
    seconds = time.perf_counter() - started
    return report, sum(server.attempts.values()) - before, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=2500)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds the server waits before answering")
    parser.add_argument("--languages", default="zh-Hans,ru,tr", help="for the calls-vs-unique part")
    parser.add_argument("--throughput-language", default="ru")
    parser.add_argument("--workers", default="1,4,16")
    args = parser.parse_args()
    questions = synthetic_questions(args.questions)
    languages = args.languages.split(",")
    worker_counts = [int(value) for value in args.workers.split(",")]
    ok = True
    lines = [f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}; loopback server latency "
             f"{args.latency * 1000:.0f} ms per call; no rate limit; {args.questions} generated questions "
             f"({sum(map(len, questions['options'])) + len(questions)} strings per language).", ""]

    # 1. Calls vs unique strings: a first run on part of the table, then the full table.
    with LibreTranslateServer(latency=args.latency) as server, tempfile.TemporaryDirectory() as folder:
        memory_file = Path(folder) / "translation_memory.sqlite"
        part = questions.iloc[: len(questions) // 3]
        first, first_calls, _ = run(part, languages, server, memory_file, workers=16)
        full, full_calls, _ = run(questions, languages, server, memory_file, workers=16)
        again, again_calls, _ = run(questions, languages, server, memory_file, workers=16)
        repeated = sum(count - 1 for count in server.translated.values() if count > 1)
    lines += ["| run | languages | unique strings | already in memory | calls made | calls == unique uncached |",
              "|---|---|---|---|---|---|"]
    for name, subset, report, calls in [(f"first {len(part)} questions, empty memory", part, first, first_calls),
                                        (f"all {len(questions)} questions", questions, full, full_calls),
                                        ("all again (rebuild)", questions, again, again_calls)]:
        expected = unique_strings(subset, languages) - report.cached
        ok &= calls == expected == report.sent
        lines.append(f"| {name} | {','.join(languages)} | {report.unique_machine} | {report.cached} | {calls} | "
                     f"{'yes' if calls == expected else 'NO'} |")
    ok &= repeated == 0
    lines += ["", f"Strings translated more than once at the server over the three runs: {repeated}.", ""]

    # 2. Throughput: the full table into one language, fresh memory, by number of workers.
    lines += ["| workers | strings sent | seconds | strings/s | speed-up vs 1 worker |", "|---|---|---|---|---|"]
    rates = {}
    for workers in worker_counts:
        with LibreTranslateServer(latency=args.latency) as server, tempfile.TemporaryDirectory() as folder:
            report, calls, seconds = run(questions, [args.throughput_language], server,
                                         Path(folder) / "translation_memory.sqlite", workers)
        rates[workers] = report.sent / seconds
        speedup = rates[workers] / rates[worker_counts[0]]
        lines.append(f"| {workers} | {report.sent} | {seconds:.1f} | {rates[workers]:.1f} | {speedup:.1f}x |")
        print(f"workers={workers}: {report.sent} strings in {seconds:.1f}s", file=sys.stderr)
    if 1 in rates and 16 in rates:
        ok &= rates[16] >= 10 * rates[1]
        lines += ["", f"16 workers vs 1: {rates[16] / rates[1]:.1f}x (target: at least 10x)."]
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
