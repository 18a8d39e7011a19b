"""The simulations' figures: dead fractions against a swept value (dying-sim), SQNR
and MSE against bits (quant-sim), the gradient norm through depth (grad-flow).

Drawn with matplotlib (Agg, imported on first use) in the shared style of
:mod:`.style`: each variant its own colour, line style and marker, with its
parameters in the legend; the model's settings under the title; Monte Carlo fractions
as lines in a shaded ±2 standard-error band; closed forms and bounds thin and dashed
in the variant's colour; series equal to an earlier one say so; legends below the
axes. Saved by :func:`relucli.plotting.save_figure`.
"""

from __future__ import annotations

import numpy as np

from .saving import load_matplotlib
from .style import (BAND_ALPHA, BAND_LABEL, first_equal, legend_outside, line_width,
                    same_label, series_style, titles)

#: Thin lines beside a variant's own: its closed form, bound or reference slope.
THIN = dict(lw=1.1, ls=(0, (2.5, 1.5)))
LOWER = dict(lw=1.1, ls=(0, (1, 1.5)))

DYING_TITLES = {"unit": "Dead units (i.i.d. pre-activations)",
                "layer": "Dead units in a dense layer",
                "depth": "Networks born dead at initialisation",
                "train": "Units dead after SGD"}


def _figure(size, panels: int = 1):
    load_matplotlib()
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, layout="constrained")
    return fig, (fig.subplots(1, panels) if panels > 1 else fig.add_subplot(1, 1, 1))


