"""Refuse work that cannot fit in memory or in the time budget before allocating
anything for it, and stop a run that outlives its budget.

The memory a run may use is the least of what the machine has free (Linux
``MemAvailable``), what the process's cgroup still allows (a container's or a job
scheduler's limit) and what its address-space limit leaves (``ulimit -v``). No
printing here: the checks raise errors with the figures in their messages.
"""

from __future__ import annotations

import contextlib
import math
import os
from pathlib import Path

from .errors import ReluError, UsageError

#: Seconds a simulation may take unless ``--max-seconds`` says otherwise.
DEFAULT_MAX_SECONDS = 600.0


def available_memory(root: str = "/") -> int | None:
    """Bytes this process can still allocate, or None if nothing is known.

    ``root`` is where ``/proc`` and ``/sys`` are looked for (a test's fake tree)."""
    limits = [_meminfo_available(root), _cgroup_room(root),
              _address_space_room(root) if root == "/" else None]
    known = [limit for limit in limits if limit is not None]
    return max(min(known), 0) if known else None


def _meminfo_available(root: str) -> int | None:
    try:
        for line in Path(root, "proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    if root != "/":
        return None
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def _read_number(path: Path) -> int | None:
    """The integer in a cgroup file; None for "max", a missing file or a limit so large
    that it means none (cgroup v1 writes 2^63 rounded down to a page)."""
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    if not text.isdigit():
        return None
    value = int(text)
    return None if value >= 1 << 60 else value


def _cgroup_room(root: str) -> int | None:
    """The cgroup's memory limit less its usage: v2 ``memory.max`` - ``memory.current``,
    or v1 ``memory.limit_in_bytes`` - ``memory.usage_in_bytes``; None without a limit."""
    base = Path(root, "sys/fs/cgroup")
    try:
        lines = Path(root, "proc/self/cgroup").read_text().splitlines()
    except OSError:
        lines = []
    places: list[tuple[Path, str, str]] = []
    for line in lines:
        _, controllers, path = (line.split(":", 2) + ["", ""])[:3]
        relative = path.strip().lstrip("/")
        if controllers == "":
            places.append((base / relative, "memory.max", "memory.current"))
        elif "memory" in controllers.split(","):
            places.append((base / "memory" / relative, "memory.limit_in_bytes",
                           "memory.usage_in_bytes"))
    places += [(base, "memory.max", "memory.current"),
               (base / "memory", "memory.limit_in_bytes", "memory.usage_in_bytes")]
    for folder, limit_name, usage_name in places:
        limit = _read_number(folder / limit_name)
        if limit is not None:
            return limit - (_read_number(folder / usage_name) or 0)
    return None


def _address_space_room(root: str) -> int | None:
    """``ulimit -v`` (RLIMIT_AS) less the address space already mapped."""
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, OSError, ValueError):
        return None
    if soft == resource.RLIM_INFINITY or soft < 0:
        return None
    mapped = 0
    try:
        for line in Path(root, "proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                mapped = int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return soft - mapped


def human_bytes(count: float) -> str:
    """1536 -> '1.5 KiB'."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if count < 1024 or unit == "PiB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} PiB"  # pragma: no cover


def human_seconds(seconds: float) -> str:
    """A duration as people say it.

    >>> human_seconds(0.4), human_seconds(95), human_seconds(4 * 3600), human_seconds(1.3e8)
    ('under a second', '2 min', '4.0 h', '4 years')
    """
    if not math.isfinite(seconds):
        return "forever"
    if seconds < 1:
        return "under a second"
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    if seconds < 365 * 86400:
        return f"{seconds / 86400:.0f} days"
    years = seconds / (365.25 * 86400)
    return f"{years:.0f} years" if years < 1e6 else f"{years:.1e} years"


def check_memory(needed: float, what: str) -> None:
    """Raise a usage error naming ``what`` and the figure if ``needed`` bytes will not
    fit in the memory available now."""
    available = available_memory()
    if available is not None and needed > available:
        raise UsageError(
            f"{what} would need about {human_bytes(needed)} of memory; "
            f"{human_bytes(available)} is available"
        )


def check_seconds(seconds: float, what: str, max_seconds: float) -> None:
    """Refuse, before it starts, a run estimated to take longer than ``max_seconds``.

    >>> check_seconds(5, "this run", 600)
    >>> check_seconds(7200, "this run", 600)
    Traceback (most recent call last):
    ...
    relucli.errors.UsageError: this run would take about 2.0 h here, over the 10 min budget; to run it anyway give --max-seconds 14400
    """
    if seconds > max_seconds:
        wanted = 10 ** math.ceil(math.log10(2 * seconds)) if seconds > 1e7 else \
            math.ceil(2 * seconds / 100) * 100
        hint = (f"to run it anyway give --max-seconds {wanted:.0f}" if seconds < 30 * 86400
                else "use smaller sizes")
        def said(t: float) -> str:  # a budget of a fraction of a second said as such
            return f"{t:.2g} s" if t < 1 else human_seconds(t)

        raise UsageError(f"{what} would take about {said(seconds)} here, over the "
                         f"{said(max_seconds)} budget; {hint}")


def check_max_seconds(max_seconds: float) -> float:
    """``--max-seconds`` must be a positive number (``inf``: no budget)."""
    if not max_seconds > 0:
        raise UsageError(f"--max-seconds must be a positive number of seconds (or inf), "
                         f"got {max_seconds:g}")
    return max_seconds


#: Budgets this long (about 30 years) are no budget: the timer cannot hold them.
MAX_TIMER = 1e9


class OverBudget(ReluError):
    """A run outlived its ``--max-seconds`` budget (exit code 1)."""


@contextlib.contextmanager
def time_limit(max_seconds: float, estimate: float):
    """Stop the work inside after ``max_seconds`` of wall time (a timer signal, so
    that a loop stuck in one long step is stopped too); nothing when infinite, or off
    the main thread, or where timer signals do not exist; a budget beyond MAX_TIMER
    counts as none."""
    import signal

    if not max_seconds < MAX_TIMER or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise OverBudget(f"stopped after {human_seconds(max_seconds)}, the --max-seconds "
                         f"budget (the run was estimated at {human_seconds(estimate)}); "
                         "give a larger --max-seconds to let it finish")

    try:
        previous = signal.signal(signal.SIGALRM, expire)
    except ValueError:  # not the main thread
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, max_seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
