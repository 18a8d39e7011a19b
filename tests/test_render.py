"""The text layout of tables (render.grid) and the eval table built on it."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from rich.console import Console

from relucli import engine, render

ESCAPES = re.compile(r"\x1b\[[0-9;]*m")


def console(**options) -> Console:
    return Console(file=io.StringIO(), width=options.pop("width", 200), **options)


def test_grid_aligns_wide_and_narrow_characters_and_both_justifications():
    text = render.grid(console(), ["name", "value"], [["∇ReLU", "x"], ["1", "-0.25"]],
                       right=[False, True], title="T")
    lines = text.splitlines()
    assert lines[0].strip() == "T"
    assert lines[4] == "│ ∇ReLU │     1 │"
    assert lines[5] == "│ x     │ -0.25 │"
    assert len({len(line) for line in lines[1:]}) == 1


def test_grid_rules_between_rows_and_caption():
    text = render.grid(console(), ["a"], [["1", "2", "3"]],
                       rules=lambda row: "family" if row == 2 else "between", caption="note")
    assert text.splitlines()[3:] == ["│ 1 │", "├───┤", "│ 2 │", "╞═══╡", "│ 3 │", "└───┘", "note"]


def test_grid_colours_only_on_a_colour_console():
    def args():  # (the grid pads the cells of its columns in place)
        return ["x", "grad"], [["1"], ["0"]]

    plain = render.grid(console(), *args(), styles=["cyan", "magenta"])
    assert not ESCAPES.search(plain)
    coloured = render.grid(console(force_terminal=True, color_system="standard"), *args(),
                           styles=["cyan", "magenta"])
    assert "\x1b[36m1" in coloured and "\x1b[35m0" in coloured  # cyan x, magenta grad
    assert ESCAPES.sub("", coloured) == plain
    dying = render.grid(console(force_terminal=True, color_system="standard"), ["a"],
                        [["yes", "no"]], cell_style=lambda r, c: "red" if r == 0 else "green")
    assert "\x1b[31myes" in dying and "\x1b[32mno " in dying


def test_grid_in_ascii_for_a_console_that_cannot_encode_box_lines():
    out = Console(file=io.TextIOWrapper(io.BytesIO(), encoding="ascii"), width=100)
    assert out.options.ascii_only
    text = render.grid(out, ["range"], [["[0, ∞)"]])
    assert text.isascii() and "| [0, inf) |" in text and text.startswith("+")


def test_grid_measures_what_it_draws():
    headers, columns = ["x", "LeakyReLU(negative_slope=0.01)"], [["-1"], ["-0.01"]]
    width = render.grid(console(), headers, columns, measure_only=True)
    assert {len(line) for line in render.grid(console(), headers, columns).splitlines()} == {width}


def test_eval_table_has_every_value_in_its_row(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    x = np.linspace(-3, 8, 5001, dtype=np.float32)
    results = [engine.evaluate(name, x) for name in ("relu", "relu6")]
    out = console()  # not a terminal: side by side, every row on one line
    render.print_eval_table(out, x, results, None, True)
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
    render.print_eval_table(out, x, results, None, True)
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
    render.print_eval_table(out, x, [engine.evaluate("relu", x)], None, False)
    assert out.file.getvalue().splitlines()[0].strip() == \
        f"{n} value{'s' if n > 1 else ''}, float64"
