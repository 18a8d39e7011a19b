"""The figures of the dying-sim models that draw more than :func:`.simulations.dying_figure`:
the train model's two panels (dead fraction and test accuracy against the learning rate),
the kick model's collapse steps and log axes, the wide model's fractions per layer."""

from __future__ import annotations

import numpy as np

from .simulations import (_figure, _key, _label, _with_band, _mark_diverged, dying_figure, THIN, LOWER, DYING_TITLES)
from .style import (BAND_ALPHA, BAND_LABEL, first_equal, legend_outside, line_width, same_label, series_style, titles)


def train_figure(results, settings: str | None = None, trials: int | None = None,
                 classes: int = 2):
    """The train model against the learning rate, two panels: the fraction of hidden
    units dead after training (variants that cannot die: their suppressed fraction,
    hollow) and the test accuracy, each in its ±2 standard-error band, chance
    (1/classes) thin and dotted; points where trials diverged marked ✕ with their
    count out of ``trials``."""
    fig, (ax_dead, ax_acc) = _figure((11, 5.6), panels=2)
    variants = list(dict.fromkeys(r.variant for r in results))
    series = [sorted((r for r in results if r.variant is v), key=lambda r: r.learning_rate)
              for v in variants]
    same = first_equal([[(r.dead.value, r.suppressed.value, r.accuracy.value, r.diverged)
                         for r in rows] for rows in series], lambda a, b: a == b)
    suppressed_shown = diverged_shown = False
    for index, (rows, earlier) in enumerate(zip(series, same)):
        colour, line, marker = series_style(index)
        width = line_width(index, len(series), thinnest=1.4, widest=3.6)
        label = same_label(_label(rows[0]),
                           None if earlier is None else series[earlier][0].variant.display)
        zorder = 3 + index / len(series)
        xs = np.array([r.learning_rate for r in rows])
        _with_band(ax_dead, xs, [r.dead for r in rows], colour, line, marker, width, label,
                   zorder)
        _with_band(ax_acc, xs, [r.accuracy for r in rows], colour, line, marker, width,
                   label, zorder)
        if not rows[0].variant.can_die:
            ax_dead.errorbar(xs, [r.suppressed.value for r in rows],
                             yerr=[2 * r.suppressed.stderr for r in rows], color=colour,
                             ls=":", lw=1.1, marker=marker, ms=4.5, mfc="white", capsize=2,
                             zorder=zorder)
            suppressed_shown = True
        diverged_shown |= _mark_diverged(ax_dead, xs, rows, trials, colour, index)
        diverged_shown |= _mark_diverged(ax_acc, xs, rows, trials, colour, index,
                                         [r.accuracy.value for r in rows])
    ax_acc.axhline(1 / classes, color="0.3", **LOWER)
    legend = [_key(BAND_LABEL, patch=True, color="0.5", alpha=BAND_ALPHA),
              _key(f"thin dotted: chance, 1/{classes}", color="0.3", **LOWER)]
    if suppressed_shown:
        legend.append(_key("hollow, dotted (±2 SE bars): suppressed, all z ≤ 0 but the "
                           "gradient still flows", color="0.3", ls=":", marker="o", mfc="white"))
    if diverged_shown:
        legend.append(_key("✕ n/N: n of N trials diverged (loss not finite; units judged "
                           "at their last finite step, accuracy counted at chance)",
                           color="0.3", ls="", marker="x", ms=9, mew=2))
    ax_dead.set_title("Hidden units dead after training")
    ax_dead.set_ylabel("fraction of hidden units dead on the judged inputs")
    ax_acc.set_title("Test accuracy (held-out inputs)")
    ax_acc.set_ylabel("test accuracy")
    ax_acc.set_ylim(0, 1)
    for ax in (ax_dead, ax_acc):
        ax.set_xscale("log")
        ax.set_xlabel("learning rate")
        ax.grid(True, alpha=0.3)
    titles(fig, DYING_TITLES["train"] + ", and their test accuracy", settings)
    handles, labels = ax_dead.get_legend_handles_labels()
    legend_outside(fig, handles + legend, labels + [k.get_label() for k in legend])
    return fig


def kick_figure(sweep_name: str, runs, settings: str, options: dict):
    """The kick model's dead fraction (±2 SE) and its closed form against the swept
    value (the leaky family: its suppressed fraction), as :func:`dying_figure` draws
    them; the settings say what the closed form is (the population gradient's step);
    against the step, a dotted vertical line at each variant's collapse step (s' = 0,
    ReLU at bias 0: s·√(2π)), where death peaks."""
    from ..commands.dying.kick import batch_text

    batch = options["batch"]
    note = ("closed form: the population gradient's step, exact" if batch == 0 and
            sweep_name != "batch" else
            "closed form: the population gradient's step (batch -> ∞), an approximation "
            f"at {'each finite batch' if sweep_name == 'batch' else batch_text(batch)}")
    fig = dying_figure("kick", sweep_name, runs, f"{settings}; {note}")
    ax = fig.axes[0]
    if sweep_name in ("batch", "units", "eval_samples"):
        _kick_log_axis(ax, [float(v) for v, _ in runs])
    if sweep_name == "batch":
        ax.set_xlabel("batch (0: the population gradient)")
    if sweep_name != "step":
        return fig
    lo, hi = min(v for v, _ in runs), max(v for v, _ in runs)
    steps: dict[float, list] = {}  # collapse step (3 digits) -> the variants with it
    for index, r in enumerate(runs[0][1]):
        if r.collapse_step is not None and lo <= r.collapse_step <= hi:
            steps.setdefault(float(f"{r.collapse_step:.3g}"), []).append((index, r))
    if not steps:
        return fig
    peak = _relu_peak(options)
    names = []
    for step, group in sorted(steps.items()):
        ax.axvline(step, color=series_style(group[0][0])[0], ls=":", lw=1.4, zorder=2)
        names.append(f"{', '.join(r.variant.display for _, r in group)} {step:g}"
                     + (" = s√(2π)" if abs(step - peak) < 0.005 else ""))
    old = fig.legends[0]
    handles, labels = list(old.legend_handles), [t.get_text().replace("\n", " ")
                                                  for t in old.get_texts()]
    old.remove()
    key = _key("dotted vertical: the step where s′ = 0, the unit collapses onto its "
               f"bias (s = std·√fan-in): {'; '.join(names)}", color="0.3", ls=":", lw=1.4)
    legend_outside(fig, handles + [key], labels + [key.get_label()])
    return fig


def _relu_peak(options: dict) -> float:
    """s·√(2π) for s = std·√fan-in (ReLU's collapse step at bias 0)."""
    import math

    from ..sim.init import weight_std

    fan_in = options["fan_in"]
    return weight_std(options["init"], fan_in, fan_in) * math.sqrt(fan_in * 2 * math.pi)


def _kick_log_axis(ax, values: list[float]) -> None:
    """Sizes over more than a decade on a log axis; with 0 (the population gradient)
    among them a symmetric log axis, linear up to the smallest positive size."""
    positive = [v for v in values if v > 0]
    if len(positive) < 2 or max(positive) < 20 * min(positive):
        return
    if min(values) == 0:
        ax.set_xscale("symlog", linthresh=min(positive), linscale=0.6)
    else:
        ax.set_xscale("log")
    ax.set_xticks(values, ["population" if v == 0 else f"{v:g}" for v in values])
    ax.minorticks_off()


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
