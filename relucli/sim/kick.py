"""Model ``kick``: one large SGD step, and whether the unit survives it.

A unit z = w·x + b, x ~ N(0, I_d), receives the upstream gradient δ > 0 on every
sample, so dL/dz_i = δ·f'(z_i), and takes one SGD step of size c = η·δ on a batch of
B samples: b' = b - c·mean f'(z_i), w' = w - c·mean f'(z_i)·x_i. It is judged on M
fresh samples: DEAD when f'(z') = 0 on all of them, SUPPRESSED when every z' <= 0.

Per unit only (b', |w'|) matters, since z' = w'·x + b' ~ N(b', |w'|²). With s = |w|,
u_i = w·x_i/s ~ N(0, 1) and g_i = f'(s·u_i + b), the step splits along w and across
it: the component of mean g_i x_i along w is A = mean g_i u_i, and the rest is a
mean of g_i times independent N(0, I_{d-1}) vectors, N(0, Σg_i²/B² · I_{d-1}). So

    b' = b - c·mean g_i,   |w'|² = (s - c·A)² + c²·(Σ g_i² / B²)·χ²_{d-1},

drawn without any d-dimensional vector (tests check it against explicit vectors).
With the population gradient (B -> ∞, ``batch=0``), for slopes g_k on (lo_k, hi_k):
E[f'] = Σ g_k (Φ((hi_k-b)/s) - Φ((lo_k-b)/s)) and E[f'·x] = w/s · K(s), K(s) =
Σ g_k (φ((lo_k-b)/s) - φ((hi_k-b)/s)), so b' = b - c·E[f'], s' = s - c·K (signed:
s' < 0 means w flipped) and P(dead) = p_zero(b', |s'|)^M, averaged over s² ~ std²·χ²_d
by quadrature. For ReLU: b' = b - c·Φ(b/s), s' = s - c·φ(b/s); at b = 0 the unit
collapses onto its (negative) bias at c = s·√(2π), and for c -> ∞ b'/|s'| tends to
-√(2π)/2, so death is not monotone in the step.

>>> from relucli.variants import get
>>> relu = get("relu")
>>> round(kick_closed_form(relu, {}, 100, "he", 0.0, 2.5, 100)["dead"], 4)
0.7742
>>> round(collapse_step(relu, {}, 100, "he", 0.0), 4)  # √2 · √(2π)
3.5449
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .. import engine
from ..errors import UsageError
from ..numerics import _erfc
from ..variants import Variant
from .distributions import chi_nodes
from .init import INITS, variant_weight_std
from .regions import regions
from .stats import (Estimate, Progress, _check_choice, _estimate, _no_progress, check_positive,
                    require_piecewise_linear)

#: Elements drawn per chunk (batch and evaluation samples of a block of units).
CHUNK_ELEMENTS = 1 << 18
_SQRT2 = math.sqrt(2.0)


@dataclass
class KickResult:
    """One variant after one step: dead and suppressed fractions (with the population
    closed form), the post-step bias b' and |w'| (means over units, closed forms
    beside), and the step at which the population step takes s' to 0."""

    variant: Variant
    params: dict
    dead: Estimate
    suppressed: Estimate
    mean_bias: Estimate
    mean_abs_scale: Estimate
    collapse_step: float | None
    mode: str | None = None


def slopes(variant: Variant, params: dict) -> list[tuple[float, float, float]]:
    """(lo, hi, signed gradient) of each interval between the variant's kinks (the
    kinks themselves have probability 0 under a continuous z).

    >>> from relucli.variants import get
    >>> slopes(get("relu6"), {})
    [(-inf, 0.0, 0.0), (0.0, 6.0, 1.0), (6.0, inf, 0.0)]
    """
    parts = [r for r in regions(variant, params) if r.lo < r.hi]
    inside = [r.hi - 1 if r.lo == -math.inf else r.lo + 1 if r.hi == math.inf
              else (r.lo + r.hi) / 2 for r in parts]
    grads = engine.gradient(variant, np.array(inside, dtype=float), **params)
    return [(r.lo, r.hi, float(g)) for r, g in zip(parts, grads)]


