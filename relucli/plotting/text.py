"""Curves in the terminal, drawn by uniplot: braille dots in colour, or one ASCII
character per curve for plain text, sized to fit the terminal (or ``--size``).

Three layouts, as in a figure: ``stacked`` (the function above the gradient, the
default), ``side`` (next to each other) and ``overlay`` (one plot; the gradients are
their own curves, named ``f′``)."""

from __future__ import annotations

import re
from typing import Sequence

from ..errors import UsageError
from .curves import Curve
from .style import PANEL_SERIES

#: The distinct characters uniplot draws plain-text curves with (+ x o * ~ .).
ASCII_CURVES = 6
#: The shortest and the tallest plot area (rows of characters) of one plot.
MIN_ROWS, MAX_ROWS = 5, 14
#: The narrowest plot (characters, with its axis labels) that can still be read.
MIN_WIDTH = 36
#: Space between the two plots of the side layout.
GAP = 3

#: uniplot's frame and grid characters, in ASCII.
_ASCII_FRAME = str.maketrans({"┌": "+", "┐": "+", "└": "+", "┘": "+", "─": "-", "│": "|",
                              "┬": "+", "┴": "+", "├": "+", "┤": "+", "┼": "+", "▁": "_"})

_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


def visible_width(line: str) -> int:
    """The width of a line on screen, without its colour codes.

    >>> visible_width("\\x1b[31mab\\x1b[0m c")
    4
    """
    return len(_ESCAPE.sub("", line))


