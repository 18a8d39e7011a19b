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

    def parse(self, value: Any) -> float | tuple[float, ...]:
        """Validate ``value`` (a number, a sequence, or text such as ``"0.1,0.2"``).

        Returns a float, or a tuple of floats for a per-channel value with several
        entries. Raises :class:`ParameterError` naming the parameter otherwise.
        """
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
            if not math.isfinite(number):
                raise ParameterError(
                    f"parameter '{self.name}' must be a finite real number, got {number}"
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
    kinks: tuple[float, ...]
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
    all_names: tuple[str, ...] = field(init=False, default=())

    def __repr__(self) -> str:
        return f"Variant({self.name!r})"

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "all_names", tuple(dict.fromkeys((self.name, *self.aliases)))
        )

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
    return f"{float(value):.6g}"


# --------------------------------------------------------------------------------------
# Kernels. Each writes into ``out``; ``tmp`` is scratch of the same shape. They use only
# single-pass ufuncs that NumPy vectorises well (clip, ceil, multiply, add, fmax),
# never np.where, masked copies, np.maximum or np.sign, which are several times
# slower; the engine calls them on cache-sized blocks. Two tricks recur:
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

    # (6 - x)*x > 0 exactly when 0 < x < 6: 6 - x is exact near 6 and only zero at 6,
    # a positive product cannot round to 0 here, and outside it is <= 0 or -inf.
    np.subtract(6, x, out=tmp)
    np.multiply(tmp, x, out=out)  # elementwise, so safe when out is x
    np.ceil(out, out=out)
    np.clip(out, 0, 1, out=out)


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
    ),
)


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
        f"unknown variant '{name}'{hint} (valid: {', '.join(names())}, or all, family, classic)"
    )


#: Group names ``select`` understands besides variant names.
GROUPS = {
    "all": lambda v: True,
    "family": lambda v: v.family == "relu",
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