def _cdf(t):
    t = np.asarray(t, dtype=float)
    return 0.5 * _erfc(-t / _SQRT2)


def _pdf(t):
    t = np.asarray(t, dtype=float)
    with np.errstate(over="ignore"):
        return np.where(np.isinf(t), 0.0, np.exp(-0.5 * t * t) / math.sqrt(2 * math.pi))


def _interval(lo_t, hi_t):
    """Φ(hi) - Φ(lo), from the upper tails where both are positive (no cancellation)."""
    lo_t, hi_t = np.broadcast_arrays(np.asarray(lo_t, float), np.asarray(hi_t, float))
    upper = lo_t > 0  # then Φ(-lo) - Φ(-hi)
    return _cdf(np.where(upper, -lo_t, hi_t)) - _cdf(np.where(upper, -hi_t, lo_t))


def _standardise(edge: float, mean, scale):
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (edge - mean) / scale
    return np.where(np.isnan(t), 0.0, t)  # a kink met exactly by a zero scale


def population_step(parts, bias, s, step):
    """(b', s') after a step ``step`` with the population gradient, for |w| = ``s``
    (an array), ``parts`` from :func:`slopes`.

    >>> b, s = population_step([(-math.inf, 0.0, 0.0), (0.0, math.inf, 1.0)], 0.0, 1.0, 1.0)
    >>> float(b), round(float(s), 6)  # -Φ(0), 1 - φ(0)
    (-0.5, 0.601058)
    """
    s = np.asarray(s, dtype=float)
    mean_grad = np.zeros_like(s)
    along = np.zeros_like(s)
    for lo, hi, g in parts:
        if g == 0:
            continue
        lo_t, hi_t = _standardise(lo, bias, s), _standardise(hi, bias, s)
        mean_grad += g * _interval(lo_t, hi_t)
        along += g * (_pdf(lo_t) - _pdf(hi_t))
    return bias - step * mean_grad, s - step * along


def live_probability(parts, mean, scale):
    """P(f'(z) != 0) for z ~ N(mean, scale²), summed over the non-zero-slope intervals
    (so P(dead on M samples) = exp(M·log1p(-this)) keeps its precision near 1)."""
    total = np.zeros(np.broadcast(np.asarray(mean), np.asarray(scale)).shape)
    for lo, hi, g in parts:
        if g != 0:
            total = total + _interval(_standardise(lo, mean, scale),
                                      _standardise(hi, mean, scale))
    return np.clip(total, 0.0, 1.0)


def kick_std(variant, params, fan_in: int, init: str) -> float:
    """The weights' standard deviation (Xavier as for a square layer, fan-out = fan-in)."""
    return variant_weight_std(init, fan_in, fan_in, variant, params)


def kick_closed_form(variant, params, fan_in: int, init: str, bias: float, step: float,
                     eval_samples: int) -> dict[str, float]:
    """The population-gradient step averaged over |w|² ~ std²·χ²_d (quadrature): P(dead),
    P(suppressed), E[b'] and E|s'|. Exact for ``batch=0``; at a finite batch the step's
    noise across w (c²·E[f'²]·(d-1)/B added to |w'|² on average) is left out."""
    t, weights = chi_nodes(fan_in)
    s = kick_std(variant, params, fan_in, init) * t
    parts = slopes(variant, params)
    b2, s2 = population_step(parts, bias, s, step)
    scale = np.abs(s2)
    above = _interval(_standardise(0.0, b2, scale), np.inf)  # P(z' > 0)
    with np.errstate(divide="ignore"):  # log1p(-1) = -inf: certainly alive
        dead = np.exp(eval_samples * np.log1p(-live_probability(parts, b2, scale)))
        suppressed = np.exp(eval_samples * np.log1p(-np.clip(above, 0.0, 1.0)))
    if all(g != 0 for _, _, g in parts):  # the leaky family: no zero slope, never dead
        dead = np.zeros_like(dead)  # (the sum of the intervals' mass rounds below 1)
    return {"dead": float(weights @ dead), "suppressed": float(weights @ suppressed),
            "mean_bias": float(weights @ b2), "mean_abs_scale": float(weights @ scale)}


