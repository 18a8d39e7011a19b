"""Every entry's declared facts (the properties ``relu table`` prints) against the engine."""

from __future__ import annotations

import math

import numpy as np
import pytest

from relucli import engine, variants


@pytest.mark.parametrize("variant", variants.VARIANTS, ids=lambda v: v.name)
def test_smooth_and_monotone_flags_match_engine(variant):
    x = np.linspace(-12, 12, 240001)
    grad = engine.gradient(variant, x)
    if variant.smooth:  # a continuous derivative: no jumps on a fine grid
        assert np.abs(np.diff(grad)).max() < 1e-3
    else:  # a kink somewhere
        assert variant.kinks_for()
    assert bool(np.all(grad >= 0)) == variant.monotone


@pytest.mark.parametrize("variant", variants.VARIANTS, ids=lambda v: v.name)
def test_zero_centred_flag_matches_the_range(variant):
    lo, hi = variant.range_bounds(variant.defaults())
    if variant.zero_centred == "no":
        assert lo >= 0
    elif variant.zero_centred == "yes":
        assert lo == -hi
    else:
        assert lo < 0 and (hi == math.inf or hi > -lo)


# The table must not drift from the numbers: every declared property is checked
# against the engine on a dense grid plus the infinities.

GRID = np.concatenate([np.linspace(-20, 20, 40001), [-np.inf, np.inf, -1e30, 1e30]])


@pytest.mark.parametrize("variant", variants.VARIANTS, ids=lambda v: v.name)
def test_declared_range_matches_engine(variant):
    y = engine.forward(variant, GRID)
    y = y[~np.isnan(y)]
    lo, hi = variant.range_bounds(variant.defaults())
    if variant.piecewise_linear or math.isinf(lo) or lo in (0, -1):
        assert y.min() == lo or (lo == -math.inf and y.min() < -1e29)
    else:  # a smooth minimum: reached between grid points
        assert lo - 1e-15 <= y.min() <= lo + 1e-6
    assert y.max() == hi or (hi == math.inf and y.max() > 1e29)


@pytest.mark.parametrize("variant", variants.VARIANTS, ids=lambda v: v.name)
def test_can_die_flag_matches_engine(variant):
    # zero on a stretch of finite inputs, not by underflow at ±inf or 1e30
    grad = engine.gradient(variant, GRID[:-4])
    assert bool((grad == 0).any()) == variant.can_die
    assert variant.dying.startswith("yes") == variant.can_die


@pytest.mark.parametrize("variant", [v for v in variants.VARIANTS if v.piecewise_linear],
                         ids=lambda v: v.name)
def test_declared_kinks_are_where_the_gradient_jumps(variant):
    x = GRID[:-4]
    changes = np.flatnonzero(np.diff(engine.gradient(variant, x)) != 0)
    intervals = [(x[i], x[i + 1]) for i in changes]
    kinks = variant.kinks_for()
    assert intervals, "the gradient never jumps"
    for left, right in intervals:
        assert any(left <= k <= right for k in kinks), (left, right)
    for kink in kinks:
        assert any(left <= kink <= right for left, right in intervals), kink


def test_learnable_and_stochastic_flags():
    assert [v.name for v in variants.VARIANTS if v.learnable] == ["prelu"]
    assert {v.name for v in variants.VARIANTS if not v.piecewise_linear} == {
        "sigmoid", "tanh", "elu", "selu", "celu", "gelu", "silu", "mish", "softplus", "hardswish"}
    assert [v.name for v in variants.VARIANTS if v.stochastic] == ["rrelu"]
    assert all(p.learnable == (v.name == "prelu") for v in variants.VARIANTS for p in v.params)
