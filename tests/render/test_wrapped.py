"""render.wrapped: widths that fit, cells that wrap between words, stacked blocks."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from relucli.render.wrapped import (fit_widths, longest_word, stacked_lines, table_width,
                                    wrap_cell, wrapped_grid_lines)


def test_fit_widths_shrinks_the_widest_first_and_never_below_a_word():
    assert fit_widths([10, 30], [3, 5], 100) == [10, 30]  # fits as it is
    widths = fit_widths([10, 30, 8], [4, 12, 8], 40)
    assert table_width(widths) == 40 and widths[2] == 8 and widths[1] >= 12
    assert fit_widths([10, 30], [20, 20], 40) is None


@pytest.mark.parametrize("width", range(6, 40, 3))
def test_wrapping_loses_nothing_and_keeps_numbers_whole(width):
    text = "x·Φ(x) = x/2·erfc(-x/√2); range [-0.16997, ∞) for x ≤ 0 and 1.0507"
    lines = wrap_cell(text, max(width, longest_word(text)))
    assert " ".join(lines) == text
    for number in ("-0.16997,", "1.0507", "x/2·erfc(-x/√2);"):
        assert any(number in line for line in lines)
    assert "x ≤ 0" in " ".join(line for line in lines if "≤" in line)


def _console(width):
    return Console(file=io.StringIO(), width=width, color_system=None)


def test_a_wrapped_grid_has_one_width_and_rows_as_tall_as_their_tallest_cell():
    lines = list(wrapped_grid_lines(_console(30), ["a", "b"], [["one two three", "x"], ["1", "2"]],
                                    [5, 3], title="T"))
    assert {len(line.rstrip("\n")) for line in lines[1:]} == {table_width([5, 3])}
    body = [line for line in lines if line.startswith("│")]
    assert len(body) == 3 + 1  # "one", "two", "three" in the first row; "x" in the second


def test_stacked_lines_label_each_value_and_wrap_under_it():
    records = [{"variant": "ReLU", "formula": "max(0, x) " * 6}]
    lines = list(stacked_lines(_console(40), records, ["variant", "formula"],
                               {"variant": "Variant", "formula": "Formula"}, 40))
    assert lines[0] == "ReLU\n" and lines[1].startswith("  Formula  max(0, x)")
    assert all(len(line.rstrip("\n")) <= 40 for line in lines)
    assert " ".join(" ".join(line.split()) for line in lines[1:]).split("Formula ")[1] == \
        " ".join(records[0]["formula"].split())
