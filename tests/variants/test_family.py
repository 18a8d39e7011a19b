"""The ReLU family's entries: PyTorch's defaults and RReLU's bounds."""

from __future__ import annotations

import numpy as np
import pytest

from relucli import variants
from relucli.errors import ParameterError


def test_defaults_are_pytorchs():
    assert variants.get("leaky_relu").defaults() == {"negative_slope": 0.01}
    assert variants.get("prelu").defaults() == {"alpha": 0.25}
    assert variants.get("rrelu").defaults() == {"lower": 1 / 8, "upper": 1 / 3}
    assert variants.get("relu").defaults() == {}


def test_rrelu_lower_above_upper_is_refused():
    with pytest.raises(ParameterError, match="lower <= upper"):
        variants.get("rrelu").resolve_params({"lower": 0.5, "upper": 0.2})


def test_prelu_alpha_gradient_is_the_exact_sum_rounded_once():
    """d sum(y)/d alpha per channel, against the exact sum of min(x, 0) (Fractions),
    rounded once to the dtype, in float16, float32 and float64."""
    from fractions import Fraction

    from relucli import engine

    rng = np.random.default_rng(7)
    for dtype in (np.float16, np.float32, np.float64):
        big = 10.0 if dtype == np.float16 else 1e3  # the float16 sum stays finite
        x = (rng.standard_normal((40, 3, 25)) * rng.choice([1e-3, 1, big], (40, 3, 25))).astype(dtype)
        got = engine.evaluate("prelu", x, alpha="0.25,0.5,1").grad_params["alpha"]
        for channel in range(3):
            exact = sum(Fraction(float(v)) for v in np.minimum(x[:, channel], 0).ravel())
            want = np.array(float(exact), np.float64)  # exact -> double: correctly rounded
            if dtype != np.float64:  # then once more, to the narrow type, decided exactly
                lo = np.array(want, dtype)
                hi = np.nextafter(lo, dtype(np.inf if Fraction(float(lo)) < exact else -np.inf))
                want = min((lo, hi), key=lambda c: (abs(Fraction(float(c)) - exact),
                                                    int(c.view(np.uint16 if dtype == np.float16 else np.uint32)) % 2))
            assert got[channel] == want.astype(dtype), (dtype, channel)
