"""The function and gradient figure of ``relu plot``, drawn with matplotlib in the
shared style (:mod:`.style`): each curve its own colour, line style and marker, legends
outside the axes, coinciding curves and kink dots kept visible, and more curves than
one panel tells apart laid out as one row of panels per part of the registry."""

from __future__ import annotations

from typing import Any, Sequence

from .curves import Curve, coinciding, panel_groups
from .saving import load_matplotlib
from .style import (SHADE_ALPHA, SHADE_HATCH, legend_outside, line_width, marker_sizes,
                    same_label, series_style, wrapped)

#: A row of panels (inches) with its legend below: function | gradient, one above
#: the other, or one panel (overlay, or the function alone).
ROW_SIZES = {"side": (13, 4.4), "stacked": (8.5, 7.5), "overlay": (9.5, 5), "alone": (9.5, 5)}


def default_size(layout: str, with_grad: bool, rows: int = 1) -> tuple[float, float]:
    """The figure size in inches: one row of panels per group of curves.

    >>> default_size("side", True), default_size("side", True, rows=4)
    ((13, 4.4), (13, 15.84))
    """
    width, height = ROW_SIZES[layout if with_grad else "alone"]
    return width, height if rows == 1 else round(height * rows * 0.9, 2)


def build_figure(
    curves: Sequence[Curve],
    layout: str = "side",
    with_grad: bool = True,
    shade_dead: bool = False,
    title: str | None = None,
    size: tuple[float, float] | None = None,
    style: str | None = None,
    figure: Any = None,
):
    """A matplotlib Figure: function and gradient panels, every curve in each, one row
    of panels per group of :func:`~.curves.panel_groups`.

    ``figure`` may be a Figure made by pyplot (for ``--show``); by default a plain
    ``matplotlib.figure.Figure`` is made, with no pyplot and no global state.
    """
    matplotlib = load_matplotlib()
    import matplotlib.style
    from matplotlib.figure import Figure

    groups = panel_groups(curves)
    with matplotlib.style.context(style or "default"):
        size = size or default_size(layout, with_grad, len(groups))
        fig = figure if figure is not None else Figure(figsize=size, layout="constrained")
        if figure is not None:
            fig.set_size_inches(*size)
            fig.set_layout_engine("constrained")
        rows = [fig] if len(groups) == 1 else list(fig.subfigures(len(groups), 1))
        for row, (group_title, members) in zip(rows, groups):
            _draw_row(row, members, layout, with_grad, shade_dead)
            if group_title:
                row.suptitle(group_title, fontsize=12, fontweight="bold")
        if title:  # plain text: a "$" is a dollar, not the start of mathtext
            fig.suptitle(wrapped(title, size[0], 13), fontsize=13, parse_math=False)
    return fig