def terminal_plot(curves: Sequence[Curve], with_grad: bool, colour: bool, width: int,
                  height: int = 23, unicode: bool = True, layout: str = "stacked",
                  title: str | None = None) -> str:
    """The function (and gradient) plots as text, at most ``width`` characters wide
    and, where the rows allow (at least :data:`MIN_ROWS` per plot), ``height`` lines
    tall, ``title`` (plain text) above them."""
    ascii_only = not (colour and unicode)
    series = len(curves) * (2 if with_grad and layout == "overlay" else 1)
    if ascii_only and series > ASCII_CURVES:
        raise UsageError(f"a plain-text plot tells at most {ASCII_CURVES} curves apart (one "
                         f"character each), not {series}: draw fewer variants with "
                         "--terminal, or write a figure with -o FILE.png")
    if not ascii_only and len(curves) > PANEL_SERIES:
        raise UsageError(f"a terminal plot tells at most {PANEL_SERIES} curves apart by colour, "
                         f"not {len(curves)}: draw a group at a time (relu plot family "
                         "--terminal), or write a figure with -o FILE.png, which lays "
                         "them out in panels")
    if width < MIN_WIDTH:
        raise UsageError(f"a terminal plot needs at least {MIN_WIDTH} columns, not {width}")
    options = dict(lines=True, color=colour, character_set="ascii" if ascii_only else "braille",
                   x_gridlines=sorted({k.x for c in curves for k in c.kinks}) or [0.0],
                   y_gridlines=[0.0], x_min=float(curves[0].x[0]), x_max=float(curves[0].x[-1]))
    labels = [c.label for c in curves]
    names = [c.variant.display for c in curves]
    functions = ([c.y for c in curves], [c.x for c in curves])
    gradients = ([c.grad for c in curves], [c.grad_x for c in curves])
    if with_grad and layout == "overlay":
        plots = [("Function f(x) and gradient f′(x)",
                  (functions[0] + gradients[0], functions[1] + gradients[1]),
                  labels + [f"f′ {label}" for label in labels], names + [f"f′ {n}" for n in names])]
    elif with_grad:
        plots = [("Function f(x)", functions, labels, names),
                 ("Gradient f′(x)", gradients, labels, names)]
    else:
        plots = [("Function f(x)", functions, labels, names)]
    lines = [title] if title else []
    side = with_grad and layout == "side"
    plot_width = (width - GAP) // 2 if side else width
    if side and plot_width < MIN_WIDTH:
        raise UsageError(f"--layout side needs at least {2 * MIN_WIDTH + GAP} columns for "
                         f"its two plots, not {width}: use --layout stacked")
    # one legend for all: under the last plot, or side by side under both, full width
    # (two legends side by side took 127 columns whatever the width)
    legends = [not side and index == len(plots) - 1 for index in range(len(plots))]

    legend_lines: dict[tuple, list[str]] = {}  # by the labels: drawn once each

    def shared_legend(plots) -> list[str]:
        if not side:
            return []
        key = tuple(plots[0][2])
        if key not in legend_lines:
            full = _render(plots[0], width - 12, MIN_ROWS, options, True)
            bare = _render(plots[0], width - 12, MIN_ROWS, options, False)
            legend_lines[key] = full[len(bare):]
        return legend_lines[key]

    def area(plots) -> tuple[int, int]:
        # a drawing at the smallest size measures the axis labels, frame and legend
        trials = [_render(plot, plot_width - 12, MIN_ROWS, options, legend)
                  for plot, legend in zip(plots, legends)]
        too_wide = max(visible_width(line) for trial in trials for line in trial) - plot_width
        overheads = [len(trial) - MIN_ROWS for trial in trials]
        rows = height - len(lines) - len(shared_legend(plots))
        fill = rows - max(overheads) if side else (rows - sum(overheads)) // len(plots)
        return max(10, plot_width - 12 - too_wide), max(MIN_ROWS, min(MAX_ROWS, fill))

    def draw(plots, area_width, area_rows):
        drawn = [_render(plot, area_width, area_rows, options, legend)
                 for plot, legend in zip(plots, legends)]
        legend = shared_legend(plots)
        tall = max(map(len, drawn)) if side else sum(map(len, drawn))
        return drawn, legend, tall + len(legend) + len(lines) - height

    area_width, area_rows = area(plots)
    # the legend says which curves are drawn over at that size, over every plot it
    # speaks for (its lines, once longer, are measured again)
    panels = [data for _, data, _, _ in plots]
    unlabelled = plots
    labelled = [(title, data, hidden_labels(panels, labels, names, area_rows), names)
                for title, data, labels, names in plots]
    if labelled != plots:
        plots = labelled
        area_width, area_rows = area(plots)
    drawn, legend, excess = draw(plots, area_width, area_rows)
    if excess > 0 and area_rows > MIN_ROWS:  # a legend wrapped onto more lines
        area_rows = max(MIN_ROWS, area_rows - -(-excess // (1 if side else len(plots))))
        drawn, legend, excess = draw(plots, area_width, area_rows)
    if excess > 0 and plots is labelled:  # still too tall: the notes without the names
        plots = [(title, data, hidden_labels(panels, labels, names, area_rows, brief=True),
                  names) for title, data, labels, names in unlabelled]
        drawn, legend, excess = draw(plots, area_width, area_rows)
    if side:
        left, right = drawn
        pad = max(map(visible_width, left)) + GAP
        depth = max(len(left), len(right))
        for a, b in zip(left + [""] * (depth - len(left)), right + [""] * (depth - len(right))):
            lines.append(a + " " * (pad - visible_width(a)) + b)
        lines += legend
    else:
        lines += [line for plot in drawn for line in plot]
    if not unicode:  # an output that cannot encode the frame: draw it in ASCII
        from ..render.layout import ascii_text

        lines = [ascii_text(line.translate(_ASCII_FRAME)) for line in lines]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def hidden_labels(panels, labels, names, rows: int, brief: bool = False) -> list[str]:
    """The legend labels, each curve that later ones draw over on most of its plots
    (``panels``: (ys, xs) per plot that the legend speaks for) saying so: one character
    (or one colour) per cell, the curve drawn last wins, so ReLU under LeakyReLU and
    ReLU6 would otherwise simply be missing. Two curves share a sample's cell when they
    are within half a row of each other there.

    >>> import numpy as np
    >>> x = np.linspace(-2, 8, 101)
    >>> hidden_labels([([np.maximum(x, 0), np.clip(x, 0, 6), x], [x, x, x])],
    ...               ["ReLU", "ReLU6", "x"], ["ReLU", "ReLU6", "x"], 10)
    ['ReLU (hidden: under ReLU6, x)', 'ReLU6 (mostly under x)', 'x']
    """
    import numpy as np

    covered = [[] for _ in labels]  # per curve, per panel: covered samples
    by: list[dict] = [dict() for _ in labels]  # per curve: the curves drawn on top of it
    for ys, xs in panels:
        # one grid for all: curves carry their own points (kinks inserted, NaN breaks)
        finite_x = np.concatenate([x[np.isfinite(x)] for x in xs])
        grid = np.linspace(finite_x.min(), finite_x.max(), 512)
        on_grid = []
        for y, x in zip(ys, xs):
            keep = np.isfinite(x) & np.isfinite(y)
            on_grid.append(np.interp(grid, x[keep], y[keep]) if keep.any()
                           else np.full(grid.shape, np.nan))
        values = np.concatenate([v[np.isfinite(v)] for v in on_grid] or [np.zeros(1)])
        cell = (values.max() - values.min()) / max(rows, 1) if values.size else 1.0
        cell = cell or 1.0
        for i, y in enumerate(on_grid):
            top = np.full(grid.shape, -1)  # the last curve drawn in each sample's cell
            for j in range(i + 1, len(on_grid)):
                with np.errstate(invalid="ignore"):
                    top[np.abs(on_grid[j] - y) <= cell / 2] = j
            for j in np.unique(top[top >= 0]):
                if np.mean(top == j) > 0.1:  # a tenth of the plot or more
                    by[i][names[j]] = None
            covered[i].append((top >= 0)[np.isfinite(y)])
    shown = []
    for i, label in enumerate(labels):
        samples = np.concatenate(covered[i]) if covered[i] else np.zeros(0, bool)
        fraction = samples.mean() if samples.size else 0.0
        under = "" if brief else " under " + (", ".join(by[i]) or "later curves")
        if fraction >= 0.999:
            shown.append(f"{label} (hidden{':' if under else ''}{under})")
        elif fraction > 0.5:
            shown.append(f"{label} ({'mostly' + under if under else 'mostly hidden'})")
        else:
            shown.append(label)
    return shown


def _render(plot, area_width: int, area_rows: int, options: dict, legend: bool) -> list[str]:
    """One uniplot plot as lines: its title, the framed plot area of ``area_width`` by
    ``area_rows`` characters, the x labels and (with ``legend``) the legend."""
    import uniplot

    title, (ys, xs), labels, _ = plot
    text = uniplot.plot_to_string(ys, xs, title=title, width=area_width, height=area_rows,
                                  legend_labels=labels if legend else None, **options)
    text = text if isinstance(text, str) else "\n".join(text)
    return text.rstrip("\n").split("\n")
