"""The points to draw (NumPy only, no matplotlib): the function on a grid that contains
every kink exactly, the gradient split at each kink (a jump is drawn as a jump, never as
a slanted line), the value the gradient takes at the kink (PyTorch's convention, a
filled dot) and its one-sided limits (open dots), the zero-gradient regions, and for
RReLU in training the slope band and a seeded scatter of sampled outputs.

>>> from relucli.variants import select
>>> [c.label for c in sample_curves(select(["relu6"]), {}, (-3, 9), 13)]
['ReLU6']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from .. import engine
from ..errors import UsageError
from ..variants import Variant
from .style import PANEL_SERIES, first_equal

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


def coinciding(curves: Sequence[Curve], points: int = 1001) -> list[Curve | None]:
    """For each curve, the first earlier one equal to it over the whole range (function
    and gradient, at every kink of either, and the same training band), or None: such
    a curve lies exactly on the other and its legend entry says so.

    >>> from relucli.variants import select
    >>> curves = sample_curves(select(["relu", "threshold", "relu6"]), {}, (-3, 9), 101)
    >>> [None if c is None else c.label for c in coinciding(curves)]
    [None, 'ReLU', None]
    """
    if not curves:
        return []
    start, stop = curves[0].x[0], curves[0].x[-1]
    kinks = [k.x for c in curves for k in c.kinks]
    grid = np.union1d(np.linspace(start, stop, points), kinks)
    values = []
    for c in curves:
        result = engine.evaluate(c.variant, grid, **c.params)
        values.append((result.y, result.grad, c.band))

    def equal(a, b) -> bool:
        return (a[2] == b[2] and np.array_equal(a[0], b[0], equal_nan=True)
                and np.array_equal(a[1], b[1], equal_nan=True))

    return [None if j is None else curves[j] for j in first_equal(values, equal)]


#: The panels of a figure with more curves than one panel tells apart, in this order.
PANEL_TITLES = {"relu": "The ReLU family", "flat": "Relatives with flat regions",
                "smooth": "Smooth relatives", "classic": "Classic references"}


def panel_groups(curves: Sequence[Curve]) -> list[tuple[str | None, list[Curve]]]:
    """The curves one figure draws, as panels of at most :data:`~.style.PANEL_SERIES`
    curves each (each curve its own colour): all in one panel when they fit, else one
    panel per part of the registry (the ReLU family, relatives that have zero-gradient
    regions, smooth relatives, classic references), a part too large for a panel split
    in order.

    >>> from relucli.variants import select
    >>> curves = sample_curves(select(["all"]), {}, (-3, 9), 11)
    >>> [(title, len(members)) for title, members in panel_groups(curves)]
    [('The ReLU family', 5), ('Relatives with flat regions', 5), ('Smooth relatives', 7), ('Classic references', 2)]
    """
    return _panels(curves, lambda curve: curve.variant)


def panel_count(variants: Sequence[Variant]) -> int:
    """How many rows of panels :func:`panel_groups` makes of these variants."""
    return len(_panels(variants, lambda variant: variant))


def _panels(items: Sequence, variant_of) -> list[tuple[str | None, list]]:
    if len(items) <= PANEL_SERIES:
        return [(None, list(items))]

    def part(variant: Variant) -> str:
        if variant.family != "relative":
            return variant.family
        return "flat" if variant.can_die else "smooth"

    parts: dict[str, list] = {key: [] for key in PANEL_TITLES}
    for item in items:
        parts[part(variant_of(item))].append(item)
    panels = []
    for key, members in parts.items():
        chunks = [members[i:i + PANEL_SERIES] for i in range(0, len(members), PANEL_SERIES)]
        for number, chunk in enumerate(chunks, 1):
            suffix = f" ({number} of {len(chunks)})" if len(chunks) > 1 else ""
            panels.append((PANEL_TITLES[key] + suffix, chunk))
    return panels
