"""Running the real `builder` command line in-process, as the tests do."""

from __future__ import annotations

from dataclasses import dataclass

from click.testing import CliRunner

from builder.cli import main


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_builder(*args: str) -> CliResult:
    """`builder ARGS...` in the current directory: exit code and output, one-line errors included."""
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return CliResult(result.exit_code, result.stdout, result.stderr)