def _key(label: str, **style):
    """A legend entry for what several series share (a line, a band)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if style.pop("patch", False):
        return Patch(label=label, **style)
    return Line2D([], [], label=label, **style)


def _label(result) -> str:
    """The variant with its parameters (``LeakyReLU(negative_slope=0.01)``)."""
    return result.variant.label(result.params)


def _with_band(ax, xs, estimates, colour, line, marker, width, label, zorder):
    """Values as a line with markers inside their ±2 standard-error band."""
    values = np.array([e.value for e in estimates])
    errors = np.array([2 * e.stderr for e in estimates])
    ax.fill_between(xs, values - errors, values + errors, color=colour, alpha=BAND_ALPHA,
                    lw=0, zorder=zorder - 0.5)
    ax.plot(xs, values, color=colour, ls=line, marker=marker, ms=4.5, lw=width, label=label,
            zorder=zorder)


def dying_figure(model: str, sweep_name: str | None, runs, settings: str | None = None,
                 trials: int | None = None, domain: str = "[-1, 1]"):
    """The dead fraction (±2 standard errors) against the swept value (or per layer, or
    per learning rate), its closed form or bound thin and dashed; for variants that
    cannot die, the suppressed fraction with hollow markers; diverged training runs
    marked with their count out of ``trials``."""
    fig, ax = _figure((8.5, 6.2))
    variants = list(dict.fromkeys(r.variant for _, results in runs for r in results))
    per_layer = model == "depth" and sweep_name is None
    per_rate = model == "train" and sweep_name is None
    series = []
    for variant in variants:
        points = [(value, r) for value, results in runs for r in results if r.variant is variant]
        results = [r for _, r in points]
        if per_layer:
            xs = np.arange(1, len(results[0].per_layer_dead_fraction) + 1)
        elif per_rate:
            xs = np.array([r.learning_rate for r in results])
        else:
            xs = np.array([float(value) for value, _ in points])
        series.append((xs, results))
    same = first_equal([_dying_values(model, per_layer, results) for _, results in series],
                       lambda a, b: a == b)
    keys, diverged_shown = [], False
    for index, ((xs, results), earlier) in enumerate(zip(series, same)):
        colour, line, marker = series_style(index)
        width = line_width(index, len(series), thinnest=1.4, widest=3.6)
        label = same_label(_label(results[0]),
                           None if earlier is None else series[earlier][1][0].variant.display)
        zorder = 3 + index / len(series)
        if per_layer:
            r = results[0]
            ax.plot(xs, r.per_layer_dead_fraction, color=colour, ls=line,
                    marker=marker, ms=4.5, lw=width, label=label, zorder=zorder)
            mean, se = np.array(r.per_layer_dead_fraction), np.array(r.per_layer_stderr)
            if np.all(np.isfinite(se)):
                ax.fill_between(xs, mean - 2 * se, mean + 2 * se, color=colour,
                                alpha=BAND_ALPHA, lw=0, zorder=zorder - 1)
            continue
        dead = [r.born_dead if model == "depth" else r.dead for r in results]
        _with_band(ax, xs, dead, colour, line, marker, width, label, zorder)
        if model == "depth":
            bounds = [r.one_point_probability for r in results]
            if all(b is not None for b in bounds):
                ax.plot(xs, bounds, color=colour, zorder=zorder, **THIN)
                keys.append("one input point, 1 − (1 − 2^−width)^depth (an upper bound)")
            lower = [r.lower_bound for r in results]
            if all(b is not None for b in lower):
                ax.plot(xs, lower, color=colour, zorder=zorder, **LOWER)
                keys.append("lower bound")
        elif all(e.closed_form is not None for e in dead) and results[0].variant.can_die:
            ax.plot(xs, [e.closed_form for e in dead], color=colour, zorder=zorder, **THIN)
            keys.append("closed form")
        if model != "depth" and not results[0].variant.can_die:
            suppressed = [r.suppressed for r in results]
            values = [e.value for e in suppressed]
            errors = [2 * e.stderr for e in suppressed]
            ax.errorbar(xs, values, yerr=errors, color=colour, ls=":", lw=1.1, marker=marker,
                        ms=4.5, mfc="white", capsize=2, zorder=zorder)
            keys.append("suppressed")
        if model == "train":
            diverged_shown |= _mark_diverged(ax, xs, results, trials, colour, index)
    legend = [_key(BAND_LABEL, patch=True, color="0.5", alpha=BAND_ALPHA)]
    if "closed form" in keys:
        legend.append(_key("thin dashed: closed form", color="0.3", **THIN))
    bound = next((k for k in keys if k.startswith("one input point")), None)
    if bound:
        legend.append(_key(f"thin dashed: {bound}", color="0.3", **THIN))
    if "lower bound" in keys:
        legend.append(_key("thin dotted: a lower bound, 1 − (1 − 4^−width)^(depth − 1)",
                           color="0.3", **LOWER))
    if "suppressed" in keys:
        legend.append(_key("hollow, dotted (±2 SE bars): suppressed, all z ≤ 0 but the "
                           "gradient still flows", color="0.3", ls=":", marker="o", mfc="white"))
    if diverged_shown:
        legend.append(_key("✕ n/N: n of N trials diverged (loss not finite; judged at "
                           "their last finite step)", color="0.3", ls="", marker="x", ms=9,
                           mew=2))
    if per_rate:
        ax.set_xscale("log")
    if per_layer:
        ax.set_xlabel("hidden layer")
        ax.set_ylabel(f"fraction of units dead on {domain}")
    elif per_rate:
        ax.set_xlabel("learning rate")
        ax.set_ylabel("fraction of hidden units dead after training")
    else:
        ax.set_xlabel(sweep_name.replace("_", " "))
        ax.set_ylabel(f"probability born dead on {domain}" if model == "depth"
                      else "fraction of units dead")
    ax.grid(True, alpha=0.3)
    titles(fig, DYING_TITLES[model], settings)
    handles, labels = ax.get_legend_handles_labels()
    legend_outside(fig, handles + legend, labels + [k.get_label() for k in legend])
    return fig


def _dying_values(model: str, per_layer: bool, results) -> list:
    """What a series draws, to tell series that coincide."""
    if per_layer:
        return list(results[0].per_layer_dead_fraction)
    if model == "depth":
        return [r.born_dead.value for r in results]
    return [(r.dead.value, r.suppressed.value, getattr(r, "diverged", 0)) for r in results]


def _mark_diverged(ax, xs, results, trials: int | None, colour, row: int) -> bool:
    """A cross in the variant's colour, and "n/N" beside it (the ``row``-th variant's
    text above the others'), at each point where trials diverged."""
    shown = False
    for x, r in zip(xs, results):
        if r.diverged:
            ax.plot([x], [r.dead.value], ls="", marker="x", ms=11, mew=2.4, color=colour,
                    zorder=10)
            ax.annotate(f"{r.diverged}/{trials}" if trials else str(r.diverged),
                        (x, r.dead.value), textcoords="offset points",
                        xytext=(8, 6 + 12 * row), fontsize="small", color=colour,
                        fontweight="bold", zorder=10)
            shown = True
    return shown


