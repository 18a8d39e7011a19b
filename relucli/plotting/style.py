"""The look every figure shares, chosen for slides and print.

* Colours: Okabe and Ito's colour-blind-safe palette (2008) without its yellow, which
  washes out on a projector: seven colours told apart under the common colour-vision
  deficiencies. Each series also gets its own line style and marker, so that a
  figure survives greyscale printing and two curves never share a colour/style pair
  (up to 49 series; a panel holds at most :data:`PANEL_SERIES`, see
  :func:`relucli.plotting.curves.panel_groups`).
* Coinciding curves stay visible without moving any of them: the series drawn first
  are drawn widest (:func:`line_width`), so each shows as an outline around the ones
  drawn over it, in their own dash patterns; markers at the same point are drawn as
  concentric rings (:func:`marker_sizes`); series equal over the whole figure say so
  in their legend entry ("ReLU6 (= ReLU here)").
* Legends sit outside the axes, never over the data (:func:`legend_outside`).
* Shading strong enough for a projector (:data:`SHADE_ALPHA`, hatched) and error bands
  that read as ±2 standard errors (:data:`BAND_LABEL`).

>>> series_style(0), series_style(7)
(('#0072B2', '-', 'o'), ('#0072B2', (0, (6, 2)), 's'))
"""

from __future__ import annotations

import textwrap
from typing import Sequence

#: Okabe-Ito: blue, vermillion, bluish green, reddish purple, orange, sky blue, black.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
#: solid, dashed, dash-dot, dotted, long dashes, dash-dot-dot, loose dashes
LINE_STYLES = ("-", (0, (6, 2)), (0, (6, 2, 1.5, 2)), (0, (1.5, 1.5)), (0, (11, 3)),
               (0, (5, 1.5, 1.5, 1.5, 1.5, 1.5)), (0, (3, 4)))
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
#: The most series one panel draws, each in its own colour.
PANEL_SERIES = len(COLOURS)

#: Dead (zero-gradient) regions: a tint plus hatching in the variant's colour.
SHADE_ALPHA = 0.2
SHADE_HATCH = "//"
#: The standard-error bands of the simulation figures.
BAND_ALPHA = 0.22
BAND_LABEL = "shaded band: ±2 standard errors"

#: What every file is written with: SVG text as <text> elements (editable,
#: searchable), PDF fonts embedded as TrueType (Type 42) instead of Type 3.
FILE_RC = {"svg.fonttype": "none", "pdf.fonttype": 42, "ps.fonttype": 42,
           "svg.hashsalt": "relucli", "hatch.linewidth": 0.8}


def series_style(index: int) -> tuple[str, object, str]:
    """(colour, line style, marker) of the ``index``-th series; distinct pairs of
    colour and line style for the first 49."""
    colour = index % len(COLOURS)
    style = (index + index // len(COLOURS)) % len(LINE_STYLES)
    return COLOURS[colour], LINE_STYLES[style], MARKERS[(index // len(COLOURS)) % len(MARKERS)]


def line_width(index: int, count: int, thinnest: float = 1.6, widest: float = 4.0) -> float:
    """The first series drawn is the widest, the last the thinnest: where curves
    coincide, each earlier one shows as an outline around the later ones.

    >>> line_width(0, 3), line_width(2, 3), line_width(0, 1)
    (4.0, 1.6, 2.2)
    """
    if count <= 1:
        return 2.2
    return thinnest + (widest - thinnest) * (count - 1 - index) / (count - 1)


def marker_sizes(points: Sequence[tuple[float, float]], size: float = 6.0,
                 step: float = 2.5) -> list[float]:
    """Marker sizes for points drawn in this order: a point that a later point covers
    exactly is drawn larger by ``step`` for each one over it, so that all show as
    concentric rings.

    >>> marker_sizes([(0, 0), (0, 1), (0, 0)])
    [8.5, 6.0, 6.0]
    """
    keys = [(round(x, 9), round(y, 9)) for x, y in points]
    return [size + step * keys[i + 1:].count(key) for i, key in enumerate(keys)]


def first_equal(items: Sequence, equal) -> list[int | None]:
    """For each item, the index of the first earlier one ``equal`` to it, or None.

    >>> first_equal([[1, 2], [3], [1, 2]], lambda a, b: a == b)
    [None, None, 0]
    """
    return [next((j for j in range(i) if equal(item, items[j])), None)
            for i, item in enumerate(items)]


def same_label(label: str, same_as: str | None) -> str:
    """A legend entry that says its curve coincides with an earlier one everywhere."""
    return label if same_as is None else f"{label} (= {same_as} here)"


def legend_outside(owner, handles, labels, where: str = "below", **kwargs):
    """A legend below (``where="below"``) or beside (``"right"``) the axes of
    ``owner`` (a Figure or SubFigure drawn with the constrained layout), never over the
    data; below, in as many columns as the figure's width holds, long labels wrapped."""
    loc = {"right": "outside right upper", "below": "outside lower center"}[where]
    # a 3.5-em sample shows a whole period of every dash pattern (at matplotlib's 2 em
    # the dashed and dash-dotted lines of the family looked solid)
    options = dict(fontsize="small", frameon=False, handlelength=3.5)
    if where == "below":
        labels = [wrapped(label, LEGEND_LABEL_INCHES, 8.5) for label in labels]
        widest = max((len(line) for label in labels for line in label.split("\n")), default=1)
        fits = int(owner.get_figure(root=True).get_size_inches()[0] * 72 / (0.55 * 8.5)
                   / (widest + 9))
        options["ncols"] = max(1, min(len(labels), fits, 4))
    options.update(kwargs)
    return owner.legend(handles, labels, loc=loc, **options)


#: The width a legend label below a figure wraps at.
LEGEND_LABEL_INCHES = 3.4


def wrapped(text: str, width_inches: float, fontsize: float = 10.0) -> str:
    """``text`` wrapped to a width in inches (about 0.55 em per character).

    >>> wrapped("GeneralizedReLU(negative_slope=0, max_value=inf, threshold=0)", 3.4, 8.5)
    'GeneralizedReLU(negative_slope=0, max_value=inf,\\nthreshold=0)'
    """
    columns = max(24, int(width_inches * 72 / (0.55 * fontsize)))
    return "\n".join(textwrap.wrap(text, columns)) if text else text


def titles(fig, title: str, settings: str | None = None) -> None:
    """The title of a figure and under it its settings (model, batch, width, init,
    seed), which a cropped panel must not lose; plain text ($ is a dollar)."""
    width = fig.get_size_inches()[0]
    text = wrapped(title, width, 12)
    if settings:
        text += "\n" + wrapped(settings, width, 12)
    fig.suptitle(text, fontsize=12, parse_math=False)
