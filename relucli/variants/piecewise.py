"""The piecewise relatives: Keras' generalised ReLU, Hardtanh, Threshold, and the
"hard" stand-ins of MobileNetV3, Hardswish and Hardsigmoid.

All are piecewise linear but Hardswish, whose middle piece (-3, 3) is quadratic
(``piecewise_linear=False``); each has kinks and regions where the gradient is zero.
Their kernels write through :func:`~relucli.variants.kernels._where`.
"""

from __future__ import annotations

import math

from ..errors import ParameterError
from .kernels import _where
from .model import Param, Variant


def _generalized_forward(x, out, tmp, negative_slope, max_value, threshold):
    """negative_slope·(x - threshold) below the threshold, else min(x, max_value)."""
    import numpy as np

    below = 0 * x if negative_slope == 0 else negative_slope * (x - threshold)
    if negative_slope == 0:
        below = np.zeros_like(x)  # not 0·(x - t), which is NaN at -inf
    _where(x < threshold, below, np.minimum(x, max_value), out)


def _generalized_gradient(x, out, tmp, negative_slope, max_value, threshold):
    """negative_slope below the threshold, 1 between threshold and cap, 0 above the cap,
    and 0 at the threshold and at the cap (the stated convention); NaN at NaN. Without
    a cap, 1 up to and at +inf (as ReLU's, PyTorch's)."""
    import numpy as np

    # no cap (max_value = inf): nothing lies above it, so +inf has gradient 1, as ReLU's
    below_cap = (x < max_value) if np.isfinite(max_value) else True
    one = np.where((x > threshold) & below_cap, 1, 0)
    g = np.where(x < threshold, negative_slope, one)
    _where(np.isnan(x), np.nan, g, out)


def _generalized_prepare(params, x, training, rng, storage):
    t = x.dtype.type
    return {"negative_slope": t(params["negative_slope"]), "max_value": t(params["max_value"]),
            "threshold": t(params["threshold"])}


def _generalized_range(params):
    """(-inf if s > 0 else min(0, t), max_value if s >= 0 else inf)."""
    s, t, m = params["negative_slope"], params["threshold"], params["max_value"]
    return (-math.inf if s > 0 else min(0.0, t), m if s >= 0 else math.inf)


def _generalized_check(params):
    if params["max_value"] <= params["threshold"]:
        raise ParameterError(
            f"generalized_relu needs max_value > threshold, got max_value="
            f"{params['max_value']} <= threshold={params['threshold']}"
        )


GENERALIZED_RELU = Variant(
    name="generalized_relu",
    display="GeneralizedReLU",
    aliases=("capped_relu", "keras_relu", "generalised_relu"),
    summary="Keras' relu(x, negative_slope, max_value, threshold): shift, cap, leak.",
    params=(
        Param("negative_slope", 0.0, "slope below the threshold"),
        Param("max_value", math.inf, "cap on the output (inf: none)", allow_inf=True),
        Param("threshold", 0.0, "where the unit switches on"),
    ),
    forward=_generalized_forward,
    gradient=_generalized_gradient,
    prepare=_generalized_prepare,
    check=_generalized_check,
    formula="s·(x - t) if x < t else min(x, m)",
    gradient_formula="s below t, 1 on (t, m), 0 above m; 0 at t and at m",
    output_range="(-∞, m] (s > 0), {0} ∪ [t, m] (s = 0)",
    range_bounds=_generalized_range,
    dying="yes when s = 0: ∇ = 0 below t (and above m)",
    can_die=True,
    kinks=lambda p: (p["threshold"], p["max_value"]),
    when_to_use="Porting Keras models; a capped ReLU (max_value=6 is ReLU6) or shifted one.",
    frameworks={
        "PyTorch": "none (compose clamp and where)",
        "Keras": "keras.activations.relu(x, negative_slope=0, max_value=None, threshold=0)",
        "JAX": "none (compose)",
    },
    family="relative",
)


def _hardtanh_forward(x, out, tmp, min_val, max_val):
    """min(max(x, min_val), max_val); NaN in, NaN out."""
    import numpy as np

    np.clip(x, min_val, max_val, out=out)


def _hardtanh_gradient(x, out, tmp, min_val, max_val):
    """1 on the open interval (min_val, max_val), 0 elsewhere (PyTorch), NaN at NaN."""
    import numpy as np

    g = np.where((x > min_val) & (x < max_val), 1, 0).astype(x.dtype)
    _where(np.isnan(x), np.nan, g, out)


def _bounds_prepare(params, x, training, rng, storage):
    t = x.dtype.type
    return {"min_val": t(params["min_val"]), "max_val": t(params["max_val"])}


def _hardtanh_check(params):
    if params["min_val"] >= params["max_val"]:
        raise ParameterError(
            f"hardtanh needs min_val < max_val, got min_val={params['min_val']} "
            f">= max_val={params['max_val']}"
        )


HARDTANH = Variant(
    name="hardtanh",
    display="Hardtanh",
    aliases=("hard_tanh",),
    summary="Tanh's piecewise-linear stand-in: the identity clipped to [min_val, max_val].",
    params=(Param("min_val", -1.0, "lower clip"), Param("max_val", 1.0, "upper clip")),
    forward=_hardtanh_forward,
    gradient=_hardtanh_gradient,
    prepare=_bounds_prepare,
    check=_hardtanh_check,
    formula="min(max(x, a), b)",
    gradient_formula="1 on (a, b), else 0; 0 at a and at b",
    output_range="[a, b]",
    range_bounds=lambda p: (p["min_val"], p["max_val"]),
    dying="yes: ∇ = 0 for x ≤ a and x ≥ b",
    can_die=True,
    kinks=lambda p: (p["min_val"], p["max_val"]),
    when_to_use="Cheap bounded activation; ReLU6 is Hardtanh(0, 6).",
    frameworks={"PyTorch": "F.hardtanh(min_val=-1, max_val=1)", "Keras": "none",
                "JAX": "jax.nn.hard_tanh (fixed at ±1)"},
    family="relative",
    zero_centred="yes",
)


