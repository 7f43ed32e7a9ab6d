"""Errors that the CLI reports as one line, without a traceback.

Every failure caused by input (a file, a variable, a code, a provider) is raised as a
`BuilderError` naming where it happened; `cli.py` prints `str(error)` and exits with
`error.exit_code`. Anything else is a bug and keeps its traceback under `--debug`.
"""

from __future__ import annotations

import os
from pathlib import Path


def display_path(path: object) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    text = str(path)
    if os.path.isabs(text):
        try:
            return str(Path(text).relative_to(Path.cwd()))
        except ValueError:
            return text
    return text


class BuilderError(Exception):
    """A problem with the input, reported to the user as `file: variable: message`."""

    exit_code = 1

    def __init__(self, message: str, *, file: object = None, variable: str | None = None):
        self.message = message
        self.file = None if file is None else display_path(file)
        self.variable = variable
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [part for part in (self.file, self.variable) if part]
        return ": ".join([*where, self.message])


class UsageError(BuilderError):
    """Bad arguments, missing or unreadable files and configuration: exit code 2."""

    exit_code = 2


class DataError(BuilderError):
    """The data contradicts the manifest, the catalog or the schema: exit code 1."""

    exit_code = 1
