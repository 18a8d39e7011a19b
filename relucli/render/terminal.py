"""The one place that decides colour, TTY and width: the rich consoles for stdout and
stderr (no escape codes for a pipe, ``NO_COLOR`` or ``TERM=dumb``), the width of piped
output, a closed pipe, printing a rich table at its natural width, and the progress bar."""

from __future__ import annotations

import os
import shutil
import sys


def print_table(out, table, droppable: tuple[str, ...] = ()) -> None:
    """Print a simulation's rich ``table`` without cutting a number: every cell is kept
    on one line (a value and its error together) and only headers wrap. When the
    cells do not fit the width that way, the ``droppable`` columns are left out, in
    that order, as far as needed (the caption says which); if even that does not fit,
    each row becomes a block of ``header  value`` lines instead, with every column
    (:func:`relucli.render.wrapped.stacked_lines`). Into a pipe or file the width is
    $COLUMNS, or 80 (:func:`console`)."""
    import copy

    full = copy.deepcopy(table) if droppable else table
    widths = _fitted_widths(out, table)
    left_out = []
    for name in droppable:
        if widths is not None:
            break
        index = [str(c.header) for c in table.columns].index(name)
        table.columns.pop(index)
        left_out.append(name)
        widths = _fitted_widths(out, table)
    if widths is None:
        _print_stacked(out, full, [[str(c) for c in col._cells] for col in full.columns])
        return
    if left_out:
        table.caption = (f"{str(table.caption).rstrip('.')}. " if table.caption else "") + (
            f"Left out at this width: {', '.join(left_out)} (all columns on a wider "
            "terminal or with --format json).")
    for column, width in zip(table.columns, widths):
        column.width = width
        column.overflow = "fold"  # never "…"; at these widths, never needed either
    out.print(table)


def _fitted_widths(out, table) -> list[int] | None:
    """Column widths that fit ``out.width`` keeping every cell whole, or None."""
    from rich.cells import cell_len

    from .wrapped import fit_widths

    cells = [[str(cell) for cell in column._cells] for column in table.columns]
    headers = [str(column.header) for column in table.columns]
    natural = [max([cell_len(c) for c in column] + [cell_len(h)])
               for column, h in zip(cells, headers)]
    minimal = [max([_unbreakable(c) for c in column]
                   + [max((cell_len(w) for w in h.split()), default=0)])
               for column, h in zip(cells, headers)]
    return fit_widths(natural, minimal, out.width)


def _unbreakable(text: str) -> int:
    """The narrowest a cell may be: a value with its error (``0.41% ± 0.05``) stays on
    one line; a list of values (``0.41% / 0.00% / 0.00%``) may break after a slash.

    >>> _unbreakable("0.41% ± 0.05"), _unbreakable("0.41% / 0.00% / 0.00%")
    (12, 7)
    """
    from rich.cells import cell_len

    pieces = text.split(" / ")
    return max(cell_len(p) for p in pieces) + (2 if len(pieces) > 1 else 0)


def _print_stacked(out, table, cells) -> None:
    """The rows of ``table`` as blocks: the first column's value as a heading, then one
    ``header  value`` line per other column."""
    from .wrapped import stacked_lines

    keys = [str(i) for i in range(len(cells))]
    titles = {key: " ".join(str(c.header).split()) or "-" for key, c in zip(keys, table.columns)}
    records = [dict(zip(keys, row)) for row in zip(*cells)]
    if titles[keys[0]] != "variant":  # a bare "6" heading says nothing: "layer 6"
        for record in records:
            record[keys[0]] = f"{titles[keys[0]]} {record[keys[0]]}"
    if table.title:
        out.print(str(table.title), style="bold")
    out.file.write("".join(stacked_lines(out, records, keys, titles, out.width,
                                         heading=keys[0])))
    if table.caption:
        out.print(str(table.caption), style="dim")


def plain_text() -> bool:
    """No escape codes at all: ``NO_COLOR`` set (https://no-color.org) or ``TERM=dumb``.
    (Rich alone keeps bold and underline under NO_COLOR.)"""
    return bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"


def console(stderr: bool = False):
    """A rich Console for stdout (or stderr): no escape codes for a non-terminal,
    ``NO_COLOR`` or ``TERM=dumb``."""
    from rich.console import Console

    extra = {"color_system": None} if plain_text() else {}
    size: dict = {"width": _pipe_width()}
    if _is_terminal(stderr):
        # rich takes a TERM=dumb terminal for 80 x 25 whatever its size: ask the terminal
        size = {} if os.environ.get("TERM") != "dumb" else dict(
            zip(("width", "height"), shutil.get_terminal_size()))
    out = Console(file=sys.stderr if stderr else sys.stdout, stderr=stderr,
                  highlight=False, soft_wrap=False, markup=False, emoji=False, **size,
                  **extra)
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


#: The width and height of human output into a pipe or a file when $COLUMNS and
#: $LINES do not say.
PIPE_WIDTH, PIPE_HEIGHT = 80, 24


def height() -> int:
    """The lines of the terminal stdout is, else $LINES, else 24 (what a pipe into
    ``less`` shows on a classic terminal)."""
    import shutil

    if _is_terminal(stderr=False):
        return shutil.get_terminal_size((PIPE_WIDTH, PIPE_HEIGHT)).lines
    try:
        return int(os.environ["LINES"])
    except (KeyError, ValueError):
        return PIPE_HEIGHT


def _pipe_width() -> int:
    """Width for output that is not a terminal: $COLUMNS if set, else 80, what `less`
    and `head` show without wrapping on most terminals."""
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        return PIPE_WIDTH


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

