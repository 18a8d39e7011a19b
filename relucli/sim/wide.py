"""Model ``wide``: wide deep MLPs at initialisation, units dead on a batch, layer by layer.

A batch of B Gaussian inputs N(0, I_d) goes through ``depth`` dense layers of ``width``
units, weights normal with the init's standard deviation (:mod:`.init`), biases
N(0, σ_b²). A unit of layer l is DEAD on the batch when the variant's gradient is 0
at all B of its pre-activations (its zero-gradient regions, :mod:`.regions`);
SUPPRESSED when all B are <= 0.

Infinite width (the mean-field / NNGP limit). For f(x) = x (x > 0), a·x (x <= 0), i.e.
ReLU (a = 0) and its leaky relatives in evaluation mode, a unit's pre-activations on
the batch are jointly Gaussian, variance q_l, equal correlation ρ_l, with

    q_1 = s_1 + σ_b²,  c_1 = σ_b²                       (inputs uncorrelated, ρ_in = 0)
    q_{l+1} = s·q_l·(1 + a²)/2 + σ_b²
    c_{l+1} = s·q_l·K_a(ρ_l) + σ_b²,   ρ_l = c_l / q_l
    K_a(ρ) = a·ρ + (1 − a)²·(√(1 − ρ²) + (π − arccos ρ)·ρ) / (2π)

(s = σ_w²·fan_in; K_0 is Cho and Saul's arc-cosine kernel of degree 1; with zero
biases ρ_{l+1} = 2·K_a(ρ_l)/(1 + a²) for every init). Writing z_i = √q(√ρ·T + √(1−ρ)·ε_i),

    P(all B pre-activations <= 0) = E_T[Φ(−√(ρ/(1−ρ))·T)^B]

(2^−B at ρ = 0, 1/2 at ρ = 1), computed by Gauss-Legendre panels, fine where the
integrand steps. It is ReLU's dead fraction and every variant's suppressed
fraction; leaky units never die. Other variants (ReLU6, ...) have no closed form here:
their kernel depends on q, not on ρ alone.

>>> round(arccos_correlation(0.0), 6), round(arccos_correlation(1.0), 6)
(0.31831, 1.0)
>>> suppressed_probability(0.0, 10) == 2.0 ** -10
True
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .. import engine
from ..errors import UsageError
from ..variants import Variant
from .init import INITS, variant_weight_std
from .stats import (Estimate, Progress, _check_choice, _no_progress, _trial_estimate,
                    check_positive, require_piecewise_linear)


def arccos_kernel(rho: float, slope: float = 0.0) -> float:
    """K_a(ρ) = E[f(u)·f(v)] for standard normals u, v of correlation ρ and
    f(x) = max(x, 0) + slope·min(x, 0): a·ρ + (1 − a)²·(√(1 − ρ²) + (π − arccos ρ)·ρ)/(2π).

    >>> round(arccos_kernel(1.0), 12), round(arccos_kernel(0.3, 1.0), 12)
    (0.5, 0.3)
    """
    rho = min(1.0, max(-1.0, rho))
    relu = (math.sqrt(1 - rho * rho) + (math.pi - math.acos(rho)) * rho) / (2 * math.pi)
    return slope * rho + (1 - slope) ** 2 * relu


def arccos_correlation(rho: float, slope: float = 0.0) -> float:
    """One layer of the correlation map with zero biases: 2·K_a(ρ)/(1 + a²); for ReLU
    (√(1 − ρ²) + (π − arccos ρ)·ρ)/π.

    >>> round(arccos_correlation(0.5), 6)
    0.608998
    """
    return 2 * arccos_kernel(rho, slope) / (1 + slope * slope)


def kernel_correlations(depth: int, slope: float, gains: Sequence[float],
                        bias_var: float = 0.0, rho_in: float = 0.0) -> list[float]:
    """ρ_1 ... ρ_depth of the pre-activations (see the module): ``gains[l]`` is
    s = σ_w²·fan_in of layer l + 1, inputs of variance 1 and correlation ``rho_in``.

    >>> [round(r, 4) for r in kernel_correlations(3, 0.0, [2, 2, 2])]
    [0.0, 0.3183, 0.4937]
    """
    q = gains[0] + bias_var
    c = gains[0] * rho_in + bias_var
    out = [c / q]
    for layer in range(1, depth):
        s = gains[layer]
        q, c = (s * q * (1 + slope * slope) / 2 + bias_var,
                s * q * arccos_kernel(c / q, slope) + bias_var)
        out.append(min(1.0, c / q))
    return out


_erfc = np.frompyfunc(math.erfc, 1, 1)


_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(16)


def _panels(edges: Sequence[float], count: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights of composite 16-point Gauss-Legendre: each interval between
    ``edges`` cut into ``count`` panels."""
    cuts = np.concatenate([np.linspace(a, b, count + 1)[:-1] for a, b in
                           zip(edges[:-1], edges[1:])] + [np.array(edges[-1:])])
    lo, hi = cuts[:-1, None], cuts[1:, None]
    return ((lo + hi) / 2 + (hi - lo) / 2 * _NODES).ravel(), ((hi - lo) / 2 * _WEIGHTS).ravel()


