"""The depth model: born-dead networks at initialisation (tolerances in standard errors)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from relucli import variants
from relucli.errors import UsageError
from relucli.sim.depth import simulate_depth

ALL = variants.select(["family"])
TOL = 4.5


def test_born_dead_below_the_one_point_probability():
    relu = [variants.get("relu")]
    for depth, width in [(5, 2), (15, 3)]:
        (r,) = simulate_depth(relu, {}, depth, width, 600, np.random.default_rng())
        assert r.one_point_probability == pytest.approx(1 - (1 - 2.0 ** -width) ** depth)
        assert r.born_dead.value <= r.one_point_probability + TOL * r.born_dead.stderr + 1e-9
        assert r.born_dead.value > 0.05
        assert r.per_layer_dead_fraction[0] == 0  # one input, zero bias: never all dead
        assert np.all(np.diff(r.per_layer_dead_fraction) >= -0.05)


def test_deeper_narrow_nets_are_born_dead_more_often():
    relu = [variants.get("relu")]
    shallow = simulate_depth(relu, {}, 3, 2, 800, np.random.default_rng())[0].born_dead
    deep = simulate_depth(relu, {}, 30, 2, 800, np.random.default_rng())[0].born_dead
    assert deep.value - shallow.value > TOL * math.hypot(deep.stderr, shallow.stderr)
    assert deep.value > 0.9


def test_leaky_nets_are_never_born_dead():
    (r,) = simulate_depth([variants.get("leaky")], {}, 20, 2, 100, np.random.default_rng())
    assert r.born_dead.value == 0 and r.one_point_probability is None


@pytest.mark.parametrize("kwargs, message", [(dict(depth=0), "--depth"), (dict(width=0), "--width"),
                                              (dict(in_dim=5), "--in-dim")])
def test_bad_depth_parameters(kwargs, message):
    args = dict(depth=3, width=2, trials=2) | kwargs
    in_dim = args.pop("in_dim", 1)
    with pytest.raises(UsageError, match=message):
        simulate_depth(ALL, {}, args["depth"], args["width"], args["trials"],
                       np.random.default_rng(), in_dim=in_dim)


def test_a_depth_sweep_reads_every_depth_off_one_deep_run():
    from relucli.sim.depth import simulate_depths

    relu = variants.get("relu")
    swept = simulate_depths([relu], {}, [1, 4, 8], 3, 3000, np.random.default_rng(2))
    assert list(swept) == [1, 4, 8]
    deep = swept[8][0]
    for d in (1, 4):
        shallow = swept[d][0]
        assert shallow.per_layer_dead_fraction == deep.per_layer_dead_fraction[:d]
        assert shallow.born_dead.value <= deep.born_dead.value
        # the same law as a network drawn at that depth alone (another seed)
        alone = simulate_depth([relu], {}, d, 3, 3000, np.random.default_rng(3))[0].born_dead
        spread = math.hypot(shallow.born_dead.stderr, alone.stderr) or 1.0
        assert abs(shallow.born_dead.value - alone.value) / spread < 4.5
    assert 0.3 < deep.born_dead.value < 0.9  # width 3, depth 8: often, not always


def test_a_depth_sweep_is_estimated_as_one_run_at_its_deepest():
    """(Its speed is in benchmarks/bench.py, section dying.)"""
    from relucli.commands.dying import MODELS
    from relucli.commands.dying.sweep import sweep_cost

    relu = [variants.get("relu")]
    depth = MODELS["depth"]
    options = {**depth.options, "width": 3, "trials": 100}
    sweep = sweep_cost(depth, relu, options, "depth", list(range(1, 41)))
    deepest = sweep_cost(depth, relu, {**options, "depth": 40}, None, [None])
    assert sweep == deepest
    other = sweep_cost(depth, relu, options, "width", [2, 3])
    assert other.seconds > sweep_cost(depth, relu, {**options, "width": 3}, None, [None]).seconds


@pytest.mark.parametrize("width, depth", [(1, 3), (2, 10), (3, 6)])
def test_born_dead_lies_between_the_lower_and_the_one_point_bound(width, depth):
    """Lu et al.'s bounds hold for every estimate, up to sampling error: the lower one
    1 - (1 - 4^-width)^(depth-1) and the upper 1 - (1 - 2^-width)^depth."""
    [r] = simulate_depth([variants.get("relu")], {}, depth, width, 3000,
                         np.random.default_rng(width * 100 + depth))
    assert r.lower_bound == pytest.approx(1 - (1 - 4.0 ** -width) ** (depth - 1), rel=1e-15)
    assert r.lower_bound - 4.5 * r.born_dead.stderr <= r.born_dead.value
    assert r.born_dead.value <= r.one_point_probability + 4.5 * r.born_dead.stderr


def test_one_unit_per_layer_is_born_dead_as_the_weights_say_and_above_the_bound():
    """Width 1, zero biases: layer 1 is relu(w x) >= 0, alive on one side of 0; each
    layer above passes it on (w > 0) or zeroes it (w < 0), so the net is born dead
    exactly when one of the depth - 1 weights above the first is negative:
    1 - (1/2)^(depth-1), above the lower bound 1 - (3/4)^(depth-1)."""
    [r] = simulate_depth([variants.get("relu")], {}, 4, 1, 4000, np.random.default_rng(5))
    exact = 1 - 0.5 ** 3
    assert abs(r.born_dead.value - exact) < 4.5 * math.sqrt(exact * (1 - exact) / 4000)
    assert r.lower_bound == pytest.approx(1 - 0.75 ** 3) and r.lower_bound <= exact


def test_per_layer_standard_errors_are_the_spread_between_trials():
    """Each layer's dead fraction has the standard error of its mean over trials: at
    width 1 every trial's fraction is 0 or 1, so the error is the binomial one."""
    trials = 2000
    [r] = simulate_depth([variants.get("relu")], {}, 5, 1, trials, np.random.default_rng(9))
    for p, se in zip(r.per_layer_dead_fraction, r.per_layer_stderr):
        assert se == pytest.approx(math.sqrt(p * (1 - p) / (trials - 1)), rel=1e-9, abs=1e-15)
    assert r.per_layer_stderr[0] == 0 and r.per_layer_stderr[-1] > 0.005


def test_no_bounds_with_random_biases_or_a_cube():
    relu = variants.get("relu")
    [biased] = simulate_depth([relu], {}, 3, 2, 20, np.random.default_rng(1), bias_std=0.5)
    [cube] = simulate_depth([relu], {}, 3, 2, 20, np.random.default_rng(1), in_dim=2)
    assert biased.lower_bound is None and biased.one_point_probability is None
    assert cube.lower_bound is None and cube.one_point_probability is not None
