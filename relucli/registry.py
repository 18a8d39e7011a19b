"""The variants of the ReLU family, each defined once.

Every command (``eval``, ``table``, and later ``plot`` and ``dying-sim``) reads this
registry: a :class:`Variant` holds the parameters with their defaults and validation,
the forward and gradient kernels, the kink points, and the properties that
``relu table`` prints. Adding a variant means adding one ``Variant(...)`` entry (and
its kernels, written just above it).

This module imports NumPy only inside the kernels, so that ``relu table`` and
``relu --help`` start without paying for it.

Conventions shared by every kernel (matching ``torch.nn.functional`` in PyTorch 2.x):

* The gradient at a kink is the one PyTorch uses: 0 for ReLU at x = 0, 0 for ReLU6 at
  x = 0 and x = 6, and the negative-side slope for LeakyReLU, PReLU and RReLU at x = 0
  (JAX takes 1 there).
* NaN in gives NaN out, for the value and for the gradient (PyTorch's own gradient at
  NaN depends on where the element sits in the tensor; relucli always answers NaN).
* The sign of a zero result is not specified (PyTorch and relucli may differ in it).

Kernels take a contiguous-or-strided block ``x``, write into ``out`` (which may be
``x`` itself) and may use ``tmp``, a scratch array of the same shape. Slopes arrive
already converted to the dtype of ``x`` (a scalar, or an array broadcastable to the
block). float16 inputs are computed in float32 and rounded once at the end, as
PyTorch's CPU kernels do.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from .errors import ParameterError, UnknownVariantError

# --------------------------------------------------------------------------------------
# The data model


@dataclass(frozen=True)
class Param:
    """One parameter of a variant.

    ``per_channel`` parameters accept either one value or one value per channel
    (axis 1 of the input), as PyTorch's ``PReLU(num_parameters=C)``.
    """

    name: str
    default: float
    doc: str
    learnable: bool = False
    per_channel: bool = False
    allow_inf: bool = False  # a cap that may be "none": inf
    positive: bool = False  # must be > 0
    choices: tuple[str, ...] = ()  # a word parameter: one of these (default is a word)

    def parse(self, value: Any) -> float | tuple[float, ...]:
        """Validate ``value`` (a number, a sequence, or text such as ``"0.1,0.2"``).

        Returns a float, or a tuple of floats for a per-channel value with several
        entries (a word for a parameter with ``choices``). Raises
        :class:`ParameterError` naming the parameter otherwise.
        """
        if self.choices:
            word = str(value).strip().lower()
            if word not in self.choices:
                raise ParameterError(f"parameter '{self.name}' is one of "
                                     f"{', '.join(self.choices)}, got {value!r}")
            return word
        if isinstance(value, str):
            parts = [p for p in value.replace(",", " ").split()]
            if not parts:
                raise ParameterError(f"parameter '{self.name}' needs a value")
            try:
                numbers = [float(p) for p in parts]
            except ValueError:
                raise ParameterError(
                    f"parameter '{self.name}' must be a number, got {value!r}"
                ) from None
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            numbers = [float(value)]
        else:
            try:
                numbers = [float(v) for v in value]  # sequences and arrays
            except (TypeError, ValueError):
                raise ParameterError(
                    f"parameter '{self.name}' must be a number, got {value!r}"
                ) from None
            if not numbers:
                raise ParameterError(f"parameter '{self.name}' needs at least one value")
        for number in numbers:
            if math.isnan(number) or (math.isinf(number) and not self.allow_inf):
                raise ParameterError(
                    f"parameter '{self.name}' must be a finite real number, got {number}"
                )
            if self.positive and not number > 0:
                raise ParameterError(
                    f"parameter '{self.name}' must be greater than 0, got {number}"
                )
        if len(numbers) == 1:
            return numbers[0]
        if not self.per_channel:
            raise ParameterError(
                f"parameter '{self.name}' takes one value, got {len(numbers)}"
            )
        return tuple(numbers)


@dataclass(frozen=True, eq=False)  # one object per variant: compared and hashed by identity
class Variant:
    """One activation function of the family: its maths and the facts about it."""

    name: str  # canonical, snake_case: the name used in JSON and CSV output
    display: str  # as PyTorch spells the module: "LeakyReLU"
    aliases: tuple[str, ...]
    summary: str
    params: tuple[Param, ...]
    forward: Callable[..., None]
    gradient: Callable[..., None]
    formula: str
    gradient_formula: str
    output_range: str
    range_bounds: Callable[[Mapping[str, Any]], tuple[float, float]]
    dying: str  # "no", or "yes: ..." saying where the gradient is zero
    can_die: bool
    learnable: bool
    stochastic: bool
    kinks: tuple[float, ...] | Callable[[Mapping[str, Any]], tuple[float, ...]]
    when_to_use: str
    frameworks: Mapping[str, str]  # "PyTorch" / "Keras" / "JAX" -> defaults there
    # Turn validated parameters into the kernel's keyword arguments for input ``x``
    # (slopes in the dtype of x; for RReLU in training, the sampled slopes).
    prepare: Callable[..., dict] | None = None
    # Gradient of the sum of outputs with respect to learnable parameters.
    param_gradients: Callable[..., dict] | None = None
    check: Callable[[Mapping[str, Any]], None] | None = None
    # "relu" for the ReLU family; "classic" for the references it replaced
    family: str = "relu"
    # Piecewise linear: the gradient is constant between kinks (the simulations that
    # count regions need this)
    piecewise_linear: bool = True
    # Compute float16 and float32 inputs in float64 and round once (smooth functions:
    # about 0.5 ulp instead of 2-4 from chained float32 operations)
    wide: bool = False
    # Facts the table prints; tests check monotone and smooth against the engine
    monotone: bool = True
    smooth: bool = False  # continuously differentiable everywhere
    zero_centred: str = "no"  # "yes", "no" or "partly" (negative outputs, but smaller)
    self_normalising: bool = False
    all_names: tuple[str, ...] = field(init=False, default=())

    def __repr__(self) -> str:
        return f"Variant({self.name!r})"

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "all_names", tuple(dict.fromkeys((self.name, *self.aliases)))
        )

    def kinks_for(self, params: Mapping[str, Any] | None = None) -> tuple[float, ...]:
        """The finite kinks for these parameters (some move with them: Hardtanh's)."""
        kinks = self.kinks(self.resolve_params(params)) if callable(self.kinks) else self.kinks
        return tuple(sorted({float(k) for k in kinks if math.isfinite(k)}))

    def defaults(self) -> dict[str, float]:
        """The default parameters, as PyTorch's ``torch.nn.functional`` has them."""
        return {p.name: p.default for p in self.params}

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        allowed = ", ".join(p.name for p in self.params) or "none"
        raise ParameterError(
            f"{self.name} has no parameter '{name}' (its parameters: {allowed})"
        )

    def resolve_params(self, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Defaults overlaid with ``given``, each value validated.

        >>> get("rrelu").resolve_params({"lower": 0.1})
        {'lower': 0.1, 'upper': 0.3333333333333333}
        """
        resolved: dict[str, Any] = self.defaults()
        for name, value in (given or {}).items():
            resolved[name] = self.param(name).parse(value)
        if self.check is not None:
            self.check(resolved)
        return resolved

    def label(self, params: Mapping[str, Any] | None = None) -> str:
        """``LeakyReLU(negative_slope=0.1)``: the display name with its parameters."""
        params = self.resolve_params(params) if params is None else params
        if not params:
            return self.display
        inner = ", ".join(f"{k}={_short(v)}" for k, v in params.items())
        return f"{self.display}({inner})"


def _short(value: Any) -> str:
    """Parameter values for labels: 6 significant digits (1/3 shows as 0.333333)."""
    if isinstance(value, tuple):
        return "[" + ", ".join(_short(v) for v in value) + "]"
    if isinstance(value, str):
        return repr(value)
    return f"{float(value):.6g}"


# --------------------------------------------------------------------------------------
# Kernels. Each writes into ``out``; ``tmp`` is scratch of the same shape. They use only
# single-pass ufuncs that NumPy vectorises well (clip, ceil, multiply, add, fmax, and
# comparisons into booleans), never np.where, masked copies (but for rare NaNs),
# np.maximum or np.sign, which are several times slower; the engine calls them on
# cache-sized blocks. Two tricks recur:
#
# * ``clip(ceil(x), lo, 1)``: ceil(x) >= 1 exactly when x > 0 (subnormals included),
#   and <= 0 otherwise; NaN stays NaN. So it is the step 1[x > 0] with ``lo`` below.
# * ``fmax(x, s*x)``: fmax ignores one NaN, but s*x is NaN only where x is, so it
#   propagates NaN like max while running faster.


def _single_pass(kernel):
    """Mark a kernel of one ufunc pass: the engine runs it on the whole array at once
    (blocks only help kernels that re-read their temporaries)."""
    kernel.single_pass = True
    return kernel


@_single_pass
def _relu_forward(x, out, tmp):
    import numpy as np

    np.clip(x, 0, np.inf, out=out)  # max(x, 0) with NaN kept, in one fast pass


def _relu_gradient(x, out, tmp):
    import numpy as np

    # x is read only by the first pass, so ``out`` may be ``x``; working in ``out``
    # itself (still in cache) measured faster than going through ``tmp``.
    np.ceil(x, out=out)
    np.clip(out, 0, 1, out=out)  # 1[x > 0], NaN kept


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


@_single_pass
def _relu6_forward(x, out, tmp):
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


def _bool_scratch(tmp, x, count):
    """``count`` boolean arrays shaped like ``x``, carved from the bytes of ``tmp``.

    They are spaced a few cache lines more than their size apart: arrays whose starts
    differ by a multiple of 4 KiB can stall loads behind stores to the "same" address
    (4K aliasing). Measured on the ReLU6 gradient (15 runs each way): the same median,
    and the slowest runs 1.2x the median without the spacing, 1.07x with it.
    """
    import numpy as np

    size = x.size
    spacing = size + 320
    if tmp.flags.c_contiguous and tmp.nbytes >= count * spacing:
        raw = (tmp if tmp.ndim == 1 else tmp.reshape(-1)).view(np.bool_)
        parts = [raw[k * spacing:k * spacing + size] for k in range(count)]
        return parts if x.ndim == 1 else [part.reshape(x.shape) for part in parts]
    return [np.empty(x.shape, dtype=np.bool_) for _ in range(count)]


def _slope_for(x, value, storage=None):
    """A scalar or per-channel slope in the dtype of x, shaped to broadcast over x.

    ``storage`` is the dtype the slope is held in before the computation (PyTorch
    keeps PReLU's weight in the input's dtype, float16 included, but computes float16
    in float32); by default the dtype of x.
    """
    import numpy as np

    storage = x.dtype if storage is None else storage

    if isinstance(value, tuple):
        channels = x.shape[1] if x.ndim >= 2 else 1
        if len(value) != channels:
            where = f"axis 1 of shape {tuple(x.shape)}" if x.ndim >= 2 else "a 1-D input"
            raise ParameterError(
                f"alpha has {len(value)} values but the input has {channels} "
                f"channel{'s' if channels != 1 else ''} ({where}); give one value "
                f"or {channels}"
            )
        shape = [1] * x.ndim
        shape[1] = channels
        return np.asarray(value, dtype=storage).astype(x.dtype).reshape(shape)
    return x.dtype.type(storage.type(value))


def _leaky_prepare(params, x, training, rng, storage):
    # A fixed slope is a number, not a tensor: PyTorch converts it to the computation
    # type (float32 for float16 inputs), never to float16.
    return {"slope": _slope_for(x, params["negative_slope"])}


def _prelu_prepare(params, x, training, rng, storage):
    return {"slope": _slope_for(x, params["alpha"], storage)}


def _prelu_param_gradients(x, params, kernel_args, upstream=None):
    """d sum(upstream * prelu(x)) / d alpha: the sum of upstream * min(x, 0) over every
    axis but the channel (upstream defaults to ones)."""
    import numpy as np

    negative = np.minimum(x, 0)
    if upstream is not None:
        negative *= upstream
    if isinstance(params["alpha"], tuple):
        axes = tuple(a for a in range(x.ndim) if a != 1)
        return {"alpha": negative.sum(axis=axes)}
    return {"alpha": negative.sum(keepdims=False).reshape(1)}


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


def _sigmoid_forward(x, out, tmp):
    """1/(1 + e^-x), computed from e = e^-|x| so it neither overflows nor loses the
    relative accuracy of tiny results: 1/(1+e) for x >= 0, e/(1+e) for x < 0."""
    import numpy as np

    np.abs(x, out=tmp)
    np.negative(tmp, out=tmp)
    np.exp(tmp, out=tmp)  # e, in (0, 1]
    negative = x < 0
    np.add(tmp, 1, out=out)
    np.divide(np.where(negative, tmp, 1), out, out=out)


def _bell(x, out, tmp, rate, scale):
    """scale·e/(1+e)² with e = e^(-rate·|x|): the sigmoid's (rate 1, scale 1) and
    tanh's (rate 2, scale 4) derivatives without the cancellation of 1 - y."""
    import numpy as np

    np.abs(x, out=tmp)
    np.multiply(tmp, -rate, out=tmp)
    np.exp(tmp, out=tmp)  # e
    np.add(tmp, 1, out=out)
    np.multiply(out, out, out=out)
    np.divide(tmp, out, out=out)
    if scale != 1:
        np.multiply(out, scale, out=out)


def _sigmoid_gradient(x, out, tmp):
    """σ(x)(1 - σ(x)) = e/(1+e)² with e = e^-|x|: accurate in the tails, where
    PyTorch's (1 - y)·y from the rounded output y loses digits (and reaches 0 early)."""
    _bell(x, out, tmp, 1, 1)


@_single_pass
def _tanh_forward(x, out, tmp):
    import numpy as np

    np.tanh(x, out=out)


def _tanh_gradient(x, out, tmp):
    """1 - tanh(x)² = 4e/(1+e)² with e = e^(-2|x|): accurate in the tails, where
    PyTorch's 1 - y² from the rounded output y collapses to 0 (float32: |x| > 9)."""
    _bell(x, out, tmp, 2, 4)


def _zero_to(hi):
    return lambda params: (0.0, hi)


def _whole_line(params):
    return (-math.inf, math.inf)


# --------------------------------------------------------------------------------------
# The registry

_SLOPE_DOC = "slope for x <= 0"

VARIANTS: tuple[Variant, ...] = (
    Variant(
        name="relu",
        display="ReLU",
        aliases=("rectifier",),
        summary="Rectified linear unit: passes positives, zeroes the rest.",
        params=(),
        forward=_relu_forward,
        gradient=_relu_gradient,
        formula="max(0, x)",
        gradient_formula="1 if x > 0 else 0; 0 at x = 0",
        output_range="[0, ∞)",
        range_bounds=_zero_to(math.inf),
        dying="yes: ∇ = 0 for x ≤ 0",
        can_die=True,
        learnable=False,
        stochastic=False,
        kinks=(0.0,),
        when_to_use="Default for hidden layers: cheap, sparse, no saturation for x > 0.",
        frameworks={
            "PyTorch": "F.relu; ∇ at 0 = 0",
            "Keras": "keras.ops.relu; ∇ at 0 = 0",
            "JAX": "jax.nn.relu; ∇ at 0 = 0",
        },
    ),
    Variant(
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
        learnable=False,
        stochastic=False,
        kinks=(0.0,),
        when_to_use="When ReLU units die (high learning rates, poor init); GAN discriminators.",
        frameworks={
            "PyTorch": "s = 0.01; ∇ at 0 = s",
            "Keras": "s = 0.2 (keras.ops), 0.3 (LeakyReLU layer)",
            "JAX": "s = 0.01; ∇ at 0 = 1",
        },
        zero_centred="partly",
    ),
    Variant(
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
        stochastic=False,
        kinks=(0.0,),
        when_to_use="Deep CNNs that can afford a learned slope per channel (He et al. 2015).",
        frameworks={
            "PyTorch": "a = 0.25 per channel (axis 1)",
            "Keras": "a = 0 per element (shared_axes=None)",
            "JAX": "Flax PReLU: a = 0.01, one scalar",
        },
        zero_centred="partly",
    ),
    Variant(
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
        learnable=False,
        stochastic=True,
        kinks=(0.0,),
        when_to_use="Small datasets: the random slope regularises; eval is LeakyReLU((l+u)/2).",
        frameworks={
            "PyTorch": "l = 1/8, u = 1/3",
            "Keras": "none",
            "JAX": "none",
        },
        zero_centred="partly",
    ),
    Variant(
        name="relu6",
        display="ReLU6",
        aliases=("relu_6",),
        summary="ReLU capped at 6: bounded output for fixed-point (quantised) inference.",
        params=(),
        forward=_relu6_forward,
        gradient=_relu6_gradient,
        formula="min(max(0, x), 6)",
        gradient_formula="1 if 0 < x < 6 else 0; 0 at x = 0 and x = 6",
        output_range="[0, 6]",
        range_bounds=_zero_to(6.0),
        dying="yes: ∇ = 0 for x ≤ 0 and x ≥ 6",
        can_die=True,
        learnable=False,
        stochastic=False,
        kinks=(0.0, 6.0),
        when_to_use="Mobile and quantised inference (MobileNet): the range fits fixed point.",
        frameworks={
            "PyTorch": "F.relu6; ∇ at 0 and 6 = 0",
            "Keras": "keras.ops.relu6, ReLU(max_value=6)",
            "JAX": "jax.nn.relu6; ∇ at 0 and 6 = 0",
        },
    ),
    Variant(
        name="sigmoid",
        display="Sigmoid",
        aliases=("logistic", "sigma"),
        summary="The logistic function: the classic saturating activation.",
        params=(),
        forward=_sigmoid_forward,
        gradient=_sigmoid_gradient,
        formula="1 / (1 + e^(-x))",
        gradient_formula="σ(x)(1 - σ(x)); at most 1/4, at x = 0",
        output_range="(0, 1)",
        range_bounds=lambda params: (0.0, 1.0),
        dying="no; saturates: ∇ → 0 as |x| grows",
        can_die=False,
        learnable=False,
        stochastic=False,
        kinks=(),
        when_to_use="Output units for probabilities; in deep hidden stacks gradients vanish.",
        frameworks={
            "PyTorch": "torch.sigmoid",
            "Keras": "keras.ops.sigmoid",
            "JAX": "jax.nn.sigmoid",
        },
        family="classic",
        piecewise_linear=False,
        wide=True,
        smooth=True,
    ),
    Variant(
        name="tanh",
        display="Tanh",
        aliases=("hyperbolic_tangent",),
        summary="The hyperbolic tangent: a zero-centred saturating activation.",
        params=(),
        forward=_tanh_forward,
        gradient=_tanh_gradient,
        formula="(e^x - e^(-x)) / (e^x + e^(-x))",
        gradient_formula="1 - tanh(x)²; at most 1, at x = 0",
        output_range="(-1, 1)",
        range_bounds=lambda params: (-1.0, 1.0),
        dying="no; saturates: ∇ → 0 as |x| grows",
        can_die=False,
        learnable=False,
        stochastic=False,
        kinks=(),
        when_to_use="Recurrent cells and bounded outputs; saturates like the sigmoid in depth.",
        frameworks={
            "PyTorch": "torch.tanh",
            "Keras": "keras.ops.tanh",
            "JAX": "jax.nn.tanh",
        },
        family="classic",
        piecewise_linear=False,
        wide=True,
        smooth=True,
        zero_centred="yes",
    ),
)


# --------------------------------------------------------------------------------------
# Kernels of the relatives: the generalised ReLU and the smooth functions that replaced
# ReLU in many networks. The smooth ones compute float16/float32 in float64 (``wide``)
# and round once; their gradients are taken from the input, never from the rounded
# output, so that they do not collapse in the tails.


def _where(condition, a, b, out):
    import numpy as np

    np.copyto(out, np.where(condition, a, b))


def _generalized_forward(x, out, tmp, negative_slope, max_value, threshold):
    """negative_slope·(x - threshold) below the threshold, else min(x, max_value)."""
    import numpy as np

    below = 0 * x if negative_slope == 0 else negative_slope * (x - threshold)
    if negative_slope == 0:
        below = np.zeros_like(x)  # not 0·(x - t), which is NaN at -inf
    _where(x < threshold, below, np.minimum(x, max_value), out)


def _generalized_gradient(x, out, tmp, negative_slope, max_value, threshold):
    """negative_slope below the threshold, 1 between threshold and cap, 0 above the cap,
    and 0 at the threshold and at the cap (the stated convention); NaN at NaN."""
    import numpy as np

    one = np.where((x > threshold) & (x < max_value), 1, 0)
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


def _hardtanh_forward(x, out, tmp, min_val, max_val):
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


def _threshold_forward(x, out, tmp, threshold, value):
    """x if x > threshold else value (PyTorch: x <= threshold ? value : x)."""
    _where(x <= threshold, value, x, out)


def _threshold_gradient(x, out, tmp, threshold, value):
    import numpy as np

    g = np.where(x <= threshold, 0, 1)
    _where(np.isnan(x), np.nan, g, out)


def _threshold_prepare(params, x, training, rng, storage):
    t = x.dtype.type
    return {"threshold": t(params["threshold"]), "value": t(params["value"])}


def _elu_forward(x, out, tmp, alpha, scale=1.0, input_scale=1.0):
    """PyTorch's elu: scale·x for x > 0, else scale·alpha·(e^(input_scale·x) - 1)."""
    import numpy as np

    negative = scale * alpha * np.expm1(np.minimum(x, 0) * input_scale)
    _where(x > 0, scale * x, negative, out)


def _elu_gradient(x, out, tmp, alpha, scale=1.0, input_scale=1.0):
    """scale for x > 0, else scale·alpha·input_scale·e^(input_scale·x), from the input
    (PyTorch's is_result path, (y + alpha)·..., cancels to 0 far in the negative tail)."""
    import numpy as np

    negative = scale * alpha * input_scale * np.exp(np.minimum(x, 0) * input_scale)
    g = np.where(x > 0, scale, negative)
    _where(np.isnan(x), np.nan, g, out)


def _elu_prepare(params, x, training, rng, storage):
    return {"alpha": params["alpha"]}


#: The minima of the smooth non-monotone ones (where their derivative vanishes).
GELU_MIN = -0.16997120747990366  # at x = -0.75179154
GELU_TANH_MIN = -0.17004075057125403  # at x = -0.75246143
SILU_MIN = -0.2784645427610738  # at x = -1.27846456 (-W(1/e) - 1)
MISH_MIN = -0.3088434130172504  # at x = -1.19243123

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _selu_forward(x, out, tmp):
    _elu_forward(x, out, tmp, SELU_ALPHA, SELU_SCALE)


def _selu_gradient(x, out, tmp):
    _elu_gradient(x, out, tmp, SELU_ALPHA, SELU_SCALE)


def _celu_prepare(params, x, training, rng, storage):
    return {"alpha": params["alpha"], "input_scale": 1 / params["alpha"]}


def _erfc(values):
    """erfc elementwise. Float64 input: Python's math.erfc (about 1 ulp, no extra
    dependency; ~60 ns per value: see the README for the choice). Long double input
    (float64 data computed wider): erf's Taylor series for |z| <= 2 and the continued
    fraction of erfc beyond, in long double, so that neither the cancellation in
    GELU's gradient near x = -0.75 nor erfc's conditioning far out (relative error
    2z² times that of z) costs float64 digits."""
    import math

    import numpy as np

    flat = values.reshape(-1)
    if values.dtype.itemsize <= 8:
        result = np.fromiter(map(math.erfc, flat.tolist()), dtype=np.float64, count=flat.size)
        return result.reshape(values.shape)
    ld = values.dtype.type
    result = np.empty_like(flat)
    near = np.abs(flat) <= 2
    z = flat[near]
    if z.size:
        term, total, z2 = z.copy(), z.copy(), z * z
        for n in range(1, 60):  # erf(z) = 2/√π Σ (-1)^n z^(2n+1) / (n! (2n+1))
            term = -term * z2 / n
            total += term / (2 * n + 1)
        result[near] = 1 - ld("1.12837916709551257389615890312154517") * total
    far = ~near & ~np.isnan(flat)
    z = np.abs(flat[far])
    if z.size:
        with np.errstate(over="ignore", invalid="ignore"):
            fraction = z.copy()  # erfc(z) = e^(-z²)/√π / (z + (1/2)/(z + 1/(z + (3/2)/(z + ...))))
            for n in range(120, 0, -1):
                fraction = z + ld(n) / 2 / fraction
            tail = np.exp(-z * z) / (ld("1.77245385090551602729816748334114518") * fraction)
            tail = np.where(np.isinf(z), 0, tail)
        result[far] = np.where(flat[far] > 0, tail, 2 - tail)
    result[np.isnan(flat)] = np.nan
    return result.reshape(values.shape)


# as text, so that long double computations get every digit of them
SQRT_HALF_TEXT = "0.707106781186547524400844362104849039"
INV_SQRT_2PI_TEXT = "0.398942280401432677939946059934381868"
GELU_TANH_C = 0.7978845608028654  # sqrt(2/pi), as PyTorch's double


def _gelu_forward(x, out, tmp, approximate):
    """exact: x·Φ(x) = x·erfc(-x/√2)/2 (no 1 + erf cancellation: accurate far below 0);
    tanh: x/2·(1 + tanh(u)) computed as x·σ(2u), u = √(2/π)(x + 0.044715x³), which
    does not cancel for negative u either. The limit at -inf is -0, not -inf·0."""
    import numpy as np

    with np.errstate(invalid="ignore", over="ignore"):
        if approximate:
            u = GELU_TANH_C * (x + 0.044715 * x * x * x)
            y = x * _sigmoid_of(2 * u)
        else:
            y = 0.5 * x * _erfc(-x * x.dtype.type(SQRT_HALF_TEXT))
    _where(np.isneginf(x), -0.0, y, out)


def _gelu_gradient(x, out, tmp, approximate):
    """exact: Φ(x) + x·φ(x); tanh: σ(2u) + 2x·σ(2u)σ(-2u)·u'."""
    import numpy as np

    with np.errstate(invalid="ignore", over="ignore"):
        if approximate:
            u = GELU_TANH_C * (x + 0.044715 * x * x * x)
            du = GELU_TANH_C * (1 + 0.044715 * x * x * 3)  # 3 last: no rounded 3·0.044715
            g = _sigmoid_of(2 * u) + 2 * x * _sigmoid_of(2 * u) * _sigmoid_of(-2 * u) * du
        else:
            cdf = 0.5 * _erfc(-x * x.dtype.type(SQRT_HALF_TEXT))
            g = cdf + x * x.dtype.type(INV_SQRT_2PI_TEXT) * np.exp(-0.5 * x * x)
    _where(np.isinf(x), np.where(x > 0, 1.0, 0.0), g, out)


def _gelu_prepare(params, x, training, rng, storage):
    return {"approximate": params["approximate"] == "tanh"}


def _sigmoid_of(x):
    """σ(x) without overflow, with its relative accuracy for x < 0 kept."""
    import numpy as np

    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1, e) / (1 + e)


def _silu_forward(x, out, tmp):
    import numpy as np

    with np.errstate(invalid="ignore"):
        np.copyto(out, np.where(np.isneginf(x), -0.0, x * _sigmoid_of(x)))


def _silu_gradient(x, out, tmp):
    """σ(x)(1 + x(1 - σ(x))), with 1 - σ(x) = σ(-x) taken directly."""
    import numpy as np

    with np.errstate(invalid="ignore"):
        g = _sigmoid_of(x) * (1 + x * _sigmoid_of(-x))
        np.copyto(out, np.where(np.isinf(x), np.where(x > 0, 1.0, 0.0), g))


def _softplus_of(x, beta=1.0):
    """log(1 + e^(βx))/β, stable: max(βx, 0) + log1p(e^-|βx|)."""
    import numpy as np

    z = beta * x
    return (np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))) / beta


