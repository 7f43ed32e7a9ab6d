"""The `builder` command line: parses arguments, calls the library, formats the output.

Each command is a thin shell over one pipeline function. Input problems surface as
`BuilderError` and are printed as one line with a non-zero exit code; `--debug` shows the
traceback instead.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from builder import __version__
from builder.errors import BuilderError, display_path


class _Group(click.Group):
    """Turns BuilderError (and, without --debug, any exception) into one line on stderr."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except BuilderError as error:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"error: {error}", err=True)
            sys.exit(error.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except Exception as error:  # a bug: still one line, unless --debug
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"internal error: {type(error).__name__}: {error} (rerun with --debug for the traceback)", err=True)
            sys.exit(3)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="builder")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Build the global-opinions dataset from raw survey microdata."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


# Commands are defined below, one function each, in pipeline order:
# ingest, catalog draft, validate, translate, push.


def _settings(ctx: click.Context):
    from builder.config import load_settings

    if "settings" not in ctx.obj:
        ctx.obj["settings"] = load_settings()
    return ctx.obj["settings"]


@main.command()
@click.option("--manifest", "manifest_path", type=click.Path(path_type=Path), help="Manifest to read (default: from builder.yaml).")
@click.option("--build-dir", type=click.Path(path_type=Path), help="Where to write the tables (default: from builder.yaml).")
@click.option("--repin", is_flag=True, help="Record the current sha256 of every listed file in the manifest first.")
@click.pass_context
def ingest(ctx: click.Context, manifest_path: Path | None, build_dir: Path | None, repin: bool) -> None:
    """Read the raw files listed in the manifest and write questions, distributions and sources."""
    from builder.ingest import run_ingest

    settings = _settings(ctx)
    manifest_path = manifest_path or settings.manifest
    build_dir = build_dir or settings.build_dir
    result = run_ingest(manifest_path, build_dir, repin=repin, on_file=lambda entry: click.echo(f"reading {display_path(entry.file)}", err=True))
    for path in result.repinned:
        click.echo(f"repinned {path}")
    for file in result.report["files"]:
        dropped = sum(file["rows_dropped_no_weight"].values())
        click.echo(
            f"{file['path']}: {file['rows']} rows, {file['questions']} questions, {file['countries']} countries"
            + (f", {dropped} rows without weight dropped" if dropped else "")
        )
        for classified in file["classified_from_file_labels"]:
            click.echo(f"  {classified['variable']}: code {classified['code']} ({classified['label']}) read as {classified['as']} from the file's label")
        for warning in file["warnings"]:
            click.echo(f"  warning: {warning}")
        release = file.get("release")  # the GlobalOpinionQA release: its known problems, counted
        if release:
            for what in ("left_out_rows", "flagged_cells"):
                if release[what]:
                    counts = ", ".join(f"{count} {problem}" for problem, count in release[what].items())
                    click.echo(f"  {what.replace('_', ' ')}: {counts} (details in ingest_report.json)")
    click.echo(
        f"wrote {len(result.questions)} questions, {len(result.distributions)} distributions, "
        f"{len(result.sources)} sources to {display_path(build_dir)} (build {result.build_id})"
    )


@main.command()
@click.option("--build-dir", type=click.Path(path_type=Path), help="Build folder to check (default: from builder.yaml).")
@click.option("--report", "report_path", type=click.Path(path_type=Path), help="JSON report path (default: BUILD_DIR/validation_report.json).")
@click.option("--limit", default=50, show_default=True, help="Failures to print (all are in the JSON report).")
@click.pass_context
def validate(ctx: click.Context, build_dir: Path | None, report_path: Path | None, limit: int) -> None:
    """Check every build table against its schema. Exit 0 clean, 1 violations, 2 usage or I/O error."""
    from builder.tables import write_json
    from builder.validate import validate_build

    build_dir = build_dir or _settings(ctx).build_dir
    report = validate_build(build_dir)
    report_path = report_path or Path(build_dir) / "validation_report.json"
    write_json(report_path, report.to_dict())
    counts = ", ".join(f"{rows} {name}" for name, rows in report.rows.items())
    if report.ok:
        click.echo(f"valid: {counts} (report: {display_path(report_path)})")
        return
    _print_failures(report.failures[:limit])
    more = f" ({len(report.failures) - limit} more in the report)" if len(report.failures) > limit else ""
    click.echo(f"{len(report.failures)} violations in {counts}{more}; report: {report_path}", err=True)
    sys.exit(1)


def _print_failures(failures) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table("table", "check", "column", "question_id", "country", "value", show_lines=False)
    for failure in failures:
        table.add_row(failure.table, failure.check, failure.column or "", failure.question_id or "", failure.country or "", failure.value or "")
    Console(stderr=True, width=160).print(table)


@main.group()
def catalog() -> None:
    """Work with item catalogs."""


@catalog.command("draft")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--source", required=True, help="Survey family: pew_gas or wvs.")
@click.option("--labels-from", type=click.Path(path_type=Path), help="Companion .sav/.dta or codebook CSV holding the labels (for a CSV).")
@click.option("--encoding", help="File encoding, if the file does not declare it.")
@click.option("--delimiter", help="CSV delimiter (sniffed if not given).")
@click.option("--country-variable", help="Country variable, if not the family's usual name.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write the draft here instead of printing it.")
@click.option("--force", is_flag=True, help="Overwrite --output if it exists.")
def catalog_draft(file: Path, source: str, labels_from: Path | None, encoding: str | None, delimiter: str | None,
                  country_variable: str | None, output: Path | None, force: bool) -> None:
    """Draft a catalog for FILE from its own variable and value labels."""
    from builder.catalog_draft import draft_catalog
    from builder.errors import UsageError
    from builder.files import write_text_atomic

    options = {key: value for key, value in {"encoding": encoding, "delimiter": delimiter}.items() if value}
    draft = draft_catalog(file, source, reader_options=options, labels_from=labels_from, country_variable=country_variable)
    if output is None:
        click.echo(draft, nl=False)
        return
    if output.exists() and not force:
        raise UsageError("exists; pass --force to overwrite", file=output)
    write_text_atomic(output, draft)
    click.echo(f"wrote {output}")


def _register_stage_commands() -> None:
    """Stages with command groups of their own (their modules keep cli.py short)."""
    from builder.publish.commands import push
    from builder.translate.commands import translate

    main.add_command(translate)
    main.add_command(push)


_register_stage_commands()
