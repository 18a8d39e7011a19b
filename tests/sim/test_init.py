"""Weight initialisations (relucli.sim.init): the formulas, the slope read off each
variant, and the effect he-leaky exists for (a leaky net's gradient stays flat)."""

import math

import numpy as np
import pytest

from relucli.sim.gradflow import simulate_gradflow
from relucli.sim.init import negative_slope, variant_weight_std, weight_std
from relucli.variants import get


@pytest.mark.parametrize("init, expected", [
    ("he", math.sqrt(2 / 300)), ("xavier", math.sqrt(2 / 400)), ("lecun", math.sqrt(1 / 300)),
    ("he-leaky", math.sqrt(2 / (1.09 * 300))),
])
def test_weight_std_follows_the_formulas(init, expected):
    assert weight_std(init, 300, 100, 0.3) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize("name, params, slope", [
    ("relu", {}, 0.0), ("relu6", {}, 0.0), ("leaky_relu", {}, 0.01),
    ("leaky_relu", {"negative_slope": 0.2}, 0.2), ("prelu", {}, 0.25),
    ("rrelu", {}, (1 / 8 + 1 / 3) / 2), ("gelu", {}, 0.0),
])
def test_negative_slope_is_the_slope_for_x_to_minus_infinity(name, params, slope):
    variant = get(name)
    assert negative_slope(variant, variant.resolve_params(params)) == pytest.approx(slope, rel=1e-12)


def test_he_leaky_is_he_for_relu_and_smaller_for_prelu():
    relu, prelu = get("relu"), get("prelu")
    assert variant_weight_std("he-leaky", 64, 64, relu, {}) == weight_std("he", 64, 64)
    assert variant_weight_std("he-leaky", 64, 64, prelu, prelu.resolve_params()) == \
        pytest.approx(math.sqrt(2 / 64 / 1.0625), rel=1e-15)


def test_he_leaky_keeps_a_leaky_nets_gradient_flat_where_he_lets_it_grow():
    """With He's ReLU gain a PReLU (a = 0.25) layer multiplies the squared gradient
    norm by about 1 + a² = 1.0625: over 40 layers a factor of about 1.0625^(39/2) = 3.3
    in the norm; with the leaky gain the factor is 1. Width 400, so the spread
    between layers is a few percent."""
    prelu = get("prelu")
    grown = simulate_gradflow([prelu], {}, 40, 400, 64, np.random.default_rng(3), init="he")
    flat = simulate_gradflow([prelu], {}, 40, 400, 64, np.random.default_rng(3),
                              init="he-leaky")
    assert grown[0].relative_grad_norm[0] == pytest.approx(1.0625 ** 19.5, rel=0.25)
    assert flat[0].relative_grad_norm[0] == pytest.approx(1.0, rel=0.2)


def test_fan_in_bias_scaling_divides_each_layers_bias_std_by_its_fan_in():
    """The layer model with --bias-std 5 scaled by fan-in 100 is the layer model with
    --bias-std 0.05 (the same draws, the same numbers); in the depth model every layer
    of width 1 has fan-in 1, so there scaling changes nothing, and at width 3 it does."""
    from relucli.sim.depth import simulate_depth
    from relucli.sim.layer import simulate_layer

    relu = get("relu")
    scaled = simulate_layer([relu], {}, 100, 300, 8, 3, np.random.default_rng(2), bias_std=5,
                            bias_scaling="fan-in")
    constant = simulate_layer([relu], {}, 100, 300, 8, 3, np.random.default_rng(2),
                              bias_std=0.05)
    assert scaled[0].dead.value == constant[0].dead.value > 0
    assert scaled[0].mean_abs_grad.value == constant[0].mean_abs_grad.value

    def born_dead(width, scaling):
        [r] = simulate_depth([relu], {}, 6, width, 200, np.random.default_rng(4), bias_std=0.8,
                             bias_scaling=scaling)
        return r.per_layer_dead_fraction

    assert born_dead(1, "fan-in") == born_dead(1, "constant")
    assert born_dead(3, "fan-in") != born_dead(3, "constant")
