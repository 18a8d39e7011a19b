"""The registry: names, aliases, parameters and the properties the table prints."""

from __future__ import annotations

import math

import numpy as np
import pytest

from relucli import engine, registry
from relucli.errors import ParameterError, UnknownVariantError


@pytest.mark.parametrize(
    "alias, name",
    [("relu", "relu"), ("ReLU", "relu"), ("leaky", "leaky_relu"), ("LeakyReLU", "leaky_relu"),
     ("leakyrelu", "leaky_relu"), ("leaky-relu", "leaky_relu"), ("PReLU", "prelu"),
     ("RReLU", "rrelu"), ("relu6", "relu6"), ("ReLU6", "relu6")],
)
def test_aliases_resolve_case_insensitively(alias, name):
    assert registry.get(alias).name == name


def test_unknown_name_lists_names_and_suggests_closest():
    with pytest.raises(UnknownVariantError) as info:
        registry.get("reluu")
    message = str(info.value)
    assert "did you mean 'relu'" in message
    for name in registry.names():
        assert name in message


@pytest.mark.parametrize("variant", registry.VARIANTS, ids=lambda v: v.name)
def test_smooth_and_monotone_flags_match_engine(variant):
    x = np.linspace(-12, 12, 240001)
    grad = engine.gradient(variant, x)
    if variant.smooth:  # a continuous derivative: no jumps on a fine grid
        assert np.abs(np.diff(grad)).max() < 1e-3
    else:  # a kink somewhere
        assert variant.kinks_for()
    assert bool(np.all(grad >= 0)) == variant.monotone


@pytest.mark.parametrize("variant", registry.VARIANTS, ids=lambda v: v.name)
def test_zero_centred_flag_matches_the_range(variant):
    lo, hi = variant.range_bounds(variant.defaults())
    if variant.zero_centred == "no":
        assert lo >= 0
    elif variant.zero_centred == "yes":
        assert lo == -hi
    else:
        assert lo < 0 and (hi == math.inf or hi > -lo)


def test_select_all_and_drops_duplicates():
    assert [v.name for v in registry.select(["all"])] == registry.names()
    assert [v.name for v in registry.select(["family"])] == ["relu", "leaky_relu", "prelu", "rrelu", "relu6"]
    assert [v.name for v in registry.select(["classic"])] == ["sigmoid", "tanh"]
    assert "gelu" in [v.name for v in registry.select(["relatives"])]
    assert [v.name for v in registry.select(["leaky", "leaky_relu", "relu"])] == ["leaky_relu", "relu"]


def test_defaults_are_pytorchs():
    assert registry.get("leaky_relu").defaults() == {"negative_slope": 0.01}
    assert registry.get("prelu").defaults() == {"alpha": 0.25}
    assert registry.get("rrelu").defaults() == {"lower": 1 / 8, "upper": 1 / 3}
    assert registry.get("relu").defaults() == {}


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", math.nan, math.inf])
def test_non_finite_parameters_are_refused(value):
    with pytest.raises(ParameterError, match="negative_slope.*finite"):
        registry.get("leaky_relu").resolve_params({"negative_slope": value})


def test_rrelu_lower_above_upper_is_refused():
    with pytest.raises(ParameterError, match="lower <= upper"):
        registry.get("rrelu").resolve_params({"lower": 0.5, "upper": 0.2})


def test_only_per_channel_parameters_take_several_values():
    assert registry.get("prelu").resolve_params({"alpha": "0.1,0.2"}) == {"alpha": (0.1, 0.2)}
    with pytest.raises(ParameterError, match="takes one value"):
        registry.get("leaky_relu").resolve_params({"negative_slope": "0.1,0.2"})


def test_unknown_parameter_names_the_allowed_ones():
    with pytest.raises(ParameterError, match="no parameter 'slope'.*negative_slope"):
        registry.get("leaky_relu").resolve_params({"slope": 0.1})


def test_label_shows_parameters():
    variant = registry.get("leaky_relu")
    assert variant.label(variant.resolve_params({"negative_slope": 0.1})) == "LeakyReLU(negative_slope=0.1)"
    assert registry.get("relu").label() == "ReLU"


# The table must not drift from the numbers: every declared property is checked
# against the engine on a dense grid plus the infinities.

GRID = np.concatenate([np.linspace(-20, 20, 40001), [-np.inf, np.inf, -1e30, 1e30]])


@pytest.mark.parametrize("variant", registry.VARIANTS, ids=lambda v: v.name)
def test_declared_range_matches_engine(variant):
    y = engine.forward(variant, GRID)
    y = y[~np.isnan(y)]
    lo, hi = variant.range_bounds(variant.defaults())
    if variant.piecewise_linear or math.isinf(lo) or lo in (0, -1):
        assert y.min() == lo or (lo == -math.inf and y.min() < -1e29)
    else:  # a smooth minimum: reached between grid points
        assert lo - 1e-15 <= y.min() <= lo + 1e-6
    assert y.max() == hi or (hi == math.inf and y.max() > 1e29)


@pytest.mark.parametrize("variant", registry.VARIANTS, ids=lambda v: v.name)
def test_can_die_flag_matches_engine(variant):
    # zero on a stretch of finite inputs, not by underflow at ±inf or 1e30
    grad = engine.gradient(variant, GRID[:-4])
    assert bool((grad == 0).any()) == variant.can_die
    assert variant.dying.startswith("yes") == variant.can_die


@pytest.mark.parametrize("variant", [v for v in registry.VARIANTS if v.piecewise_linear],
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


def test_kinks_move_with_parameters():
    assert registry.get("hardtanh").kinks_for({"min_val": 0, "max_val": 6}) == (0, 6)
    assert registry.get("generalized_relu").kinks_for({}) == (0,)
    assert registry.get("generalized_relu").kinks_for({"max_value": 6, "threshold": 1}) == (1, 6)


def test_learnable_and_stochastic_flags():
    assert [v.name for v in registry.VARIANTS if v.learnable] == ["prelu"]
    assert {v.name for v in registry.VARIANTS if not v.piecewise_linear} == {
        "sigmoid", "tanh", "elu", "selu", "celu", "gelu", "silu", "mish", "softplus", "hardswish"}
    assert [v.name for v in registry.VARIANTS if v.stochastic] == ["rrelu"]
    assert all(p.learnable == (v.name == "prelu") for v in registry.VARIANTS for p in v.params)
