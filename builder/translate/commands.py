"""The `builder translate` command group; registered in builder/cli.py with `main.add_command(translate)`.

A thin shell over `builder.translate.run`: parse options, call, print one summary line.
Errors are BuilderError subclasses, which the CLI prints as one line with a non-zero exit.
"""

from __future__ import annotations

from collections import Counter

import click

from builder.errors import display_path
from builder.config import load_settings
from builder.translate.memory import CURATED_METHODS
from builder.translate.progress import RichProgress
from builder.translate.providers import PROVIDERS
from builder.translate.run import TranslateOptions, run_import, run_translate
from builder.translate.validation import register as register_validation

register_validation()  # `builder validate` checks build/translations.parquet once this command exists


@click.group("translate", invoke_without_command=True)
@click.option("--lang", "languages", metavar="TAGS",
              help="Comma-separated BCP 47 tags, e.g. zh-Hans,ru,tr (default: translate.languages in builder.yaml).")
@click.option("--provider", type=click.Choice([*PROVIDERS, "libretranslate"], case_sensitive=False),
              help="Machine translation provider (default: $BUILDER_TRANSLATE_PROVIDER, else builder.yaml).")
@click.option("--refresh", is_flag=True, help="Ask the provider again for strings already in the memory.")
@click.option("--offline", is_flag=True, help="Never call a provider; fail if a string is not in the memory.")
@click.option("--workers", type=click.IntRange(1, 64), help="Concurrent requests (default: builder.yaml).")
@click.option("--rps", "requests_per_second", type=click.FloatRange(0), help="Requests per second; 0: no limit.")
@click.option("--timeout", type=click.FloatRange(0.1), help="Seconds before a request is abandoned (then retried).")
@click.option("--backtranslate", is_flag=True, help="Translate questions back to English and store a similarity.")
@click.pass_context
def translate(ctx: click.Context, **options) -> None:
    """Translate the questions and options into other languages (build/translations.parquet)."""
    if ctx.invoked_subcommand is not None:
        return
    progress = RichProgress()
    target, report = run_translate(load_settings(), TranslateOptions(**options), progress=progress)
    flags = Counter(flag for flags in _read_flags(target) for flag in flags)
    flag_text = ", ".join(f"{count} {flag}" for flag, count in sorted(flags.items())) or "none"
    click.echo(f"wrote {display_path(target)}: {report.rows} rows ({', '.join(report.languages)}); {report.summary()}; "
               f"flagged rows: {flag_text}")


def _read_flags(path):
    import pyarrow.parquet as pq

    return pq.read_table(path, columns=["flags"]).column("flags").to_pylist()


@translate.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--method", type=click.Choice(CURATED_METHODS), required=True,
              help="official (from the survey organisation) or human (reviewed translation).")
@click.option("--lang", "language", metavar="TAG", help="Language of records that have no language column.")
def import_command(file: str, method: str, language: str | None) -> None:
    """Import official or human translations (CSV or JSON) into the translation memory."""
    counts = run_import(load_settings(), file, method, language)
    click.echo(f"imported {file} as {method}: {counts['added']} added, {counts['updated']} updated, "
               f"{counts['unchanged']} unchanged")
