"""The text layout of tables (render.layout.grid)."""

from __future__ import annotations

import io
import re

from rich.console import Console

from relucli.render.layout import grid

ESCAPES = re.compile(r"\x1b\[[0-9;]*m")


def console(**options) -> Console:
    return Console(file=io.StringIO(), width=options.pop("width", 200), **options)


def test_grid_aligns_wide_and_narrow_characters_and_both_justifications():
    text = grid(console(), ["name", "value"], [["∇ReLU", "x"], ["1", "-0.25"]],
                       right=[False, True], title="T")
    lines = text.splitlines()
    assert lines[0].strip() == "T"
    assert lines[4] == "│ ∇ReLU │     1 │"
    assert lines[5] == "│ x     │ -0.25 │"
    assert len({len(line) for line in lines[1:]}) == 1


def test_grid_rules_between_rows_and_caption():
    text = grid(console(), ["a"], [["1", "2", "3"]],
                       rules=lambda row: "family" if row == 2 else "between", caption="note")
    assert text.splitlines()[3:] == ["│ 1 │", "├───┤", "│ 2 │", "╞═══╡", "│ 3 │", "└───┘", "note"]


def test_grid_colours_only_on_a_colour_console():
    def args():  # (the grid pads the cells of its columns in place)
        return ["x", "grad"], [["1"], ["0"]]

    plain = grid(console(), *args(), styles=["cyan", "magenta"])
    assert not ESCAPES.search(plain)
    coloured = grid(console(force_terminal=True, color_system="standard"), *args(),
                           styles=["cyan", "magenta"])
    assert "\x1b[36m1" in coloured and "\x1b[35m0" in coloured  # cyan x, magenta grad
    assert ESCAPES.sub("", coloured) == plain
    dying = grid(console(force_terminal=True, color_system="standard"), ["a"],
                        [["yes", "no"]], cell_style=lambda r, c: "red" if r == 0 else "green")
    assert "\x1b[31myes" in dying and "\x1b[32mno " in dying


def test_grid_in_ascii_for_a_console_that_cannot_encode_box_lines():
    out = Console(file=io.TextIOWrapper(io.BytesIO(), encoding="ascii"), width=100)
    assert out.options.ascii_only
    text = grid(out, ["range"], [["[0, ∞)"]])
    assert text.isascii() and "| [0, inf) |" in text and text.startswith("+")


def test_grid_measures_what_it_draws():
    headers, columns = ["x", "LeakyReLU(negative_slope=0.01)"], [["-1"], ["-0.01"]]
    width = grid(console(), headers, columns, measure_only=True)
    assert {len(line) for line in grid(console(), headers, columns).splitlines()} == {width}
