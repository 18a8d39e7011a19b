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


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("names, dtype, values", [
    (["all"], np.float32, [-1.5, 0.0, 6.25]),
    (["family"], np.float64, [-1.2345678901234567, 1e-300, 3.0]),
])
def test_eval_table_fits_and_cuts_no_number_or_name(monkeypatch, width, names, dtype, values):
    """Whatever the layout the width leaves (side by side, one row per value with the
    labels wrapped, or one table per variant under its label): no line wider than the
    screen, every value's shortest text whole in a cell, every label whole once its
    lines are joined (broken only after "(", ", " or "=")."""
    from relucli import variants
    from relucli.render.numbers import number_texts

    monkeypatch.setenv("COLUMNS", str(width))
    x = np.array(values, dtype=dtype)
    results = [engine.evaluate(v.name, x) for v in variants.select(names)]
    out = console(width=width)
    print_eval_table(out, x, results, None, True)
    lines = out.file.getvalue().splitlines()
    assert max(len(line) for line in lines) <= width
    cells = {c.strip() for line in lines if line.startswith("│") for c in line.split("│")}
    for r in results:
        assert set(number_texts(x)) | set(number_texts(r.y)) | set(number_texts(r.grad)) <= cells
    if any(line.startswith("┃ variant") for line in lines):  # the labels in a column
        text = "".join(line.split("│")[1].strip() for line in lines if line.startswith("│"))
    else:  # under each table, or as headers side by side
        text = "".join(line.strip().strip("┃│") for line in lines)
    squeezed = text.replace(" ", "")
    for r in results:
        assert r.variant.label(r.params).replace(" ", "") in squeezed
