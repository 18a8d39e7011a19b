"""The simulations' figures: dead fractions against a swept value (dying-sim), SQNR
and MSE against bits (quant-sim), the gradient norm through depth (grad-flow). Drawn
with matplotlib through :mod:`relucli.plotting` (Agg, imported on first use) and saved
by :func:`relucli.plotting.save_figure`."""

from __future__ import annotations

import numpy as np

from .saving import load_matplotlib

def dying_figure(model: str, sweep_name: str | None, runs):
    """The dead fraction (solid, ±2 standard errors) against the swept value (or per
    layer, or per learning rate), its closed form dashed; for variants that cannot
    die, the suppressed fraction dotted beside their zero dead fraction."""
    load_matplotlib()
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.5, 4.8), layout="constrained")
    ax = fig.add_subplot(1, 1, 1)
    variants = []
    for _, results in runs:
        for r in results:
            if r.variant not in variants:
                variants.append(r.variant)
    for index, variant in enumerate(variants):
        colour = f"C{index % 10}"
        points = [(value, r) for value, results in runs for r in results if r.variant is variant]
        label = points[0][1].variant.label(points[0][1].params) if variant.params else variant.display
        if model == "depth" and sweep_name is None:
            fractions = points[0][1].per_layer_dead_fraction
            ax.plot(np.arange(1, len(fractions) + 1), fractions, "o-", ms=4, color=colour,
                    label=label)
            continue
        if model == "train" and sweep_name is None:
            xs = [r.learning_rate for _, r in points]
        else:
            xs = [float(value) for value, _ in points]
        results = [r for _, r in points]
        dead = [r.born_dead if model == "depth" else r.dead for r in results]
        ax.errorbar(xs, [e.value for e in dead], yerr=[2 * e.stderr for e in dead], fmt="o-",
                    ms=3.5, color=colour, capsize=2, lw=1.5, label=label)
        if model == "depth":
            bounds = [r.one_point_probability for r in results]
            if all(b is not None for b in bounds):
                ax.plot(xs, bounds, "--", color=colour, lw=1.2,
                        label=f"{label}: one input point, 1 - (1 - 2^-width)^depth")
        elif all(e.closed_form is not None for e in dead) and variant.can_die:
            ax.plot(xs, [e.closed_form for e in dead], "--", color=colour, lw=1.2,
                    label=f"{label}: closed form")
        if model != "depth" and not variant.can_die:
            suppressed = [r.suppressed for r in results]
            ax.errorbar(xs, [e.value for e in suppressed], yerr=[2 * e.stderr for e in suppressed],
                        fmt="o:", ms=3, color=colour, capsize=2, lw=1.2, alpha=0.7,
                        label=f"{label}: suppressed (all z ≤ 0, gradient still flows)")
    if model == "train" and sweep_name is None:
        ax.set_xscale("log")
    if model == "depth" and sweep_name is None:
        ax.set_xlabel("hidden layer")
        ax.set_ylabel("fraction of units dead on [-1, 1]")
    elif model == "train" and sweep_name is None:
        ax.set_xlabel("learning rate")
        ax.set_ylabel("fraction of hidden units dead after training")
    else:
        ax.set_xlabel(sweep_name.replace("_", " "))
        ax.set_ylabel("probability born dead" if model == "depth" else "fraction of units dead")
    ax.set_title({"unit": "Dead units (i.i.d. pre-activations)", "layer": "Dead units in a dense layer",
                  "depth": "Networks born dead at initialisation",
                  "train": "Units dead after SGD"}[model])
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small", framealpha=0.9)
    return fig


def quant_figure(results):
    """SQNR (dB) against bits per variant, with the 6.02 dB/bit slope for reference,
    and the MSE on a log scale."""
    load_matplotlib()
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11, 4.2), layout="constrained")
    ax_sqnr, ax_mse = fig.subplots(1, 2)
    variants = list(dict.fromkeys(r.variant for r in results))
    for index, variant in enumerate(variants):
        rows = sorted((r for r in results if r.variant is variant), key=lambda r: r.bits)
        bits = [r.bits for r in rows]
        label = f"{variant.display} (R = {rows[0].range:.3g}, {rows[0].range_source})"
        colour = f"C{index % 10}"
        ax_sqnr.plot(bits, [r.sqnr_db for r in rows], "o-", color=colour, label=label)
        ax_mse.semilogy(bits, [r.mse for r in rows], "o-", color=colour, label=label)
        if len(rows) > 1:
            ax_sqnr.plot(bits, [rows[0].sqnr_db + 6.02 * (b - bits[0]) for b in bits], ":",
                         color=colour, lw=1, label=f"{variant.display}: +6.02 dB per bit")
    ax_sqnr.set_title("Signal to quantisation noise")
    ax_sqnr.set_xlabel("bits")
    ax_sqnr.set_ylabel("SQNR (dB)")
    ax_mse.set_title("Mean squared error")
    ax_mse.set_xlabel("bits")
    ax_mse.set_ylabel("MSE")
    for ax in (ax_sqnr, ax_mse):
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize="small")
    return fig


def flow_figure(results, title: str | None = None):
    """Relative gradient norm per layer on a log scale, one line per variant; the
    rigorous bound dashed where it is informative (below 10)."""
    load_matplotlib()
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.5, 4.8), layout="constrained")
    ax = fig.add_subplot(1, 1, 1)
    for index, r in enumerate(results):
        colour = f"C{index % 10}"
        layers = np.arange(1, len(r.relative_grad_norm) + 1)
        label = r.variant.display if r.params == r.variant.resolve_params({}) else r.variant.label(r.params)
        width = 1.5 + 2.5 * (len(results) - 1 - index) / max(1, len(results) - 1)  # overlaps
        ax.semilogy(layers, r.relative_grad_norm, "-", color=colour, lw=width, label=label)
        if max(r.bound) < 10:
            ax.semilogy(layers, r.bound, "--", color=colour, lw=1,
                        label=f"{label}: bound ∏ max|f′|·‖W‖₂")
    ax.set_xlabel("layer (1 = input side)")
    ax.set_ylabel("‖∂L/∂h‖ relative to the top layer")
    ax.set_title(title or "Gradient norm through depth")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize="small")
    return fig