def _draw_row(owner, curves: Sequence[Curve], layout: str, with_grad: bool,
              shade_dead: bool) -> None:
    """One row of panels (function, gradient) with its legend below."""
    overlay = with_grad and layout == "overlay"
    if not with_grad or overlay:
        ax_f = owner.add_subplot(1, 1, 1)
        ax_g = ax_f if with_grad else None
    elif layout == "side":
        ax_f, ax_g = owner.subplots(1, 2, sharex=True)
    else:
        ax_f, ax_g = owner.subplots(2, 1, sharex=True)
    axes = [ax for ax in (ax_f, ax_g) if ax is not None]
    if ax_g is ax_f:
        axes = [ax_f]
    same = coinciding(curves)
    count = len(curves)
    for index, curve in enumerate(curves):
        colour, line, marker = series_style(index)
        width = line_width(index, count)
        label = same_label(curve.label, same[index].variant.display if same[index] else None)
        _draw_function(ax_f, curve, colour, "-" if overlay else line, width, marker, label,
                       zorder=2 + index / count)
        if ax_g is not None:
            _draw_gradient(ax_g, curve, colour, "--" if overlay else line, width, marker,
                           label=None, zorder=3 + index / count, over_function=overlay)
        if shade_dead:
            for axis in axes:
                for number, (a, b) in enumerate(curve.dead_regions):
                    axis.axvspan(a, b, facecolor=colour, edgecolor=colour, alpha=SHADE_ALPHA,
                                 hatch=SHADE_HATCH, lw=0, zorder=0,
                                 label=f"{curve.variant.display}: zero gradient"
                                 if axis is ax_f and number == 0 else None)
    if ax_g is not None:
        _draw_kink_dots(ax_g, curves)
    kinks = sorted({k.x for c in curves for k in c.kinks})
    for axis in axes:
        for k in kinks:
            axis.axvline(k, color="0.55", lw=0.8, ls=":", zorder=0)
        axis.grid(True, alpha=0.3)
        if not (layout == "stacked" and axis is ax_f and ax_g is not None):
            axis.set_xlabel("x")
    ax_f.set_xlim(curves[0].x[0], curves[0].x[-1])
    if overlay:
        ax_f.set_title("Function (solid) and gradient (dashed)")
        ax_f.set_ylabel("f(x), f'(x)")
    else:
        ax_f.set_title("Function")
        ax_f.set_ylabel("f(x)")
        if ax_g is not None:
            ax_g.set_title("Gradient")
            ax_g.set_ylabel("f'(x) = df/dx")
    handles, labels = ax_f.get_legend_handles_labels()
    if ax_g is not None and kinks:
        from matplotlib.lines import Line2D

        handles.append(Line2D([], [], ls="", marker="o", color="0.2"))
        labels.append("gradient at the kink (PyTorch)")
        if any({m.left, m.right} != {m.value} for c in curves for m in c.kinks):
            handles.append(Line2D([], [], ls="", marker="o", mfc="white", mec="0.2", mew=1.5))
            labels.append("one-sided limit")
    legend_outside(owner, handles, labels)


def _draw_function(ax, curve: Curve, colour, line, width: float, marker: str, label: str,
                   zorder: float) -> None:
    ax.plot(curve.x, curve.y, color=colour, ls=line, lw=width, label=label, zorder=zorder)
    if curve.band is not None:
        lower, upper = curve.band
        neg = curve.x[curve.x <= 0]
        ax.fill_between(neg, lower * neg, upper * neg, color=colour, alpha=0.2, lw=0,
                        label=f"{curve.variant.display} training: slope in [{lower:.4g}, {upper:.4g}]")
        if curve.samples is not None:
            xs, ys, _ = curve.samples
            ax.scatter(xs, ys, s=9, color=colour, marker=marker, alpha=0.6, lw=0,
                       label=f"{curve.variant.display} training samples", zorder=zorder)


def _draw_gradient(ax, curve: Curve, colour, line, width: float, marker: str, label,
                   zorder: float, over_function: bool) -> None:
    """The gradient; over its own function (overlay) its dashes have white gaps, so that
    it shows where the two lie on each other (ReLU: f = f' = 0 for x < 0)."""
    extra = dict(gapcolor="white") if over_function else {}
    ax.plot(curve.grad_x, curve.grad, color=colour, lw=width * (0.75 if over_function else 1),
            ls=line, label=label, zorder=zorder, **extra)
    if curve.band is not None:
        lower, upper = curve.band
        neg = curve.x[curve.x <= 0]
        ax.fill_between(neg, lower, upper, color=colour, alpha=0.2, lw=0)
        if curve.samples is not None:
            xs, _, gs = curve.samples
            ax.scatter(xs, gs, s=9, color=colour, marker=marker, alpha=0.6, lw=0, zorder=zorder)


def _draw_kink_dots(ax, curves: Sequence[Curve]) -> None:
    """At each kink: the gradient's value (filled) and its one-sided limits (open), the
    dots of curves that share a point drawn as concentric rings (the first drawn the
    largest), so that every variant's dots show."""
    dots = []  # (x, y, colour, filled), in drawing order
    for index, curve in enumerate(curves):
        colour = series_style(index)[0]
        for mark in curve.kinks:
            dots.append((mark.x, mark.value, colour, True))
            dots += [(mark.x, limit, colour, False)
                     for limit in sorted({mark.left, mark.right} - {mark.value})]
    sizes = marker_sizes([(x, y) for x, y, _, _ in dots])
    for order, ((x, y, colour, filled), size) in enumerate(zip(dots, sizes)):
        face = colour if filled else "white"
        ax.plot([x], [y], ls="", marker="o", mfc=face, mec=colour, mew=1.5, ms=size,
                zorder=5 + order / max(1, len(dots)), clip_on=False)
