"""The smooth relatives that replaced ReLU in many networks: ELU, SELU, CELU, GELU,
SiLU, Mish and Softplus.

They compute float16/float32 in float64 (``wide``) and round once; their gradients
are taken from the input, never from the rounded output, so that they do not collapse
in the tails. GELU's erfc comes from :mod:`relucli.numerics`.
"""

from __future__ import annotations

import math

from ..numerics import INV_SQRT_2PI_TEXT, SQRT_HALF_TEXT, _erfc
from .kernels import _where
from .model import Param, Variant

#: The minima of the smooth non-monotone ones (where their derivative vanishes).
GELU_MIN = -0.16997120747990366  # at x = -0.75179154
GELU_TANH_MIN = -0.17004075057125403  # at x = -0.75246143
SILU_MIN = -0.2784645427610738  # at x = -1.27846456 (-W(1/e) - 1)
MISH_MIN = -0.3088434130172504  # at x = -1.19243123


def _sigmoid_of(x):
    """σ(x) without overflow, with its relative accuracy for x < 0 kept."""
    import numpy as np

    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1, e) / (1 + e)


def _softplus_of(x, beta=1.0):
    """log(1 + e^(βx))/β, stable: max(βx, 0) + log1p(e^-|βx|)."""
    import numpy as np

    z = beta * x
    return (np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))) / beta


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


#: What the smooth relatives share: computed one precision wider and rounded once.
SMOOTH_RELATIVE = dict(family="relative", piecewise_linear=False, wide=True, smooth=True)


ELU = Variant(
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
    kinks=(0.0,),
    when_to_use="Faster convergence than ReLU with mean activations closer to zero.",
    frameworks={"PyTorch": "F.elu(alpha=1.0)", "Keras": "keras.ops.elu(alpha=1.0)",
                "JAX": "jax.nn.elu(alpha=1.0)"},
    family="relative",
    smooth=True,
    piecewise_linear=False,
    wide=True,
    zero_centred="partly",
)


SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _selu_forward(x, out, tmp):
    """λx if x > 0 else λα(e^x - 1), λ = SELU_SCALE, α = SELU_ALPHA: a scaled ELU."""
    _elu_forward(x, out, tmp, SELU_ALPHA, SELU_SCALE)


def _selu_gradient(x, out, tmp):
    """λ if x > 0 else λαe^x, with λα (the negative side's) at x = 0; NaN at NaN."""
    _elu_gradient(x, out, tmp, SELU_ALPHA, SELU_SCALE)


SELU = Variant(
    name="selu",
    display="SELU",
    aliases=("scaled_elu",),
    summary="Scaled ELU with the constants that make deep nets self-normalising.",
    forward=_selu_forward,
    gradient=_selu_gradient,
    formula="λx if x > 0 else λα(e^x - 1); λ ≈ 1.0507, α ≈ 1.6733",
    gradient_formula="λ if x > 0 else λαe^x; λα at x = 0",
    output_range="(-λα, ∞) ≈ (-1.7581, ∞)",
    range_bounds=lambda p: (-SELU_SCALE * SELU_ALPHA, math.inf),
    dying="no; ∇ → 0 as x → -∞",
    can_die=False,
    kinks=(0.0,),
    when_to_use="Self-normalising MLPs (LeCun normal init, alpha dropout).",
    frameworks={"PyTorch": "F.selu", "Keras": "keras.ops.selu", "JAX": "jax.nn.selu"},
    family="relative",
    piecewise_linear=False,
    wide=True,
    zero_centred="partly",
    self_normalising=True,
)


def _celu_prepare(params, x, training, rng, storage):
    # 1/alpha in the wide type x is computed in (long double for float64 input): a
    # double 1/alpha puts its rounding into exp(x/alpha), up to 40 ulp far out
    alpha = x.dtype.type(params["alpha"])
    return {"alpha": alpha, "input_scale": x.dtype.type(1) / alpha}


CELU = Variant(
    **SMOOTH_RELATIVE,
    name="celu",
    display="CELU",
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
    when_to_use="ELU with a continuous derivative for any alpha.",
    frameworks={"PyTorch": "F.celu(alpha=1.0)", "Keras": "keras.ops.celu(alpha=1.0)",
                "JAX": "jax.nn.celu(alpha=1.0)"},
    zero_centred="partly",
)


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


GELU = Variant(
    **SMOOTH_RELATIVE,
    name="gelu",
    display="GELU",
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
    when_to_use="Transformers (BERT, GPT); smooth and non-monotone near -0.75.",
    frameworks={"PyTorch": "F.gelu(approximate='none') (exact)",
                "Keras": "keras.ops.gelu(approximate=True)",
                "JAX": "jax.nn.gelu(approximate=True)"},
    monotone=False,
    zero_centred="partly",
)


