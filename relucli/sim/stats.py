"""What every model reports and checks: Monte Carlo fractions with their standard
errors and their distance from a closed form (in standard errors), one variant's
result, the progress callback and the argument checks the models share.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from ..errors import UsageError
from ..variants import Variant


Progress = Callable[[int, int], None]  # (done, total)


def _no_progress(done: int, total: int) -> None:
    pass


@dataclass
class Estimate:
    """A Monte Carlo fraction beside its closed form, when one exists."""

    value: float
    stderr: float
    closed_form: float | None = None

    @property
    def z(self) -> float | None:
        """(estimate - exact) in standard errors of the estimate under the exact value;
        None without a closed form, or when the exact value is 0 or 1 and was met; with
        fewer than :data:`FEW_EVENTS` events expected and seen, the exact binomial's."""
        return None if self.closed_form is None else self._z

    _z: float | None = None
    binomial: bool = False  # z from the exact binomial (too few events for a normal)


#: Below this many events expected and seen, a binomial count is too far from normal
#: for (count - expected) / sd to mean anything (1 dead unit of 2,000 against 0.04
#: expected read z = +4.8, where at least one happens 4% of the time): z is then the
#: normal quantile of the exact binomial mid-p instead (:func:`binomial_z`).
FEW_EVENTS = 5


def _estimate(count: float, n: int, exact: float | None) -> Estimate:
    p = count / n if n else math.nan
    stderr = math.sqrt(max(p * (1 - p), 0.0) / n) if n else math.nan
    result = Estimate(p, stderr, exact)
    if exact is None or not n:
        return result
    # the rarer side: events (exact <= 1/2) or non-events, counted the same way
    seen, expected = (count, exact * n) if exact <= 0.5 else (n - count, (1 - exact) * n)
    if 0 < exact < 1 and seen < FEW_EVENTS and expected < FEW_EVENTS:
        z = binomial_z(int(round(seen)), n, min(exact, 1 - exact))
        result._z = z if exact <= 0.5 else -z
        result.binomial = True
        return result
    null_se = math.sqrt(max(exact * (1 - exact), 0.0) / n)
    if null_se > 0:
        result._z = (p - exact) / null_se
    elif p != exact:  # an impossible (or certain) event that happened (or did not)
        result._z = math.inf
    return result


def binomial_z(k: int, n: int, p: float) -> float:
    """The standard-normal quantile of the mid-p of k events in n trials of chance p:
    Φ⁻¹(P(X < k) + P(X = k)/2), X ~ Binomial(n, p); near (k - np)/√(np(1-p)) for large
    counts, and sound for small ones.

    >>> round(binomial_z(1, 2000, 2e-5), 2), round(binomial_z(0, 2000, 2e-5), 2)
    (2.05, -0.05)
    """
    from statistics import NormalDist

    def pmf(j: int) -> float:
        return math.exp(math.lgamma(n + 1) - math.lgamma(j + 1) - math.lgamma(n - j + 1)
                        + j * math.log(p) + (n - j) * math.log1p(-p))

    mid = sum(pmf(j) for j in range(k)) + 0.5 * pmf(k)
    return NormalDist().inv_cdf(min(max(mid, 1e-300), 1 - 1e-16))


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
            if stderr >= null_se and len(array) > 1:  # a t statistic, n - 1 freedoms
                result._z = normal_equivalent(result._z, len(array) - 1)
        elif mean != exact:
            result._z = math.inf
    return result


def normal_equivalent(t: float, df: int) -> float:
    """The standard-normal z with the same tail probability as Student's t with ``df``
    degrees of freedom: a mean over 10 trials divided by the trials' own standard
    error is t(9), whose tails are far heavier than a z's (t = 4.95 is as rare as
    z = 3.36), so the z column reads alike for any number of trials.

    >>> round(normal_equivalent(4.95, 9), 2), round(normal_equivalent(-1.0, 10**6), 4)
    (3.36, -1.0)
    """
    from statistics import NormalDist

    from .distributions import student_t_cdf

    tail = student_t_cdf(-abs(t), df)
    if tail <= 0:
        return math.copysign(math.inf, t)
    return math.copysign(-NormalDist().inv_cdf(tail), t) if t else 0.0


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


def check_positive(**values: int) -> None:
    for name, value in values.items():
        if value < 1:
            raise UsageError(f"--{name.replace('_', '-')} must be at least 1, got {value}")


def require_piecewise_linear(variants, model: str,
                             why: str = "takes piecewise-linear variants only",
                             hint: str = "") -> None:
    """Refuse the smooth variants among ``variants`` for a model that works on exact
    linear pieces: "the {model} model {why}; gelu is smooth{hint}". (``relu dying-sim``
    says each model's own reason: :class:`relucli.commands.dying.model.DyingModel`.)"""
    smooth = [v.name for v in variants if not v.piecewise_linear]
    if smooth:
        raise UsageError(f"the {model} model {why}; {', '.join(smooth)} "
                         f"{'is' if len(smooth) == 1 else 'are'} smooth{hint}")


def _check_choice(name: str, value: str, allowed) -> None:
    if value not in allowed:
        raise UsageError(f"unknown --{name} '{value}' (choose from {', '.join(allowed)})")