def collapse_step(variant, params, fan_in: int, init: str, bias: float) -> float | None:
    """The step that takes s' to 0 for the typical s = std·√d: s / K(s) (ReLU at bias 0:
    s·√(2π)); None when the population step does not shrink w (K <= 0)."""
    s = kick_std(variant, params, fan_in, init) * math.sqrt(fan_in)
    _, shrink = population_step(slopes(variant, params), bias, s, 1.0)
    along = s - float(shrink)
    return s / along if along > 0 else None


def sample_step(rng, parts, bias, s, step: float, batch: int, fan_in: int, u=None,
                chi2=None):
    """(b', |w'|) of one finite-batch step for each |w| in ``s`` (module docstring):
    ``u`` the (units, batch) projections w·x_i/|w|, ``chi2`` the χ²_{d-1} draws (drawn
    from ``rng`` when not given)."""
    s = np.asarray(s, dtype=float)
    if u is None:
        u = rng.standard_normal((len(s), batch))
    if chi2 is None:
        chi2 = _chi2_across(rng, fan_in, len(s))
    return _finish_step(_batch_sums(parts, bias, s, u), bias, s, step, batch, chi2)


def _chi2_across(rng, fan_in: int, n: int):
    """χ²_{d-1}: |Σ g_i v_i|² / Σ g_i² for the components v_i of x_i across w."""
    return rng.chisquare(fan_in - 1, n) if fan_in > 1 else np.zeros(n)


def _batch_sums(parts, bias, s, u):
    """Σ g_i, Σ g_i·u_i and Σ g_i² over the columns of ``u``, g_i = f'(s·u_i + b)."""
    z = s[:, None] * u + bias
    g = np.zeros_like(z)
    for lo, hi, slope in parts:
        if slope != 0:
            g[(z > lo) & (z < hi)] = slope  # a kink itself: probability 0
    return np.array([g.sum(axis=1), np.einsum("ij,ij->i", g, u), np.einsum("ij,ij->i", g, g)])


def _finish_step(sums, bias, s, step, batch, chi2):
    total_g, total_gu, total_g2 = sums
    across = step * step * total_g2 / (batch * batch) * chi2
    return bias - step * total_g / batch, np.sqrt((s - step * total_gu / batch) ** 2 + across)


def check_kick(step: float, batch: int, eval_samples: int) -> None:
    if not (math.isfinite(step) and step > 0):
        raise UsageError(f"--step must be a positive finite number (η·δ), got {step}")
    if batch < 0:
        raise UsageError(f"--batch must be 0 (the population gradient) or more, got {batch}")
    check_positive(eval_samples=eval_samples)


