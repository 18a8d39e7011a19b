"""Smooth variants: the set where |f'| < near_zero, found numerically."""

from __future__ import annotations

import math

import numpy as np
import pytest

from relucli import variants
from relucli.sim.smooth import near_zero_set


def test_near_zero_set_boundaries():
    sigmoid = variants.get("sigmoid")
    (low, high) = near_zero_set(sigmoid, {}, 1e-3)
    assert low[0] == -math.inf and high[1] == math.inf
    edge = high[0]  # σ'(a) = e^-a / (1 + e^-a)² = 1e-3
    assert math.exp(-edge) / (1 + math.exp(-edge)) ** 2 == pytest.approx(1e-3, rel=1e-9)
    assert low[1] == -edge
    gelu = variants.get("gelu")
    intervals = near_zero_set(gelu, {}, 1e-3)
    assert intervals[0][0] == -math.inf  # the far negative tail
    assert any(lo < -0.7518 < hi for lo, hi in intervals)  # the zero of GELU' near -0.75
    from relucli import engine
    for lo, hi in intervals:
        for edge in (lo, hi):
            if math.isfinite(edge):
                assert abs(engine.gradient(gelu, np.array([edge]))[0]) == pytest.approx(1e-3, rel=1e-6)
