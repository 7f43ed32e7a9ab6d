"""A progress bar on stderr with counts of cached, sent and failed strings (rich).

Disabled when stderr is not a terminal, so CI logs and pipes stay clean.
"""

from __future__ import annotations

import sys

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn


class RichProgress:
    """Implements the pipeline's progress interface (start / advance / finish)."""

    def __init__(self, enabled: bool | None = None):
        console = Console(file=sys.stderr)
        self.enabled = console.is_terminal if enabled is None else enabled
        self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                  TextColumn("{task.fields[counts]}"), TimeRemainingColumn(),
                                  console=console, disable=not self.enabled, transient=False)
        self._task = None
        self.cached = self.sent = self.failed = 0

    def _counts(self) -> str:
        return f"cached {self.cached} · sent {self.sent} · failed {self.failed}"

    def start(self, label: str, total: int, cached: int) -> None:
        self.cached, self.sent, self.failed = cached, 0, 0
        self._progress.start()
        self._task = self._progress.add_task(label, total=total, completed=cached, counts=self._counts())

    def advance(self, sent: int = 0, failed: int = 0) -> None:
        self.sent += sent
        self.failed += failed
        self._progress.update(self._task, advance=sent + failed, counts=self._counts())

    def finish(self) -> None:
        self._progress.stop()
