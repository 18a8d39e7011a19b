"""Dying-neuron simulations: pure NumPy, no printing; progress through a callback.

Definitions (used exactly, and printed by ``relu dying-sim --help``):

* A unit is **dead on a batch** when its gradient with respect to its pre-activation
  is exactly 0 for every sample of the batch. ReLU: every pre-activation <= 0.
  ReLU6: every pre-activation <= 0 or >= 6, split into *dead low* (all <= 0), *dead
  high* (all >= 6) and *dead mixed* (some <= 0, the rest >= 6).
* LeakyReLU, PReLU and RReLU never have a zero gradient (for a non-zero slope), so
  their strict dead fraction is 0; the **suppressed** fraction (every pre-activation
  <= 0, the event that kills a ReLU unit) and the **mean gradient magnitude** make the
  comparison with ReLU honest.
* RReLU follows PyTorch: in training, a slope r ~ U(lower, upper) per element (the
  original paper samples 1/a with a ~ U(3, 8) instead); in evaluation, (lower+upper)/2.

Everything is computed from the registry: the zero-gradient regions of a variant are
the intervals between its kinks where the engine's gradient is 0, so a new
piecewise-linear variant needs no change here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from . import engine
from .errors import UsageError
from .registry import Variant

Progress = Callable[[int, int], None]  # (done, total)

#: Elements generated per step: the batch of samples for a block of units.
CHUNK_ELEMENTS = 1 << 16


def _no_progress(done: int, total: int) -> None:
    pass


# --------------------------------------------------------------------------------------
# Distributions of pre-activations


@dataclass(frozen=True)
class Distribution:
    """Pre-activations z = mean + std * e with e standard normal, uniform (scaled to
    unit variance), Student-t with ``df`` degrees of freedom (scale ``std``), or
    ``outliers``: normal, except that a fraction ``outlier_fraction`` of the samples
    has ``outlier_scale`` times the standard deviation."""

    kind: str = "normal"
    mean: float = 0.0
    std: float = 1.0
    df: float = 3.0
    outlier_fraction: float = 0.01
    outlier_scale: float = 10.0

    def __post_init__(self) -> None:
        if self.kind not in ("normal", "uniform", "t", "outliers"):
            raise UsageError(f"unknown distribution '{self.kind}' (normal, uniform, t or outliers)")
        if not (math.isfinite(self.std) and self.std > 0):
            raise UsageError(f"--std must be a positive number, got {self.std}")
        if not math.isfinite(self.mean):
            raise UsageError(f"--mean must be finite, got {self.mean}")
        if self.kind == "t" and not (math.isfinite(self.df) and self.df > 0):
            raise UsageError(f"--df must be positive, got {self.df}")
        if self.kind == "outliers":
            if not 0 <= self.outlier_fraction <= 1:
                raise UsageError(f"--outlier-fraction must be in [0, 1], got {self.outlier_fraction}")
            if not (math.isfinite(self.outlier_scale) and self.outlier_scale > 0):
                raise UsageError(f"--outlier-scale must be positive, got {self.outlier_scale}")

    def cdf(self, t: float) -> float:
        """P(z <= t)."""
        if t == math.inf:
            return 1.0
        if t == -math.inf:
            return 0.0
        u = (t - self.mean) / self.std
        if self.kind == "normal":
            return _phi(u)
        if self.kind == "uniform":
            half = math.sqrt(3)
            return min(1.0, max(0.0, (u + half) / (2 * half)))
        if self.kind == "outliers":
            p = self.outlier_fraction
            return (1 - p) * _phi(u) + p * _phi(u / self.outlier_scale)
        return student_t_cdf(u, self.df)

    def sample(self, rng: np.random.Generator, out: np.ndarray) -> None:
        """Fill ``out`` (float32 or float64) with samples."""
        if self.kind in ("normal", "outliers"):
            rng.standard_normal(out=out, dtype=out.dtype)
            if self.kind == "outliers" and self.outlier_fraction:
                wide = rng.random(out.shape) < self.outlier_fraction
                out[wide] *= self.outlier_scale
        elif self.kind == "uniform":
            rng.random(out=out, dtype=out.dtype)
            out -= 0.5
            out *= 2 * math.sqrt(3)
        else:
            out[...] = rng.standard_t(self.df, size=out.shape)
        if self.std != 1:
            out *= self.std
        if self.mean != 0:
            out += self.mean

    def shifted(self, bias: float) -> "Distribution":
        return Distribution(self.kind, self.mean + bias, self.std, self.df,
                            self.outlier_fraction, self.outlier_scale)

    def standard(self) -> "Distribution":
        return Distribution(self.kind, 0.0, 1.0, self.df, self.outlier_fraction,
                            self.outlier_scale)

    def describe(self) -> str:
        if self.kind == "normal":
            return f"N({self.mean:g}, {self.std:g}²)"
        if self.kind == "uniform":
            return f"uniform with mean {self.mean:g}, sd {self.std:g}"
        if self.kind == "outliers":
            return (f"N({self.mean:g}, {self.std:g}²) with {100 * self.outlier_fraction:g}% "
                    f"at {self.outlier_scale:g}x the sd")
        return f"{self.mean:g} + {self.std:g}·t({self.df:g})"


def _phi(u: float) -> float:
    return 0.5 * math.erfc(-u / math.sqrt(2))


def student_t_cdf(t: float, df: float) -> float:
    """CDF of Student's t: 1 - I_x(df/2, 1/2)/2 for t > 0 with x = df/(df + t²),
    the regularised incomplete beta by its continued fraction (Lentz's method)."""
    x = df / (df + t * t)
    tail = 0.5 * _betainc(df / 2, 0.5, x)
    return 1 - tail if t > 0 else tail


def _betainc(a: float, b: float, x: float) -> float:
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                 + a * math.log(x) + b * math.log1p(-x))
    if x > (a + 1) / (a + b + 2):
        return 1 - _betainc(b, a, 1 - x)
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 500):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= c * d
        if abs(c * d - 1) < 1e-15:
            break
    return math.exp(log_front) * result / a


