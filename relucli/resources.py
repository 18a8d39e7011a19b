"""Refuse work that cannot fit in memory before allocating anything for it."""

from __future__ import annotations

import os

from .errors import UsageError


def available_memory() -> int | None:
    """Bytes this machine can still give (Linux MemAvailable), or None if unknown."""
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def human_bytes(count: float) -> str:
    """1536 -> '1.5 KiB'."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if count < 1024 or unit == "PiB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} PiB"  # pragma: no cover


def check_memory(needed: float, what: str) -> None:
    """Raise a usage error naming ``what`` and the figure if ``needed`` bytes will not
    fit in the memory available now."""
    available = available_memory()
    if available is not None and needed > available:
        raise UsageError(
            f"{what} would need about {human_bytes(needed)} of memory; "
            f"{human_bytes(available)} is available"
        )
