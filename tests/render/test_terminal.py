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


def _table(rows):
    from rich.table import Table

    table = Table(title="t")
    for name in ("name", "a", "b", "c"):
        table.add_column(name)
    for row in rows:
        table.add_row(*row)
    table.caption = "Caption."
    return table


@pytest.mark.parametrize("width, shown, left_out", [
    (80, ["name", "a", "b", "c"], None),
    (40, ["name", "a", "b"], "Left out at this width: c"),
    (30, ["name", "a"], "Left out at this width: c, b"),
])
def test_columns_are_dropped_in_order_before_stacking(width, shown, left_out):
    import io

    from rich.console import Console

    from relucli.render.terminal import print_table

    out = Console(file=io.StringIO(), width=width, color_system=None)
    print_table(out, _table([["ReLU", "1" * 8, "2" * 9, "3" * 10]]), droppable=("c", "b"))
    text = out.file.getvalue()
    header = next(line for line in text.splitlines() if "name" in line)
    assert [h.strip() for h in header.strip("┃│ ").split("┃")] == shown
    assert (left_out in " ".join(text.split())) if left_out else "Left out" not in text
    assert "1" * 8 in text


def test_too_narrow_even_without_them_stacks_every_column():
    import io

    from rich.console import Console

    from relucli.render.terminal import print_table

    out = Console(file=io.StringIO(), width=15, color_system=None)
    print_table(out, _table([["ReLU", "1" * 8, "2" * 9, "3" * 10]]), droppable=("c", "b"))
    text = out.file.getvalue()
    assert "3" * 10 in text and "Left out" not in text and "┃" not in text


def test_a_dumb_terminal_is_still_as_wide_as_it_is(terminal):
    """Rich takes TERM=dumb for 80 x 25 whatever the terminal's size: on a 120-column
    one `relu table` used 80. The console asks the terminal instead (no colour still)."""
    text = terminal(["table"], env_extra={"TERM": "dumb"}, columns=120)
    lines = text.splitlines()
    assert 80 < max(len(line) for line in lines) <= 120 and "\x1b[" not in text