def _threshold_forward(x, out, tmp, threshold, value):
    """x if x > threshold else value (PyTorch: x <= threshold ? value : x)."""
    _where(x <= threshold, value, x, out)


def _threshold_gradient(x, out, tmp, threshold, value):
    """1 if x > threshold else 0, with 0 at the threshold (PyTorch); NaN at NaN."""
    import numpy as np

    g = np.where(x <= threshold, 0, 1)
    _where(np.isnan(x), np.nan, g, out)


def _threshold_prepare(params, x, training, rng, storage):
    t = x.dtype.type
    return {"threshold": t(params["threshold"]), "value": t(params["value"])}


THRESHOLD = Variant(
    name="threshold",
    display="Threshold",
    summary="x above a threshold, a constant value below it.",
    params=(Param("threshold", 0.0, "x <= threshold is replaced"),
            Param("value", 0.0, "what replaces it")),
    forward=_threshold_forward,
    gradient=_threshold_gradient,
    prepare=_threshold_prepare,
    formula="x if x > t else v",
    gradient_formula="1 if x > t else 0; 0 at t",
    output_range="{v} ∪ (t, ∞)",
    range_bounds=lambda p: (min(p["value"], p["threshold"]), math.inf),
    dying="yes: ∇ = 0 for x ≤ t",
    can_die=True,
    kinks=lambda p: (p["threshold"],),
    when_to_use="PyTorch's nn.Threshold; ReLU is Threshold(0, 0).",
    frameworks={"PyTorch": "F.threshold(x, threshold, value) (no defaults)",
                "Keras": "none", "JAX": "none"},
    family="relative",
)


def _hardswish_forward(x, out, tmp):
    """PyTorch: x·min(max(x + 3, 0), 6)/6, multiplied before dividing."""
    import numpy as np

    three, six = x.dtype.type(3), x.dtype.type(6)
    np.copyto(out, x * np.minimum(np.maximum(x + three, 0), six) / six)


def _hardswish_gradient(x, out, tmp):
    """0 for x <= -3, x/3 + 1/2 on the open (-3, 3), 1 for x >= 3 (PyTorch 2.x: so 0 at
    -3 and 1 at 3, the outer sides)."""
    import numpy as np

    three, half = x.dtype.type(3), x.dtype.type(0.5)
    g = np.where(x <= -three, 0, np.where(x < three, x / three + half, 1)).astype(x.dtype)
    _where(np.isnan(x), np.nan, g, out)


HARDSWISH = Variant(
    name="hardswish",
    display="Hardswish",
    aliases=("hard_swish",),
    summary="MobileNetV3's piecewise-quadratic Swish: x·ReLU6(x + 3)/6.",
    forward=_hardswish_forward,
    gradient=_hardswish_gradient,
    formula="x·min(max(x + 3, 0), 6)/6",
    gradient_formula="0 below -3, x/3 + 1/2 on (-3, 3), 1 above; 0 at -3, 1 at 3",
    output_range="[-0.375, ∞)",
    range_bounds=lambda p: (-0.375, math.inf),
    dying="yes: ∇ = 0 for x < -3",
    can_die=True,
    kinks=(-3.0, 3.0),
    when_to_use="Mobile networks (MobileNetV3): Swish without the exponential.",
    frameworks={"PyTorch": "F.hardswish", "Keras": "keras.ops.hard_swish",
                "JAX": "jax.nn.hard_swish"},
    family="relative",
    piecewise_linear=False,
    monotone=False,
    zero_centred="partly",
)


def _hardsigmoid_forward(x, out, tmp):
    """PyTorch: min(max(x + 3, 0), 6)/6."""
    import numpy as np

    three, six = x.dtype.type(3), x.dtype.type(6)
    np.copyto(out, np.minimum(np.maximum(x + three, 0), six) / six)


def _hardsigmoid_gradient(x, out, tmp):
    """1/6 on the open interval (-3, 3), 0 elsewhere."""
    import numpy as np

    # PyTorch's constant is the float 1.0f/6.0f, for every dtype
    sixth = x.dtype.type(np.float32(1) / np.float32(6))
    g = np.where((x > -3) & (x < 3), sixth, 0).astype(x.dtype)
    _where(np.isnan(x), np.nan, g, out)


HARDSIGMOID = Variant(
    name="hardsigmoid",
    display="Hardsigmoid",
    aliases=("hard_sigmoid",),
    summary="The sigmoid's piecewise-linear stand-in: ReLU6(x + 3)/6.",
    forward=_hardsigmoid_forward,
    gradient=_hardsigmoid_gradient,
    formula="min(max(x + 3, 0), 6)/6",
    gradient_formula="1/6 on (-3, 3), else 0; 0 at ±3",
    output_range="[0, 1]",
    range_bounds=lambda p: (0.0, 1.0),
    dying="yes: ∇ = 0 for x ≤ -3 and x ≥ 3",
    can_die=True,
    kinks=(-3.0, 3.0),
    when_to_use="Gates in mobile networks (MobileNetV3 squeeze-excite).",
    frameworks={"PyTorch": "F.hardsigmoid (x/6 + 1/2)",
                "Keras": "keras.ops.hard_sigmoid (x/6 + 1/2)",
                "JAX": "jax.nn.hard_sigmoid (x/6 + 1/2)"},
    family="relative",
)
