"""How ``relu`` ends: exit statuses, the one line on stderr that says why, and the
signals that stop a run (Ctrl-C and SIGTERM, as `kill` and `timeout` send).

Nothing here imports more than the standard library: the entry point installs the
signal handling before the app's imports, which take most of the start-up.
"""

from __future__ import annotations

import enum
import errno
import io
import os
import signal
import sys
from typing import NoReturn


class ExitStatus(enum.IntEnum):
    OK = 0
    FAILURE = 1
    USAGE = 2
    INTERRUPTED = 130  # 128 + SIGINT
    TERMINATED = 143  # 128 + SIGTERM


#: The signal that stopped the run, if one did.
RECEIVED: dict[str, int | None] = {"signal": None}

#: errno values of a standard output that cannot be written (a closed descriptor, a
#: full disk, a dead terminal); a closed pipe (EPIPE) is a reader that left, not an error.
STREAM_ERRORS = {errno.EBADF, errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EFBIG}


def install_signal_handlers() -> None:
    """SIGTERM stops a run as Ctrl-C does (cleanups run: temporary files are
    removed), and :func:`stop` then tells them apart."""
    try:
        signal.signal(signal.SIGTERM, _on_terminate)
    except (ValueError, OSError):  # not the main thread: leave the default
        pass


def _on_terminate(signum, frame) -> None:
    RECEIVED["signal"] = signum
    raise KeyboardInterrupt


def printable(text: str) -> str:
    r"""``text`` with control characters shown as escapes, so that a name or a path
    echoed in a message cannot drive the terminal (set its title, move the cursor).

    >>> printable("x\x1b]0;pwned\x07y\u009b")
    'x\\x1b]0;pwned\\x07y\\x9b'
    """
    import unicodedata

    return "".join(
        ch if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")
        else ascii(ch)[1:-1] for ch in text)


def say(line: str) -> None:
    """Print ``relu: LINE`` on stderr, one line, whatever state stderr is in (closed
    or full: then nothing is said, and the exit status alone tells); control
    characters in it are escaped."""
    text = "relu: " + " ".join(printable(str(line)).split())
    try:
        print(text, file=sys.stderr, flush=True)
    except (AttributeError, OSError, ValueError):
        pass


def fail(message: str, status: int) -> NoReturn:
    """One ``relu: error: ...`` line, then exit with ``status``."""
    say(f"error: {message}")
    sys.exit(int(status))


def stop() -> NoReturn:
    """End a run stopped by Ctrl-C or SIGTERM. Further signals are ignored from here:
    a second Ctrl-C during shutdown printed "Exception ignored ..." noise."""
    for number in (signal.SIGINT, signal.SIGTERM):
        try:
            signal.signal(number, signal.SIG_IGN)
        except (ValueError, OSError):
            pass
    if RECEIVED["signal"] == signal.SIGTERM:
        fail("terminated", ExitStatus.TERMINATED)
    fail("interrupted", ExitStatus.INTERRUPTED)


def stream_error_message(exc: OSError) -> str | None:
    """The message for an error writing standard output, or None when ``exc`` is
    something else.

    >>> stream_error_message(OSError(errno.ENOSPC, "No space left on device"))
    'cannot write to standard output: no space left on device'
    """
    if exc.errno not in STREAM_ERRORS:
        return None
    reason = (exc.strerror or os.strerror(exc.errno)).lower()
    return f"cannot write to standard output: {reason}"


class ClosedStream(io.TextIOBase):
    """Stands in for a standard stream that was closed before ``relu`` started
    (``relu table >&-``), where Python leaves None: every write fails as writing to
    a closed descriptor does."""

    encoding = "utf-8"
    errors = "strict"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "it is closed")


def stand_in_for_closed_streams() -> None:
    if sys.stdout is None:
        sys.stdout = ClosedStream()
    if sys.stderr is None:
        sys.stderr = ClosedStream()