def quant_figure(results, settings: str | None = None):
    """SQNR (dB) against bits per variant, with the 6.02 dB/bit slope for reference,
    and the MSE on a log scale."""
    fig, (ax_sqnr, ax_mse) = _figure((11, 5.4), panels=2)
    variants = list(dict.fromkeys(r.variant for r in results))
    series = [sorted((r for r in results if r.variant is v), key=lambda r: r.bits)
              for v in variants]
    same = first_equal([[(r.sqnr_db, r.mse) for r in rows] for rows in series],
                       lambda a, b: a == b)
    sloped = False
    for index, (rows, earlier) in enumerate(zip(series, same)):
        colour, line, marker = series_style(index)
        width = line_width(index, len(series), thinnest=1.4, widest=3.6)
        bits = [r.bits for r in rows]
        label = same_label(f"{_label(rows[0])}: R = {rows[0].range:.3g} ({rows[0].range_source})",
                           None if earlier is None else series[earlier][0].variant.display)
        style = dict(color=colour, ls=line, marker=marker, ms=5, lw=width,
                     zorder=3 + index / len(series))
        ax_sqnr.plot(bits, [r.sqnr_db for r in rows], label=label, **style)
        ax_mse.semilogy(bits, [r.mse for r in rows], **style)
        if len(rows) > 1:
            ax_sqnr.plot(bits, [rows[0].sqnr_db + 6.02 * (b - bits[0]) for b in bits],
                         color=colour, **THIN)
            sloped = True
    ax_sqnr.set_title("Signal to quantisation noise")
    ax_sqnr.set_xlabel("bits")
    ax_sqnr.set_ylabel("SQNR (dB)")
    ax_mse.set_title("Mean squared error")
    ax_mse.set_xlabel("bits")
    ax_mse.set_ylabel("MSE")
    for ax in (ax_sqnr, ax_mse):
        ax.grid(True, alpha=0.3)
    titles(fig, "Quantising the activations", settings)
    handles, labels = ax_sqnr.get_legend_handles_labels()
    if sloped:
        key = _key("thin dashed: +6.02 dB per bit from the first point (rounding alone)",
                   color="0.3", **THIN)
        handles, labels = handles + [key], labels + [key.get_label()]
    legend_outside(fig, handles, labels)
    return fig


def flow_figure(results, settings: str | None = None):
    """Relative gradient norm per layer on a log scale, one line per variant; the
    rigorous bound thin and dashed where it is informative (below 10)."""
    fig, ax = _figure((8.5, 6.2))
    same = first_equal([list(r.relative_grad_norm) for r in results], lambda a, b: a == b)
    bounded = False
    for index, (r, earlier) in enumerate(zip(results, same)):
        colour, line, marker = series_style(index)
        layers = np.arange(1, len(r.relative_grad_norm) + 1)
        label = same_label(_label(r), None if earlier is None else results[earlier].variant.display)
        ax.semilogy(layers, r.relative_grad_norm, color=colour, ls=line,
                    lw=line_width(index, len(results), thinnest=1.4, widest=3.6), label=label,
                    zorder=3 + index / len(results))
        if max(r.bound) < 10:
            ax.semilogy(layers, r.bound, color=colour, **THIN)
            bounded = True
    ax.set_xlabel("layer (1 = input side)")
    ax.set_ylabel("‖∂L/∂h‖ relative to the top layer")
    ax.grid(True, which="both", alpha=0.3)
    titles(fig, "Gradient norm through depth", settings)
    handles, labels = ax.get_legend_handles_labels()
    if bounded:
        key = _key("thin dashed: bound ∏ max|f′|·‖W‖₂", color="0.3", **THIN)
        handles, labels = handles + [key], labels + [key.get_label()]
    legend_outside(fig, handles, labels)
    return fig


