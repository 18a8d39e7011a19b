"""Writing output files safely: never over an existing file without ``force``, and
atomically (a temporary file in the same folder, then a rename), so an interrupted
or failing run never leaves a truncated file behind. (No fsync: this protects against
a run that stops, not against a machine that loses power.)"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable, IO

from .errors import FileError


def check_writable(path: str | Path, force: bool) -> Path:
    """Refuse early (before any work) if ``path`` exists without ``force``, its name is
    more than the file system takes, or its folder is missing or not writable."""
    target = Path(path)
    try:
        return _check_writable(target, force)
    except FileError:
        raise
    except OSError as exc:  # a name too long, a loop of links ...
        raise FileError(f"cannot write {target}: {exc.strerror or exc}") from None


def _check_writable(target: Path, force: bool) -> Path:
    if target.is_dir():
        raise FileError(f"{target} is a folder; give a file name")
    if target.exists() and not force:
        raise FileError(f"{target} exists; use --force to replace it")
    if target.is_symlink() and not force:  # dangling, or a loop: still the user's link
        raise FileError(f"{target} is a link (to {os.readlink(target)}, which does not "
                        "resolve to a file); use --force to replace the link")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise FileError(f"cannot write {target}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise FileError(f"cannot write {target}: folder {folder} is not writable")
    return target


def _mode_for(target: Path) -> int:
    """The mode of the file being replaced, or 0666 less the umask for a new one."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _temporary_prefix(target: Path, pid: int) -> str:
    """Temporary files are hidden, named after their target and the process writing
    them: ``.out.png.relu-4242.k3j2.tmp``."""
    return f".{target.name}.relu-{pid}."


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Remove the temporary files of ``target`` left by relu runs that were killed
    (SIGKILL cannot be caught): those whose process no longer exists."""
    import glob

    folder = target.parent if str(target.parent) else Path(".")
    removed = []
    for leftover in folder.glob(f".{glob.escape(target.name)}.relu-*.tmp"):
        pid_text = leftover.name[len(f".{target.name}.relu-"):].split(".", 1)[0]
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        try:
            leftover.unlink()
            removed.append(leftover)
        except OSError:
            pass
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process: leave its file alone
    return True


def atomic_write(path: str | Path, write: Callable[[IO[bytes]], None], force: bool) -> Path:
    """Call ``write(handle)`` on a temporary file, then move it to ``path``."""
    target = check_writable(path, force)
    folder = target.parent if str(target.parent) else Path(".")
    remove_stale_temporaries(target)
    try:
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=_temporary_prefix(target, os.getpid()),
                                         suffix=".tmp")
    except OSError as exc:
        raise FileError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        # a plain file object: NumPy writes arrays to it directly, without copies
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        if not force and os.path.lexists(target):  # appeared while we were working
            raise FileError(f"{target} exists; use --force to replace it")
        # a temporary file is private (0600); give the result the usual permissions
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except OSError as exc:
        raise FileError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return target
