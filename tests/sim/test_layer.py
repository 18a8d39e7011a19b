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
    rng = np.random.default_rng()
    centred = simulate_layer(relu, {}, 100, 500, 16, 10, rng, inputs="gaussian")[0].dead
    pixels = simulate_layer(relu, {}, 100, 500, 16, 10, rng, inputs="uniform01")[0].dead
    previous = simulate_layer(relu, {}, 100, 500, 16, 10, rng, inputs="post-relu")[0].dead
    assert centred.value < 0.002
    assert pixels.value > 0.08 and previous.value > 0.005  # 2^-16 would be 1.5e-5
    assert pixels.closed_form is None
