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
