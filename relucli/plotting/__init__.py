"""Figures: ``relu plot``'s curves and the simulations' figures, and the terminal plot.

* :mod:`.curves` (NumPy only) turns variants and parameters into the points to draw.
* :mod:`.curve_figure` and :mod:`.simulations` draw figures with matplotlib (imported
  on first use, Agg backend: no window unless ``--show``) in the style of :mod:`.style`;
  :mod:`.saving` writes them, byte-stable.
* :mod:`.text` draws the curves in the terminal with uniplot.

Importing this package imports neither matplotlib nor uniplot.
"""

from .curve_figure import build_figure, default_size
from .curves import PLOT_LIMIT, Curve, KinkMark, default_range, panel_count, sample_curves
from .saving import check_style, format_for, load_matplotlib, save_figure, show_figure
from .text import terminal_plot

__all__ = ["PLOT_LIMIT", "Curve", "KinkMark", "build_figure", "check_style", "default_range",
           "default_size", "format_for", "load_matplotlib", "panel_count", "sample_curves", "save_figure",
           "show_figure", "terminal_plot"]
