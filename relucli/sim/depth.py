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
from .pieces import network_on_cube, network_on_interval
from .regions import regions
from .stats import Estimate, Progress, check_positive, _estimate, _no_progress


@dataclass
class DepthResult:
    variant: Variant
    params: dict
    born_dead: Estimate
    per_layer_dead_fraction: list[float]
    one_point_probability: float | None


def require_piecewise_linear(variants: Sequence[Variant], model: str = "depth") -> None:
    """The depth model follows the linear pieces of the network, which only
    piecewise-linear variants have (so does the kick model's exact step)."""
    smooth = [v.name for v in variants if not v.piecewise_linear]
    if smooth:
        raise UsageError(
            (f"the depth model decides 'born dead' exactly for piecewise-linear variants; "
             if model == "depth" else
             f"the {model} model takes piecewise-linear variants only (its step and "
             "closed form use their exact slopes); ")
            + f"{', '.join(smooth)} {'is' if len(smooth) == 1 else 'are'} smooth"
        )


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
) -> list[DepthResult]:
    """Model ``depth``: He-normal networks of ``depth`` hidden layers of ``width`` units,
    born dead when the last hidden layer is constant on the whole input domain
    [-1, 1]^in_dim (Lu, Shin, Su and Karniadakis 2019), decided exactly: points on the
    interval for one input, convex cells of the cube for more. All variants see the
    same weights."""
    return simulate_depths(variants, params, [depth], width, trials, rng, in_dim,
                           bias_std, progress)[depth]


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
    require_piecewise_linear(variants)
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
    for trial in range(trials):
        weights, biases = [], []
        fan_in = in_dim
        for _ in range(deepest):
            weights.append(rng.standard_normal((width, fan_in)) * math.sqrt(2 / fan_in))
            biases.append(rng.standard_normal(width) * bias_std if bias_std else np.zeros(width))
            fan_in = width
        for v in variants:
            if in_dim == 1:
                dead, constant = network_on_interval(v, resolved[v.name], weights, biases,
                                                     layer_done)
            else:
                dead, constant = network_on_cube(v, resolved[v.name], weights, biases, in_dim,
                                                 layer_done)
            born_dead[v.name] += constant
            layer_dead[v.name] += [d.mean() for d in dead]
        progress(trial + 1, trials)
    out = {}
    for depth in depths:
        results = []
        for v in variants:
            relu_like = [(r.lo, r.hi) for r in regions(v, resolved[v.name]) if r.zero] == [(-math.inf, 0.0)]
            one_point = 1 - (1 - 2.0 ** -width) ** depth if relu_like and not bias_std else None
            results.append(DepthResult(
                variant=v, params=resolved[v.name],
                born_dead=_estimate(int(born_dead[v.name][depth - 1]), trials, None),
                per_layer_dead_fraction=[float(f) for f in layer_dead[v.name][:depth] / trials],
                one_point_probability=one_point,
            ))
        out[depth] = results
    return out
