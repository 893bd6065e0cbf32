"""A progress bar on stderr for long runs: only on a terminal, and only once a run takes a while."""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

SHOW_AFTER_SECONDS = 0.5
REDRAW_SECONDS = 0.1


class ProgressBar:
    """Call it once per finished path. It appears after SHOW_AFTER_SECONDS, so short runs stay
    quiet. It redraws from the caller's thread (no refresh thread), so forking worker processes
    while it is shown is safe."""

    def __init__(self, total: int, console: Optional[Console] = None) -> None:
        self.total = total
        self.console = console  # rich is imported only if the bar is ever drawn
        terminal = console.is_terminal if console is not None else sys.stderr.isatty()
        self.enabled = terminal and total > 1
        self.started = time.monotonic()
        self.done = 0
        self._progress: Optional[Progress] = None
        self._task: Any = None
        self._drawn = 0.0

    def __call__(self, _result: object = None) -> None:
        self.done += 1
        if not self.enabled:
            return
        if self._progress is None:
            if time.monotonic() - self.started < SHOW_AFTER_SECONDS:
                return
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                TextColumn("linting"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=self.console or Console(stderr=True),
                transient=True,
                auto_refresh=False,
            )
            self._progress.start()
            self._task = self._progress.add_task("lint", total=self.total, completed=self.done)
        now = time.monotonic()
        if now - self._drawn >= REDRAW_SECONDS or self.done == self.total:
            self._progress.update(self._task, completed=self.done, refresh=True)
            self._drawn = now

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