# --------------------------------------------------------------------------------------
# Where a variant's gradient is zero, from the registry and the engine


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


# --------------------------------------------------------------------------------------
# Results


@dataclass
class Estimate:
    """A Monte Carlo fraction beside its closed form, when one exists."""

    value: float
    stderr: float
    closed_form: float | None = None

    @property
    def z(self) -> float | None:
        """(estimate - exact) in standard errors of the estimate under the exact value;
        None without a closed form, or when the exact value is 0 or 1 and was met."""
        return None if self.closed_form is None else self._z

    _z: float | None = None


def _estimate(count: float, n: int, exact: float | None) -> Estimate:
    p = count / n if n else math.nan
    stderr = math.sqrt(max(p * (1 - p), 0.0) / n) if n else math.nan
    result = Estimate(p, stderr, exact)
    if exact is not None and n:
        null_se = math.sqrt(max(exact * (1 - exact), 0.0) / n)
        if null_se > 0:
            result._z = (p - exact) / null_se
        elif p != exact:  # an impossible (or certain) event that happened (or did not)
            result._z = math.inf
    return result


@dataclass
class VariantResult:
    """One variant's numbers for one run of a model."""

    variant: Variant
    params: dict
    mode: str | None
    dead: Estimate
    suppressed: Estimate
    mean_abs_grad: Estimate
    parts: dict[str, Estimate] = field(default_factory=dict)  # dead_low / high / mixed
    extra: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------------------
