"""Every human output in a real pseudo-terminal of 60, 80, 100 and 120 columns: no line
wider than the terminal, no "…" cutting a number or a name, and code printed whole."""

from __future__ import annotations

import pytest

WIDTHS = [60, 80, 100, 120]


COMMANDS = [
    ["--help"], ["eval", "--help"], ["plot", "--help"], ["dying-sim", "--help"], ["quant-sim", "--help"],
    ["grad-flow", "--help"], ["code", "--help"], ["table", "--help"], ["table"], ["table", "-v", "all"],
    ["eval", "all", "-x", "-1.5,0,6.25"], ["dying-sim", "--units", "2000", "--seed", "1", "-q"],
    ["quant-sim", "--samples", "20000", "--seed", "1", "-q"],
    ["grad-flow", "--depth", "8", "--width", "16", "--seed", "1", "-q"],
]


CASES = [pytest.param(args, columns, id=f"{' '.join(args)}-{columns}")
         for args in COMMANDS for columns in WIDTHS]


@pytest.mark.parametrize("args, columns", CASES)
def test_output_fits_the_terminal_and_cuts_nothing(args, columns, terminal):
    text = terminal(args, {"NO_COLOR": "1"}, columns)  # a terminal, plain text
    assert max(len(line) for line in text.splitlines()) <= columns
    assert "…" not in text


@pytest.mark.parametrize("columns", WIDTHS)
def test_code_is_printed_whole_for_the_terminal_to_soft_wrap(columns, terminal):
    from relucli import variants
    from relucli.codegen.snippet import snippets

    text = terminal(["code", "prelu", "-p", "alpha=0.25", "-F", "keras,jax"], {"NO_COLOR": "1"},
                    columns)
    lines = set(text.splitlines())
    for snippet in snippets(variants.get("prelu"), {"alpha": 0.25}, ["keras", "jax"]):
        for line in snippet.code.splitlines():
            assert line in lines, line


PIPED = [args for args in COMMANDS if "--help" not in args] + [
    ["dying-sim", "relu", "--model", "depth", "--trials", "50", "--seed", "1", "-q"],
    ["dying-sim", "--model", "layer", "--trials", "2", "--seed", "1", "-q"],
    ["eval", "relu", "leaky", "prelu", "rrelu", "relu6", "elu", "gelu", "-x", "-1,0,1"],
]


@pytest.mark.parametrize("args", PIPED, ids=" ".join)
def test_piped_human_output_is_80_columns_without_columns(args):
    """Into a pipe with no $COLUMNS (`relu table | less`), 80 columns, not the natural
    width of the widest table."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    run = subprocess.run([sys.executable, "-m", "relucli", *args], capture_output=True,
                         text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert max(len(line) for line in run.stdout.splitlines()) <= 80
    assert "…" not in run.stdout
