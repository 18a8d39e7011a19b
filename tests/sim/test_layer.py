"""The layer model against its closed form (tolerances in standard errors, any seed)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from relucli import variants
from relucli.sim.layer import layer_closed_form, simulate_layer

TOL = 4.5


def test_layer_gaussian_inputs_match_closed_form():
    rng = np.random.default_rng()
    results = simulate_layer(variants.select(["relu", "relu6", "leaky"]), {}, 50, 400, 3, 20, rng,
                             bias=-0.5)
    for r in results:
        assert r.dead.closed_form is not None
        se = max(r.dead.stderr, math.sqrt(r.dead.closed_form * (1 - r.dead.closed_form) / 8000))
        assert abs(r.dead.value - r.dead.closed_form) <= TOL * se


def test_zero_bias_gaussian_layer_is_two_to_minus_batch():
    relu = variants.get("relu")
    exact = layer_closed_form(relu, {}, "gaussian", "he", 100, 10, 6, 0.0, 0.0)
    assert exact["dead"] == pytest.approx(2.0 ** -6, rel=1e-6)


def test_non_centred_inputs_kill_far_more_units():
    relu = [variants.get("relu")]
    rng = np.random.default_rng(8)
    centred = simulate_layer(relu, {}, 100, 500, 16, 10, rng, inputs="gaussian")[0].dead
    pixels = simulate_layer(relu, {}, 100, 500, 16, 10, rng, inputs="uniform01")[0].dead
    previous = simulate_layer(relu, {}, 100, 500, 16, 10, rng, inputs="post-relu")[0].dead
    assert centred.value < 0.002
    assert pixels.value > 0.08 and previous.value > 0.005  # 2^-16 would be 1.5e-5
    assert pixels.closed_form == pytest.approx(pixels.value, abs=5 * pixels.stderr + 0.01)


@pytest.mark.parametrize("inputs, fan_in, bias, batch, relative", [
    ("uniform01", 100, -0.5, 8, 0.02), ("uniform01", 400, -1.0, 4, 0.01),
    ("post-relu", 100, -0.5, 8, 0.03), ("post-relu", 400, -1.0, 4, 0.01),
])
def test_non_centred_closed_form_is_the_central_limit_approximation(inputs, fan_in, bias,
                                                                   batch, relative):
    """Uniform and post-ReLU inputs: the Gaussian-given-the-weights closed form is within
    a few standard errors plus its measured approximation error (2-3% of the value at
    fan-in 100, 1% at 400) of 60 simulated layers, and flagged as approximate."""
    import numpy as np
    from relucli import variants
    from relucli.sim.layer import simulate_layer

    [r] = simulate_layer([variants.get("relu")], {}, fan_in, 2000, batch, 60,
                         np.random.default_rng(11), inputs=inputs, bias=bias)
    exact = r.dead.closed_form
    assert 0.1 < exact < 0.9 and r.extra["closed_form_approximate"]
    assert abs(r.dead.value - exact) < 4.5 * r.dead.stderr + relative * exact