def simulate_kick(
    variants: Sequence[Variant],
    params: dict[str, dict],
    step: float,
    fan_in: int,
    units: int,
    batch: int,
    eval_samples: int,
    rng: np.random.Generator,
    init: str = "he",
    bias: float = 0.0,
    progress: Progress = _no_progress,
) -> list[KickResult]:
    """Model ``kick``: ``units`` independent units, each one step (``batch`` = 0: the
    population gradient) and then ``eval_samples`` fresh z' = b' + |w'|·N(0, 1).

    All variants see the same draws (|w|/std, the projections, the χ²_{d-1} and the
    evaluation normals). A unit is dead when all of its z' lie in the variant's
    zero-gradient set (the union of its regions, e.g. ReLU6's z' <= 0 or >= 6)."""
    check_positive(fan_in=fan_in, units=units)
    require_piecewise_linear(variants, "kick")
    check_kick(step, batch, eval_samples)
    _check_choice("init", init, INITS)
    if not math.isfinite(bias):
        raise UsageError(f"--bias must be a finite number, got {bias}")
    resolved = {v.name: v.resolve_params(params.get(v.name, {})) for v in variants}
    parts = {v.name: slopes(v, resolved[v.name]) for v in variants}
    zero = {v.name: [r for r in regions(v, resolved[v.name]) if r.zero] for v in variants}
    stds = {v.name: kick_std(v, resolved[v.name], fan_in, init) for v in variants}
    tally = {v.name: {"dead": 0, "suppressed": 0, "bias": 0.0, "bias_sq": 0.0,
                      "scale": 0.0, "scale_sq": 0.0} for v in variants}
    rows = max(1, CHUNK_ELEMENTS // max(batch, eval_samples))
    piece = min(CHUNK_ELEMENTS, max(batch, eval_samples))  # columns drawn at a time
    total, done = units * (batch + eval_samples), 0
    for start in range(0, units, rows):
        n = min(rows, units - start)
        t = np.sqrt(rng.chisquare(fan_in, n))
        sums = {v.name: np.zeros((3, n)) for v in variants}
        for b0 in range(0, batch, piece):
            u = rng.standard_normal((n, min(piece, batch - b0)))
            for v in variants:
                sums[v.name] += _batch_sums(parts[v.name], bias, stds[v.name] * t, u)
            done += u.size
            progress(done, total)
        chi2 = _chi2_across(rng, fan_in, n) if batch else None
        after = {}
        for v in variants:
            s = stds[v.name] * t
            if batch:
                after[v.name] = _finish_step(sums[v.name], bias, s, step, batch, chi2)
            else:
                b2, s2 = population_step(parts[v.name], bias, s, step)
                after[v.name] = b2, np.abs(s2)
        e_min, e_max = np.full(n, np.inf), np.full(n, -np.inf)
        inside = {v.name: np.ones(n, bool) for v in variants if len(zero[v.name]) > 1}
        for m0 in range(0, eval_samples, piece):
            e = rng.standard_normal((n, min(piece, eval_samples - m0)))
            np.minimum(e_min, e.min(axis=1), out=e_min)
            np.maximum(e_max, e.max(axis=1), out=e_max)
            for name in inside:
                inside[name] &= _all_in_zero(zero[name], *after[name], e)
            done += e.size
            progress(done, total)
        for v in variants:
            b2, scale = after[v.name]
            record = tally[v.name]
            record["suppressed"] += int(np.count_nonzero(b2 + scale * e_max <= 0))
            record["dead"] += int(np.count_nonzero(
                inside[v.name] if v.name in inside else
                _all_in_interval(zero[v.name], b2, scale, e_min, e_max)))
            record["bias"] += float(b2.sum())
            record["bias_sq"] += float(np.square(b2).sum())
            record["scale"] += float(scale.sum())
            record["scale_sq"] += float(np.square(scale).sum())
    results = []
    for v in variants:
        p, record = resolved[v.name], tally[v.name]
        exact = kick_closed_form(v, p, fan_in, init, bias, step, eval_samples)
        results.append(KickResult(
            variant=v, params=p,
            dead=_estimate(record["dead"], units, exact["dead"]),
            suppressed=_estimate(record["suppressed"], units, exact["suppressed"]),
            mean_bias=_mean(record["bias"], record["bias_sq"], units, exact["mean_bias"]),
            mean_abs_scale=_mean(record["scale"], record["scale_sq"], units,
                                 exact["mean_abs_scale"]),
            collapse_step=collapse_step(v, p, fan_in, init, bias)))
    return results


def _all_in_interval(zero, b2, scale, e_min, e_max):
    """Per unit: every z' = b2 + scale·e in the one zero-gradient interval (or none),
    which only the smallest and largest draw decide."""
    if not zero:
        return np.zeros(len(b2), bool)
    return (b2 + scale * e_min >= zero[0].lo) & (b2 + scale * e_max <= zero[0].hi)


def _all_in_zero(zero, b2, scale, e):
    """Per unit: every z' of these draws in the union of the zero-gradient regions."""
    z = b2[:, None] + scale[:, None] * e
    inside = np.zeros(z.shape, bool)
    for r in zero:
        inside |= (z >= r.lo) & (z <= r.hi)
    return inside.all(axis=1)


def _mean(total: float, total_sq: float, n: int, exact: float) -> Estimate:
    mean = total / n
    var = max(total_sq / n - mean * mean, 0.0)
    result = Estimate(mean, math.sqrt(var / n), exact)
    if result.stderr > 0:
        result._z = (mean - exact) / result.stderr
    return result
