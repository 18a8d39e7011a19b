"""The data model of the registry: a :class:`Param` (one parameter with its default and
validation) and a :class:`Variant` (one activation function: its kernels and the facts
``relu table`` prints).

A field with a default holds the common case (no aliases, no parameters, not learnable,
not stochastic, no kinks, a piecewise-linear member of the ReLU family), so that an
entry states only what makes its variant different.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from ..errors import ParameterError


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


# one object per variant: compared and hashed by identity; keyword-only, so that fields
# with defaults may sit among those without (the field order is the table's own)
@dataclass(frozen=True, eq=False, kw_only=True)
class Variant:
    """One activation function of the family: its maths and the facts about it.

    Fields without a default are what every entry must say; the others default to
    the plain case (a ReLU-family member, piecewise linear, nothing learned or random).
    """

    name: str  # canonical, snake_case: the name used in JSON and CSV output
    display: str  # as PyTorch spells the module: "LeakyReLU"
    aliases: tuple[str, ...] = ()
    summary: str
    params: tuple[Param, ...] = ()
    forward: Callable[..., None]
    gradient: Callable[..., None]
    formula: str
    gradient_formula: str
    output_range: str
    range_bounds: Callable[[Mapping[str, Any]], tuple[float, float]]
    dying: str  # "no", or "yes: ..." saying where the gradient is zero
    can_die: bool
    learnable: bool = False  # has a learnable parameter (PReLU)
    stochastic: bool = False  # random in training (RReLU)
    kinks: tuple[float, ...] | Callable[[Mapping[str, Any]], tuple[float, ...]] = ()
    when_to_use: str
    frameworks: Mapping[str, str]  # "PyTorch" / "Keras" / "JAX" -> defaults there
    # Turn validated parameters into the kernel's keyword arguments for input ``x``
    # (slopes in the dtype of x; for RReLU in training, the sampled slopes).
    prepare: Callable[..., dict] | None = None
    # Gradient of the sum of outputs with respect to learnable parameters:
    # (x, params, kernel_args, upstream, dtype=the input dtype) -> {name: array}.
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

        >>> from relucli.variants import get
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
