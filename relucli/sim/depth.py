"""Model ``depth``: deep narrow networks at initialisation, born dead or not.

He-normal networks drawn per trial, each decided exactly on the input domain by
:mod:`.pieces`; all variants see the same weights.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..errors import UsageError
from ..variants import Variant
from .init import bias_std_for
from .pieces import network_on_cube, network_on_interval
from .regions import regions
from .stats import (Estimate, Progress, check_positive, _estimate, _no_progress,
                    require_piecewise_linear)


@dataclass
class DepthResult:
    variant: Variant
    params: dict
    born_dead: Estimate
    per_layer_dead_fraction: list[float]
    one_point_probability: float | None  # an upper bound (ReLU-like, zero biases)
    lower_bound: float | None = None  # ReLU-like, zero biases, one input
    per_layer_stderr: list[float] | None = None  # over trials


def born_dead_bounds(width: int, depth: int, in_dim: int = 1) -> tuple[float | None, float]:
    """Bounds on P(born dead) of a ReLU network with zero biases (Lu et al. 2019).

    Upper: dead at one input point, 1 - (1 - 2^-width)^depth (each layer is all zero
    at a point with probability 2^-width, given the layers below it are not). Lower,
    for one input: 1 - (1 - 4^-width)^(depth - 1). With zero biases the network is
    positively homogeneous, so on [-1, 1] it is dead when it is dead at x = 1 and at
    x = -1; a layer above the first kills both directions when each of its units is
    <= 0 at both, which has probability >= 1/4 per unit (the two pre-activations are
    Gaussian with a non-negative correlation). None for more inputs (no finite set of
    directions decides a cube).

    >>> born_dead_bounds(2, 10)
    (0.4405754932813579, 0.9436864852905273)
    """
    upper = 1 - (1 - 2.0 ** -width) ** depth
    lower = 1 - (1 - 4.0 ** -width) ** (depth - 1) if in_dim == 1 else None
    return lower, upper


#: The most inputs whose cube [-1, 1]^in_dim is cut into cells exactly.
MAX_IN_DIM = 4


def check_in_dim(in_dim: int) -> None:
    if not 1 <= in_dim <= MAX_IN_DIM:
        raise UsageError(f"--in-dim must be between 1 and {MAX_IN_DIM} (the cube's cells are "
                         f"cut exactly, and their number grows fast with it), got {in_dim}")


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
    bias_scaling: str = "constant",
) -> list[DepthResult]:
    """Model ``depth``: He-normal networks of ``depth`` hidden layers of ``width`` units
    (biases ~ N(0, bias_std²), or N(0, (bias_std / fan_in)²) with ``bias_scaling``
    "fan-in"),
    born dead when the last hidden layer is constant on the whole input domain
    [-1, 1]^in_dim (Lu, Shin, Su and Karniadakis 2019), decided exactly: points on the
    interval for one input, convex cells of the cube for more. All variants see the
    same weights."""
    return simulate_depths(variants, params, [depth], width, trials, rng, in_dim,
                           bias_std, progress, bias_scaling)[depth]


def simulate_depths(
    variants: Sequence[Variant],
    params: dict[str, dict],
    depths: Sequence[int],
    width: int,
    trials: int,
    rng: np.random.Generator,
    in_dim: int = 1,
    bias_std: float = 0.0,
    progress: Progress = _no_progress,
    bias_scaling: str = "constant",
) -> dict[int, list[DepthResult]]:
    """:func:`simulate_depth` at every depth of ``depths`` from one run at the deepest:
    the first d layers of a network are a network of depth d, so each trial's network
    tells at once whether every shallower one is born dead. A sweep over depth costs one
    run (rows nested, as they are correlated anyway when drawn from one seed).

    >>> from relucli.variants import get
    >>> out = simulate_depths([get("relu")], {}, [1, 3], 2, 200, np.random.default_rng(0))
    >>> out[1][0].born_dead.value <= out[3][0].born_dead.value
    True
    """
    depths = sorted({int(d) for d in depths})
    check_positive(depth=min(depths), width=width, trials=trials)
    require_piecewise_linear(variants, "depth")
    check_in_dim(in_dim)
    if not (math.isfinite(bias_std) and bias_std >= 0):
        raise UsageError(f"--bias-std must be finite and >= 0, got {bias_std}")
    deepest = depths[-1]
    resolved = {v.name: v.resolve_params(params.get(v.name, {})) for v in variants}
    born_dead = {v.name: np.zeros(deepest, int) for v in variants}  # per depth
    layers_begun = [0]

    def layer_done() -> None:  # progress in trials, a layer at a time (a trial can be long)
        layers_begun[0] += 1
        progress(layers_begun[0] / (deepest * len(variants)), trials)

    layer_dead = {v.name: np.zeros(deepest) for v in variants}
    layer_dead_sq = {v.name: np.zeros(deepest) for v in variants}  # for the stderr
    for trial in range(trials):
        weights, biases = [], []
        fan_in = in_dim
        for _ in range(deepest):
            weights.append(rng.standard_normal((width, fan_in)) * math.sqrt(2 / fan_in))
            std = bias_std_for(bias_std, fan_in, bias_scaling)
            biases.append(rng.standard_normal(width) * std if bias_std else np.zeros(width))
            fan_in = width
        for v in variants:
            if in_dim == 1:
                dead, constant = network_on_interval(v, resolved[v.name], weights, biases,
                                                     layer_done)
            else:
                dead, constant = network_on_cube(v, resolved[v.name], weights, biases, in_dim,
                                                 layer_done)
            born_dead[v.name] += constant
            fractions = np.array([d.mean() for d in dead])
            layer_dead[v.name] += fractions
            layer_dead_sq[v.name] += fractions * fractions
        progress(trial + 1, trials)
    out = {}
    for depth in depths:
        results = []
        for v in variants:
            relu_like = [(r.lo, r.hi) for r in regions(v, resolved[v.name]) if r.zero] == [(-math.inf, 0.0)]
            lower, upper = (born_dead_bounds(width, depth, in_dim) if relu_like and not bias_std
                            else (None, None))
            mean = layer_dead[v.name][:depth] / trials
            spread = np.maximum(layer_dead_sq[v.name][:depth] / trials - mean * mean, 0)
            stderr = (np.sqrt(spread * trials / (trials - 1) / trials) if trials > 1
                      else np.full(depth, math.nan))
            results.append(DepthResult(
                variant=v, params=resolved[v.name],
                born_dead=_estimate(int(born_dead[v.name][depth - 1]), trials, None),
                per_layer_dead_fraction=[float(f) for f in mean],
                one_point_probability=upper, lower_bound=lower,
                per_layer_stderr=[float(e) for e in stderr],
            ))
        out[depth] = results
    return out
