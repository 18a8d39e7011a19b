"""Model ``layer``: a dense layer z = x W^T + b, its units sharing one batch of inputs.

Fresh weights per trial from He (ReLU or leaky gain), Xavier or LeCun normal initialisation; for Gaussian
inputs and a fixed bias, the closed form is the unit model's averaged over the
χ² law of |w|².
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from .. import engine
from ..errors import UsageError
from ..variants import Variant
from .distributions import Distribution, chi_nodes, sphere_cosine_nodes
from .init import INITS, bias_std_for, variant_weight_std
from .regions import _part_names, regions
from .stats import (Progress, VariantResult, _check_choice, check_positive, _no_progress,
                    _trial_estimate)
from .unit import unit_closed_form


LAYER_INPUTS = ("gaussian", "uniform01", "post-relu")


def _layer_inputs(kind: str, rng, shape) -> np.ndarray:
    if kind == "gaussian":
        return rng.standard_normal(shape)
    if kind == "uniform01":
        return rng.random(shape)
    return np.maximum(rng.standard_normal(shape), 0)  # the output of a ReLU layer


#: Mean and variance of one input of each kind: N(0, 1), U(0, 1), relu(N(0, 1)).
INPUT_MOMENTS = {"gaussian": (0.0, 1.0), "uniform01": (0.5, 1 / 12),
                 "post-relu": (1 / math.sqrt(2 * math.pi), 0.5 - 1 / (2 * math.pi))}

#: The smallest fan-in at which non-centred inputs get the central-limit closed form:
#: below it the sum of a unit's inputs is too far from Gaussian (uniform01, bias 0:
#: 12.8% against a true 50% at fan-in 1, 14.4% against 18.9% at 5, 13.4 against 15.4
#: at 10).
MIN_CENTRAL_LIMIT_FAN_IN = 30
#: What a caption says where that is the case.
CENTRAL_LIMIT_WITHHELD = (
    f"non-centred inputs below fan-in {MIN_CENTRAL_LIMIT_FAN_IN}: no closed form (a sum of "
    "so few skewed inputs is far from Gaussian; the central-limit formula gave 12.8% "
    "against a true 50% at fan-in 1)")


def _central_limit_withheld(inputs: str, fan_in: int) -> bool:
    return inputs != "gaussian" and fan_in < MIN_CENTRAL_LIMIT_FAN_IN


def layer_closed_form(variant, params, inputs, init, fan_in, units, batch, bias, bias_std,
                      training=False) -> dict[str, float] | None:
    """The unit formula averaged over the law of a unit's weights w ~ N(0, s² I).

    Gaussian inputs (exact): given w and a fixed bias b, the B pre-activations are
    i.i.d. N(b, |w|²), |w| = s·t with t = sqrt(χ²(fan_in)): a quadrature over that law
    (``chi_nodes``), 1e-9 accurate at every fan-in, 1 included.

    Non-centred inputs (``uniform01``, ``post-relu``: i.i.d. entries of mean μ and
    variance σ², approximate): given w, z = w·x + b is a sum of fan_in independent
    terms, close to N(b + μ Σw, σ²|w|²) for a large fan-in (the central limit theorem;
    its error falls like 1/sqrt(fan_in)). In polar form, |w| = s·t with t ~ χ(n) and
    Σw = √n·|w|·c with c the cosine between w and (1, ..., 1), independent of t: a
    two-dimensional quadrature (``chi_nodes`` × ``sphere_cosine_nodes``) whose integrand
    is smooth in both (in Cartesian form it jumps at w = 0, which Gauss-Hermite in w·e
    converged to only 1e-4 at small fan-ins).
    With random biases, or non-centred inputs below a fan-in of
    :data:`MIN_CENTRAL_LIMIT_FAN_IN`, there is no closed form (None)."""
    if bias_std or inputs not in INPUT_MOMENTS:
        return None
    if _central_limit_withheld(inputs, fan_in):
        return None  # a sum of so few skewed terms is far from Gaussian
    scale = variant_weight_std(init, fan_in, units, variant, params)
    parts = regions(variant, params, training)  # the same at every grid point
    if inputs == "gaussian":
        lengths, weights = chi_nodes(fan_in)
        values = [unit_closed_form(variant, params, Distribution("normal", bias, scale * t),
                                   batch, training, parts) for t in lengths]
        return {key: float(weights @ np.array([v[key] for v in values]))
                for key in values[0]}
    mean, variance = INPUT_MOMENTS[inputs]
    lengths, length_weights = chi_nodes(fan_in, 241)  # |w| = s·t
    cosines, cosine_weights = sphere_cosine_nodes(fan_in)  # Σw = √n·|w|·c
    totals: dict[str, float] = {}
    for t, wt in zip(lengths, length_weights):
        for c, wc in zip(cosines, cosine_weights):
            dist = Distribution("normal", bias + mean * math.sqrt(fan_in) * scale * t * c,
                                math.sqrt(variance) * scale * t)
            for key, value in unit_closed_form(variant, params, dist, batch, training,
                                               parts).items():
                totals[key] = totals.get(key, 0.0) + float(wt * wc * value)
    return totals


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
    bias_scaling: str = "constant",
) -> list[VariantResult]:
    """Model ``layer``: z = x W^T + b for a batch of inputs, ``trials`` fresh layers.

    Random biases ~ N(bias, bias_std²), or N(bias, (bias_std / fan_in)²) with
    ``bias_scaling`` "fan-in". The units of one layer share the batch, so the standard error comes from the
    spread between trials (and from the binomial formula with a single trial).
    """
    check_positive(fan_in=fan_in, units=units, batch=batch, trials=trials)
    _check_choice("init", init, INITS)
    _check_choice("inputs", inputs, LAYER_INPUTS)
    if not (math.isfinite(bias) and math.isfinite(bias_std) and bias_std >= 0):
        raise UsageError("--bias must be finite and --bias-std finite and >= 0")
    resolved = {v.name: v.resolve_params(params.get(v.name, {})) for v in variants}
    scales = {v.name: variant_weight_std(init, fan_in, units, v, resolved[v.name])
              for v in variants}
    slope_rng = rng.spawn(1)[0]
    per_trial = {v.name: {"dead": [], "suppressed": [], "abs_grad": [], "parts": {}}
                 for v in variants}
    own_regions = {v.name: regions(v, resolved[v.name], training and v.stochastic)
                   for v in variants}
    for trial in range(trials):
        weights = rng.standard_normal((units, fan_in))
        b = bias + (rng.standard_normal(units) * bias_std_for(bias_std, fan_in, bias_scaling)
                    if bias_std else 0.0)
        x = _layer_inputs(inputs, rng, (batch, fan_in))
        by_scale: dict[float, tuple] = {}  # he-leaky: one z per distinct slope
        for v in variants:
            scale = scales[v.name]
            if scale not in by_scale:
                z = x @ (weights * scale).T + b  # (batch, units): PReLU's channel axis 1
                by_scale[scale] = z, float(np.mean((z <= 0).all(axis=0)))
            z, suppressed = by_scale[scale]
            _record_trial(per_trial[v.name], v, resolved[v.name], own_regions[v.name], z,
                          suppressed, training and v.stochastic, slope_rng, near_zero)
        progress(trial + 1, trials)
    results = []
    withheld = not bias_std and _central_limit_withheld(inputs, fan_in)
    for v in variants:
        exact = layer_closed_form(v, resolved[v.name], inputs, init, fan_in, units, batch,
                                  bias, bias_std, training) if v.piecewise_linear else None
        if withheld and v.piecewise_linear and not v.can_die:
            exact = {"dead": 0.0}  # that much is exact at any fan-in
        result = _layer_result(v, resolved[v.name], per_trial[v.name], units, exact,
                               training)
        if withheld and v.piecewise_linear:
            result.extra["closed_form_withheld"] = CENTRAL_LIMIT_WITHHELD
        elif exact is not None and inputs != "gaussian":
            result.extra["closed_form_approximate"] = True  # the central limit theorem
        results.append(result)
    return results


def _record_trial(record, variant, params, own, z, suppressed, is_training, slope_rng,
                  near_zero) -> None:
    """Append one trial's fractions of the layer's units to ``record``: dead,
    suppressed, mean |gradient| and, with two zero-gradient regions (``own``), the
    dead low / high / mixed parts."""
    units = z.shape[1]
    r = engine.evaluate(variant, z, training=is_training, rng=slope_rng, **params)
    # smooth variants: nearly dead, |gradient| < near_zero for the whole batch
    dead = ((r.grad == 0) if variant.piecewise_linear
            else (np.abs(r.grad) < near_zero)).all(axis=0)
    record["dead"].append(float(dead.mean()))
    record["suppressed"].append(suppressed)
    record["abs_grad"].append(float(np.abs(r.grad).mean()))
    names = _part_names(own)
    if names:
        whole = np.zeros(units, bool)
        for name, region in zip(names, [g for g in own if g.zero]):
            flags = ((z >= region.lo) & (z <= region.hi)).all(axis=0)
            record["parts"].setdefault(name, []).append(float(flags.mean()))
            whole |= flags
        record["parts"].setdefault("dead_mixed", []).append(float((dead & ~whole).mean()))


def _layer_result(variant, params, record, units, exact, training) -> VariantResult:
    """One variant's estimates from its per-trial fractions, beside the closed form
    (``exact``) when there is one."""

    def estimate(values, key):
        return _trial_estimate(values, units, None if exact is None else exact.get(key))

    return VariantResult(
        variant=variant, params=params,
        mode=("train" if training else "eval") if variant.stochastic else None,
        dead=estimate(record["dead"], "dead"),
        suppressed=estimate(record["suppressed"], "suppressed"),
        mean_abs_grad=estimate(record["abs_grad"], "mean_abs_grad"),
        parts={k: estimate(vals, k) for k, vals in record["parts"].items()},
    )
