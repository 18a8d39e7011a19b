"""Matplotlib, imported on first use (Agg backend, its warnings as ``relu:`` lines),
and the files it writes: the format from the extension, byte-stable PNG, SVG and PDF
(no dates or versions; SVG text as text, PDF fonts as embedded TrueType), written
atomically from a worker thread so that Ctrl-C stops at once; ``--show``'s window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..errors import FileError, UsageError
from .style import FILE_RC

FORMATS = ("png", "svg", "pdf")
#: Metadata that would otherwise hold a timestamp or a version: cleared so that the
#: same command writes the same bytes.
METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
}


def load_matplotlib():
    """matplotlib, imported on first use with the Agg backend (unless pyplot is already
    in use, for --show) and its warnings routed to relu: warning lines."""
    _route_matplotlib_warnings()
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")
    return matplotlib


def _route_matplotlib_warnings() -> None:
    """Matplotlib's own warnings (logged, mostly about a cache folder it cannot write)
    as one ``relu: warning:`` line each, said once, instead of its raw text. Before
    matplotlib's first import (which is when it warns); once only."""
    if "matplotlib" in sys.modules:
        return
    import logging

    from ..exits import say

    class OneLine(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()
            if message.startswith("mkdir -p failed"):
                return  # the next message says what came of it
            if "created a temporary cache directory" in message:
                message = ("matplotlib cannot write its cache folder (set MPLCONFIGDIR to "
                           "a writable folder); it used a temporary one for this run, "
                           "which makes plotting start slower")
            say(f"warning: {message}")

    logger = logging.getLogger("matplotlib")
    logger.addHandler(OneLine(logging.WARNING))
    logger.propagate = False


def check_style(style: str | None) -> None:
    if style is None:
        return
    load_matplotlib()
    import matplotlib.style

    if style not in matplotlib.style.available and style != "default":
        names = ", ".join(sorted(matplotlib.style.available)[:12])
        raise UsageError(f"unknown --style '{style}' (for example: default, {names}, ...)")


def format_for(path: str | Path) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise UsageError(
            f"cannot tell the format of '{path}': use a .png, .svg or .pdf file name"
        )
    return suffix


def save_figure(fig, path: str | Path, dpi: float, force: bool) -> Path:
    """Write ``fig`` atomically; the same figure gives the same bytes every time."""
    from ..files import atomic_write

    matplotlib = load_matplotlib()
    kind = format_for(path)

    def render(buffer):
        with matplotlib.rc_context(FILE_RC):
            fig.savefig(buffer, format=kind, dpi=dpi, metadata=METADATA[kind])

    data = _in_background(render)
    return atomic_write(path, lambda handle: handle.write(data), force)


def _in_background(render) -> bytes:
    """``render(buffer)`` in a worker thread, the main thread waiting in short steps:
    a big figure takes seconds inside Agg's C code, where a signal would wait for it,
    and Ctrl-C (or SIGTERM) must stop the run at once, leaving no file."""
    import io
    import threading

    buffer = io.BytesIO()
    failures: list[BaseException] = []

    def work() -> None:
        try:
            render(buffer)
        except BaseException as exc:  # handed to the main thread
            failures.append(exc)

    worker = threading.Thread(target=work, name="relu-render", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.05)
    if failures:
        raise failures[0]
    return buffer.getvalue()


def show_figure(make) -> None:
    """Open a window, or fail clearly when there is no display."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        raise FileError("--show needs a display and none was found (DISPLAY is not set); "
                        "write a file with -o FILE or draw in the terminal with --terminal")
    _route_matplotlib_warnings()
    import matplotlib.pyplot as plt

    if plt.get_backend().lower() in ("agg", "pdf", "svg", "ps", "cairo", "template"):
        raise FileError(f"--show needs an interactive matplotlib backend; "
                        f"'{plt.get_backend()}' cannot open a window (is tkinter installed?)")
    make(plt.figure())
    plt.show()
