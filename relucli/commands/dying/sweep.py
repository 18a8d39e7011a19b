"""What every model of ``relu dying-sim`` shares: ``--sweep NAME=...`` parsed, the
sizes checked and the cost estimated before anything is allocated, and the runs of a
sweep under one progress bar."""

from __future__ import annotations

import math

from ...errors import UsageError
from .model import DyingModel

#: Options that take whole numbers (swept values are rounded, duplicates dropped).
INTEGER_OPTIONS = {"units", "batch", "fan_in", "trials", "depth", "width", "steps", "in_dim",
                   "eval_samples"}
#: Options that must be finite numbers.
REAL_OPTIONS = {"mean", "std", "bias", "bias_std", "df", "step"}


def parse_sweep(text: str, model: DyingModel) -> tuple[str, list]:
    """``NAME=START:STOP:NUM`` or ``NAME=V1,V2,...`` for an option the model may sweep."""
    name, sep, values = text.partition("=")
    name = name.strip().replace("-", "_")
    if not sep or not values.strip():
        raise UsageError(f"--sweep takes NAME=START:STOP:NUM or NAME=V1,V2,..., got {text!r}")
    if name not in model.sweepable:
        raise UsageError(f"--sweep {name}: the {model.name} model can sweep "
                         f"{', '.join(model.sweepable)}")
    if ":" in values:
        from ...inputs import parse_range

        grid = [float(v) for v in parse_range(values, option=f"--sweep {name}")]
        if len(grid) > 1000:
            raise UsageError("--sweep takes at most 1000 values")
    else:
        from ...inputs import parse_numbers

        grid = parse_numbers(values, "--sweep")
    if not grid:
        raise UsageError(f"--sweep {name} has no values")
    if name in INTEGER_OPTIONS:
        if ":" not in values:  # a range is rounded; a listed value must be whole
            bad = next((v for v in grid if v != round(v)), None)
            if bad is not None:
                raise UsageError(f"--sweep {name} takes whole numbers, got {bad:g}")
        rounded = [int(round(v)) for v in grid]
        grid = list(dict.fromkeys(rounded))
    return name, grid


def check_sizes(model: DyingModel, chosen, options, sweep_name, sweep_values, max_seconds,
                quiet, independent: bool = False):
    """Every size checked (positive, and the whole run within memory and the time
    budget) before anything is allocated; returns the run's estimated cost."""
    from ...sim.stats import check_positive
    from ..common import check_run

    def values(key):
        return sweep_values if key == sweep_name else [options[key]]

    for key in sorted(INTEGER_OPTIONS & options.keys()):
        for value in values(key):
            if key not in model.zero_allowed:  # the model's check decides those
                check_positive(**{key: value})
    for key in sorted(REAL_OPTIONS & options.keys()):
        for value in values(key):
            if not math.isfinite(value):
                raise UsageError(f"--{key.replace('_', '-')} must be a finite number, "
                                 f"got {value}")
    model.check(options)
    cost = sweep_cost(model, chosen, options, sweep_name, sweep_values, independent)
    check_run(cost, f"the {model.name} model's run" + (
        f" over {len(sweep_values)} values of --{sweep_name.replace('_', '-')}"
        if sweep_name else ""), max_seconds, quiet)
    return cost


def sweep_cost(model: DyingModel, chosen, options: dict, sweep_name, sweep_values,
               independent: bool = False):
    """What the runs of a sweep (or the one run) will cost together."""
    from ...sim import costs

    if _nested(model, sweep_name, independent):
        return model.cost(chosen, {**options, sweep_name: max(sweep_values)})
    return costs.total([model.cost(chosen, {**options, **({sweep_name: v} if sweep_name else {})})
                        for v in sweep_values])


def _nested(model: DyingModel, sweep_name, independent: bool) -> bool:
    return sweep_name is not None and sweep_name == model.nested_sweep and not independent


def sweep_rng(seed: int, index: int, independent: bool):
    """The random stream of the ``index``-th swept value: the seed's own (the same
    draws for every value: rows correlated, curves smoother than independent runs),
    or with ``independent`` a stream of its own, ``default_rng([seed, index])``.

    >>> a, b = sweep_rng(7, 0, False).random(), sweep_rng(7, 1, False).random()
    >>> c = sweep_rng(7, 1, True).random()
    >>> a == b, b == c
    (True, False)
    """
    import numpy as np

    return np.random.default_rng([seed, index] if independent else seed)


def sweep_note(sweep_name, seed: int, independent: bool) -> str:
    """What the output says about the rows of a sweep (nothing without one)."""
    if sweep_name is None:
        return ""
    if independent:
        return f"; swept values independent (the i-th from seed [{seed}, i])"
    return (f"; every swept value from seed {seed} (correlated, smoother than "
            "independent runs; see --independent)")


def run_sweep(model: DyingModel, chosen, params, options, sweep_name, sweep_values, seed,
              train, quiet, independent: bool = False):
    """One run of the model per swept value, under one progress bar: each from the same
    seed, or with ``independent`` each from a stream of its own (:func:`sweep_rng`); a
    nested sweep (the depth model's depth) is one run at the largest, unless
    ``independent``."""
    import numpy as np

    from ...render import terminal

    runs = []
    with terminal.ProgressBar(f"dying-sim {model.name}", quiet) as update:
        if _nested(model, sweep_name, independent):
            by_value = model.run_many(chosen, params, options, sweep_values,
                                      np.random.default_rng(seed), update)
            return [(value, by_value[int(value)]) for value in sweep_values]
        for index, value in enumerate(sweep_values):
            current = dict(options)
            if sweep_name is not None:
                current[sweep_name] = value
            rng = sweep_rng(seed, index, independent)
            report = _sweep_progress(update, index, len(sweep_values))
            runs.append((value, model.run(chosen, params, current, rng, train, report)))
    return runs


def _sweep_progress(update, index: int, count: int):
    def report(done: int, total: int) -> None:
        update(index * total + done, count * total)
    return report
