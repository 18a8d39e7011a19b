"""The smooth relatives' entries: conventions PyTorch follows that a formula hides."""

from __future__ import annotations

import numpy as np
import pytest

from relucli import engine


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_softplus_switches_on_the_rounded_product_as_pytorch_does(dtype):
    """PyTorch takes the identity where fl(β·x) > threshold, the product rounded in its
    computation type (float32 for float16 and float32, float64 for float64): where the
    product rounds onto the threshold it stays on the log branch."""
    opmath = np.float64 if dtype == np.float64 else np.float32
    beta, threshold = 3.7, 5.0
    x = np.array([opmath(threshold) / opmath(beta)], dtype)
    product = x.astype(opmath) * opmath(beta)
    result = engine.evaluate("softplus", x, beta=beta, threshold=threshold)
    exact = np.log1p(np.exp(beta * x.astype(np.float64))) / beta
    if product[0] > threshold:
        assert result.y[0] == x[0] and result.grad[0] == 1
    else:
        assert result.y[0] == exact.astype(dtype)[0]
        assert result.grad[0] < 1
    if dtype != np.float16:  # the case of the issue: fl(β·x) is exactly the threshold
        assert product[0] == threshold and result.y[0] != x[0]


@pytest.mark.skipif(np.finfo(np.longdouble).nmant <= 52, reason="no wider long double here")
@pytest.mark.parametrize("alpha", [0.3, 0.7, 2.5])
def test_celu_float64_gradient_is_exp_of_x_over_alpha_within_an_ulp(alpha):
    """exp(x/α), not exp(x·fl(1/α)): the rounding of 1/α grew to 40 ulp far out."""
    from decimal import Decimal, getcontext

    getcontext().prec = 60
    x = -np.geomspace(0.5, 200 * alpha, 400)
    grad = engine.evaluate("celu", x, alpha=alpha).grad
    exact = np.array([float((Decimal(v) / Decimal(alpha)).exp()) for v in x])
    ulps = np.abs(grad - exact) / np.spacing(exact)
    assert ulps.max() <= 1.0
