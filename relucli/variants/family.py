"""The ReLU family itself: ReLU, LeakyReLU, PReLU, RReLU and ReLU6.

Their kernels are the fast ones: single-pass ufuncs on cache-sized blocks, bit for bit
PyTorch's answers (see the notes below and :mod:`relucli.variants.kernels`).
"""

from __future__ import annotations

import math

from ..errors import ParameterError
from .kernels import _bool_scratch, _single_pass, _slope_for, _whole_line, _zero_to
from .model import Param, Variant

# The kernels. Each writes into ``out``; ``tmp`` is scratch of the same shape. They use only
# single-pass ufuncs that NumPy vectorises well (clip, ceil, multiply, add, fmax, and
# comparisons into booleans), never np.where, masked copies (but for rare NaNs),
# np.maximum or np.sign, which are several times slower; the engine calls them on
# cache-sized blocks. Two tricks recur:
#
# * ``clip(ceil(x), lo, 1)``: ceil(x) >= 1 exactly when x > 0 (subnormals included),
#   and <= 0 otherwise; NaN stays NaN. So it is the step 1[x > 0] with ``lo`` below.
# * ``fmax(x, s*x)``: fmax ignores one NaN, but s*x is NaN only where x is, so it
#   propagates NaN like max while running faster.


@_single_pass
def _relu_forward(x, out, tmp):
    """max(x, 0); NaN in, NaN out."""
    import numpy as np

    np.clip(x, 0, np.inf, out=out)  # max(x, 0) with NaN kept, in one fast pass


def _relu_gradient(x, out, tmp):
    """1 if x > 0 else 0, with 0 at the kink x = 0 (PyTorch and JAX); NaN at NaN."""
    import numpy as np

    # x is read only by the first pass, so ``out`` may be ``x``; working in ``out``
    # itself (still in cache) measured faster than going through ``tmp``.
    np.ceil(x, out=out)
    np.clip(out, 0, 1, out=out)  # 1[x > 0], NaN kept


RELU = Variant(
    name="relu",
    display="ReLU",
    aliases=("rectifier",),
    summary="Rectified linear unit: passes positives, zeroes the rest.",
    forward=_relu_forward,
    gradient=_relu_gradient,
    formula="max(0, x)",
    gradient_formula="1 if x > 0 else 0; 0 at x = 0",
    output_range="[0, ∞)",
    range_bounds=_zero_to(math.inf),
    dying="yes: ∇ = 0 for x ≤ 0",
    can_die=True,
    kinks=(0.0,),
    when_to_use="Default for hidden layers: cheap, sparse, no saturation for x > 0.",
    frameworks={
        "PyTorch": "F.relu; ∇ at 0 = 0",
        "Keras": "keras.ops.relu; ∇ at 0 = 0",
        "JAX": "jax.nn.relu; ∇ at 0 = 0",
    },
)


def _leaky_forward(x, out, tmp, slope):
    """x if x > 0 else slope*x, bit for bit, for any real slope (scalar or array)."""
    import numpy as np

    scalar = np.ndim(slope) == 0
    if scalar and 0 < slope <= 1:
        # slope*x <= x exactly when x >= 0 (rounding is monotone), so the max is exact.
        np.multiply(x, slope, out=tmp)
        np.fmax(x, tmp, out=out)
    elif scalar and slope > 1:
        np.multiply(x, slope, out=tmp)
        np.fmin(x, tmp, out=out)
    else:
        # max(x, 0) + slope*min(x, 0): one side is always an exact zero, so the sum is
        # exact; unlike max(x, s*x) it holds for s <= 0 and per-element slopes.
        np.clip(x, -np.inf, 0, out=tmp)
        np.multiply(tmp, slope, out=tmp)
        np.clip(x, 0, np.inf, out=out)
        np.add(out, tmp, out=out)


def _leaky_gradient(x, out, tmp, slope):
    """1 if x > 0 else slope (slope at x = 0, as PyTorch), NaN at NaN."""
    import numpy as np

    if np.ndim(slope) == 0 and 0 <= slope <= 1:
        np.ceil(x, out=out)
        np.clip(out, slope, 1, out=out)  # ceil <= 0 becomes slope, >= 1 becomes 1
    else:
        np.ceil(x, out=tmp)
        np.clip(tmp, 0, 1, out=tmp)  # h = 1[x > 0], NaN kept
        np.subtract(1, tmp, out=out)
        np.multiply(out, slope, out=out)
        np.add(out, tmp, out=out)  # h + (1 - h)*slope, exact since h is 0 or 1
        if not np.all(np.isfinite(slope)):  # there 0*inf is NaN: where h = 1, it is 1
            np.copyto(out, 1, where=tmp == 1)


def _leaky_prepare(params, x, training, rng, storage):
    # A fixed slope is a number, not a tensor: PyTorch converts it to the computation
    # type (float32 for float16 inputs), never to float16.
    return {"slope": _slope_for(x, params["negative_slope"])}


