"""The eval table, built on the text grid (render.evaluation.print_eval_table)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from rich.console import Console

from relucli import engine
from relucli.render.evaluation import print_eval_table


def console(**options) -> Console:
    return Console(file=io.StringIO(), width=options.pop("width", 200), **options)


def test_eval_table_has_every_value_in_its_row(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    x = np.linspace(-3, 8, 5001, dtype=np.float32)
    results = [engine.evaluate(name, x) for name in ("relu", "relu6")]
    out = console()  # not a terminal: side by side, every row on one line
    print_eval_table(out, x, results, None, True)
    lines = out.file.getvalue().splitlines()
    body = [line for line in lines if line.startswith("│")]
    assert len(body) == x.size
    assert len({len(line) for line in lines[1:]}) == 1
    cells = [[c.strip() for c in line.strip("│").split("│")] for line in body]
    got = np.array([[float(c) for c in row] for row in cells], dtype=np.float32)
    expected = np.stack([x, results[0].y, results[0].grad, results[1].y, results[1].grad], 1)
    assert np.array_equal(got, expected)


def test_eval_table_on_a_narrow_terminal_wraps_long_labels(monkeypatch):
    monkeypatch.setenv("COLUMNS", "50")
    x = np.array([3.0, -1.0], dtype=np.float32)
    results = [engine.evaluate("generalized_relu", x, negative_slope=0.1),
               engine.evaluate("relu", x)]
    out = console(width=50)
    print_eval_table(out, x, results, None, True)
    lines = out.file.getvalue().splitlines()
    assert max(len(line) for line in lines) <= 50
    labels = "".join(line.split("│")[1].strip() for line in lines if line.startswith("│"))
    assert labels.replace(" ", "") == "GeneralizedReLU(negative_slope=0.1,max_value=inf,threshold=0)ReLU"
    assert sum(line.startswith("├") for line in lines) == 1  # between the two variants


@pytest.mark.parametrize("n", [1, 7])
def test_eval_table_title_counts_values(n, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    out = console()
    x = np.arange(n, dtype=np.float64)
    print_eval_table(out, x, [engine.evaluate("relu", x)], None, False)
    assert out.file.getvalue().splitlines()[0].strip() == \
        f"{n} value{'s' if n > 1 else ''}, float64"
