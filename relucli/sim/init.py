"""Weight initialisations of the simulations: the standard deviation of normal weights.

- ``he``: sqrt(2 / fan_in) (Kaiming normal, ReLU gain; PyTorch ``kaiming_normal_``).
- ``he-leaky``: sqrt(2 / ((1 + a²) · fan_in)), a the variant's slope for x -> -inf
  (PyTorch ``kaiming_normal_(w, a=a)``): keeps the forward variance of a leaky unit
  at 1 where ``he`` lets it grow by (1 + a²) per layer. a = 0 (ReLU, ReLU6, smooth
  variants) gives ``he``.
- ``xavier``: sqrt(2 / (fan_in + fan_out)) (Glorot normal).
- ``lecun``: sqrt(1 / fan_in).

>>> round(weight_std("he", 100, 100), 6), round(weight_std("he-leaky", 100, 100, 0.25), 6)
(0.141421, 0.137199)
"""

from __future__ import annotations

import math

from ..variants import Variant

INITS = {
    "he": lambda fan_in, fan_out, slope: math.sqrt(2 / fan_in),
    "he-leaky": lambda fan_in, fan_out, slope: math.sqrt(2 / ((1 + slope * slope) * fan_in)),
    "xavier": lambda fan_in, fan_out, slope: math.sqrt(2 / (fan_in + fan_out)),
    "lecun": lambda fan_in, fan_out, slope: math.sqrt(1 / fan_in),
}


def weight_std(init: str, fan_in: int, fan_out: int, negative_slope: float = 0.0) -> float:
    """The standard deviation of normal weights under ``init`` (see the module)."""
    return INITS[init](fan_in, fan_out, negative_slope)


def negative_slope(variant: Variant, params: dict) -> float:
    """The slope a of a piecewise-linear variant for x -> -inf in evaluation mode
    (LeakyReLU 0.01, PReLU 0.25, RReLU (lower + upper)/2), 0 for the others: the
    ``a`` of ``kaiming_normal_``.

    >>> from relucli.variants import get
    >>> negative_slope(get("prelu"), get("prelu").resolve_params()), negative_slope(get("relu"), {})
    (0.25, 0.0)
    """
    if not variant.piecewise_linear:
        return 0.0
    from .regions import regions

    first = regions(variant, params)[0]
    return 0.0 if first.mean_abs_grad == 1 else first.mean_abs_grad


def variant_weight_std(init: str, fan_in: int, fan_out: int, variant: Variant,
                       params: dict) -> float:
    """:func:`weight_std` with ``he-leaky``'s slope read off ``variant``."""
    slope = negative_slope(variant, params) if init == "he-leaky" else 0.0
    return weight_std(init, fan_in, fan_out, slope)


#: How a layer's bias standard deviation follows from --bias-std: the same at every
#: layer, or divided by the layer's fan-in (Lu et al. 2019's symmetric biases).
BIAS_SCALINGS = ("constant", "fan-in")


def bias_std_for(bias_std: float, fan_in: int, scaling: str = "constant") -> float:
    """The standard deviation of a layer's random biases: ``bias_std``, or with
    ``fan-in`` scaling ``bias_std / fan_in``.

    >>> bias_std_for(0.5, 10), bias_std_for(0.5, 10, "fan-in")
    (0.5, 0.05)
    """
    if scaling not in BIAS_SCALINGS:
        from ..errors import UsageError

        raise UsageError(f"unknown --bias-scaling '{scaling}' (choose from "
                         f"{', '.join(BIAS_SCALINGS)})")
    return bias_std / fan_in if scaling == "fan-in" else bias_std
