"""Shared helpers: run the CLI in-process and capture what it prints."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import dataclass

import pytest

from relucli.cli import main


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def relu(capsys, monkeypatch):
    """``relu("eval", "relu", "-x", "1")`` runs the command as the console script
    does (through ``main``) and returns its exit code and output."""

    def run(*args: str, stdin: bytes | str | None = None) -> Run:
        if stdin is not None:
            data = stdin.encode() if isinstance(stdin, str) else stdin
            fake = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
            monkeypatch.setattr(sys, "stdin", fake)
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out, err = capsys.readouterr()
        return Run(code, out, err)

    return run


def run_in_terminal(args, env_extra: dict | None = None, columns: int = 100,
                    rows: int = 40) -> str:
    """Run relu with stdout on a pseudo-terminal of ``columns`` x ``rows`` (the size
    set on the terminal, as a user's is, not through $COLUMNS); return what it wrote,
    without \r. ``env_extra`` adds to an environment of TERM=xterm-256color."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    env = {k: v for k, v in os.environ.items()
           if k not in ("NO_COLOR", "TERM", "COLUMNS", "LINES")}
    env.update({"TERM": "xterm-256color", **(env_extra or {})})
    process = subprocess.Popen([sys.executable, "-m", "relucli", *args], stdout=slave,
                               stderr=subprocess.PIPE, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(master)
    assert process.returncode == 0, process.stderr.read()
    return b"".join(chunks).decode("utf-8", "replace").replace("\r", "")


@pytest.fixture
def terminal():
    """``terminal(args, env_extra, columns, rows)``: what relu prints on a pseudo-terminal."""
    return run_in_terminal


# A small Python that runs relu and reports its peak memory: measured from a process
# forked by pytest itself, ru_maxrss would count the pages of pytest (large by then)
# that the child shares until it execs.
_MEASURE = """
import json, os, resource, subprocess, sys
limit, args = int(sys.argv[1]), sys.argv[2:]
def restrict():
    if limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
child = subprocess.Popen([sys.executable, "-m", "relucli", *args], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, preexec_fn=restrict)
err = child.stderr.read().decode()
_, status, usage = os.wait4(child.pid, 0)
print(json.dumps([os.waitstatus_to_exitcode(status), err, usage.ru_maxrss / 1024]))
"""


def measured_run(args, cwd=None, stdin=None, limit: int = 0):
    """Run relu as its own process: (exit status, stderr, seconds, peak resident MiB),
    under an address-space ``limit`` in bytes when given."""
    import json
    import time

    start = time.monotonic()
    wrapper = subprocess.run([sys.executable, "-c", _MEASURE, str(limit), *args], cwd=cwd,
                             stdin=stdin, capture_output=True, text=True, check=True)
    status, err, mib = json.loads(wrapper.stdout)
    return status, err, time.monotonic() - start, mib


@pytest.fixture
def measured():
    """:func:`measured_run`, for tests that judge a run's time and memory."""
    return measured_run


def run_main_then(argv: list[str], then: str) -> subprocess.CompletedProcess:
    """``relu ARGV`` through ``main`` in a fresh Python, then the statements ``then``
    (asserts on ``sys.modules``, say) in the same process."""
    code = ("import sys; from relucli.cli import main\n"
            f"try:\n main({argv!r})\nexcept SystemExit: pass\n" + then)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


@pytest.fixture
def fresh_process():
    """:func:`run_main_then`: what a command imports, seen from a new process."""
    return run_main_then
