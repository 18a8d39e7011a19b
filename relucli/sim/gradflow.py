"""Gradients through depth: why ReLU keeps them alive where Sigmoid lets them vanish.

Pure NumPy, no printing. A random fully connected network of ``depth`` layers of
``width`` units (weights from He, He with the leaky gain, Xavier or LeCun normal initialisation, a constant
bias) takes a batch of standard-normal inputs forward; a standard-normal gradient is
pushed back from the top. Per layer: the norm of the gradient with respect to that
layer's input, relative to the top layer's; the share of units whose gradient is 0
for the whole batch (dead); the mean activation.

A rigorous bound comes with it: ||∂L/∂h_(l-1)|| = ||(∂L/∂h_l ⊙ f'(z_l)) W_l||
<= max|f'| · ||W_l||_2 · ||∂L/∂h_l||, so the relative norm at layer l is at most the
product of max|f'| · ||W_k||_2 over the layers above it. Sigmoid's max|f'| is 1/4.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .. import engine
from ..errors import UsageError
from ..variants import Variant
from .init import INITS, variant_weight_std, weight_std
from .stats import Progress, _check_choice, check_positive, _no_progress

#: max |f'(x)| per variant: the Lipschitz constant the bound needs.
_PROBE = np.concatenate([np.linspace(-50, 50, 200_001), [-1e6, 1e6]])


@dataclass
class FlowResult:
    variant: Variant
    params: dict
    relative_grad_norm: list[float]  # layer 1 .. depth, 1.0 at the top
    dead_fraction: list[float]
    mean_activation: list[float]
    bound: list[float]  # the rigorous upper bound on relative_grad_norm
    max_slope: float


def max_abs_gradient(variant: Variant, params: dict) -> float:
    """max |f'| over a dense grid (exact for the piecewise-linear variants, whose
    slopes are constant between kinks; Sigmoid 1/4 and Tanh 1 at x = 0)."""
    return float(np.max(np.abs(engine.gradient(variant, _PROBE, **params))))


#: The largest |bias| whose activations' squares stay finite through a deep network.
MAX_BIAS = 1e100


def simulate_gradflow(
    variants: Sequence[Variant],
    params: dict[str, dict],
    depth: int,
    width: int,
    batch: int,
    rng: np.random.Generator,
    init: str = "he",
    bias: float = 0.0,
    progress: Progress = _no_progress,
) -> list[FlowResult]:
    """Every variant sees the same weights, inputs and top gradient. ``progress(done,
    total)`` is called per layer: the spectral norms first, then each variant's pass."""
    check_positive(depth=depth, width=width, batch=batch)
    _check_choice("init", init, INITS)
    if not (math.isfinite(bias) and abs(bias) <= MAX_BIAS):
        # activations of that size square to inf in the norms (and in layer upon layer
        # of an unbounded variant): the table would be NaN
        raise UsageError(f"--bias must be finite and at most {MAX_BIAS:g} in size, got {bias:g}")
    base = weight_std(init, width, width)
    shared_weights = [rng.standard_normal((width, width)) * base for _ in range(depth)]
    x = rng.standard_normal((batch, width))
    top = rng.standard_normal((batch, width))
    total = depth * (1 + 2 * len(variants))  # a step per layer: norms, forward, backward
    spectral = []
    for w in shared_weights:
        spectral.append(float(np.linalg.norm(w, 2)))
        progress(len(spectral), total)
    results = []
    for index, variant in enumerate(variants):
        p = variant.resolve_params(params.get(variant.name, {}))
        if variant.stochastic:
            p = dict(p)  # evaluation mode: the mean slope
        ratio = variant_weight_std(init, width, width, variant, p) / base  # he-leaky: < 1
        weights = shared_weights if ratio == 1 else [w * ratio for w in shared_weights]
        h, slopes, activations = x, [], []
        done = depth * (1 + 2 * index)
        for layer, w in enumerate(weights):
            r = engine.evaluate(variant, h @ w.T + bias, **p)
            progress(done + layer + 1, total)
            slopes.append(r.grad)
            activations.append(float(np.mean(r.y)))
            h = r.y
        g = top
        norms = [0.0] * depth
        dead = [0.0] * depth
        top_norm = None
        for layer in range(depth - 1, -1, -1):
            g = (g * slopes[layer]) @ weights[layer]  # d L / d h_(layer - 1)
            norms[layer] = float(np.linalg.norm(g))
            dead[layer] = float(np.mean(np.all(slopes[layer] == 0, axis=0)))
            if top_norm is None:
                top_norm = norms[layer]
            progress(done + 2 * depth - layer, total)
        lipschitz = max_abs_gradient(variant, p)
        bound, product = [0.0] * depth, 1.0
        for layer in range(depth - 2, -1, -1):
            product *= lipschitz * spectral[layer] * ratio
            bound[layer] = product
        bound[depth - 1] = 1.0
        results.append(FlowResult(
            variant=variant, params=p,
            relative_grad_norm=[n / top_norm if top_norm else math.nan for n in norms],
            dead_fraction=dead, mean_activation=activations, bound=bound,
            max_slope=lipschitz,
        ))
    return results
