"""The classic references the ReLU family replaced: the sigmoid and tanh.

Both saturate; their gradients are computed from the input (not from the rounded
output, as PyTorch does), so that they stay accurate in the tails.
"""

from __future__ import annotations

from .kernels import _single_pass
from .model import Variant


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


SIGMOID = Variant(
    name="sigmoid",
    display="Sigmoid",
    aliases=("logistic", "sigma"),
    summary="The logistic function: the classic saturating activation.",
    forward=_sigmoid_forward,
    gradient=_sigmoid_gradient,
    formula="1 / (1 + e^(-x))",
    gradient_formula="σ(x)(1 - σ(x)); at most 1/4, at x = 0",
    output_range="(0, 1)",
    range_bounds=lambda params: (0.0, 1.0),
    dying="no; saturates: ∇ → 0 as |x| grows",
    can_die=False,
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
)


@_single_pass
def _tanh_forward(x, out, tmp):
    """tanh(x), NumPy's own (bounded by ±1, no overflow)."""
    import numpy as np

    np.tanh(x, out=out)


def _tanh_gradient(x, out, tmp):
    """1 - tanh(x)² = 4e/(1+e)² with e = e^(-2|x|): accurate in the tails, where
    PyTorch's 1 - y² from the rounded output y collapses to 0 (float32: |x| > 9)."""
    _bell(x, out, tmp, 2, 4)


TANH = Variant(
    name="tanh",
    display="Tanh",
    aliases=("hyperbolic_tangent",),
    summary="The hyperbolic tangent: a zero-centred saturating activation.",
    forward=_tanh_forward,
    gradient=_tanh_gradient,
    formula="(e^x - e^(-x)) / (e^x + e^(-x))",
    gradient_formula="1 - tanh(x)²; at most 1, at x = 0",
    output_range="(-1, 1)",
    range_bounds=lambda params: (-1.0, 1.0),
    dying="no; saturates: ∇ → 0 as |x| grows",
    can_die=False,
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
)
