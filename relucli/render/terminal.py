"""The one place that decides colour, TTY and width: the rich consoles for stdout and
stderr (no escape codes for a pipe, ``NO_COLOR`` or ``TERM=dumb``), the width of piped
output, a closed pipe, printing a rich table at its natural width, and the progress bar."""

from __future__ import annotations

import os
import sys


def print_table(out, table) -> None:
    """Print ``table``; into a pipe or file (with no $COLUMNS) at its natural width, so
    that rows are never wrapped or cut to fit an imaginary 80-column screen."""
    if not out.is_terminal and "COLUMNS" not in os.environ:
        from rich.measure import Measurement

        needed = Measurement.get(out, out.options.update_width(100_000), table).maximum
        out.width = max(out.width, needed)
    out.print(table)


def plain_text() -> bool:
    """No escape codes at all: ``NO_COLOR`` set (https://no-color.org) or ``TERM=dumb``.
    (Rich alone keeps bold and underline under NO_COLOR.)"""
    return bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"


def console(stderr: bool = False):
    """A rich Console for stdout (or stderr): no escape codes for a non-terminal,
    ``NO_COLOR`` or ``TERM=dumb``."""
    from rich.console import Console

    extra = {"color_system": None} if plain_text() else {}
    out = Console(file=sys.stderr if stderr else sys.stdout, stderr=stderr,
                  highlight=False, soft_wrap=False, markup=False, emoji=False,
                  width=None if _is_terminal(stderr) else _pipe_width(), **extra)
    out.on_broken_pipe = _reader_went_away
    return out


def _reader_went_away() -> None:
    """Rich exits with status 1 when the reader closes the pipe (`relu table | head`);
    hand it to cli.main, which exits quietly with 0, as for output written directly."""
    raise BrokenPipeError


def _is_terminal(stderr: bool) -> bool:
    stream = sys.stderr if stderr else sys.stdout
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _pipe_width() -> int:
    """Width for output that is not a terminal: $COLUMNS if set, else wide enough that
    tables are not squeezed into a default 80 columns."""
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        return 200


# --------------------------------------------------------------------------------------
# Progress for long work: a rich bar on stderr when it is a terminal, shown only once
# the work has taken more than half a second; nothing when piped or with --quiet.


class ProgressBar:
    """Use as ``with ProgressBar("simulating", quiet) as update: update(done, total)``."""

    def __init__(self, description: str, quiet: bool = False, delay: float = 0.5):
        self.description = description
        self.enabled = not quiet and _is_terminal(stderr=True)
        self.delay = delay
        self._progress = None
        self._task = None
        self._start = 0.0

    def __enter__(self):
        import time

        self._start = time.monotonic()
        return self.update

    def update(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self._progress is None:
            import time

            if time.monotonic() - self._start < self.delay:
                return
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress,
                                       TextColumn, TimeRemainingColumn)

            self._progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                      MofNCompleteColumn(), TimeRemainingColumn(),
                                      console=console(stderr=True), transient=True)
            self._progress.start()
            self._task = self._progress.add_task(self.description, total=total)
        self._progress.update(self._task, completed=done, total=total)

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()

