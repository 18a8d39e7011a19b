"""Model ``unit``: independent units, each seeing a batch of i.i.d. pre-activations.

The closed form, and the Monte Carlo estimate by drawing every sample (in chunks,
memory flat) or only the per-unit counts (one multinomial draw).
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from .. import engine
from ..errors import UsageError
from ..variants import Variant
from .distributions import Distribution
from .regions import Region, _part_names, regions
from .smooth import smooth_closed_form
from .stats import (Estimate, Progress, VariantResult, check_positive, _estimate,
                    _no_progress)
from .tallies import _comparisons, _empty_tally, _tally_counts


#: Elements generated per step: the batch of samples for a block of units. 2^18 (1 MiB
#: of float32) rather than 2^16: with the five family variants the per-chunk Python
#: work (comparisons, tallies) took 0.78-0.83x of the RNG rate down to 0.95-1.0x
#: (benchmarks/bench.py, dying); the samples of a unit are the same either way while
#: the batch fits in a chunk.
CHUNK_ELEMENTS = 1 << 18


def unit_closed_form(variant: Variant, params: dict, dist: Distribution, batch: int,
                     training: bool = False,
                     parts: list[Region] | None = None) -> dict[str, float]:
    """Exact probabilities for a unit seeing ``batch`` i.i.d. pre-activations.

    With p_i = P(z in region i): P(dead) = (sum of p_i over zero-gradient regions)^B;
    P(dead in region i alone) = p_i^B (dead low, dead high), and mixed is the rest;
    P(suppressed) = P(z <= 0)^B; E|gradient| = sum p_i E|g_i|. ``parts``: the
    variant's :func:`regions`, when the caller already has them.
    """
    if parts is None:
        parts = regions(variant, params, training)
    probs = [dist.probability(r.lo, r.hi) for r in parts]
    zero = [p for p, r in zip(probs, parts) if r.zero]
    result = {
        "dead": sum(zero) ** batch if zero else 0.0,
        "suppressed": dist.cdf(0.0) ** batch,
        "mean_abs_grad": sum(p * r.mean_abs_grad for p, r in zip(probs, parts)),
    }
    names = _part_names(parts)
    if names:
        singles = {name: p ** batch for name, p in zip(names, zero)}
        singles["dead_mixed"] = max(0.0, result["dead"] - sum(singles.values()))
        result.update(singles)
    return result


def simulate_units(
    variants: Sequence[Variant],
    params: dict[str, dict],
    dist: Distribution,
    units: int,
    batch: int,
    rng: np.random.Generator,
    training: bool = False,
    method: str = "samples",
    progress: Progress = _no_progress,
    near_zero: float = 1e-3,
) -> list[VariantResult]:
    """Model ``unit``: each of ``units`` units sees ``batch`` i.i.d. pre-activations.

    Smooth variants (Sigmoid, GELU, ...) never have an exactly zero gradient: for them
    "dead" means *nearly dead*, |gradient| < ``near_zero`` for every sample, and the
    closed form is P(z in {x: |f'(x)| < near_zero})^B with that set found numerically.

    ``method="samples"`` draws every pre-activation (in chunks of CHUNK_ELEMENTS, so
    memory stays flat) and counts, per unit, how many fall in each region where the
    variant's gradient is constant (the regions come from the engine: see
    :func:`regions`); all variants see the same samples. ``method="counts"`` draws
    only those counts (a multinomial: a sufficient statistic, equal in distribution).
    In both, random RReLU slopes enter E|gradient| through their mean, which leaves it
    unbiased.
    """
    check_positive(units=units, batch=batch)
    if method not in ("samples", "counts"):
        raise UsageError(f"unknown --method '{method}' (samples or counts)")
    if not (math.isfinite(near_zero) and near_zero > 0):
        raise UsageError(f"--near-zero must be a positive number, got {near_zero}")
    resolved = {v.name: v.resolve_params(params.get(v.name, {})) for v in variants}
    linear = [v for v in variants if v.piecewise_linear]
    smooth = [v for v in variants if not v.piecewise_linear]
    if smooth and method == "counts":
        raise UsageError(f"--method counts needs piecewise-linear variants; "
                         f"{', '.join(v.name for v in smooth)} need --method samples")
    if method == "counts":
        tallies = _unit_counts(linear, resolved, dist, units, batch, rng, training, progress)
    else:
        tallies = _unit_samples(linear, smooth, resolved, dist, units, batch, rng, training,
                                near_zero, progress)
    results = []
    for v in variants:
        if v.piecewise_linear:
            exact = unit_closed_form(v, resolved[v.name], dist, batch, training)
        else:
            exact = smooth_closed_form(v, resolved[v.name], dist, batch, near_zero)
        t = tallies[v.name]
        parts = {name: _estimate(t[name], units, exact.get(name))
                 for name in ("dead_low", "dead_high", "dead_mixed") if name in exact}
        grad_se = t["abs_grad_sq"] / (units * batch) - (t["abs_grad"] / (units * batch)) ** 2
        mean_grad = Estimate(t["abs_grad"] / (units * batch),
                             math.sqrt(max(grad_se, 0) / (units * batch)), exact["mean_abs_grad"])
        results.append(VariantResult(
            variant=v, params=resolved[v.name],
            mode=("train" if training else "eval") if v.stochastic else None,
            dead=_estimate(t["dead"], units, exact["dead"]),
            suppressed=_estimate(t["suppressed"], units, exact["suppressed"]),
            mean_abs_grad=mean_grad, parts=parts,
        ))
    return results


def _unit_samples(linear, smooth, resolved, dist, units, batch, rng, training, near_zero,
                  progress):
    """Draw every pre-activation, CHUNK_ELEMENTS at a time, one stream for all variants.

    Piecewise-linear variants (``linear``): count per unit how many fall below each
    cut; no per-sample gradient is needed, since the gradient is constant on each
    region (random RReLU slopes enter through their mean). Smooth variants: the
    engine's gradient per sample; a unit is nearly dead when |gradient| < near_zero
    for the whole batch. "Suppressed" (every pre-activation <= 0) comes from the same
    count for both, so their rows agree on it.
    """
    own = {v.name: regions(v, resolved[v.name], training) for v in linear}
    needed = _comparisons(own)
    tally = _empty_tally(v.name for v in [*linear, *smooth])
    per_row = min(batch, CHUNK_ELEMENTS)
    rows = max(1, CHUNK_ELEMENTS // per_row)
    buffer = np.empty((rows, per_row), dtype=np.float32)
    flags = np.empty((rows, per_row), dtype=bool)
    values = np.empty_like(buffer) if smooth else None
    grad = np.empty_like(buffer) if smooth else None
    # Compare the standard draws with the cuts mapped back, (c - mean)/std, rather than
    # transforming every sample: the same events, two passes fewer.
    standard = dist.standard()
    with np.errstate(over="ignore"):  # a cut 1e300 standard deviations out is ±inf
        mapped = {key: np.float32((key[0] - dist.mean) / dist.std) for key in needed}
    done = 0
    for start in range(0, units, rows):
        n_units = min(rows, units - start)
        below = {key: np.zeros(n_units, np.int64) for key in needed}
        alive = {v.name: np.zeros(n_units, bool) for v in smooth}
        for b0 in range(0, batch, per_row):
            nb = min(per_row, batch - b0)
            z = buffer[:n_units, :nb]
            standard.sample(rng, z)
            f = flags[:n_units, :nb]
            for key in needed:
                (np.less_equal if key[1] else np.less)(z, mapped[key], out=f)
                below[key] += np.count_nonzero(f, axis=1)
            if smooth:
                x = values[:n_units, :nb]  # as dist.sample makes them: z*std + mean
                np.multiply(z, np.float32(dist.std), out=x)
                np.add(x, np.float32(dist.mean), out=x)
                g = grad[:n_units, :nb]
                for v in smooth:
                    engine.gradient(v, x, out=g, **resolved[v.name])
                    a = np.abs(g, dtype=np.float64)
                    alive[v.name] |= (a >= near_zero).any(axis=1)
                    tally[v.name]["abs_grad"] += float(a.sum())
                    tally[v.name]["abs_grad_sq"] += float(np.square(a).sum())
            done += n_units * nb
            progress(done, units * batch)
        suppressed = int(np.count_nonzero(_tally_counts(tally, linear, own, below, batch)))
        for v in smooth:
            tally[v.name]["dead"] += int(np.count_nonzero(~alive[v.name]))
            tally[v.name]["suppressed"] += suppressed
    return tally


def _unit_counts(variants, resolved, dist, units, batch, rng, training, progress):
    """Per unit, only how many samples fall in each interval between the cuts: one
    multinomial draw (the probability of hitting a cut exactly is 0)."""
    own = {v.name: regions(v, resolved[v.name], training) for v in variants}
    needed = _comparisons(own)
    cuts = sorted({c for c, _ in needed})
    edges = [-math.inf, *cuts, math.inf]
    probs = np.array([dist.probability(lo, hi) for lo, hi in zip(edges[:-1], edges[1:])])
    probs = np.clip(probs, 0, None)
    probs /= probs.sum()
    tally = _empty_tally(v.name for v in variants)
    step = 1 << 18
    for start in range(0, units, step):
        n = min(step, units - start)
        cumulative = np.cumsum(rng.multinomial(batch, probs, size=n), axis=1)
        below = {key: cumulative[:, cuts.index(key[0])] for key in needed}
        _tally_counts(tally, variants, own, below, batch)
        progress(start + n, units)
    return tally
