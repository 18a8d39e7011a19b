"""Figures as they come out, checked for what a slide needs: a distinct colour/style
pair for every curve of a panel, legends off the data, coinciding curves said and kept
visible, text in SVG, TrueType in PDF, short default names, settings in the titles."""

from __future__ import annotations

import re

import numpy as np
import pytest
from matplotlib.colors import to_hex

from relucli import plotting
from relucli.commands.plot import GROUP_NAMES, MAX_NAME, default_name
from relucli.variants import VARIANTS, names, select


def curves_for(*requested, **params):
    variants = select(list(requested))
    return plotting.sample_curves(variants, params, plotting.default_range(variants), 301)


def _curve_lines(ax):
    """The lines of the variants' curves (not kink dots, grid or kink verticals)."""
    return [line for line in ax.get_lines() if len(line.get_xdata()) > 10]


@pytest.mark.parametrize("layout", ["side", "stacked", "overlay"])
def test_every_curve_of_a_panel_has_its_own_colour_and_style(layout):
    fig = plotting.build_figure(curves_for("all"), layout=layout)
    for ax in fig.get_axes():
        lines = _curve_lines(ax)
        if layout == "overlay":  # the function solid, its gradient dashed
            lines = [line for line in lines if line.get_linestyle() == "-"]
        assert len(lines) <= plotting.style.PANEL_SERIES
        assert len({to_hex(line.get_color()) for line in lines}) == len(lines), ax.get_title()
        if layout != "overlay":  # and its own dash pattern (for greyscale print)
            dashes = {str(line._unscaled_dash_pattern) for line in lines}
            assert len(dashes) == len(lines), ax.get_title()


def test_all_is_laid_out_in_panels_with_every_variant_in_a_legend():
    fig = plotting.build_figure(curves_for("all"))
    assert len(fig.get_axes()) == 8  # four rows of function | gradient
    assert not any(ax.get_legend() for ax in fig.get_axes())  # never over the data
    rows = fig.subfigs
    titles = [row._suptitle.get_text() for row in rows]
    assert titles == ["The ReLU family", "Relatives with flat regions", "Smooth relatives",
                      "Classic references"]
    shown = " ".join(t.get_text() for row in rows for legend in row.legends
                     for t in legend.get_texts())
    shown = shown.replace("\n", " ")
    for variant in VARIANTS:
        assert variant.display in shown
    assert "CELU(alpha=1) (= ELU here)" in shown  # equal everywhere at alpha = 1


def test_a_legend_sits_outside_every_axes():
    fig = plotting.build_figure(curves_for("family"))
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    (legend,) = fig.legends
    box = legend.get_window_extent(renderer)
    for ax in fig.get_axes():
        assert not box.overlaps(ax.get_window_extent(renderer))


def test_relu_under_relu6_stays_visible():
    fig = plotting.build_figure(curves_for("relu", "relu6"))
    ax_f, ax_g = fig.get_axes()
    relu, relu6 = _curve_lines(ax_f)
    assert relu.get_linewidth() > relu6.get_linewidth() + 1  # an outline around ReLU6
    assert relu.get_linestyle() != relu6.get_linestyle()
    dots = [(line.get_xdata()[0], line.get_ydata()[0], line.get_markersize(),
             to_hex(line.get_markeredgecolor())) for line in ax_g.get_lines()
            if len(line.get_xdata()) == 1]
    at_zero = [d for d in dots if d[:2] == (0, 0)]
    assert len(at_zero) == 2 and at_zero[0][2] > at_zero[1][2]  # concentric rings
    assert at_zero[0][3] != at_zero[1][3]


def test_overlay_gradient_shows_over_its_own_function():
    fig = plotting.build_figure(curves_for("relu"), layout="overlay")
    (ax,) = fig.get_axes()
    gradient = [line for line in _curve_lines(ax) if line.get_linestyle() == "--"]
    assert gradient and all(line.get_gapcolor() == "white" for line in gradient)
    assert gradient[0].get_zorder() > _curve_lines(ax)[0].get_zorder()