def wide_figure(sweep_name: str | None, runs, settings: str | None = None):
    """``dying-sim --model wide``: per layer (or against the swept value, of the last
    layer) the fraction of units dead on the batch, for leaky variants (which never
    die) the suppressed fraction with hollow markers, each in its ±2 standard-error band;
    the infinite-width closed form thin and dashed in the variant's colour."""
    fig, ax = _figure((8.5, 6.2))
    variants = list(dict.fromkeys(r.variant for _, results in runs for r in results))
    series = []
    for variant in variants:
        points = [(value, r) for value, results in runs for r in results if r.variant is variant]
        if sweep_name is None:
            r = points[0][1]
            xs = np.arange(1, len(r.per_layer_dead) + 1)
            shown = r.per_layer_dead if variant.can_die else r.per_layer_suppressed
        else:
            xs = np.array([float(value) for value, _ in points])
            shown = [r.dead if variant.can_die else r.suppressed for _, r in points]
        series.append((xs, shown, points[0][1]))
    same = first_equal([[(e.value, e.closed_form) for e in shown] for _, shown, _ in series],
                       lambda a, b: a == b)
    closed, hollow = False, False
    for index, ((xs, shown, first), earlier) in enumerate(zip(series, same)):
        colour, line, marker = series_style(index)
        width = line_width(index, len(series), thinnest=1.4, widest=3.6)
        what = "dead" if first.variant.can_die else "suppressed"
        label = same_label(f"{_label(first)}: {what}",
                           None if earlier is None else series[earlier][2].variant.display)
        zorder = 3 + index / len(series)
        values = np.array([e.value for e in shown])
        errors = np.array([2 * e.stderr for e in shown])
        if np.all(np.isfinite(errors)):
            ax.fill_between(xs, values - errors, values + errors, color=colour,
                            alpha=BAND_ALPHA, lw=0, zorder=zorder - 0.5)
        ax.plot(xs, values, color=colour, ls=line, marker=marker, ms=4.5, lw=width,
                label=label, zorder=zorder,
                **({} if first.variant.can_die else {"mfc": "white"}))
        hollow |= not first.variant.can_die
        if all(e.closed_form is not None for e in shown):
            ax.plot(xs, [e.closed_form for e in shown], color=colour, zorder=zorder + 0.2,
                    **THIN)
            closed = True
    legend = [_key(BAND_LABEL, patch=True, color="0.5", alpha=BAND_ALPHA)]
    if closed:
        legend.append(_key("thin dashed: closed form at infinite width (arc-cosine "
                           "kernel), E_T[Φ(−√(ρ/(1−ρ))·T)^batch]", color="0.3", **THIN))
    if hollow:
        legend.append(_key("hollow: suppressed, every z ≤ 0 on the batch (the unit never "
                           "dies: its gradient still flows)", color="0.3", marker="o",
                           mfc="white", ls=""))
    what = "dead on the batch" + (" (hollow: suppressed)" if hollow else "")
    if sweep_name is None:
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("hidden layer")
        ax.set_ylabel(f"fraction of units {what}")
    else:
        xs = series[0][0]
        if sweep_name == "width" and xs.min() > 0 and xs.max() >= 8 * xs.min():
            ax.set_xscale("log", base=2)
        ax.set_xlabel(sweep_name.replace("_", " "))
        ax.set_ylabel(f"fraction of the last layer's units {what}")
    ax.grid(True, alpha=0.3)
    titles(fig, "Dead units in a wide deep net at initialisation", settings)
    handles, labels = ax.get_legend_handles_labels()
    legend_outside(fig, handles + legend, labels + [k.get_label() for k in legend])
    return fig