_SLOPE_DOC = "slope for x <= 0"


LEAKY_RELU = Variant(
    name="leaky_relu",
    display="LeakyReLU",
    aliases=("leaky", "leakyrelu", "lrelu"),
    summary="ReLU with a small fixed slope for negative inputs.",
    params=(Param("negative_slope", 0.01, _SLOPE_DOC),),
    forward=_leaky_forward,
    gradient=_leaky_gradient,
    prepare=_leaky_prepare,
    formula="x if x > 0 else s·x",
    gradient_formula="1 if x > 0 else s; s at x = 0",
    output_range="(-∞, ∞)",
    range_bounds=_whole_line,
    dying="no",
    can_die=False,
    kinks=(0.0,),
    when_to_use="When ReLU units die (high learning rates, poor init); GAN discriminators.",
    frameworks={
        "PyTorch": "s = 0.01; ∇ at 0 = s",
        "Keras": "s = 0.2 (keras.ops), 0.3 (LeakyReLU layer)",
        "JAX": "s = 0.01; ∇ at 0 = 1",
    },
    zero_centred="partly",
)


def _prelu_prepare(params, x, training, rng, storage):
    return {"slope": _slope_for(x, params["alpha"], storage)}


def _prelu_param_gradients(x, params, kernel_args, upstream=None, dtype=None):
    """d sum(upstream * prelu(x)) / d alpha: the sum of upstream * min(x, 0) over every
    axis but the channel (upstream defaults to ones), in ``dtype`` (the input's: x is
    the array computed on, float32 for 16-bit input)."""
    import numpy as np

    negative = np.minimum(x, 0)
    per_channel = isinstance(params["alpha"], tuple)
    if upstream is not None:  # inside a simulation's training loop: NumPy's fast sum
        negative *= upstream
        if per_channel:
            return {"alpha": negative.sum(axis=tuple(a for a in range(x.ndim) if a != 1))}
        return {"alpha": negative.sum(keepdims=False).reshape(1)}
    # for relu eval: the exact sum of the (exact) terms, rounded once to the input's
    # dtype (rounding to float32 first would round twice for float16 and bfloat16)
    dtype = x.dtype if dtype is None else np.dtype(dtype)
    groups = np.moveaxis(negative, 1, 0).reshape(negative.shape[1], -1) if per_channel \
        else negative.reshape(1, -1)
    return {"alpha": np.array([correctly_rounded_sum(g, dtype) for g in groups], dtype)}


def correctly_rounded_sum(values, dtype) -> float:
    """The exact sum of ``values`` rounded once to ``dtype`` (what PyTorch does not
    promise: its order of additions is its own). ``math.fsum`` rounds the exact sum to
    float64; where that lands on a tie of the narrower ``dtype``, the sign of the
    remainder decides.

    >>> import numpy as np
    >>> v = np.array([1.0, 2.0**-24, 2.0**-60], np.float64)  # just above a float32 tie
    >>> float(correctly_rounded_sum(v, np.float32)) == 1 + 2.0**-23, float(np.float32(1 + 2.0**-24))
    (True, 1.0)
    """
    import math

    import numpy as np

    terms = np.asarray(values, np.float64)
    kind = np.dtype(dtype).type
    if not np.all(np.isfinite(terms)):
        return kind(terms.sum())  # inf, -inf or nan, as IEEE says
    try:
        total = math.fsum(terms)  # the exact sum rounded to float64
    except OverflowError:  # partial sums beyond float64: scaled down by 2^k so that no
        # partial can overflow (exact but for bits of subnormal terms), then back up
        scale = math.ldexp(1.0, -(terms.size.bit_length() + 1))
        with np.errstate(over="ignore"):
            return kind(np.float64(math.fsum(terms * scale)) / scale)
    nearest = kind(total)
    if kind is np.float64 or float(nearest) == total or not math.isfinite(float(nearest)):
        return nearest
    other = np.nextafter(nearest, kind(math.inf if total > float(nearest) else -math.inf))
    if (float(nearest) + float(other)) / 2 != total:
        return nearest  # not on a tie: rounding total rounds the exact sum
    remainder = math.fsum(np.append(terms, -total))  # exact sum - total, its sign
    if remainder == 0:
        return nearest  # a true tie: to even, as the cast did
    return max(nearest, other) if remainder > 0 else min(nearest, other)


