"""The simulations' figures: dead fractions against a swept value (dying-sim), SQNR
and MSE against bits or SQNR against a swept value (quant-sim), the gradient norm
through depth (grad-flow).

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
                "train": "Units dead after SGD",
                "kick": "Units dead after one large SGD step"}


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
        approximate = any(r.extra.get("closed_form_approximate") for _, results in runs
                          for r in results if hasattr(r, "extra"))
        legend.append(_key("thin dashed: closed form" + (
            " (central-limit approximation)" if approximate else ""), color="0.3", **THIN))
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


def _mark_diverged(ax, xs, results, trials: int | None, colour, row: int,
                   ys=None) -> bool:
    """A cross in the variant's colour, and "n/N" beside it (the ``row``-th variant's
    text above the others'), at each point where trials diverged (at height ``ys``,
    by default the dead fraction)."""
    shown = False
    ys = [r.dead.value for r in results] if ys is None else ys
    for x, y, r in zip(xs, ys, results):
        if r.diverged:
            ax.plot([x], [y], ls="", marker="x", ms=11, mew=2.4, color=colour,
                    zorder=10)
            ax.annotate(f"{r.diverged}/{trials}" if trials else str(r.diverged),
                        (x, y), textcoords="offset points",
                        xytext=(8, 6 + 12 * row), fontsize="small", color=colour,
                        fontweight="bold", zorder=10)
            shown = True
    return shown


#: The clipping part of an MSE, beside the whole: dotted, hollow markers.
CLIP_PART = dict(ls=(0, (1.2, 1.6)), lw=1.4, mfc="white")


def quant_figure(results, settings: str | None = None):
    """SQNR (dB) against bits per variant, with the 6.02 dB/bit slope for reference,
    and the MSE on a log scale with its clipping part (dotted, hollow markers; the
    rest is rounding)."""
    fig, (ax_sqnr, ax_mse) = _figure((11, 5.4), panels=2)
    variants = list(dict.fromkeys(r.variant for r in results))
    series = [sorted((r for r in results if r.variant is v), key=lambda r: r.bits)
              for v in variants]
    same = first_equal([[(r.sqnr_db, r.mse) for r in rows] for rows in series],
                       lambda a, b: a == b)
    sloped = clipped = False
    for index, (rows, earlier) in enumerate(zip(series, same)):
        colour, line, marker = series_style(index)
        width = line_width(index, len(series), thinnest=1.4, widest=3.6)
        bits = [r.bits for r in rows]
        label = same_label(f"{_label(rows[0])}: {_range_text(rows[0])}",
                           None if earlier is None else series[earlier][0].variant.display)
        style = dict(color=colour, ls=line, marker=marker, ms=5, lw=width,
                     zorder=3 + index / len(series))
        ax_sqnr.plot(bits, [r.sqnr_db for r in rows], label=label, **style)
        ax_mse.semilogy(bits, [r.mse for r in rows], **style)
        if any(r.clip_mse > 0 for r in rows):
            ax_mse.semilogy(bits, [r.clip_mse if r.clip_mse > 0 else np.nan for r in rows],
                            color=colour, marker=marker, ms=5, zorder=3.9, **CLIP_PART)
            clipped = True
        if len(rows) > 1:
            ax_sqnr.plot(bits, [rows[0].sqnr_db + 6.02 * (b - bits[0]) for b in bits],
                         color=colour, **THIN)
            sloped = True
    ax_sqnr.set_title("Signal to quantisation noise")
    ax_sqnr.set_xlabel("bits")
    ax_sqnr.set_ylabel("SQNR (dB)")
    ax_mse.set_title("Mean squared error and its clipping part")
    ax_mse.set_xlabel("bits")
    ax_mse.set_ylabel("MSE")
    for ax in (ax_sqnr, ax_mse):
        ax.grid(True, alpha=0.3)
    titles(fig, f"Quantising the activations ({_grid_text(results[0])})", settings)
    handles, labels = ax_sqnr.get_legend_handles_labels()
    keys = []
    if sloped:
        keys.append(_key("thin dashed: +6.02 dB per bit from the first point (rounding alone)",
                         color="0.3", **THIN))
    if clipped:
        keys.append(_key("dotted, hollow (right): the MSE's clipping part, from outputs "
                         "beyond the grid; the rest is rounding", color="0.3", marker="o",
                         ms=5, **CLIP_PART))
    legend_outside(fig, handles + keys, labels + [k.get_label() for k in keys])
    return fig


def quant_sweep_figure(sweep_name: str, runs, settings: str | None = None):
    """SQNR (dB) against the swept value (df, std ...), a colour and marker per variant
    and a line style per bit width, where the curves cross is where the bound starts to
    help; beside it the range R each variant's grid spans (log scale)."""
    load_matplotlib()
    from .style import LINE_STYLES

    fig, (ax_sqnr, ax_range) = _figure((11, 5.6), panels=2)
    xs = np.array([float(value) for value, _ in runs])
    first = runs[0][1]
    variants = list(dict.fromkeys(r.variant for r in first))
    bits = list(dict.fromkeys(r.bits for r in first))
    for i, variant in enumerate(variants):
        colour, _, marker = series_style(i)
        for j, b in enumerate(bits):
            rows = [next(r for r in results if r.variant is variant and r.bits == b)
                    for _, results in runs]
            ax_sqnr.plot(xs, [r.sqnr_db for r in rows], color=colour, marker=marker, ms=4.5,
                         ls=LINE_STYLES[j % len(LINE_STYLES)],
                         lw=line_width(i, len(variants), thinnest=1.4, widest=2.6),
                         label=f"{_label(rows[0])}, {b} bits ({rows[0].range_source})",
                         zorder=3 + i / len(variants))
        ax_range.semilogy(xs, [next(r for r in results if r.variant is variant).range
                               for _, results in runs], color=colour, marker=marker, ms=4.5,
                          lw=line_width(i, len(variants), thinnest=1.4, widest=2.6),
                          ls=series_style(i)[1], zorder=3 + i / len(variants))
    name = sweep_name.replace("_", " ")
    if sweep_name == "df" and xs.min() > 0 and xs.max() / xs.min() >= 10:
        for ax in (ax_sqnr, ax_range):
            ax.set_xscale("log")
    ax_sqnr.set_title("Signal to quantisation noise")
    ax_sqnr.set_xlabel(f"{name} (t degrees of freedom: small = heavy tails)"
                       if sweep_name == "df" else name)
    ax_sqnr.set_ylabel("SQNR (dB)")
    ax_range.set_title("The range R the grid spans")
    ax_range.set_xlabel(name)
    ax_range.set_ylabel("R (bound or calibrated)")
    for ax in (ax_sqnr, ax_range):
        ax.grid(True, which="both", alpha=0.3)
    titles(fig, f"When the bound helps ({_grid_text(first[0])})", settings)
    handles, labels = ax_sqnr.get_legend_handles_labels()
    from ..render.quant import sweep_crossovers

    crossings = sweep_crossovers(runs)
    for crossing in crossings:
        for x in crossing["at"]:
            for ax in (ax_sqnr, ax_range):
                ax.axvline(x, color="0.35", zorder=2, **LOWER)
    if crossings:
        text = "; ".join(f"{', '.join(f'{x:.3g}' for x in c['at'])} ({c['bits']} bits)"
                         for c in crossings)
        key = _key(f"dotted: the SQNR curves cross at {name} ≈ {text}", color="0.35", **LOWER)
        handles, labels = handles + [key], labels + [key.get_label()]
    legend_outside(fig, handles, labels)
    return fig


def _range_text(result) -> str:
    return f"R = {result.range:.3g} ({result.range_source})"


def _grid_text(result) -> str:
    """``affine grid, scale R/(2^b-1), zero point 0`` or ``Qm.n grid, step 2^-n``."""
    if result.grid.kind == "affine":
        return "affine grid: scale R/(2^b − 1), zero point 0"
    return "unsigned Qm.n grid: step 2^−n"


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
