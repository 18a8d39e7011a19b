"""relucli.plotting.style: the palette, the draw-order rules, the file settings."""

from __future__ import annotations

from relucli.plotting import style


def test_every_series_up_to_49_has_its_own_colour_and_line_style():
    pairs = [style.series_style(i)[:2] for i in range(49)]
    assert len({(c, str(s)) for c, s in pairs}) == 49
    # within one panel (at most PANEL_SERIES curves) the colours alone differ
    assert len({c for c, _ in pairs[:style.PANEL_SERIES]}) == style.PANEL_SERIES


def test_palette_is_okabe_ito_without_yellow():
    assert "#F0E442" not in style.COLOURS and len(set(style.COLOURS)) == 7
    assert {"#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7",
            "#000000"} == set(style.COLOURS)


def test_earlier_series_are_wider_and_covered_dots_larger():
    widths = [style.line_width(i, 5) for i in range(5)]
    assert widths == sorted(widths, reverse=True) and widths[0] > widths[-1]
    sizes = style.marker_sizes([(0, 0), (0, 1), (0, 0), (6, 0), (0, 0)])
    assert sizes[0] > sizes[2] > sizes[4] and sizes[1] == sizes[3] == sizes[4]


def test_files_keep_text_and_truetype():
    assert style.FILE_RC["svg.fonttype"] == "none" and style.FILE_RC["pdf.fonttype"] == 42


def test_first_equal_and_same_label():
    assert style.first_equal([1, 2, 1, 2, 3], lambda a, b: a == b) == [None, None, 0, 1, None]
    assert style.same_label("ReLU6", "ReLU") == "ReLU6 (= ReLU here)"
    assert style.same_label("ReLU6", None) == "ReLU6"