def _softplus_forward(x, out, tmp, beta, threshold):
    """PyTorch: x where βx > threshold (the switch to the identity), else the softplus."""
    _where(beta * x > threshold, x, _softplus_of(x, beta), out)


def _softplus_gradient(x, out, tmp, beta, threshold):
    import numpy as np

    g = np.where(beta * x > threshold, 1.0, _sigmoid_of(beta * x))
    _where(np.isnan(x), np.nan, g, out)


def _softplus_prepare(params, x, training, rng, storage):
    return {"beta": params["beta"], "threshold": params["threshold"]}


def _mish_forward(x, out, tmp):
    """x·tanh(softplus(x))."""
    import numpy as np

    with np.errstate(invalid="ignore"):
        np.copyto(out, np.where(np.isneginf(x), -0.0, x * np.tanh(_softplus_of(x))))


def _mish_gradient(x, out, tmp):
    """tanh(sp) + x·σ(x)·(1 - tanh(sp)²), sp = softplus(x); 1 - tanh² as sech²."""
    import numpy as np

    sp = _softplus_of(x)
    t = np.tanh(sp)
    e = np.exp(-2 * sp)
    sech2 = 4 * e / (1 + e) ** 2
    with np.errstate(invalid="ignore"):
        g = t + x * _sigmoid_of(x) * sech2
        np.copyto(out, np.where(np.isinf(x), np.where(x > 0, 1.0, 0.0), g))


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