@functools.lru_cache(maxsize=4096)
def suppressed_probability(rho: float, batch: int) -> float:
    """P(all ``batch`` pre-activations <= 0) when they are jointly Gaussian, mean 0,
    equal correlation ``rho`` in [0, 1]: ∫ φ(t)·Φ(−κt)^B dt, κ = √(ρ/(1−ρ)), by
    composite Gauss-Legendre on [-12, 12], cut at ±12/κ so that the panels are 1/κ as
    fine where Φ(−κt)^B steps from 1 to 0 (about 1e-12 accurate).

    >>> round(suppressed_probability(0.5, 2), 12)  # 1/4 + arcsin(1/2)/(2π) = 1/3
    0.333333333333
    """
    rho = min(1.0, max(0.0, float(rho)))
    if rho >= 1.0:
        return 0.5
    kappa = math.sqrt(rho / (1 - rho))
    edges = [-12.0, -12.0 / kappa, 12.0 / kappa, 12.0] if kappa > 1 else [-12.0, 12.0]
    t, weights = _panels(edges, 64)
    phi_cdf = 0.5 * _erfc(kappa * t / math.sqrt(2)).astype(float)  # Φ(−κt)
    with np.errstate(divide="ignore"):
        power = np.exp(batch * np.log(phi_cdf))
    density = np.exp(-t * t / 2) / math.sqrt(2 * math.pi)
    return float(np.sum(weights * density * power))


def leaky_slope(variant: Variant, params: dict) -> float | None:
    """a when the variant is x (x > 0), a·x (x <= 0) in evaluation mode (ReLU 0,
    LeakyReLU 0.01, PReLU 0.25, RReLU (lower + upper)/2), None otherwise: the variants
    whose kernel is K_a.

    >>> from relucli.variants import get
    >>> leaky_slope(get("prelu"), get("prelu").resolve_params()), leaky_slope(get("relu6"), {})
    (0.25, None)
    """
    if not variant.piecewise_linear or list(variant.kinks_for(params)) != [0.0]:
        return None
    if any(np.size(v) > 1 for v in params.values()):  # per-channel slopes
        return None
    grad = engine.gradient(variant, np.array([-2.0, -1.0, 1.0, 2.0]), **params)
    if not (grad[0] == grad[1] and grad[2] == grad[3] == 1.0):
        return None
    return float(grad[0])


@dataclass
class WideResult:
    """One variant's numbers: per layer (first to last) and for the last layer."""

    variant: Variant
    params: dict
    dead: Estimate  # the last layer
    suppressed: Estimate
    per_layer_dead: list[Estimate]
    per_layer_suppressed: list[Estimate]
    per_layer_correlation: list[Estimate]  # mean cosine; closed form ρ_l
    closed_form_withheld: str = ""  # why there is no closed form, where that is the case


def check_wide(variants: Sequence[Variant], init: str, bias_std: float) -> None:
    _check_choice("init", init, INITS)
    if not (math.isfinite(bias_std) and bias_std >= 0):
        raise UsageError(f"--bias-std must be finite and >= 0, got {bias_std}")
    require_piecewise_linear(variants, "wide")


def _mean_cosine(z: np.ndarray) -> float:
    """The mean cosine between the batch's rows (samples) of ``z`` over distinct pairs."""
    batch = z.shape[0]
    if batch < 2:
        return math.nan
    norms = np.linalg.norm(z, axis=1)
    unit = z / np.where(norms > 0, norms, 1.0)[:, None]
    total = unit.sum(axis=0)
    return float((total @ total - (unit * unit).sum()) / (batch * (batch - 1)))


def simulate_wide(variants, params, width, depth, batch, trials, rng, in_dim=None,
                  bias_std=0.0, init="he", progress: Progress = _no_progress):
    """:func:`simulate_wides` at one depth.

    >>> from relucli.variants import get
    >>> (r,) = simulate_wide([get("relu")], {}, 64, 3, 4, 2, np.random.default_rng(0))
    >>> len(r.per_layer_dead), round(r.per_layer_dead[0].closed_form, 4)
    (3, 0.0625)
    """
    return simulate_wides(variants, params, width, [depth], batch, trials, rng, in_dim,
                          bias_std, init, progress)[depth]