# Model 1: independent units


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
    probs = [dist.cdf(r.hi) - dist.cdf(r.lo) for r in parts]
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
    _check_positive(units=units, batch=batch)
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
    p_small = sum(dist.cdf(hi) - dist.cdf(lo)
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


def _unit_counts(variants, resolved, dist, units, batch, rng, training, progress):
    """Per unit, only how many samples fall in each interval between the cuts: one
    multinomial draw (the probability of hitting a cut exactly is 0)."""
    own = {v.name: regions(v, resolved[v.name], training) for v in variants}
    needed = _comparisons(own)
    cuts = sorted({c for c, _ in needed})
    edges = [-math.inf, *cuts, math.inf]
    probs = np.array([dist.cdf(hi) - dist.cdf(lo) for lo, hi in zip(edges[:-1], edges[1:])])
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


def require_piecewise_linear(variants: Sequence[Variant]) -> None:
    """The depth model follows the linear pieces of the network, which only
    piecewise-linear variants have."""
    smooth = [v.name for v in variants if not v.piecewise_linear]
    if smooth:
        raise UsageError(
            f"the depth model decides 'born dead' exactly for piecewise-linear variants; "
            f"{', '.join(smooth)} {'is' if len(smooth) == 1 else 'are'} smooth"
        )


def _check_positive(**values: int) -> None:
    for name, value in values.items():
        if value < 1:
            raise UsageError(f"--{name.replace('_', '-')} must be at least 1, got {value}")


# --------------------------------------------------------------------------------------
# Model 2: a dense layer

INITS = {
    "he": lambda fan_in, fan_out: math.sqrt(2 / fan_in),
    "xavier": lambda fan_in, fan_out: math.sqrt(2 / (fan_in + fan_out)),
    "lecun": lambda fan_in, fan_out: math.sqrt(1 / fan_in),
}
LAYER_INPUTS = ("gaussian", "uniform01", "post-relu")


def _check_choice(name: str, value: str, allowed) -> None:
    if value not in allowed:
        raise UsageError(f"unknown --{name} '{value}' (choose from {', '.join(allowed)})")


def _layer_inputs(kind: str, rng, shape) -> np.ndarray:
    if kind == "gaussian":
        return rng.standard_normal(shape)
    if kind == "uniform01":
        return rng.random(shape)
    return np.maximum(rng.standard_normal(shape), 0)  # the output of a ReLU layer


def layer_closed_form(variant, params, inputs, init, fan_in, units, batch, bias, bias_std,
                      training=False) -> dict[str, float] | None:
    """For Gaussian inputs, fixed weights w and a fixed bias b, the B pre-activations
    of a unit are i.i.d. N(b, |w|²); |w|² = s² χ²(fan_in). So P(dead) is the unit
    formula averaged over that χ² law (numerical quadrature, 1e-9 accurate). With
    random biases or other inputs there is no closed form."""
    if inputs != "gaussian" or bias_std:
        return None
    scale = INITS[init](fan_in, units)
    k = fan_in
    # χ²(k) density on a grid wide enough to hold all but ~1e-12 of the mass
    lo = max(1e-12, k - 14 * math.sqrt(2 * k))
    hi = k + 14 * math.sqrt(2 * k) + 20
    grid = np.linspace(lo, hi, 4001)
    log_pdf = ((k / 2 - 1) * np.log(grid) - grid / 2 - (k / 2) * math.log(2)
               - math.lgamma(k / 2))
    integrate = np.trapezoid if hasattr(np, "trapezoid") else np.trapz  # NumPy < 2: trapz
    weights = np.exp(log_pdf)
    weights /= integrate(weights, grid)
    parts = regions(variant, params, training)  # the same at every grid point
    totals: dict[str, np.ndarray] = {}
    for i, chi2 in enumerate(grid):
        std = scale * math.sqrt(chi2)
        exact = unit_closed_form(variant, params, Distribution("normal", bias, std), batch,
                                 training, parts)
        for key, value in exact.items():
            totals.setdefault(key, np.zeros(len(grid)))[i] = value
    return {key: float(integrate(values * weights, grid)) for key, values in totals.items()}


def simulate_layer(
    variants: Sequence[Variant],
    params: dict[str, dict],
    fan_in: int,
    units: int,
    batch: int,
    trials: int,
    rng: np.random.Generator,
    init: str = "he",
    inputs: str = "gaussian",
    bias: float = 0.0,
    bias_std: float = 0.0,
    training: bool = False,
    progress: Progress = _no_progress,
    near_zero: float = 1e-3,
) -> list[VariantResult]:
    """Model ``layer``: z = x W^T + b for a batch of inputs, ``trials`` fresh layers.

    The units of one layer share the batch, so the standard error comes from the
    spread between trials (and from the binomial formula with a single trial).
    """
    _check_positive(fan_in=fan_in, units=units, batch=batch, trials=trials)
    _check_choice("init", init, INITS)
    _check_choice("inputs", inputs, LAYER_INPUTS)
    if not (math.isfinite(bias) and math.isfinite(bias_std) and bias_std >= 0):
        raise UsageError("--bias must be finite and --bias-std finite and >= 0")
    resolved = {v.name: v.resolve_params(params.get(v.name, {})) for v in variants}
    scale = INITS[init](fan_in, units)
    slope_rng = rng.spawn(1)[0]
    per_trial = {v.name: {"dead": [], "suppressed": [], "abs_grad": [], "parts": {}}
                 for v in variants}
    own_regions = {v.name: regions(v, resolved[v.name], training and v.stochastic)
                   for v in variants}
    for trial in range(trials):
        weights = rng.standard_normal((units, fan_in)) * scale
        b = bias + (rng.standard_normal(units) * bias_std if bias_std else 0.0)
        x = _layer_inputs(inputs, rng, (batch, fan_in))
        z = x @ weights.T + b  # (batch, units): units on axis 1, PReLU's channel axis
        suppressed = float(np.mean((z <= 0).all(axis=0)))
        for v in variants:
            is_training = training and v.stochastic
            r = engine.evaluate(v, z, training=is_training, rng=slope_rng, **resolved[v.name])
            # smooth variants: nearly dead, |gradient| < near_zero for the whole batch
            dead = ((r.grad == 0) if v.piecewise_linear
                    else (np.abs(r.grad) < near_zero)).all(axis=0)
            record = per_trial[v.name]
            record["dead"].append(float(dead.mean()))
            record["suppressed"].append(suppressed)
            record["abs_grad"].append(float(np.abs(r.grad).mean()))
            own = own_regions[v.name]
            names = _part_names(own)
            if names:
                whole = np.zeros(units, bool)
                for name, region in zip(names, [g for g in own if g.zero]):
                    flags = ((z >= region.lo) & (z <= region.hi)).all(axis=0)
                    record["parts"].setdefault(name, []).append(float(flags.mean()))
                    whole |= flags
                record["parts"].setdefault("dead_mixed", []).append(float((dead & ~whole).mean()))
        progress(trial + 1, trials)
    results = []
    for v in variants:
        exact = layer_closed_form(v, resolved[v.name], inputs, init, fan_in, units, batch,
                                  bias, bias_std, training) if v.piecewise_linear else None
        record = per_trial[v.name]

        def estimate(values, key):
            return _trial_estimate(values, units, None if exact is None else exact.get(key))

        results.append(VariantResult(
            variant=v, params=resolved[v.name],
            mode=("train" if training else "eval") if v.stochastic else None,
            dead=estimate(record["dead"], "dead"),
            suppressed=estimate(record["suppressed"], "suppressed"),
            mean_abs_grad=estimate(record["abs_grad"], "mean_abs_grad"),
            parts={k: estimate(vals, k) for k, vals in record["parts"].items()},
        ))
    return results


def _trial_estimate(values: list[float], units: int, exact: float | None) -> Estimate:
    array = np.asarray(values)
    mean = float(array.mean())
    if len(array) > 1:
        stderr = float(array.std(ddof=1) / math.sqrt(len(array)))
    else:
        stderr = math.sqrt(max(mean * (1 - mean), 0) / units)
    result = Estimate(mean, stderr, exact)
    if exact is not None:
        # the spread between trials, or the binomial error under the exact value if
        # larger (a rare event may happen in no trial at all)
        null_se = math.sqrt(max(exact * (1 - exact), 0) / (units * len(array)))
        scale = max(stderr, null_se)
        if scale > 0:
            result._z = (mean - exact) / scale
        elif mean != exact:
            result._z = math.inf
    return result


# --------------------------------------------------------------------------------------
# Model 3: deep narrow networks at initialisation, decided exactly on [-1, 1]

MAX_PIECES = 200_000


@dataclass
class DepthResult:
    variant: Variant
    params: dict
    born_dead: Estimate
    per_layer_dead_fraction: list[float]
    one_point_probability: float | None


def _dead_on_segments(z: np.ndarray, zero_regions: list[Region]) -> np.ndarray:
    """Per unit: is the pre-activation, linear on each segment between consecutive
    rows of ``z``, inside one zero-gradient region on every segment?"""
    if not zero_regions:
        return np.zeros(z.shape[1], bool)
    lo = np.minimum(z[:-1], z[1:]) if len(z) > 1 else z
    hi = np.maximum(z[:-1], z[1:]) if len(z) > 1 else z
    inside = np.zeros(lo.shape, bool)
    for region in zero_regions:
        inside |= (lo >= region.lo) & (hi <= region.hi)
    return inside.all(axis=0)


def network_on_interval(variant: Variant, params: dict, weights: list[np.ndarray],
                        biases: list[np.ndarray]) -> tuple[list[np.ndarray], bool]:
    """Push the whole interval [-1, 1] through a 1-input network, exactly.

    A network of piecewise-linear activations is piecewise linear in its input: we
    keep the points where some unit changes piece (its pre-activation crosses a kink)
    and the layer outputs there; between them everything is linear. Returns, per
    layer, which units are dead on the whole interval, and whether the last layer's
    output is constant (the network is born dead).
    """
    own = regions(variant, params)
    zero_regions = [r for r in own if r.zero]
    kinks = list(variant.kinks_for(params))
    xs = np.array([-1.0, 1.0])
    h = xs[:, None]
    dead_per_layer = []
    for w, b in zip(weights, biases):
        z = h @ w.T + b
        dead_per_layer.append(_dead_on_segments(z, zero_regions))
        new_x = []
        za, zb = z[:-1], z[1:]
        for k in kinks:
            crossing = (za - k) * (zb - k) < 0
            if crossing.any():
                rows, cols = np.nonzero(crossing)
                t = (k - za[rows, cols]) / (zb[rows, cols] - za[rows, cols])
                new_x.append(xs[rows] + t * (xs[rows + 1] - xs[rows]))
        if new_x:
            extra = np.setdiff1d(np.concatenate(new_x), xs)
            if len(xs) + len(extra) > MAX_PIECES:
                raise UsageError(f"the network has more than {MAX_PIECES:,} linear pieces; "
                                 "use fewer layers or units")
            seg = np.clip(np.searchsorted(xs, extra) - 1, 0, len(xs) - 2)
            frac = ((extra - xs[seg]) / (xs[seg + 1] - xs[seg]))[:, None]
            h_extra = h[seg] + frac * (h[seg + 1] - h[seg])
            order = np.argsort(np.concatenate([xs, extra]), kind="stable")
            xs = np.concatenate([xs, extra])[order]
            h = np.concatenate([h, h_extra])[order]
            z = h @ w.T + b
        h = engine.forward(variant, z, **params)
    constant = bool(np.all(h == h[0]))
    return dead_per_layer, constant


class _Cell:
    """A convex polytope by its vertices and, per vertex, the ids of the constraints
    tight there (the double description), with the affine map h(x) = A x + c that the
    network's current layer computes on it."""

    __slots__ = ("vertices", "tight", "A", "c")

    def __init__(self, vertices, tight, A, c):
        self.vertices, self.tight, self.A, self.c = vertices, tight, A, c

    def cut(self, a: np.ndarray, b: float, new_id: int):
        """The two parts where a·x + b <= 0 and >= 0 (None when empty or flat). New
        vertices are where the plane meets an edge: two vertices form an edge when
        they share d - 1 tight constraints that no third vertex also has."""
        d = self.vertices.shape[1]
        s = self.vertices @ a + b
        scale = max(1.0, float(np.abs(s).max()))
        zero = np.abs(s) <= 1e-12 * scale
        minus, plus = (s < 0) & ~zero, (s > 0) & ~zero
        if not minus.any() or not plus.any():
            return (self, None) if not plus.any() else (None, self)
        new_vertices, new_tight = [], []
        tight = self.tight
        for u in np.flatnonzero(minus):
            for v in np.flatnonzero(plus):
                common = tight[u] & tight[v]
                if len(common) < d - 1:
                    continue
                if any(w != u and w != v and common <= tight[w] for w in range(len(tight))):
                    continue
                t = s[u] / (s[u] - s[v])
                new_vertices.append(self.vertices[u] + t * (self.vertices[v] - self.vertices[u]))
                new_tight.append(common | {new_id})
        on_plane = [tight[i] | {new_id} for i in np.flatnonzero(zero)]

        def part(side):
            keep = np.flatnonzero(side)
            vertices = np.concatenate([self.vertices[keep], self.vertices[zero],
                                       np.array(new_vertices).reshape(-1, d)])
            sets = [tight[i] for i in keep] + on_plane + new_tight
            if len(vertices) < d + 1 or np.linalg.matrix_rank(vertices[1:] - vertices[0]) < d:
                return None  # flat: no volume
            return _Cell(vertices, sets, self.A, self.c)

        return part(minus), part(plus)


def network_on_cube(variant: Variant, params: dict, weights: list[np.ndarray],
                    biases: list[np.ndarray], in_dim: int) -> tuple[list[np.ndarray], bool]:
    """:func:`network_on_interval` for ``in_dim`` >= 2 inputs on [-1, 1]^in_dim, exactly:
    the cube is cut into convex cells on which every unit is affine (cut wherever a
    unit's pre-activation crosses a kink), and each unit's range on a cell is read at
    the cell's vertices (an affine function's extremes over a polytope are there)."""
    own = regions(variant, params)
    zero_regions = [r for r in own if r.zero]
    kinks = list(variant.kinks_for(params))
    corners = np.array(np.meshgrid(*[[-1.0, 1.0]] * in_dim, indexing="ij")).reshape(in_dim, -1).T
    tight = [frozenset(2 * i + (0 if x_i > 0 else 1) for i, x_i in enumerate(corner))
             for corner in corners]
    cells = [_Cell(corners, tight, np.eye(in_dim), np.zeros(in_dim))]
    next_id = 2 * in_dim
    dead_per_layer = []
    for w, b in zip(weights, biases):
        for cell in cells:  # z = Z x + zc on the cell
            cell.A, cell.c = w @ cell.A, w @ cell.c + b
        dead = np.ones(len(b), bool)
        for cell in cells:
            values = cell.vertices @ cell.A.T + cell.c
            lo, hi = values.min(axis=0), values.max(axis=0)
            inside = np.zeros(len(b), bool)
            for region in zero_regions:
                inside |= (lo >= region.lo) & (hi <= region.hi)
            dead &= inside
        dead_per_layer.append(dead)
        pieces = []
        for cell in cells:
            todo = [cell]
            for j in range(len(b)):
                for k in kinks:
                    cut = []
                    for piece in todo:
                        below, above = piece.cut(piece.A[j], piece.c[j] - k, next_id)
                        cut += [p for p in (below, above) if p is not None]
                        next_id += 1
                    todo = cut
            pieces += todo
            if len(pieces) > MAX_PIECES // 10:
                raise UsageError(f"the network has more than {MAX_PIECES // 10:,} linear "
                                 "pieces; use fewer layers, units or inputs")
        cells = []
        for piece in pieces:  # on each piece every unit is on one linear part
            z0 = piece.A @ piece.vertices.mean(axis=0) + piece.c
            slope = engine.gradient(variant, z0, **params)
            value = engine.forward(variant, z0, **params)
            cells.append(_Cell(piece.vertices, piece.tight, slope[:, None] * piece.A,
                               slope * piece.c + (value - slope * z0)))
    tolerance = 1e-12 * max(1.0, max(float(np.abs(c.c).max()) for c in cells))
    constant = all(np.abs(c.A).max() <= tolerance for c in cells) and all(
        np.abs(c.c - cells[0].c).max() <= tolerance for c in cells)
    return dead_per_layer, constant


def simulate_depth(
    variants: Sequence[Variant],
    params: dict[str, dict],
    depth: int,
    width: int,
    trials: int,
    rng: np.random.Generator,
    in_dim: int = 1,
    bias_std: float = 0.0,
    progress: Progress = _no_progress,
) -> list[DepthResult]:
    """Model ``depth``: He-normal networks of ``depth`` hidden layers of ``width`` units,
    born dead when the last hidden layer is constant on the whole input domain
    [-1, 1]^in_dim (Lu, Shin, Su and Karniadakis 2019), decided exactly: points on the
    interval for one input, convex cells of the cube for more. All variants see the
    same weights."""
    _check_positive(depth=depth, width=width, trials=trials)
    require_piecewise_linear(variants)
    if not 1 <= in_dim <= 4:
        raise UsageError(f"--in-dim must be between 1 and 4 (the cube's cells are cut "
                         f"exactly, and their number grows fast with it), got {in_dim}")
    if not (math.isfinite(bias_std) and bias_std >= 0):
        raise UsageError(f"--bias-std must be finite and >= 0, got {bias_std}")
    resolved = {v.name: v.resolve_params(params.get(v.name, {})) for v in variants}
    born_dead = {v.name: 0 for v in variants}
    layer_dead = {v.name: np.zeros(depth) for v in variants}
    for trial in range(trials):
        weights, biases = [], []
        fan_in = in_dim
        for _ in range(depth):
            weights.append(rng.standard_normal((width, fan_in)) * math.sqrt(2 / fan_in))
            biases.append(rng.standard_normal(width) * bias_std if bias_std else np.zeros(width))
            fan_in = width
        for v in variants:
            if in_dim == 1:
                dead, constant = network_on_interval(v, resolved[v.name], weights, biases)
            else:
                dead, constant = network_on_cube(v, resolved[v.name], weights, biases, in_dim)
            born_dead[v.name] += constant
            layer_dead[v.name] += [d.mean() for d in dead]
        progress(trial + 1, trials)
    results = []
    for v in variants:
        relu_like = [(r.lo, r.hi) for r in regions(v, resolved[v.name]) if r.zero] == [(-math.inf, 0.0)]
        one_point = 1 - (1 - 2.0 ** -width) ** depth if relu_like and not bias_std else None
        results.append(DepthResult(
            variant=v, params=resolved[v.name],
            born_dead=_estimate(born_dead[v.name], trials, None),
            per_layer_dead_fraction=[float(f) for f in layer_dead[v.name] / trials],
            one_point_probability=one_point,
        ))
    return results


# --------------------------------------------------------------------------------------
# Model 4: training with plain SGD


@dataclass
class TrainResult:
    variant: Variant
    params: dict
    learning_rate: float
    dead: Estimate
    suppressed: Estimate
    final_loss: float
    diverged: int  # how many trials diverged (non-finite loss)


def _task(rng, samples: int, in_dim: int):
    """Two classes: inside or outside the circle of radius 0.7 (about half each)."""
    x = rng.uniform(-1, 1, (samples, in_dim))
    y = (np.sum(x ** 2, axis=1, keepdims=True) < 0.49).astype(float)
    return x, y


def _logistic_loss(logits, y):
    """Mean binary cross-entropy with logits, and its gradient."""
    loss = np.mean(np.logaddexp(0, logits) - y * logits)
    grad = (0.5 * (1 + np.tanh(0.5 * logits)) - y) / len(y)  # (sigmoid - y) / n
    return float(loss), grad


def _forward(variant, params, layers, x, training, rng):
    """Hidden activations and per-layer (z, evaluation) for backprop."""
    caches = []
    h = x
    for index, (w, b) in enumerate(layers[:-1]):
        z = h @ w.T + b
        p = dict(params)
        if "alpha" in p and isinstance(p["alpha"], list):
            p["alpha"] = p["alpha"][index]
        r = engine.evaluate(variant, z, training=training and variant.stochastic, rng=rng, **p)
        caches.append((h, z, r))
        h = r.y
    w, b = layers[-1]
    return h @ w.T + b, caches


def simulate_train(
    variants: Sequence[Variant],
    params: dict[str, dict],
    learning_rates: Sequence[float],
    rng: np.random.Generator,
    steps: int = 300,
    width: int = 32,
    depth: int = 2,
    samples: int = 256,
    batch: int = 32,
    trials: int = 5,
    progress: Progress = _no_progress,
    near_zero: float = 1e-3,
) -> list[TrainResult]:
    """Model ``train``: an MLP (2 inputs, ``depth`` hidden layers of ``width`` units,
    He init, zero biases, one logistic output) trained with plain minibatch SGD on
    binary cross-entropy, to tell whether x ~ U(-1, 1)² lies inside the circle of
    radius 0.7; then the fraction of hidden units dead on the whole training set.
    PReLU learns one slope per unit; RReLU trains in training mode. Every variant and
    learning rate starts from the same weights and sees the same minibatches."""
    _check_positive(steps=steps, width=width, depth=depth, samples=samples, batch=batch,
                    trials=trials)
    for lr in learning_rates:
        if not (math.isfinite(lr) and lr > 0):
            raise UsageError(f"--lr values must be positive numbers, got {lr}")
    resolved = {v.name: v.resolve_params(params.get(v.name, {})) for v in variants}
    in_dim = 2
    seeds = rng.spawn(trials)
    results = []
    total = len(learning_rates) * len(variants) * trials
    done = 0
    for lr in learning_rates:
        for v in variants:
            dead, suppressed, losses, diverged = [], [], [], 0
            for seed in seeds:
                trial_rng = np.random.default_rng(seed.spawn(1)[0])
                x, y = _task(np.random.default_rng(seed.spawn(1)[0]), samples, in_dim)
                with np.errstate(all="ignore"):  # divergence is detected and reported
                    d, s, loss, bad = _train_one(v, resolved[v.name], lr, trial_rng, x, y,
                                                 steps, width, depth, batch, in_dim, near_zero)
                dead.append(d)
                suppressed.append(s)
                if not bad:
                    losses.append(loss)
                diverged += bad
                done += 1
                progress(done, total)
            units = width * depth
            results.append(TrainResult(
                variant=v, params=resolved[v.name], learning_rate=lr,
                dead=_trial_estimate(dead, units, None),
                suppressed=_trial_estimate(suppressed, units, None),
                final_loss=float(np.median(losses)) if losses else math.nan,
                diverged=diverged,
            ))
    return results


def _train_one(variant, params, lr, rng, x, y, steps, width, depth, batch, in_dim,
               near_zero=1e-3):
    init_rng = np.random.default_rng(rng.integers(2**63))  # same init for every variant
    order_rng = np.random.default_rng(rng.integers(2**63))
    slope_rng = np.random.default_rng(rng.integers(2**63))
    layers = []
    fan_in = in_dim
    for _ in range(depth):
        layers.append([init_rng.standard_normal((width, fan_in)) * math.sqrt(2 / fan_in),
                       np.zeros(width)])
        fan_in = width
    layers.append([init_rng.standard_normal((1, fan_in)) * math.sqrt(1 / fan_in), np.zeros(1)])
    p = dict(params)
    if variant.learnable:
        p["alpha"] = [list(np.broadcast_to(np.asarray(params["alpha"], float), width))
                      for _ in range(depth)]
    diverged = 0
    last_good = _snapshot(layers, p)
    with np.errstate(all="ignore"):
        for _ in range(steps):
            pick = order_rng.choice(len(x), size=min(batch, len(x)), replace=False)
            loss, grads, alpha_grads = loss_and_gradients(variant, p, layers, x[pick],
                                                          y[pick], slope_rng)
            if not math.isfinite(loss):
                diverged = 1
                break
            last_good = _snapshot(layers, p)
            for layer, (gw, gb) in zip(layers, grads):
                layer[0] = layer[0] - lr * gw
                layer[1] = layer[1] - lr * gb
            if variant.learnable:
                p["alpha"] = [list(np.asarray(a) - lr * g) for a, g in zip(p["alpha"], alpha_grads)]
    if diverged:  # judge the last finite network, not the NaNs
        layers, p = last_good
    out, caches = _forward(variant, p, layers, x, False, slope_rng)
    def dead(grad):  # smooth variants: nearly dead, |gradient| < near_zero throughout
        small = (grad == 0) if variant.piecewise_linear else (np.abs(grad) < near_zero)
        return (small | ~np.isfinite(grad)).all(axis=0)

    dead_units = sum(int(dead(r.grad).sum()) for _, _, r in caches)
    suppressed_units = sum(int((z <= 0).all(axis=0).sum()) for _, z, _ in caches)
    loss, _ = _logistic_loss(out, y)
    units = width * depth
    return dead_units / units, suppressed_units / units, loss, diverged


def loss_and_gradients(variant, params, layers, x, y, slope_rng=None):
    """Binary cross-entropy of the MLP and its gradients by backpropagation: per layer
    (dW, db), and per hidden layer d loss / d alpha for PReLU (else None)."""
    out, caches = _forward(variant, params, layers, x, slope_rng is not None, slope_rng)
    loss, upstream = _logistic_loss(out, y)
    depth = len(layers) - 1
    grads: list = [None] * (depth + 1)
    alpha_grads: list = [None] * depth
    grads[depth] = (upstream.T @ caches[-1][2].y, upstream.sum(axis=0))
    dh = upstream @ layers[depth][0]
    for index in reversed(range(depth)):
        h_in, z, r = caches[index]
        dz = dh * r.grad
        grads[index] = (dz.T @ h_in, dz.sum(axis=0))
        if variant.learnable:
            a = engine.evaluate(variant, z, alpha=params["alpha"][index], upstream=dh)
            alpha_grads[index] = a.grad_params["alpha"]
        dh = dz @ layers[index][0]
    return loss, grads, alpha_grads


def _snapshot(layers, params):
    copied = dict(params)
    if "alpha" in copied and isinstance(copied["alpha"], list):
        copied["alpha"] = [list(a) for a in copied["alpha"]]
    return [[w.copy(), b.copy()] for w, b in layers], copied
