"""render.terminal.print_table: simulation tables never cut a number at 60-120 columns."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("width", [60, 80, 100, 120])
@pytest.mark.parametrize("args", [
    ["dying-sim", "--units", "2000", "--seed", "1", "-q"],
    ["dying-sim", "--model", "layer", "--trials", "2", "--seed", "1", "-q"],
    ["quant-sim", "--samples", "20000", "--seed", "1", "-q"],
    ["grad-flow", "--depth", "8", "--width", "16", "--seed", "1", "-q"],
])
def test_simulation_tables_fit_and_keep_values_with_their_errors(relu, monkeypatch, width, args):
    monkeypatch.setenv("COLUMNS", str(width))
    run = relu(*args)
    assert run.code == 0
    lines = run.stdout.splitlines()
    assert max(len(line) for line in lines) <= width
    assert "…" not in run.stdout
    body = [line for line in lines if line.startswith(("│", "  "))]
    for line in body:  # a "±" never starts or ends a line's cell: value and error together
        for cell in line.strip("│┃ ").split("│"):
            assert not cell.strip().startswith("±") and not cell.strip().endswith("±")