def simulate_wides(
    variants: Sequence[Variant],
    params: dict[str, dict],
    width: int,
    depths: Sequence[int],
    batch: int,
    trials: int,
    rng: np.random.Generator,
    in_dim: int | None = None,
    bias_std: float = 0.0,
    init: str = "he",
    progress: Progress = _no_progress,
) -> dict[int, list[WideResult]]:
    """Model ``wide`` at every depth of ``depths`` from one run at the deepest (the
    first d layers of a net are a net of depth d). ``in_dim`` defaults to ``width``.
    Per trial fresh inputs, weights and biases, shared by all variants (each scales
    the weights by its own init's std). Units of one net are correlated, so standard
    errors come from the spread between trials (:func:`.stats._trial_estimate`)."""
    depths = sorted({int(d) for d in depths})
    in_dim = width if in_dim is None else in_dim
    check_positive(width=width, depth=min(depths), batch=batch, trials=trials,
                   in_dim=in_dim)
    check_wide(variants, init, bias_std)
    deepest = depths[-1]
    resolved = {v.name: v.resolve_params(params.get(v.name, {})) for v in variants}
    names = [v.name for v in variants]
    fans = [in_dim] + [width] * (deepest - 1)
    stds = {v.name: [variant_weight_std(init, fan, width, v, resolved[v.name]) for fan in fans]
            for v in variants}
    # per variant, per layer, per trial: dead, suppressed, mean cosine
    tallies = {n: np.zeros((3, deepest, trials)) for n in names}
    for trial in range(trials):
        x = rng.standard_normal((batch, in_dim))
        h = {n: x for n in names}
        for layer in range(deepest):
            w = rng.standard_normal((width, fans[layer]))
            b = rng.standard_normal(width) * bias_std if bias_std else 0.0
            for v in variants:
                z = h[v.name] @ (w * stds[v.name][layer]).T + b  # (batch, width)
                grad = engine.gradient(v, z, **resolved[v.name])
                dead = (grad == 0).all(axis=0)  # in a zero-gradient region (kinks too)
                tallies[v.name][:, layer, trial] = (
                    dead.mean(), (z <= 0).all(axis=0).mean(), _mean_cosine(z))
                h[v.name] = engine.forward(v, z, **resolved[v.name])
            progress(trial * deepest + layer + 1, trials * deepest)
    out: dict[int, list[WideResult]] = {}
    # the recursion starts from uncorrelated inputs (ρ_in = 0): too few input dimensions
    withheld = IN_DIM_WITHHELD if in_dim < MIN_IN_DIM else ""
    closed = {v.name: _closed_forms(v, resolved[v.name], fans, width, batch, bias_std, init,
                                    withheld=bool(withheld))
              for v in variants}
    for depth in depths:
        out[depth] = [_result(v, resolved[v.name], tallies[v.name][:, :depth],
                              [c[:depth] if c else None for c in closed[v.name]], width,
                              withheld)
                      for v in variants]
    return out


#: The smallest input dimension whose samples are near enough to uncorrelated for the
#: closed form (the README: at in-dim 16 layers 2-4 sit up to 7 SE above it; at in-dim 1,
#: 46.7% dead against its 30.9%).
MIN_IN_DIM = 64
#: What a caption says below it.
IN_DIM_WITHHELD = (f"no closed form at --in-dim below {MIN_IN_DIM}: the inputs' cosines, "
                   "~N(0, 1/in-dim), are far from the uncorrelated inputs it starts from")


def _closed_forms(variant, params, fans, width, batch, bias_std, init, withheld=False):
    """Per layer: the dead, suppressed and correlation closed forms (None each where the
    variant's kernel is not K_a, or all ``withheld`` but a leaky unit's exact 0 dead)."""
    slope = leaky_slope(variant, params)
    if slope is None or (withheld and slope == 0):
        return None, None, None
    if withheld:
        return [0.0] * len(fans), None, None
    gains = [variant_weight_std(init, fan, width, variant, params) ** 2 * fan for fan in fans]
    rhos = kernel_correlations(len(fans), slope, gains, bias_std * bias_std)
    suppressed = [suppressed_probability(round(rho, 15), batch) for rho in rhos]
    dead = suppressed if slope == 0 else [0.0] * len(rhos)
    return dead, suppressed, rhos


def _result(variant, params, tally, closed, width, withheld: str = "") -> WideResult:
    dead_cf, suppressed_cf, rho_cf = closed

    def estimates(values, exact):
        return [_trial_estimate(list(values[layer]), width,
                                None if exact is None else exact[layer])
                for layer in range(values.shape[0])]

    dead = estimates(tally[0], dead_cf)
    suppressed = estimates(tally[1], suppressed_cf)
    correlation = [_correlation_estimate(tally[2][layer],
                                         None if rho_cf is None else rho_cf[layer])
                   for layer in range(tally.shape[1])]
    return WideResult(variant, params, dead[-1], suppressed[-1], dead, suppressed,
                      correlation, withheld)


def _correlation_estimate(values: np.ndarray, exact: float | None) -> Estimate:
    """The mean cosine over trials, its standard error from their spread, and z."""
    mean = float(np.mean(values))
    stderr = float(np.std(values, ddof=1) / math.sqrt(len(values))) if len(values) > 1 \
        else math.nan
    result = Estimate(mean, stderr, exact)
    if exact is not None and stderr > 0:
        result._z = (mean - exact) / stderr
    return result
