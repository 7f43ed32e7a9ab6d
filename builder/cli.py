"""The `builder` command line: parses arguments, calls the library, formats the output.

Each command is a thin shell over one pipeline function. Input problems surface as
`BuilderError` and are printed as one line with a non-zero exit code; `--debug` shows the
traceback instead.
"""

from __future__ import annotations

import sys

import click

from builder import __version__
from builder.errors import BuilderError


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
