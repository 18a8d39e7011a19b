"""Curves of the variants and their gradients, drawn honestly at the kinks.

Two halves:

* :func:`sample_curves` (NumPy only) turns variants and parameters into the points to
  draw: the function on a grid that contains every kink exactly, the gradient split
  at each kink (a jump is drawn as a jump, never as a slanted line), the value the
  gradient takes at the kink (PyTorch's convention, a filled dot) and its one-sided
  limits (open dots), the zero-gradient regions, and for RReLU in training the slope
  band and a seeded scatter of sampled outputs.
* :func:`build_figure`, :func:`save_figure` and :func:`terminal_plot` draw them with
  matplotlib (imported here, on first use, with the Agg backend: no window unless
  ``--show``) or, in the terminal, with uniplot.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from . import engine
from .errors import FileError, UsageError
from .variants import Variant

FORMATS = ("png", "svg", "pdf")
#: Metadata that would otherwise hold a timestamp or a version: cleared so that the
#: same command writes the same bytes.
METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
}
SVG_HASHSALT = "relucli"


@dataclass
class KinkMark:
    """At x: the gradient's value (filled dot) and its one-sided limits (open dots)."""

    x: float
    value: float
    left: float
    right: float


@dataclass
class Curve:
    variant: Variant
    params: dict
    label: str
    x: np.ndarray
    y: np.ndarray
    grad_x: np.ndarray  # the gradient, with a NaN break at every kink
    grad: np.ndarray
    kinks: list[KinkMark] = field(default_factory=list)
    dead_regions: list[tuple[float, float]] = field(default_factory=list)
    band: tuple[float, float] | None = None  # RReLU training: (lower, upper) slopes
    samples: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # x, y, grad


#: The largest |x| a figure's axes are given (matplotlib's limits, ticks and margins
#: overflow near the float64 maximum).
PLOT_LIMIT = 1e300


def default_range(variants: Sequence[Variant], params: dict | None = None) -> tuple[float, float]:
    """Wide enough to show every kink with room on both sides (ReLU6: -3 to 9)."""
    params = params or {}
    kinks = [k for v in variants for k in v.kinks_for(params.get(v.name))] or [0.0]
    lo, hi = min(kinks), max(kinks)
    # smooth curves bend over a few units on each side of 0: show them saturate
    pad = max(5.0 if any(not v.piecewise_linear for v in variants) else 3.0, 0.5 * (hi - lo))
    if not max(abs(lo - pad), abs(hi + pad)) <= PLOT_LIMIT:
        raise UsageError(f"the kinks at {lo:g} and {hi:g} leave no range a figure can draw "
                         f"around them (its axes hold about ±{PLOT_LIMIT:g}); give --range")
    return lo - pad, hi + pad


def sample_curves(
    variants: Sequence[Variant],
    params: dict[str, dict],
    x_range: tuple[float, float],
    points: int,
    training: bool = False,
    seed: int | None = None,
    samples: int = 0,
) -> list[Curve]:
    """The points to draw for each variant (float64)."""
    start, stop = x_range
    curves = []
    for variant in variants:
        resolved = variant.resolve_params(params.get(variant.name, {}))
        inside = [k for k in variant.kinks_for(resolved) if start < k < stop]
        x = np.union1d(np.linspace(start, stop, points), inside)
        result = engine.evaluate(variant, x, **resolved)
        grad_marks = [_kink_mark(variant, resolved, k) for k in inside]
        grad_x, grad = _split_at_kinks(x, result.grad, grad_marks)
        # the function itself jumps at some kinks (Threshold, a shifted GeneralizedReLU)
        value_marks = [_kink_mark(variant, resolved, k, engine.forward) for k in inside]
        value_x, value = _split_at_kinks(x, result.y, value_marks)
        curve = Curve(
            variant=variant,
            params=resolved,
            label=variant.label(resolved),
            x=value_x,
            y=value,
            grad_x=grad_x,
            grad=grad,
            kinks=grad_marks,
            dead_regions=_zero_gradient_regions(x, result.grad),
        )
        if training and variant.stochastic:
            curve.band = (resolved["lower"], resolved["upper"])
            if samples:
                rng = np.random.default_rng(seed)
                xs = np.sort(rng.uniform(start, stop, samples))
                sampled = engine.evaluate(variant, xs, training=True, rng=rng, **resolved)
                curve.samples = (xs, sampled.y, sampled.grad)
        curves.append(curve)
    return curves


def _split_at_kinks(x, values, marks: list[KinkMark]):
    """Insert (k, left limit), (k, NaN), (k, right limit) at each kink k (``x`` holds k
    exactly) where the two one-sided limits differ (a jump), so that no line joins
    them; ``marks`` are the gradient's or the value's, as ``values`` are."""
    if not marks:
        return x, values
    xs, gs = [], []
    previous = 0
    for mark in marks:
        i = int(np.searchsorted(x, mark.x))  # x[i] == k
        if abs(mark.left - mark.right) <= 1e-9 * max(1.0, abs(mark.left)):  # continuous
            xs.append(x[previous:i + 1])
            gs.append(values[previous:i + 1])
        else:
            xs += [x[previous:i], [mark.x] * 3]
            gs += [values[previous:i], [mark.left, np.nan, mark.right]]
        previous = i + 1
    xs.append(x[previous:])
    gs.append(values[previous:])
    return np.concatenate(xs), np.concatenate(gs)


def _kink_mark(variant, params, k, function=engine.gradient) -> KinkMark:
    """At kink k: ``function``'s value (the gradient by default) and its one-sided
    limits, read at the neighbouring floats."""
    at = np.array([np.nextafter(k, -np.inf), k, np.nextafter(k, np.inf)])
    left, value, right = function(variant, at, **params)
    return KinkMark(float(k), float(value), float(left), float(right))