PRELU = Variant(
    name="prelu",
    display="PReLU",
    aliases=("parametric_relu",),
    summary="LeakyReLU whose slope is learned, one value or one per channel (axis 1).",
    params=(
        Param(
            "alpha",
            0.25,
            "learned slope for x <= 0: one value, or one per channel (axis 1)",
            learnable=True,
            per_channel=True,
        ),
    ),
    forward=_leaky_forward,
    gradient=_leaky_gradient,
    prepare=_prelu_prepare,
    param_gradients=_prelu_param_gradients,
    formula="x if x > 0 else a·x; a learned",
    gradient_formula="1 if x > 0 else a; a at x = 0; ∂/∂a = min(x, 0)",
    output_range="(-∞, ∞)",
    range_bounds=_whole_line,
    dying="no",
    can_die=False,
    learnable=True,
    kinks=(0.0,),
    when_to_use="Deep CNNs that can afford a learned slope per channel (He et al. 2015).",
    frameworks={
        "PyTorch": "a = 0.25 per channel (axis 1)",
        "Keras": "a = 0 per element (shared_axes=None)",
        "JAX": "Flax PReLU: a = 0.01, one scalar",
    },
    zero_centred="partly",
)


def _rrelu_check(params):
    if params["lower"] > params["upper"]:
        raise ParameterError(
            f"rrelu needs lower <= upper, got lower={params['lower']} "
            f"> upper={params['upper']}"
        )


def _rrelu_prepare(params, x, training, rng, storage):
    """Evaluation: the mean slope (lower+upper)/2, computed in double as PyTorch does.

    Training: one slope r ~ U(lower, upper) per element of x (drawn in float64 from the
    given Generator for every element, so the same seed gives the same slopes whatever
    the values; used only where x <= 0), rounded to the dtype of x.
    """
    lower, upper = params["lower"], params["upper"]
    if not training:
        return {"slope": x.dtype.type((lower + upper) / 2)}
    if rng is None:
        raise ParameterError("rrelu in training mode needs a random generator (rng)")
    noise = rng.uniform(lower, upper, size=x.shape).astype(storage).astype(x.dtype)
    return {"slope": noise}


RRELU = Variant(
    name="rrelu",
    display="RReLU",
    aliases=("randomized_relu", "random_relu"),
    summary="Randomised leaky ReLU: random slope in training, mean slope in evaluation.",
    params=(
        Param("lower", 1 / 8, "lower bound of the random slope"),
        Param("upper", 1 / 3, "upper bound of the random slope"),
    ),
    forward=_leaky_forward,
    gradient=_leaky_gradient,
    prepare=_rrelu_prepare,
    check=_rrelu_check,
    formula="x if x > 0 else r·x; r ~ U(l, u) in training, (l+u)/2 in evaluation",
    gradient_formula="1 if x > 0 else r; r at x = 0",
    output_range="(-∞, ∞)",
    range_bounds=_whole_line,
    dying="no",
    can_die=False,
    stochastic=True,
    kinks=(0.0,),
    when_to_use="Small datasets: the random slope regularises; eval is LeakyReLU((l+u)/2).",
    frameworks={
        "PyTorch": "l = 1/8, u = 1/3",
        "Keras": "none",
        "JAX": "none",
    },
    zero_centred="partly",
)


@_single_pass
def _relu6_forward(x, out, tmp):
    """min(max(x, 0), 6); NaN in, NaN out."""
    import numpy as np

    np.clip(x, 0, 6, out=out)


def _relu6_gradient(x, out, tmp):
    """1 on the open interval (0, 6), 0 elsewhere, NaN at NaN."""
    import numpy as np

    # Comparisons into booleans cost a third of a float pass, so this is cheaper than
    # any float-only formula (those need four passes). Every number is > 0 or < 6, so
    # an element that is neither is NaN: only then is a masked copy needed.
    above, below, either = _bool_scratch(tmp, x, 3)
    np.greater(x, 0, out=above)
    np.less(x, 6, out=below)
    np.logical_or(above, below, out=either)
    has_nan = not either.all()
    np.logical_and(above, below, out=above)
    np.copyto(out, above)  # x is read only above, so ``out`` may be ``x``
    if has_nan:
        np.logical_not(either, out=either)
        np.copyto(out, np.nan, where=either)


RELU6 = Variant(
    name="relu6",
    display="ReLU6",
    aliases=("relu_6",),
    summary="ReLU capped at 6: bounded output for fixed-point (quantised) inference.",
    forward=_relu6_forward,
    gradient=_relu6_gradient,
    formula="min(max(0, x), 6)",
    gradient_formula="1 if 0 < x < 6 else 0; 0 at x = 0 and x = 6",
    output_range="[0, 6]",
    range_bounds=_zero_to(6.0),
    dying="yes: ∇ = 0 for x ≤ 0 and x ≥ 6",
    can_die=True,
    kinks=(0.0, 6.0),
    when_to_use="Mobile and quantised inference (MobileNet): the range fits fixed point.",
    frameworks={
        "PyTorch": "F.relu6; ∇ at 0 and 6 = 0",
        "Keras": "keras.ops.relu6, ReLU(max_value=6)",
        "JAX": "jax.nn.relu6; ∇ at 0 and 6 = 0",
    },
)
