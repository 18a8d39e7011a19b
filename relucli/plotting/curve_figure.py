"""The function and gradient figure of ``relu plot``, drawn with matplotlib."""

from __future__ import annotations

from typing import Any, Sequence

from .curves import Curve
from .saving import load_matplotlib


def default_size(layout: str, with_grad: bool) -> tuple[float, float]:
    """The figure size in inches of a layout (function only: one panel)."""
    if not with_grad:
        return (7, 5)
    return {"side": (11, 4.2), "stacked": (6.5, 7.5), "overlay": (7, 5)}[layout]


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
    """A matplotlib Figure: function and gradient panels, every curve in each.

    ``figure`` may be a Figure made by pyplot (for ``--show``); by default a plain
    ``matplotlib.figure.Figure`` is made, with no pyplot and no global state.
    """
    matplotlib = load_matplotlib()
    import matplotlib.style
    from matplotlib.figure import Figure

    with matplotlib.style.context(style or "default"):
        size = size or default_size(layout, with_grad)
        fig = figure if figure is not None else Figure(figsize=size, layout="constrained")
        if figure is not None:
            fig.set_size_inches(*size)
        if not with_grad or layout == "overlay":
            ax_f = fig.add_subplot(1, 1, 1)
            ax_g = ax_f if with_grad else None
        elif layout == "side":
            ax_f, ax_g = fig.subplots(1, 2, sharex=True)
        else:
            ax_f, ax_g = fig.subplots(2, 1, sharex=True)
        colours = matplotlib.rcParams["axes.prop_cycle"].by_key().get("color", ["C0"])
        for index, curve in enumerate(curves):
            colour = colours[index % len(colours)]
            # Curves often coincide (ReLU and ReLU6 on (0, 6)): the first drawn are
            # the widest, so each stays visible under the ones drawn after it.
            width = 1.8 + 2.2 * (len(curves) - 1 - index) / max(1, len(curves) - 1)
            _draw_function(ax_f, curve, colour, width)
            if ax_g is not None:
                dashed = ax_g is ax_f
                _draw_gradient(ax_g, curve, colour, dashed, width)
            if shade_dead:
                for axis in {ax_f, ax_g} - {None}:
                    for a, b in curve.dead_regions:
                        axis.axvspan(a, b, color=colour, alpha=0.08, lw=0,
                                     label=f"{curve.variant.display}: zero gradient"
                                     if axis is ax_f and (a, b) == curve.dead_regions[0] else None)
        kinks = sorted({k.x for c in curves for k in c.kinks})
        for axis in {ax_f, ax_g} - {None}:
            for k in kinks:
                axis.axvline(k, color="0.55", lw=0.8, ls=":", zorder=0)
            axis.grid(True, alpha=0.3)
            if not (layout == "stacked" and axis is ax_f and ax_g is not None):
                axis.set_xlabel("x")
        x_lo, x_hi = curves[0].x[0], curves[0].x[-1]
        ax_f.set_xlim(x_lo, x_hi)
        if ax_g is ax_f:
            ax_f.set_title("Function (solid) and gradient (dashed)")
            ax_f.set_ylabel("f(x), f'(x)")
        else:
            ax_f.set_title("Function")
            ax_f.set_ylabel("f(x)")
            if ax_g is not None:
                ax_g.set_title("Gradient")
                ax_g.set_ylabel("f'(x) = df/dx")
        ax_f.legend(loc="upper left", fontsize="small", framealpha=0.9)
        if ax_g is not None and ax_g is not ax_f and kinks:
            from matplotlib.lines import Line2D

            ax_g.legend(
                handles=[
                    Line2D([], [], ls="", marker="o", color="0.2", label="value at the kink (PyTorch)"),
                    Line2D([], [], ls="", marker="o", mfc="white", mec="0.2", mew=1.5,
                           label="one-sided limit"),
                ],
                loc="center right", fontsize="small", framealpha=0.9,
            )
        if title:  # plain text: a "$" is a dollar, not the start of mathtext
            fig.suptitle(title, parse_math=False)
    return fig


def _draw_function(ax, curve: Curve, colour, width: float) -> None:
    ax.plot(curve.x, curve.y, color=colour, lw=width, label=curve.label)
    if curve.band is not None:
        lower, upper = curve.band
        neg = curve.x[curve.x <= 0]
        ax.fill_between(neg, lower * neg, upper * neg, color=colour, alpha=0.18, lw=0,
                        label=f"{curve.variant.display} training: slope in [{lower:.4g}, {upper:.4g}]")
        if curve.samples is not None:
            xs, ys, _ = curve.samples
            ax.scatter(xs, ys, s=6, color=colour, alpha=0.6, lw=0,
                       label=f"{curve.variant.display} training samples")


def _draw_gradient(ax, curve: Curve, colour, dashed: bool, width: float) -> None:
    label = None if dashed else curve.label
    ax.plot(curve.grad_x, curve.grad, color=colour, lw=width * (0.75 if dashed else 1),
            ls="--" if dashed else "-", label=label)
    for mark in curve.kinks:
        ax.plot([mark.x], [mark.value], "o", color=colour, ms=6, zorder=5)
        for limit in {mark.left, mark.right} - {mark.value}:
            ax.plot([mark.x], [limit], "o", mfc="white", mec=colour, mew=1.5, ms=6, zorder=5)
    if curve.band is not None:
        lower, upper = curve.band
        neg = curve.x[curve.x <= 0]
        ax.fill_between(neg, lower, upper, color=colour, alpha=0.18, lw=0,
                        label=None if not dashed else "_band")
        if curve.samples is not None:
            xs, _, gs = curve.samples
            ax.scatter(xs, gs, s=6, color=colour, alpha=0.6, lw=0)
