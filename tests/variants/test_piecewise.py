"""The piecewise relatives' entries: kinks that move with the parameters."""

from __future__ import annotations

import numpy as np
import pytest

from relucli import variants


def test_kinks_move_with_parameters():
    assert variants.get("hardtanh").kinks_for({"min_val": 0, "max_val": 6}) == (0, 6)
    assert variants.get("generalized_relu").kinks_for({}) == (0,)
    assert variants.get("generalized_relu").kinks_for({"max_value": 6, "threshold": 1}) == (1, 6)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_uncapped_generalized_relu_agrees_with_relu_at_infinity(dtype):
    """With its defaults (no cap, threshold 0) GeneralizedReLU is ReLU, +inf included:
    gradient 1 there (it was 0); with a cap, 0 at and above it."""
    from relucli import engine

    x = np.array([np.inf, -np.inf, 0, 1, np.nan], dtype)
    relu = engine.evaluate(variants.get("relu"), x)
    general = engine.evaluate(variants.get("generalized_relu"), x)
    assert np.array_equal(relu.grad, general.grad, equal_nan=True)
    assert general.grad[0] == 1
    capped = engine.evaluate(variants.get("generalized_relu"), x, max_value=6)
    assert capped.grad[0] == 0