RELATIVES: tuple[Variant, ...] = (
    Variant(
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
        learnable=False,
        stochastic=False,
        kinks=lambda p: (p["threshold"], p["max_value"]),
        when_to_use="Porting Keras models; a capped ReLU (max_value=6 is ReLU6) or shifted one.",
        frameworks={
            "PyTorch": "none (compose clamp and where)",
            "Keras": "keras.activations.relu(x, negative_slope=0, max_value=None, threshold=0)",
            "JAX": "none (compose)",
        },
        family="relative",
    ),
    Variant(
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
        learnable=False,
        stochastic=False,
        kinks=lambda p: (p["min_val"], p["max_val"]),
        when_to_use="Cheap bounded activation; ReLU6 is Hardtanh(0, 6).",
        frameworks={"PyTorch": "F.hardtanh(min_val=-1, max_val=1)", "Keras": "none",
                    "JAX": "jax.nn.hard_tanh (fixed at ±1)"},
        family="relative",
        zero_centred="yes",
    ),
    Variant(
        name="threshold",
        display="Threshold",
        aliases=(),
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
        learnable=False,
        stochastic=False,
        kinks=lambda p: (p["threshold"],),
        when_to_use="PyTorch's nn.Threshold; ReLU is Threshold(0, 0).",
        frameworks={"PyTorch": "F.threshold(x, threshold, value) (no defaults)",
                    "Keras": "none", "JAX": "none"},
        family="relative",
    ),
    Variant(
        name="elu",
        display="ELU",
        aliases=("exponential_linear",),
        summary="Exponential linear unit: smooth saturation to -alpha for negative inputs.",
        params=(Param("alpha", 1.0, "the negative saturation value is -alpha"),),
        forward=_elu_forward,
        gradient=_elu_gradient,
        prepare=_elu_prepare,
        formula="x if x > 0 else α(e^x - 1)",
        gradient_formula="1 if x > 0 else αe^x; α at x = 0 (continuous only for α = 1)",
        output_range="(-α, ∞)",
        range_bounds=lambda p: (-p["alpha"] if p["alpha"] >= 0 else -math.inf, math.inf),
        dying="no; ∇ → 0 as x → -∞",
        can_die=False,
        learnable=False,
        stochastic=False,
        kinks=(0.0,),
        when_to_use="Faster convergence than ReLU with mean activations closer to zero.",
        frameworks={"PyTorch": "F.elu(alpha=1.0)", "Keras": "keras.ops.elu(alpha=1.0)",
                    "JAX": "jax.nn.elu(alpha=1.0)"},
        family="relative",
        smooth=True,
        piecewise_linear=False,
        wide=True,
        zero_centred="partly",
    ),
    Variant(
        name="selu",
        display="SELU",
        aliases=("scaled_elu",),
        summary="Scaled ELU with the constants that make deep nets self-normalising.",
        params=(),
        forward=_selu_forward,
        gradient=_selu_gradient,
        formula="λx if x > 0 else λα(e^x - 1); λ ≈ 1.0507, α ≈ 1.6733",
        gradient_formula="λ if x > 0 else λαe^x; λα at x = 0",
        output_range="(-λα, ∞) ≈ (-1.7581, ∞)",
        range_bounds=lambda p: (-SELU_SCALE * SELU_ALPHA, math.inf),
        dying="no; ∇ → 0 as x → -∞",
        can_die=False,
        learnable=False,
        stochastic=False,
        kinks=(0.0,),
        when_to_use="Self-normalising MLPs (LeCun normal init, alpha dropout).",
        frameworks={"PyTorch": "F.selu", "Keras": "keras.ops.selu", "JAX": "jax.nn.selu"},
        family="relative",
        piecewise_linear=False,
        wide=True,
        zero_centred="partly",
        self_normalising=True,
    ),
    Variant(
        name="celu",
        display="CELU",
        aliases=(),
        summary="Continuously differentiable ELU: the negative side scaled by alpha inside too.",
        params=(Param("alpha", 1.0, "scale of the negative side", positive=True),),
        forward=_elu_forward,
        gradient=_elu_gradient,
        prepare=_celu_prepare,
        formula="max(0, x) + min(0, α(e^(x/α) - 1))",
        gradient_formula="1 if x > 0 else e^(x/α); 1 at x = 0",
        output_range="(-α, ∞)",
        range_bounds=lambda p: (-p["alpha"], math.inf),
        dying="no; ∇ → 0 as x → -∞",
        can_die=False,
        learnable=False,
        stochastic=False,
        kinks=(),
        when_to_use="ELU with a continuous derivative for any alpha.",
        frameworks={"PyTorch": "F.celu(alpha=1.0)", "Keras": "keras.ops.celu(alpha=1.0)",
                    "JAX": "jax.nn.celu(alpha=1.0)"},
        family="relative",
        piecewise_linear=False,
        wide=True,
        smooth=True,
        zero_centred="partly",
    ),
    Variant(
        name="gelu",
        display="GELU",
        aliases=(),
        summary="Gaussian error linear unit: x weighted by the normal CDF (Transformers).",
        params=(Param("approximate", "none", "none: the exact erf form; tanh: the "
                      "tanh approximation", choices=("none", "tanh")),),
        forward=_gelu_forward,
        gradient=_gelu_gradient,
        prepare=_gelu_prepare,
        formula="x·Φ(x) = x/2·erfc(-x/√2); approximate='tanh': x/2·(1 + tanh(u))",
        gradient_formula="Φ(x) + x·φ(x)",
        output_range="[-0.16997, ∞)",
        range_bounds=lambda p: (GELU_MIN if p["approximate"] == "none" else GELU_TANH_MIN, math.inf),
        dying="no; ∇ → 0 as x → -∞",
        can_die=False,
        learnable=False,
        stochastic=False,
        kinks=(),
        when_to_use="Transformers (BERT, GPT); smooth and non-monotone near -0.75.",
        frameworks={"PyTorch": "F.gelu(approximate='none') (exact)",
                    "Keras": "keras.ops.gelu(approximate=True)",
                    "JAX": "jax.nn.gelu(approximate=True)"},
        family="relative",
        piecewise_linear=False,
        wide=True,
        smooth=True,
        monotone=False,
        zero_centred="partly",
    ),
    Variant(
        name="silu",
        display="SiLU",
        aliases=("swish",),
        summary="Sigmoid-weighted linear unit (Swish): x·σ(x).",
        params=(),
        forward=_silu_forward,
        gradient=_silu_gradient,
        formula="x·σ(x)",
        gradient_formula="σ(x)(1 + x(1 - σ(x)))",
        output_range="[-0.27846, ∞)",
        range_bounds=lambda p: (SILU_MIN, math.inf),
        dying="no; ∇ → 0 as x → -∞",
        can_die=False,
        learnable=False,
        stochastic=False,
        kinks=(),
        when_to_use="EfficientNet, many CNNs and LLM MLPs (SwiGLU); smooth ReLU-like.",
        frameworks={"PyTorch": "F.silu", "Keras": "keras.ops.silu (also swish)",
                    "JAX": "jax.nn.silu (also swish)"},
        family="relative",
        piecewise_linear=False,
        wide=True,
        smooth=True,
        monotone=False,
        zero_centred="partly",
    ),
    Variant(
        name="mish",
        display="Mish",
        aliases=(),
        summary="x·tanh(softplus(x)): smooth, non-monotone, unbounded above.",
        params=(),
        forward=_mish_forward,
        gradient=_mish_gradient,
        formula="x·tanh(ln(1 + e^x))",
        gradient_formula="tanh(sp) + x·σ(x)·sech²(sp), sp = softplus(x)",
        output_range="[-0.30884, ∞)",
        range_bounds=lambda p: (MISH_MIN, math.inf),
        dying="no; ∇ → 0 as x → -∞",
        can_die=False,
        learnable=False,
        stochastic=False,
        kinks=(),
        when_to_use="YOLOv4-style detectors; a smoother SiLU.",
        frameworks={"PyTorch": "F.mish", "Keras": "keras.activations.mish",
                    "JAX": "none (x * jnp.tanh(jax.nn.softplus(x)))"},
        family="relative",
        piecewise_linear=False,
        wide=True,
        smooth=True,
        monotone=False,
        zero_centred="partly",
    ),
    Variant(
        name="softplus",
        display="Softplus",
        aliases=(),
        summary="A smooth ReLU: log(1 + e^(βx))/β, the identity past a threshold.",
        params=(Param("beta", 1.0, "sharpness", positive=True),
                Param("threshold", 20.0, "identity where β·x > threshold")),
        forward=_softplus_forward,
        gradient=_softplus_gradient,
        prepare=_softplus_prepare,
        formula="log(1 + e^(βx))/β; x where βx > threshold",
        gradient_formula="σ(βx); 1 where βx > threshold",
        output_range="(0, ∞)",
        range_bounds=lambda p: (0.0, math.inf),
        dying="no; ∇ → 0 as x → -∞",
        can_die=False,
        learnable=False,
        stochastic=False,
        # PyTorch's switch to the identity at βx = threshold moves the gradient by
        # less than e^-threshold: no kink to draw, and smooth for every purpose here
        kinks=(),
        when_to_use="Outputs that must stay positive (scales, rates); a smooth ReLU.",
        frameworks={"PyTorch": "F.softplus(beta=1, threshold=20)",
                    "Keras": "keras.ops.softplus (no threshold)",
                    "JAX": "jax.nn.softplus (no threshold)"},
        family="relative",
        piecewise_linear=False,
        wide=True,
        smooth=True,
    ),
    Variant(
        name="hardswish",
        display="Hardswish",
        aliases=("hard_swish",),
        summary="MobileNetV3's piecewise-quadratic Swish: x·ReLU6(x + 3)/6.",
        params=(),
        forward=_hardswish_forward,
        gradient=_hardswish_gradient,
        formula="x·min(max(x + 3, 0), 6)/6",
        gradient_formula="0 below -3, x/3 + 1/2 on (-3, 3), 1 above; 0 at -3, 1 at 3",
        output_range="[-0.375, ∞)",
        range_bounds=lambda p: (-0.375, math.inf),
        dying="yes: ∇ = 0 for x < -3",
        can_die=True,
        learnable=False,
        stochastic=False,
        kinks=(-3.0, 3.0),
        when_to_use="Mobile networks (MobileNetV3): Swish without the exponential.",
        frameworks={"PyTorch": "F.hardswish", "Keras": "keras.ops.hard_swish",
                    "JAX": "jax.nn.hard_swish"},
        family="relative",
        piecewise_linear=False,
        monotone=False,
        zero_centred="partly",
    ),
    Variant(
        name="hardsigmoid",
        display="Hardsigmoid",
        aliases=("hard_sigmoid",),
        summary="The sigmoid's piecewise-linear stand-in: ReLU6(x + 3)/6.",
        params=(),
        forward=_hardsigmoid_forward,
        gradient=_hardsigmoid_gradient,
        formula="min(max(x + 3, 0), 6)/6",
        gradient_formula="1/6 on (-3, 3), else 0; 0 at ±3",
        output_range="[0, 1]",
        range_bounds=lambda p: (0.0, 1.0),
        dying="yes: ∇ = 0 for x ≤ -3 and x ≥ 3",
        can_die=True,
        learnable=False,
        stochastic=False,
        kinks=(-3.0, 3.0),
        when_to_use="Gates in mobile networks (MobileNetV3 squeeze-excite).",
        frameworks={"PyTorch": "F.hardsigmoid (x/6 + 1/2)",
                    "Keras": "keras.ops.hard_sigmoid (x/6 + 1/2)",
                    "JAX": "jax.nn.hard_sigmoid (x/6 + 1/2)"},
        family="relative",
    ),
)

