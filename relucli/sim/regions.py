"""Where a variant's gradient is zero, from the registry and the engine.

The real line cut at the variant's kinks into regions of constant gradient, each
kink joined to the side whose gradient the engine gives there; the zero-gradient
regions are where a unit can die, so a new piecewise-linear variant needs no change
in the models.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import engine
from ..variants import Variant


@dataclass(frozen=True)
class Region:
    """An interval between kinks (or a kink alone) and the variant's gradient in it.

    Each kink joins the side whose gradient the engine gives at the kink (ReLU's 0
    joins (-inf, 0]; ReLU6's 6 joins [6, inf)); a kink whose gradient matches neither
    side is a region of its own.
    """

    lo: float
    hi: float
    lo_closed: bool
    hi_closed: bool
    mean_abs_grad: float  # E|gradient| in the region (random slopes: their mean)
    mean_sq_grad: float  # E[gradient²]
    zero: bool  # the gradient is exactly 0 everywhere in the region


def regions(variant: Variant, params: dict, training: bool = False) -> list[Region]:
    """The regions of the real line on which ``variant``'s gradient is constant."""
    kinks = list(variant.kinks_for(params))
    edges = [-math.inf, *kinks, math.inf]
    inside = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        if math.isinf(lo):
            inside.append(hi - 1)
        elif math.isinf(hi):
            inside.append(lo + 1)
        else:
            inside.append((lo + hi) / 2)
    grads = engine.gradient(variant, np.array(inside + kinks, dtype=float), **params)
    open_grads, kink_grads = list(grads[: len(inside)]), list(grads[len(inside):])
    random_slope = training and variant.stochastic

    def region(lo, hi, lo_closed, hi_closed, g):
        g = float(g)
        if random_slope and g != 1:  # the negative side: r ~ U(lower, upper)
            lower, upper = params["lower"], params["upper"]
            mean_sq = (lower * lower + lower * upper + upper * upper) / 3
            return Region(lo, hi, lo_closed, hi_closed, _mean_abs_uniform(lower, upper),
                          mean_sq, lower == upper == 0)
        return Region(lo, hi, lo_closed, hi_closed, abs(g), g * g, g == 0)

    # which side each kink joins: "left", "right" or "alone"
    sides = []
    for k, g in enumerate(kink_grads):
        sides.append("left" if g == open_grads[k] else "right" if g == open_grads[k + 1]
                     else "alone")
    out = []
    for k, (lo, hi) in enumerate(zip(edges[:-1], edges[1:])):
        lo_closed = k > 0 and sides[k - 1] == "right"
        hi_closed = k < len(kinks) and sides[k] == "left"
        out.append(region(lo, hi, lo_closed, hi_closed, open_grads[k]))
        if k < len(kinks) and sides[k] == "alone":
            out.append(region(hi, hi, True, True, kink_grads[k]))
    return out


def _mean_abs_uniform(lower: float, upper: float) -> float:
    if lower == upper or lower >= 0:
        return abs((lower + upper) / 2)
    if upper <= 0:
        return -(lower + upper) / 2
    return (upper * upper + lower * lower) / (2 * (upper - lower))


def _part_names(parts: list[Region]) -> list[str]:
    """'dead_low' / 'dead_high' when a variant has two zero-gradient regions."""
    zero = [r for r in parts if r.zero]
    if len(zero) < 2:
        return []
    names = []
    for r in zero:
        names.append("dead_low" if r.lo == -math.inf else "dead_high" if r.hi == math.inf
                     else f"dead_{r.lo:g}_{r.hi:g}")
    return names
