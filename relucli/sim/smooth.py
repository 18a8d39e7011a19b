"""Smooth variants (Sigmoid, GELU, ...): nearly dead instead of dead.

Their gradient is never exactly 0, so a unit is *nearly dead* when |f'(z)| <
near_zero for the whole batch; the set where that holds is found numerically, and
the closed form integrates against the distribution by quadrature.
"""

from __future__ import annotations

import math

import numpy as np

from .. import engine
from ..variants import Variant
from .distributions import Distribution


def near_zero_set(variant: Variant, params: dict, near_zero: float,
                  span: float = 60.0) -> list[tuple[float, float]]:
    """The intervals where |f'(x)| < near_zero, found on a fine grid over [-span, span]
    (refined by bisection) and extended to ±inf where the condition holds at the ends
    (every smooth variant here is monotone in its tails)."""
    x = np.linspace(-span, span, 1_200_001)
    small = np.abs(engine.gradient(variant, x, **params)) < near_zero

    def edge(a: float, b: float) -> float:  # small(a) != small(b): bisect
        fa = abs(float(engine.gradient(variant, np.array([a]), **params)[0])) < near_zero
        for _ in range(60):
            m = (a + b) / 2
            if (abs(float(engine.gradient(variant, np.array([m]), **params)[0])) < near_zero) == fa:
                a = m
            else:
                b = m
        return (a + b) / 2

    intervals = []
    changes = np.flatnonzero(np.diff(small.astype(np.int8)))
    start = -math.inf if small[0] else None
    for i in changes:
        boundary = edge(x[i], x[i + 1])
        if start is None:
            start = boundary
        else:
            intervals.append((start, boundary))
            start = None
    if start is not None:
        intervals.append((start, math.inf))
    return intervals


def smooth_closed_form(variant: Variant, params: dict, dist: Distribution, batch: int,
                       near_zero: float) -> dict[str, float]:
    """P(nearly dead) = P(z in the near-zero set)^B; P(suppressed) = P(z <= 0)^B;
    E|gradient| by quadrature of |f'(z)| against the distribution."""
    p_small = sum(dist.probability(lo, hi)
                  for lo, hi in near_zero_set(variant, params, near_zero))
    # E|f'(z)|: the trapezoid rule on the CDF's quantile grid would need the inverse CDF;
    # instead integrate over z with the density from CDF differences on a fine grid
    lo_z = dist.mean - 40 * dist.std
    hi_z = dist.mean + 40 * dist.std
    edges = np.linspace(lo_z, hi_z, 400_001)
    cdf = np.array([dist.cdf(v) for v in edges[::100]])  # coarse CDF, then interpolate
    cdf = np.interp(edges, edges[::100], cdf)
    mass = np.diff(cdf)
    mid = (edges[:-1] + edges[1:]) / 2
    mean_abs = float(np.sum(np.abs(engine.gradient(variant, mid, **params)) * mass))
    return {"dead": min(1.0, max(0.0, p_small)) ** batch,
            "suppressed": dist.cdf(0.0) ** batch, "mean_abs_grad": mean_abs}
