"""Every human output in a real pseudo-terminal of 60, 80, 100 and 120 columns: no line
wider than the terminal, no "…" cutting a number or a name, and code printed whole."""

from __future__ import annotations

import fcntl
import os
import struct
import subprocess
import sys
import termios

import pytest

WIDTHS = [60, 80, 100, 120]


def run_in_terminal(args, columns: int) -> str:
    """Run relu with stdout on a pseudo-terminal of ``columns`` x 40 (its size read
    from the terminal, as a user's is); return what it wrote, without \\r."""
    import pty

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update({"TERM": "xterm-256color", "NO_COLOR": "1"})  # a terminal, plain text
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
    return b"".join(chunks).decode("utf-8").replace("\r", "")


COMMANDS = [
    ["--help"], ["eval", "--help"], ["plot", "--help"], ["dying-sim", "--help"], ["quant-sim", "--help"],
    ["grad-flow", "--help"], ["code", "--help"], ["table", "--help"], ["table"], ["table", "-v", "all"],
    ["eval", "all", "-x", "-1.5,0,6.25"], ["dying-sim", "--units", "2000", "--seed", "1", "-q"],
    ["quant-sim", "--samples", "20000", "--seed", "1", "-q"],
    ["grad-flow", "--depth", "8", "--width", "16", "--seed", "1", "-q"],
]


#: Known and left open: typer's rich help gives option names a fixed share of the width
#: and cuts --outlier-fraction to "--outlier-frac…" at 60 columns.
KNOWN = {("quant-sim --help", 60)}
CASES = [pytest.param(args, columns, id=f"{' '.join(args)}-{columns}",
                      marks=[pytest.mark.xfail(strict=True, reason="typer cuts a long option name")]
                      if (" ".join(args), columns) in KNOWN else [])
         for args in COMMANDS for columns in WIDTHS]


@pytest.mark.parametrize("args, columns", CASES)
def test_output_fits_the_terminal_and_cuts_nothing(args, columns):
    text = run_in_terminal(args, columns)
    assert max(len(line) for line in text.splitlines()) <= columns
    assert "…" not in text


@pytest.mark.parametrize("columns", WIDTHS)
def test_code_is_printed_whole_for_the_terminal_to_soft_wrap(columns):
    from relucli import variants
    from relucli.codegen.snippet import snippets

    text = run_in_terminal(["code", "prelu", "-p", "alpha=0.25", "-F", "keras,jax"], columns)
    lines = set(text.splitlines())
    for snippet in snippets(variants.get("prelu"), {"alpha": 0.25}, ["keras", "jax"]):
        for line in snippet.code.splitlines():
            assert line in lines, line