def test_identical_curves_say_so():
    fig = plotting.build_figure(curves_for("relu", "threshold", "relu6"))
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "Threshold(threshold=0, value=0) (= ReLU here)" in [l.replace("\n", " ") for l in labels]
    assert "ReLU6" in labels  # equal to ReLU only on part of the range: no note


def test_shading_is_strong_and_hatched():
    fig = plotting.build_figure(curves_for("relu6"), shade_dead=True)
    patches = fig.get_axes()[0].patches
    assert patches and all(p.get_alpha() >= 0.2 and p.get_hatch() for p in patches)


# Files --------------------------------------------------------------------------------

def test_svg_keeps_text_as_text_and_is_byte_stable(relu, tmp_path):
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    for path in (first, second):
        assert relu("plot", "family", "-o", str(path)).code == 0
    data = first.read_text()
    assert data == second.read_text()
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", data)
    assert "LeakyReLU(negative_slope=0.01)" in texts and "Gradient" in texts
    assert 'id="DejaVuSans-' not in data  # no glyphs drawn as paths


def test_pdf_fonts_are_truetype_not_type3_and_byte_stable(relu, tmp_path):
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for path in (first, second):
        assert relu("plot", "relu", "relu6", "-o", str(path)).code == 0
    data = first.read_bytes()
    assert data == second.read_bytes()
    subtypes = set(re.findall(rb"/Subtype\s*/(\w+)", data))
    assert b"Type3" not in subtypes and b"CIDFontType2" in subtypes
    assert b"/FontFile2" in data  # the TrueType program is embedded


def test_default_names_are_short(relu, tmp_path, monkeypatch):
    assert default_name(names()) == "relu-leaky_relu-prelu-and-16-more.png"
    for group in GROUP_NAMES:
        assert len(default_name([group])) <= MAX_NAME
    for count in range(1, len(names()) + 1):
        assert len(default_name(names()[:count])) <= MAX_NAME
    monkeypatch.chdir(tmp_path)
    run = relu("plot", "all", "--dpi", "20")
    assert run.code == 0 and run.stdout.strip() == "all-variants.png"
    assert [p.name for p in tmp_path.iterdir()] == ["all-variants.png"]


# The simulations' figures -------------------------------------------------------------

def _svg_texts(path) -> str:
    return " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", path.read_text()))


def test_born_dead_figure_names_its_settings_and_the_curve_it_hides(relu, tmp_path):
    path = tmp_path / "born.svg"
    run = relu("dying-sim", "relu", "relu6", "--model", "depth", "--sweep", "depth=1:4:4",
               "--width", "3", "--trials", "60", "--seed", "1", "-q", "-o", str(path))
    assert run.code == 0, run.stderr
    texts = _svg_texts(path)
    assert "ReLU6 (= ReLU here)" in texts  # the same networks die for both
    assert "width 3" in texts and "60 trials" in texts and "seed 1" in texts
    assert "±2 standard errors" in texts


def test_diverged_training_runs_are_marked(relu, tmp_path):
    path = tmp_path / "sgd.svg"
    run = relu("dying-sim", "prelu", "rrelu", "--model", "train", "--lr", "3,5", "--trials", "3",
               "--steps", "100", "--seed", "1", "-q", "-o", str(path))
    assert run.code == 0, run.stderr
    texts = _svg_texts(path)
    assert "3/3" in texts and "trials diverged" in texts
    assert "PReLU(alpha=0.25)" in texts and "RReLU(lower=0.125, upper=0.333333)" in texts


def test_quant_and_flow_figures_carry_parameters_and_settings(relu, tmp_path):
    quant, flow = tmp_path / "q.svg", tmp_path / "f.svg"
    assert relu("quant-sim", "relu", "leaky", "--bits", "4,8", "--samples", "20000", "--seed",
                "2", "-q", "-o", str(quant)).code == 0
    texts = _svg_texts(quant)
    assert "LeakyReLU(negative_slope=0.01)" in texts and "seed 2" in texts
    assert relu("grad-flow", "relu", "leaky", "--depth", "5", "--width", "16", "--seed", "3",
                "-q", "-o", str(flow)).code == 0
    texts = _svg_texts(flow)
    assert "LeakyReLU(negative_slope=0.01)" in texts and "5 layers × 16 units" in texts