VARIANTS = VARIANTS[:5] + RELATIVES + VARIANTS[5:]


def _normalise(name: str) -> str:
    return name.strip().lower().replace("-", "_")


_BY_NAME: dict[str, Variant] = {}
for _variant in VARIANTS:
    for _alias in _variant.all_names + (_variant.display,):
        _BY_NAME[_normalise(_alias)] = _variant
        _BY_NAME[_normalise(_alias).replace("_", "")] = _variant


def names() -> list[str]:
    """The canonical variant names, in registry order."""
    return [v.name for v in VARIANTS]


def get(name: str | Variant) -> Variant:
    """The variant called ``name`` (case-insensitive; aliases such as ``leaky`` work).

    >>> get("LeakyReLU").name
    'leaky_relu'

    An unknown name raises :class:`UnknownVariantError` listing the valid names and
    suggesting the closest one.
    """
    if isinstance(name, Variant):
        return name
    key = _normalise(str(name))
    variant = _BY_NAME.get(key) or _BY_NAME.get(key.replace("_", ""))
    if variant is not None:
        return variant
    import difflib

    close = difflib.get_close_matches(key, list(_BY_NAME), n=1, cutoff=0.6)
    hint = f"; did you mean '{_BY_NAME[close[0]].name}'?" if close else ""
    raise UnknownVariantError(
        f"unknown variant '{name}'{hint} (valid: {', '.join(names())}; or the groups "
        "all, family, relatives, classic)"
    )


#: Group names ``select`` understands besides variant names.
GROUPS = {
    "all": lambda v: True,
    "family": lambda v: v.family == "relu",
    "relatives": lambda v: v.family == "relative",
    "classic": lambda v: v.family == "classic",
}


def select(requested: list[str], allowed=None) -> list[Variant]:
    """Resolve names; ``all`` stands for every variant, ``family`` for the ReLU family,
    ``classic`` for Sigmoid and Tanh; duplicates are dropped. ``allowed`` (a predicate)
    narrows the groups to the variants a command supports."""
    chosen: list[Variant] = []
    for name in requested:
        group = GROUPS.get(_normalise(name))
        if group is not None:
            found = tuple(v for v in VARIANTS if group(v) and (allowed is None or allowed(v)))
        else:
            found = (get(name),)
        for variant in found:
            if variant not in chosen:
                chosen.append(variant)
    return chosen