def _zero_gradient_regions(x, grad) -> list[tuple[float, float]]:
    zero = grad == 0
    if not zero.any():
        return []
    edges = np.flatnonzero(np.diff(zero.astype(np.int8)))
    starts = [0] + list(edges + 1)
    regions = []
    for s in starts:
        if zero[s]:
            e = s
            while e + 1 < len(x) and zero[e + 1]:
                e += 1
            regions.append((float(x[s]), float(x[e])))
    return regions


# --------------------------------------------------------------------------------------
# Drawing with matplotlib


def load_matplotlib():
    """matplotlib, imported on first use with the Agg backend (unless pyplot is already
    in use, for --show) and its warnings routed to relu: warning lines."""
    _route_matplotlib_warnings()
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")
    return matplotlib


def _route_matplotlib_warnings() -> None:
    """Matplotlib's own warnings (logged, mostly about a cache folder it cannot write)
    as one ``relu: warning:`` line each, said once, instead of its raw text. Before
    matplotlib's first import (which is when it warns); once only."""
    if "matplotlib" in sys.modules:
        return
    import logging

    from .exits import say

    class OneLine(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()
            if message.startswith("mkdir -p failed"):
                return  # the next message says what came of it
            if "created a temporary cache directory" in message:
                message = ("matplotlib cannot write its cache folder (set MPLCONFIGDIR to "
                           "a writable folder); it used a temporary one for this run, "
                           "which makes plotting start slower")
            say(f"warning: {message}")

    logger = logging.getLogger("matplotlib")
    logger.addHandler(OneLine(logging.WARNING))
    logger.propagate = False


def check_style(style: str | None) -> None:
    if style is None:
        return
    load_matplotlib()
    import matplotlib.style

    if style not in matplotlib.style.available and style != "default":
        names = ", ".join(sorted(matplotlib.style.available)[:12])
        raise UsageError(f"unknown --style '{style}' (for example: default, {names}, ...)")


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


def format_for(path: str | Path) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise UsageError(
            f"cannot tell the format of '{path}': use a .png, .svg or .pdf file name"
        )
    return suffix


def save_figure(fig, path: str | Path, dpi: float, force: bool) -> Path:
    """Write ``fig`` atomically; the same figure gives the same bytes every time."""
    from .files import atomic_write

    matplotlib = load_matplotlib()
    kind = format_for(path)

    def render(buffer):
        with matplotlib.rc_context({"svg.hashsalt": SVG_HASHSALT}):
            fig.savefig(buffer, format=kind, dpi=dpi, metadata=METADATA[kind])

    data = _in_background(render)
    return atomic_write(path, lambda handle: handle.write(data), force)


def _in_background(render) -> bytes:
    """``render(buffer)`` in a worker thread, the main thread waiting in short steps:
    a big figure takes seconds inside Agg's C code, where a signal would wait for it,
    and Ctrl-C (or SIGTERM) must stop the run at once, leaving no file."""
    import io
    import threading

    buffer = io.BytesIO()
    failures: list[BaseException] = []

    def work() -> None:
        try:
            render(buffer)
        except BaseException as exc:  # handed to the main thread
            failures.append(exc)

    worker = threading.Thread(target=work, name="relu-render", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.05)
    if failures:
        raise failures[0]
    return buffer.getvalue()


def show_figure(make) -> None:
    """Open a window, or fail clearly when there is no display."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        raise FileError("--show needs a display and none was found (DISPLAY is not set); "
                        "write a file with -o FILE or draw in the terminal with --terminal")
    _route_matplotlib_warnings()
    import matplotlib.pyplot as plt

    if plt.get_backend().lower() in ("agg", "pdf", "svg", "ps", "cairo", "template"):
        raise FileError(f"--show needs an interactive matplotlib backend; "
                        f"'{plt.get_backend()}' cannot open a window (is tkinter installed?)")
    make(plt.figure())
    plt.show()


# --------------------------------------------------------------------------------------
# Drawing in the terminal


#: The distinct characters uniplot draws plain-text curves with (+ x o * ~ .).
ASCII_CURVES = 6


def terminal_plot(curves: Sequence[Curve], with_grad: bool, colour: bool, width: int,
                  unicode: bool = True) -> str:
    """Function (and gradient) plots as text, via uniplot: braille dots in colour,
    or one distinct ASCII character per curve for plain text."""
    import uniplot

    options = dict(
        legend_labels=[c.label for c in curves],
        lines=True,
        width=max(20, width),
        height=14,
        color=colour and len(curves) > 0,
        character_set="braille" if colour and unicode else "ascii",
        x_gridlines=sorted({k.x for c in curves for k in c.kinks}) or [0.0],
        y_gridlines=[0.0],
    )
    if not unicode:
        options["character_set"] = "ascii"
    if options["character_set"] == "ascii" and len(curves) > ASCII_CURVES:
        raise UsageError(f"a plain-text plot tells at most {ASCII_CURVES} curves apart (one "
                         f"character each), not {len(curves)}: draw fewer variants with "
                         "--terminal, or write a figure with -o FILE.png")
    lo, hi = float(curves[0].x[0]), float(curves[0].x[-1])
    parts = [uniplot.plot_to_string([c.y for c in curves], [c.x for c in curves],
                                    title="Function f(x)", x_min=lo, x_max=hi, **options)]
    if with_grad:
        parts.append(uniplot.plot_to_string([c.grad for c in curves],
                                            [c.grad_x for c in curves],
                                            title="Gradient f′(x)", x_min=lo, x_max=hi,
                                            **options))
    text = "\n".join(p if isinstance(p, str) else "\n".join(p) for p in parts)
    return text if text.endswith("\n") else text + "\n"