def _silu_forward(x, out, tmp):
    """x·σ(x); -0 at -inf (the limit, not -inf·0)."""
    import numpy as np

    with np.errstate(invalid="ignore"):
        np.copyto(out, np.where(np.isneginf(x), -0.0, x * _sigmoid_of(x)))


def _silu_gradient(x, out, tmp):
    """σ(x)(1 + x(1 - σ(x))), with 1 - σ(x) = σ(-x) taken directly."""
    import numpy as np

    with np.errstate(invalid="ignore"):
        g = _sigmoid_of(x) * (1 + x * _sigmoid_of(-x))
        np.copyto(out, np.where(np.isinf(x), np.where(x > 0, 1.0, 0.0), g))


SILU = Variant(
    **SMOOTH_RELATIVE,
    name="silu",
    display="SiLU",
    aliases=("swish",),
    summary="Sigmoid-weighted linear unit (Swish): x·σ(x).",
    forward=_silu_forward,
    gradient=_silu_gradient,
    formula="x·σ(x)",
    gradient_formula="σ(x)(1 + x(1 - σ(x)))",
    output_range="[-0.27846, ∞)",
    range_bounds=lambda p: (SILU_MIN, math.inf),
    dying="no; ∇ → 0 as x → -∞",
    can_die=False,
    when_to_use="EfficientNet, many CNNs and LLM MLPs (SwiGLU); smooth ReLU-like.",
    frameworks={"PyTorch": "F.silu", "Keras": "keras.ops.silu (also swish)",
                "JAX": "jax.nn.silu (also swish)"},
    monotone=False,
    zero_centred="partly",
)


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


MISH = Variant(
    **SMOOTH_RELATIVE,
    name="mish",
    display="Mish",
    summary="x·tanh(softplus(x)): smooth, non-monotone, unbounded above.",
    forward=_mish_forward,
    gradient=_mish_gradient,
    formula="x·tanh(ln(1 + e^x))",
    gradient_formula="tanh(sp) + x·σ(x)·sech²(sp), sp = softplus(x)",
    output_range="[-0.30884, ∞)",
    range_bounds=lambda p: (MISH_MIN, math.inf),
    dying="no; ∇ → 0 as x → -∞",
    can_die=False,
    when_to_use="YOLOv4-style detectors; a smoother SiLU.",
    frameworks={"PyTorch": "F.mish", "Keras": "keras.activations.mish",
                "JAX": "none (x * jnp.tanh(jax.nn.softplus(x)))"},
    monotone=False,
    zero_centred="partly",
)


def _softplus_forward(x, out, tmp, beta, threshold, opmath):
    """PyTorch: x where fl(β·x) > threshold (the switch to the identity), else the
    softplus, computed wide."""
    _where(_switched(x, beta, threshold, opmath), x, _softplus_of(x, beta), out)


def _softplus_gradient(x, out, tmp, beta, threshold, opmath):
    """σ(βx), and 1 where fl(β·x) > threshold (PyTorch's switch); NaN at NaN."""
    import numpy as np

    g = np.where(_switched(x, beta, threshold, opmath), 1.0, _sigmoid_of(beta * x))
    _where(np.isnan(x), np.nan, g, out)


def _switched(x, beta, threshold, opmath):
    """Where PyTorch takes the identity: it compares the product β·x rounded in its
    computation type (float32 for 16- and 32-bit input, float64 for float64) with the
    threshold in that type; the exact product would switch early where fl(β·x) rounds
    down onto the threshold (β = 3.7, threshold 5, x = 5/3.7)."""
    return x.astype(opmath) * opmath(beta) > opmath(threshold)


def _softplus_prepare(params, x, training, rng, storage):
    import numpy as np

    opmath = np.float64 if storage == np.float64 else np.float32
    return {"beta": params["beta"], "threshold": params["threshold"], "opmath": opmath}


SOFTPLUS = Variant(
    **SMOOTH_RELATIVE,
    name="softplus",
    display="Softplus",
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
    # PyTorch's switch to the identity at βx = threshold moves the gradient by
    # less than e^-threshold: no kink to draw, and smooth for every purpose here
    kinks=(),
    when_to_use="Outputs that must stay positive (scales, rates); a smooth ReLU.",
    frameworks={"PyTorch": "F.softplus(beta=1, threshold=20)",
                "Keras": "keras.ops.softplus (no threshold)",
                "JAX": "jax.nn.softplus (no threshold)"},
)
