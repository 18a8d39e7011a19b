"""relu plot --terminal: sized to the terminal (80 x 24 by default when piped), with
--title, --layout and --size honoured and what text cannot draw refused."""

from __future__ import annotations

import re

import pytest

from relucli.plotting.text import visible_width

ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _size(text: str) -> tuple[int, int]:
    lines = text.rstrip("\n").split("\n")
    return max(visible_width(ESCAPES.sub("", line)) for line in lines), len(lines)


@pytest.mark.parametrize("variants", [["relu", "relu6"], ["relu", "relu6", "leaky"],
                                      ["family"], ["gelu", "silu", "mish", "elu", "softplus"]])
def test_piped_it_fits_80_by_24(relu, monkeypatch, variants):
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)
    run = relu("plot", *variants, "--terminal")
    assert run.code == 0
    width, height = _size(run.stdout)
    assert width <= 80 and height <= 23  # a line is left for the prompt
    assert height >= 20  # and it uses the rows it has
    assert "Function f(x)" in run.stdout and "Gradient f′(x)" in run.stdout


@pytest.mark.parametrize("columns", [80, 120])
def test_on_a_terminal_of_24_rows_it_fits(terminal, columns):
    text = terminal(["plot", "family", "gelu", "silu", "--terminal"], columns=columns, rows=24)
    width, height = _size(text)
    assert width <= columns and height <= 23
    assert "\x1b[" in text  # colour on a terminal


def test_a_taller_terminal_gives_taller_plots(relu, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("LINES", "50")
    run = relu("plot", "relu", "relu6", "--terminal")
    width, height = _size(run.stdout)
    assert width <= 100 and 30 <= height <= 49


def test_title_size_and_layouts_are_honoured(relu, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    run = relu("plot", "relu", "relu6", "--terminal", "--title", "ReLU vs ReLU6 $x$",
               "--size", "100,30")
    assert run.code == 0 and run.stdout.split("\n")[0] == "ReLU vs ReLU6 $x$"
    width, height = _size(run.stdout)
    assert 90 <= width <= 100 and 25 <= height <= 30
    side = relu("plot", "relu", "relu6", "--terminal", "--layout", "side")
    first = side.stdout.split("\n")[0]
    assert "Function f(x)" in first and "Gradient f′(x)" in first
    assert _size(side.stdout)[0] <= 80
    overlay = relu("plot", "relu", "relu6", "--terminal", "--layout", "overlay")
    assert "Function f(x) and gradient f′(x)" in overlay.stdout
    assert "f′ ReLU6" in overlay.stdout and "Gradient f′(x)\n" not in overlay.stdout


@pytest.mark.parametrize("args, message", [
    (["--layout", "side", "--size", "60,24"], "--layout side needs at least 75 columns"),
    (["--size", "20,10"], "--size with --terminal needs WIDTH from 40"),
    (["--size", "1.5,3"], "WIDTH,HEIGHT in characters"),
    (["--shade-dead"], "the terminal plot cannot shade regions"),
])
def test_what_text_cannot_draw_is_refused(relu, args, message):
    run = relu("plot", "relu", "relu6", "--terminal", *args)
    assert run.code == 2 and message in run.stderr and run.stderr.count("\n") == 1


def test_more_curves_than_colours_or_characters_is_refused_with_the_way_out(relu):
    from relucli import plotting
    from relucli.errors import UsageError
    from relucli.variants import select

    variants = select(["all"])
    curves = plotting.sample_curves(variants, {}, plotting.default_range(variants), 101)
    with pytest.raises(UsageError, match="at most 7 curves apart by colour, not 19: draw a group"):
        plotting.terminal_plot(curves, True, colour=True, width=80)
    run = relu("plot", "family", "gelu", "silu", "--terminal")  # piped: a character each
    assert run.code == 2 and "at most 6 curves apart (one character each), not 7" in run.stderr


def test_a_curve_drawn_over_says_so_in_the_legend(relu, monkeypatch):
    """One character per cell: ReLU lies under LeakyReLU and ReLU6 everywhere at this
    scale, and its legend entry says so; curves that part (ReLU6 and Hardtanh) say
    nothing."""
    monkeypatch.delenv("COLUMNS", raising=False)
    text = relu("plot", "relu", "leaky", "relu6", "--terminal", "--no-grad").stdout
    assert "++ ReLU (hidden: under LeakyReLU, ReLU6)" in " ".join(text.split())
    assert "oo ReLU6" in text and "ReLU6 (" not in text  # drawn last: always visible
    apart = relu("plot", "relu6", "hardtanh", "--terminal").stdout
    assert "under" not in apart


def test_hidden_labels_measure_the_overlap_at_the_plot_scale():
    import numpy as np

    from relucli.plotting.text import hidden_labels

    x = np.linspace(-3, 3, 601)
    ys = [np.maximum(x, 0), np.where(x > 0, x, 0.01 * x), np.where(x > 0, x, 0.3 * x)]
    names = ["ReLU", "Leaky", "Steep"]
    # 10 rows over [-0.9, 3]: 0.01·x is within half a row of 0, 0.3·x only near 0
    assert hidden_labels([(ys, [x] * 3)], names, names, 10) == [
        "ReLU (hidden: under Leaky, Steep)", "Leaky (mostly under Steep)", "Steep"]
    # 1000 rows: ReLU and Leaky part for x < -0.2; Steep, drawn last, covers x > 0
    assert hidden_labels([(ys, [x] * 3)], names, names, 1000)[0] == "ReLU (mostly under Steep)"


@pytest.mark.parametrize("columns", [80, 120])
def test_side_by_side_plots_share_one_legend_and_fit(relu, monkeypatch, columns):
    """Two legends side by side took 127 columns at any width (a new-user review):
    one legend under both, across the width."""
    monkeypatch.setenv("COLUMNS", str(columns))
    text = relu("plot", "family", "--terminal", "--layout", "side").stdout
    width, _ = _size(text)
    assert width <= columns
    assert text.count("~~ ReLU6") == 1 and "Function f(x)" in text and "Gradient f′(x)" in text


def test_an_output_without_unicode_gets_an_ascii_frame(relu, monkeypatch):
    """PYTHONIOENCODING=ascii printed the frame as \\u2502 escapes, hundreds of
    characters a line."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("PYTHONIOENCODING", "ascii")
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-m", "relucli", "plot", "relu", "leaky", "relu6",
                          "--terminal", "--layout", "side"], capture_output=True, text=True,
                         env={**__import__("os").environ})
    assert run.returncode == 0 and "\\u" not in run.stdout and run.stdout.isascii()
    assert max(len(line) for line in run.stdout.splitlines()) <= 80
    assert "+----" in run.stdout and "Gradient f'(x)" in run.stdout
