"""Counting, per unit, how many pre-activations fall in each region of every variant.

The unit model never needs a per-sample gradient for the piecewise-linear variants:
counts below a few cuts decide dead, dead low/high/mixed and suppressed, and give
E|gradient| through each region's constant gradient.
"""

from __future__ import annotations

import math

import numpy as np

from .regions import Region, _part_names


def _empty_tally(names) -> dict[str, dict[str, float]]:
    keys = ("dead", "suppressed", "abs_grad", "abs_grad_sq", "dead_low", "dead_high", "dead_mixed")
    return {n: dict.fromkeys(keys, 0.0) for n in names}


def _comparisons(own_regions: dict[str, list[Region]]) -> list[tuple[float, bool]]:
    """The (cut, inclusive) pairs whose per-unit counts n(z < cut) or n(z <= cut) are
    needed to count every variant's regions, plus n(z <= 0) for "suppressed"."""
    needed = {(0.0, True)}
    for parts in own_regions.values():
        for r in parts:
            if not math.isinf(r.hi):
                needed.add((r.hi, r.hi_closed))
            if not math.isinf(r.lo):
                needed.add((r.lo, not r.lo_closed))
    return sorted(needed)


def _region_counts(region: Region, below: dict, batch: int) -> np.ndarray:
    """Samples per unit in ``region`` from the counts n(z < c) / n(z <= c)."""
    upper = batch if math.isinf(region.hi) else below[(region.hi, region.hi_closed)]
    lower = 0 if math.isinf(region.lo) else below[(region.lo, not region.lo_closed)]
    return upper - lower


def _tally_counts(tally, variants, own_regions, below, batch) -> np.ndarray:
    """Add one chunk of units, given per-unit counts below each needed cut; returns
    which units were suppressed (every pre-activation <= 0)."""
    suppressed = below[(0.0, True)] == batch
    for v in variants:
        t = tally[v.name]
        parts = own_regions[v.name]
        counts = [_region_counts(r, below, batch) for r in parts]
        zero = [c for c, r in zip(counts, parts) if r.zero]
        dead = sum(zero) == batch if zero else np.zeros(len(suppressed), bool)
        t["dead"] += int(np.count_nonzero(dead))
        t["suppressed"] += int(np.count_nonzero(suppressed))
        for c, r in zip(counts, parts):
            total = float(np.sum(c, dtype=np.float64))
            t["abs_grad"] += total * r.mean_abs_grad
            t["abs_grad_sq"] += total * r.mean_sq_grad
        names = _part_names(parts)
        if names:
            whole = np.zeros(len(suppressed), bool)
            for name, c in zip(names, zero):
                flags = c == batch
                t[name] += int(np.count_nonzero(flags))
                whole |= flags
            t["dead_mixed"] += int(np.count_nonzero(dead & ~whole))
    return suppressed
