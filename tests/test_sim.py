"""Simulations against closed forms, with tolerances from the standard error
(|MC - exact| < 4.5 SE), so they hold for any seed, not one tuned seed."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from relucli import registry, sim
from relucli.errors import UsageError

ALL = registry.select(["family"])
TOL = 4.5


def close(estimate, n, exact=None, tol=TOL):
    """Within ``tol`` standard errors: the estimate's own, or, when that is 0 (a rare
    event that did not happen), the binomial one under the exact value for n trials."""
    exact = estimate.closed_form if exact is None else exact
    se = max(estimate.stderr, math.sqrt(max(exact * (1 - exact), 0) / n), 1e-12)
    return abs(estimate.value - exact) <= tol * se + 1e-12


@pytest.mark.parametrize("method", ["samples", "counts"])
@pytest.mark.parametrize("dist, batch", [
    (sim.Distribution("normal", -1.0, 1.0), 4),
    (sim.Distribution("normal", 3.0, 3.0), 2),
    (sim.Distribution("uniform", 0.5, 2.0), 3),
    (sim.Distribution("t", 0.0, 1.0, df=2.5), 2),
])
def test_unit_model_matches_closed_form(method, dist, batch):
    rng = np.random.default_rng()
    results = sim.simulate_units(ALL, {}, dist, 40_000, batch, rng, method=method)
    for r in results:
        assert close(r.dead, 40_000), (r.variant.name, r.dead)
        assert close(r.suppressed, 40_000), (r.variant.name, r.suppressed)
        assert abs(r.mean_abs_grad.value - r.mean_abs_grad.closed_form) <= TOL * r.mean_abs_grad.stderr + 1e-9
        for name, part in r.parts.items():
            assert close(part, 40_000), (r.variant.name, name, part)


def test_closed_forms_by_hand():
    d = sim.Distribution("normal", 0, 1)
    relu = registry.get("relu")
    assert sim.unit_closed_form(relu, {}, d, 8)["dead"] == pytest.approx(2.0 ** -8)
    phi = lambda t: 0.5 * math.erfc(-t / math.sqrt(2))  # noqa: E731
    d = sim.Distribution("normal", 3, 3)
    exact = sim.unit_closed_form(registry.get("relu6"), {}, d, 2)
    low, high = phi(-1), 1 - phi(1)
    assert exact["dead"] == pytest.approx((low + high) ** 2)
    assert exact["dead_low"] == pytest.approx(low ** 2) and exact["dead_high"] == pytest.approx(high ** 2)
    assert exact["dead_mixed"] == pytest.approx(2 * low * high)
    leaky = sim.unit_closed_form(registry.get("leaky_relu"), {"negative_slope": -0.2}, d, 2)
    assert leaky["dead"] == 0 and leaky["suppressed"] == pytest.approx(phi(-1) ** 2)
    assert leaky["mean_abs_grad"] == pytest.approx(phi(1) + 0.2 * phi(-1))
    rrelu = sim.unit_closed_form(registry.get("rrelu"), {"lower": 0.1, "upper": 0.3}, d, 1, training=True)
    assert rrelu["mean_abs_grad"] == pytest.approx(phi(1) + 0.2 * phi(-1))


def test_prelu_with_zero_slope_can_die():
    d = sim.Distribution("normal", -1, 1)
    exact = sim.unit_closed_form(registry.get("prelu"), {"alpha": 0.0}, d, 3)
    assert exact["dead"] == pytest.approx(exact["suppressed"]) and exact["dead"] > 0


def test_counts_and_samples_have_the_same_distribution():
    d = sim.Distribution("normal", 2.5, 3.0)
    relu6 = [registry.get("relu6")]
    a = sim.simulate_units(relu6, {}, d, 50_000, 3, np.random.default_rng(), method="samples")[0]
    b = sim.simulate_units(relu6, {}, d, 50_000, 3, np.random.default_rng(), method="counts")[0]
    for x, y in [(a.dead, b.dead)] + [(a.parts[k], b.parts[k]) for k in a.parts]:
        assert abs(x.value - y.value) <= TOL * math.hypot(x.stderr, y.stderr) + 1e-12


def test_student_t_cdf_against_known_forms():
    for t in (-5.0, -1.0, 0.0, 0.3, 2.0, 40.0):
        assert sim.student_t_cdf(t, 1) == pytest.approx(0.5 + math.atan(t) / math.pi, abs=1e-12)
        assert sim.student_t_cdf(t, 2) == pytest.approx(0.5 + t / (2 * math.sqrt(2 + t * t)), abs=1e-12)
    assert sim.student_t_cdf(1.5, 1e7) == pytest.approx(0.5 * math.erfc(-1.5 / math.sqrt(2)), abs=1e-6)


def test_rrelu_training_mode_in_unit_model():
    d = sim.Distribution("normal", -0.5, 1)
    (r,) = sim.simulate_units([registry.get("rrelu")], {}, d, 20_000, 2, np.random.default_rng(),
                              training=True)
    assert r.mode == "train" and r.dead.value == 0
    assert abs(r.mean_abs_grad.value - r.mean_abs_grad.closed_form) <= TOL * r.mean_abs_grad.stderr


def test_same_seed_same_numbers():
    d = sim.Distribution("normal", -1, 1)
    a = sim.simulate_units(ALL, {}, d, 5000, 4, np.random.default_rng(9))
    b = sim.simulate_units(ALL, {}, d, 5000, 4, np.random.default_rng(9))
    assert [r.dead.value for r in a] == [r.dead.value for r in b]
    assert [r.mean_abs_grad.value for r in a] == [r.mean_abs_grad.value for r in b]


def test_progress_reaches_the_total_and_memory_is_chunked():
    seen = []
    d = sim.Distribution("normal", 0, 1)
    sim.simulate_units([registry.get("relu")], {}, d, 3000, 100, np.random.default_rng(),
                       progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (300_000, 300_000) and len(seen) > 3
    assert all(a[0] < b[0] for a, b in zip(seen, seen[1:]))


def test_batch_larger_than_a_chunk():
    d = sim.Distribution("normal", -4.4, 1)  # P(z <= 0)^B is about 1/2 for this B
    batch = sim.CHUNK_ELEMENTS * 2 + 7
    (r,) = sim.simulate_units([registry.get("relu")], {}, d, 60, batch, np.random.default_rng())
    assert 0.3 < r.dead.closed_form < 0.7
    assert close(r.dead, 60)


@pytest.mark.parametrize("kwargs", [dict(units=0), dict(batch=0)])
def test_bad_unit_parameters(kwargs):
    args = dict(units=10, batch=2) | kwargs
    with pytest.raises(UsageError, match="at least 1"):
        sim.simulate_units(ALL, {}, sim.Distribution(), args["units"], args["batch"], np.random.default_rng())


@pytest.mark.parametrize("kwargs, message", [
    (dict(std=-1.0), "--std must be a positive"), (dict(std=0.0), "--std"),
    (dict(kind="cauchy"), "unknown distribution"), (dict(kind="t", df=0.0), "--df"),
])
def test_bad_distributions(kwargs, message):
    with pytest.raises(UsageError, match=message):
        sim.Distribution(**kwargs)


# layer ---------------------------------------------------------------------------------

def test_layer_gaussian_inputs_match_closed_form():
    rng = np.random.default_rng()
    results = sim.simulate_layer(registry.select(["relu", "relu6", "leaky"]), {}, 50, 400, 3, 20, rng,
                                 bias=-0.5)
    for r in results:
        assert r.dead.closed_form is not None
        se = max(r.dead.stderr, math.sqrt(r.dead.closed_form * (1 - r.dead.closed_form) / 8000))
        assert abs(r.dead.value - r.dead.closed_form) <= TOL * se


def test_zero_bias_gaussian_layer_is_two_to_minus_batch():
    relu = registry.get("relu")
    exact = sim.layer_closed_form(relu, {}, "gaussian", "he", 100, 10, 6, 0.0, 0.0)
    assert exact["dead"] == pytest.approx(2.0 ** -6, rel=1e-6)


def test_non_centred_inputs_kill_far_more_units():
    relu = [registry.get("relu")]
    rng = np.random.default_rng()
    centred = sim.simulate_layer(relu, {}, 100, 500, 16, 10, rng, inputs="gaussian")[0].dead
    pixels = sim.simulate_layer(relu, {}, 100, 500, 16, 10, rng, inputs="uniform01")[0].dead
    previous = sim.simulate_layer(relu, {}, 100, 500, 16, 10, rng, inputs="post-relu")[0].dead
    assert centred.value < 0.002
    assert pixels.value > 0.08 and previous.value > 0.005  # 2^-16 would be 1.5e-5
    assert pixels.closed_form is None


# depth ---------------------------------------------------------------------------------

def random_net(rng, depth, width, bias_std=0.0):
    weights, biases, fan_in = [], [], 1
    for _ in range(depth):
        weights.append(rng.standard_normal((width, fan_in)) * math.sqrt(2 / fan_in))
        biases.append(rng.standard_normal(width) * bias_std)
        fan_in = width
    return weights, biases


def dense_forward(variant, weights, biases, x):
    from relucli import engine
    h = x[:, None]
    grads = []
    for w, b in zip(weights, biases):
        z = h @ w.T + b
        grads.append(engine.gradient(variant, z))
        h = engine.forward(variant, z)
    return h, grads


@pytest.mark.parametrize("name", ["relu", "relu6"])
def test_exact_interval_decision_agrees_with_a_dense_grid(name):
    variant = registry.get(name)
    rng = np.random.default_rng()
    grid = np.linspace(-1, 1, 20001)
    for _ in range(60):
        weights, biases = random_net(rng, 6, 3, bias_std=0.5 if name == "relu" else 3.0)
        dead, constant = sim.network_on_interval(variant, {}, weights, biases)
        h, grads = dense_forward(variant, weights, biases, grid)
        if constant:
            assert np.all(h == h[0])  # exact says constant: no grid point disagrees
        for layer_dead, g in zip(dead, grads):
            assert np.all(g[:, layer_dead] == 0)


def random_net_nd(rng, depth, width, bias_std, in_dim=2):
    weights, biases, fan_in = [], [], in_dim
    for _ in range(depth):
        weights.append(rng.standard_normal((width, fan_in)) * math.sqrt(2 / fan_in))
        biases.append(rng.standard_normal(width) * bias_std)
        fan_in = width
    return weights, biases


@pytest.mark.parametrize("in_dim, points", [(2, 201), (3, 41)])
@pytest.mark.parametrize("name", ["relu", "relu6"])
def test_exact_cube_decision_agrees_with_a_dense_grid(name, in_dim, points):
    variant = registry.get(name)
    rng = np.random.default_rng()
    axis = np.linspace(-1, 1, points)
    grid = np.array(np.meshgrid(*[axis] * in_dim)).reshape(in_dim, -1).T
    from relucli import engine
    constants = 0
    for _ in range(25):
        weights, biases = random_net_nd(rng, 6, 3, 0.5 if name == "relu" else 3.0, in_dim)
        dead, constant = sim.network_on_cube(variant, {}, weights, biases, in_dim)
        h = grid
        for layer_dead, w, b in zip(dead, weights, biases):
            z = h @ w.T + b
            assert np.all(engine.gradient(variant, z)[:, layer_dead] == 0)
            h = engine.forward(variant, z)
        if constant:
            constants += 1
            assert np.all(h == h[0])
        elif np.ptp(h, axis=0).max() > 1e-9:
            pass  # varies on the grid too
    assert constants < 25  # not everything is dead


def test_cells_of_a_square_are_cut_exactly():
    """One ReLU unit z = x + y on the square: the cut along x + y = 0 gives two
    triangles; the unit is alive (z > 0 on one of them)."""
    relu = registry.get("relu")
    dead, constant = sim.network_on_cube(relu, {}, [np.array([[1.0, 1.0]])], [np.zeros(1)], 2)
    assert not dead[0][0] and not constant
    dead, constant = sim.network_on_cube(relu, {}, [np.array([[1.0, 1.0]])], [np.array([-2.0])], 2)
    assert dead[0][0] and constant  # x + y - 2 <= 0 on the whole square


@pytest.mark.parametrize("in_dim", [2, 3])
def test_zero_bias_networks_decided_like_a_dense_grid(in_dim):
    """Zero biases put every cut through the origin: a degenerate arrangement that
    the cell cutting must survive. Exactly constant implies constant on a grid, and
    (up to alive regions thinner than the grid) the converse."""
    relu = registry.get("relu")
    rng = np.random.default_rng()
    axis = np.linspace(-1, 1, 201 if in_dim == 2 else 31)
    grid = np.array(np.meshgrid(*[axis] * in_dim)).reshape(in_dim, -1).T
    from relucli import engine
    agree = constants = 0
    for _ in range(60):
        weights, biases = random_net_nd(rng, 10, 3, 0.0, in_dim)
        _, constant = sim.network_on_cube(relu, {}, weights, biases, in_dim)
        h = grid
        for w, b in zip(weights, biases):
            h = engine.forward(relu, h @ w.T + b)
        on_grid = bool(np.all(h == h[0]))
        assert on_grid or not constant
        agree += on_grid == constant
        constants += constant
    assert agree >= 57 and 5 < constants < 55


def test_zero_bias_born_dead_iff_dead_at_both_ends():
    """With zero biases a 1-input ReLU net is positively homogeneous, so it is constant
    on [-1, 1] exactly when it outputs 0 at x = -1 and x = 1."""
    relu = registry.get("relu")
    rng = np.random.default_rng()
    for _ in range(200):
        weights, biases = random_net(rng, 8, 2)
        _, constant = sim.network_on_interval(relu, {}, weights, biases)
        h, _ = dense_forward(relu, weights, biases, np.array([-1.0, 1.0]))
        assert constant == bool(np.all(h == 0))


def test_born_dead_below_the_one_point_probability():
    relu = [registry.get("relu")]
    for depth, width in [(5, 2), (15, 3)]:
        (r,) = sim.simulate_depth(relu, {}, depth, width, 600, np.random.default_rng())
        assert r.one_point_probability == pytest.approx(1 - (1 - 2.0 ** -width) ** depth)
        assert r.born_dead.value <= r.one_point_probability + TOL * r.born_dead.stderr + 1e-9
        assert r.born_dead.value > 0.05
        assert r.per_layer_dead_fraction[0] == 0  # one input, zero bias: never all dead
        assert np.all(np.diff(r.per_layer_dead_fraction) >= -0.05)


def test_deeper_narrow_nets_are_born_dead_more_often():
    relu = [registry.get("relu")]
    shallow = sim.simulate_depth(relu, {}, 3, 2, 800, np.random.default_rng())[0].born_dead
    deep = sim.simulate_depth(relu, {}, 30, 2, 800, np.random.default_rng())[0].born_dead
    assert deep.value - shallow.value > TOL * math.hypot(deep.stderr, shallow.stderr)
    assert deep.value > 0.9


def test_leaky_nets_are_never_born_dead():
    (r,) = sim.simulate_depth([registry.get("leaky")], {}, 20, 2, 100, np.random.default_rng())
    assert r.born_dead.value == 0 and r.one_point_probability is None


@pytest.mark.parametrize("kwargs, message", [(dict(depth=0), "--depth"), (dict(width=0), "--width"),
                                              (dict(in_dim=5), "--in-dim")])
def test_bad_depth_parameters(kwargs, message):
    args = dict(depth=3, width=2, trials=2) | kwargs
    in_dim = args.pop("in_dim", 1)
    with pytest.raises(UsageError, match=message):
        sim.simulate_depth(ALL, {}, args["depth"], args["width"], args["trials"],
                           np.random.default_rng(), in_dim=in_dim)


# train ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name, params", [("relu", {}), ("leaky_relu", {"negative_slope": 0.1}),
                                          ("prelu", {"alpha": 0.25}), ("relu6", {})])
def test_backpropagation_matches_finite_differences(name, params):
    variant = registry.get(name)
    rng = np.random.default_rng(5)
    x = rng.uniform(-1, 1, (20, 2))
    y = (np.sum(x ** 2, axis=1, keepdims=True) < 0.49).astype(float)
    layers = [[rng.standard_normal((5, 2)), rng.standard_normal(5) * 0.1],
              [rng.standard_normal((4, 5)), rng.standard_normal(4) * 0.1],
              [rng.standard_normal((1, 4)), np.zeros(1)]]
    p = variant.resolve_params(params)
    if variant.learnable:
        p["alpha"] = [list(rng.uniform(0.1, 0.4, 5)), list(rng.uniform(0.1, 0.4, 4))]
    loss, grads, alpha_grads = sim.loss_and_gradients(variant, p, layers, x, y)
    h = 1e-6
    for li, (gw, gb) in enumerate(grads):
        for arr, g in ((layers[li][0], gw), (layers[li][1], gb)):
            for idx in list(np.ndindex(arr.shape))[:6]:
                old = arr[idx]
                arr[idx] = old + h
                up = sim.loss_and_gradients(variant, p, layers, x, y)[0]
                arr[idx] = old - h
                down = sim.loss_and_gradients(variant, p, layers, x, y)[0]
                arr[idx] = old
                assert (up - down) / (2 * h) == pytest.approx(g[idx], abs=1e-6)
    if variant.learnable:
        for li in range(2):
            for j in range(2):
                old = p["alpha"][li][j]
                p["alpha"][li][j] = old + h
                up = sim.loss_and_gradients(variant, p, layers, x, y)[0]
                p["alpha"][li][j] = old - h
                down = sim.loss_and_gradients(variant, p, layers, x, y)[0]
                p["alpha"][li][j] = old
                assert (up - down) / (2 * h) == pytest.approx(alpha_grads[li][j], abs=1e-6)


def test_high_learning_rates_kill_relu_units_but_not_leaky_ones():
    variants = registry.select(["relu", "leaky"])
    results = sim.simulate_train(variants, {}, [0.01, 5.0], np.random.default_rng(), trials=4)
    by = {(r.variant.name, r.learning_rate): r for r in results}
    low, high = by[("relu", 0.01)].dead, by[("relu", 5.0)].dead
    assert high.value - low.value > 0.3
    assert by[("leaky_relu", 5.0)].dead.value == 0 and by[("leaky_relu", 0.01)].dead.value == 0


def test_bad_learning_rate():
    with pytest.raises(UsageError, match="--lr"):
        sim.simulate_train(ALL, {}, [-1.0], np.random.default_rng())


# the command ---------------------------------------------------------------------------

def test_cli_unit_json_schema_and_seed(relu):
    args = ["dying-sim", "relu", "relu6", "leaky", "--batch", "2", "--mean", "3", "--std", "3",
            "--units", "2000", "--seed", "4", "--format", "json"]
    run = relu(*args)
    assert run.code == 0, run.stderr
    doc = json.loads(run.stdout)
    assert doc["model"] == "unit" and doc["params"]["seed"] == 4 and doc["sweep"] is None
    first = doc["results"][0]
    for key in ("variant", "dead_fraction", "stderr", "closed_form", "z", "suppressed_fraction",
                "mean_abs_grad"):
        assert key in first
    relu6 = doc["results"][1]
    assert {"dead_low", "dead_high", "dead_mixed"} <= set(relu6)
    assert relu(*args).stdout == run.stdout


def test_cli_depth_keys_and_sweep(relu):
    run = relu("dying-sim", "relu", "--model", "depth", "--sweep", "depth=1:4:4", "--trials", "50",
               "--seed", "1", "--format", "json")
    doc = json.loads(run.stdout)
    assert doc["sweep"] == {"name": "depth", "values": [1, 2, 3, 4]}
    assert [r["sweep_value"] for r in doc["results"]] == [1, 2, 3, 4]
    assert all("born_dead_probability" in r and "per_layer_dead_fraction" in r for r in doc["results"])
    assert [len(r["per_layer_dead_fraction"]) for r in doc["results"]] == [1, 2, 3, 4]


def test_cli_csv_and_plot(relu, tmp_path):
    run = relu("dying-sim", "relu", "leaky", "--sweep", "bias=-2:0:3", "--units", "500",
               "--format", "csv", "-o", str(tmp_path / "sweep.png"), "--seed", "1")
    assert run.code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("sweep_value,variant,") and len(lines) == 7
    assert (tmp_path / "sweep.png").read_bytes().startswith(b"\x89PNG")


def test_default_variants_and_smooth_ones_in_the_depth_model(relu):
    run = relu("dying-sim", "--units", "10", "--format", "json")
    assert [r["variant"] for r in json.loads(run.stdout)["results"]] == registry.names()[:5]
    run = relu("dying-sim", "all", "--units", "10", "--format", "json")
    assert [r["variant"] for r in json.loads(run.stdout)["results"]] == registry.names()
    run = relu("dying-sim", "all", "--model", "depth", "--trials", "2", "--format", "json")
    assert [r["variant"] for r in json.loads(run.stdout)["results"]] == [
        v.name for v in registry.VARIANTS if v.piecewise_linear]
    run = relu("dying-sim", "gelu", "--model", "depth", "--trials", "2")
    assert run.code == 2 and "smooth" in run.stderr


@pytest.mark.parametrize("args, message", [
    (["--std", "-1"], "--std must be a positive"),
    (["--batch", "0"], "--batch must be at least 1"),
    (["--model", "depth", "--depth", "0"], "--depth must be at least 1"),
    (["--model", "depth", "--width", "0"], "--width must be at least 1"),
    (["--model", "nope"], "nope"),
    (["--fan-in", "3"], "--fan-in applies to --model layer, not unit"),
    (["--sweep", "fan_in=1:3:3"], "the unit model can sweep"),
    (["--sweep", "bias"], "--sweep takes NAME="),
    (["-o", "x.png"], "-o draws a --sweep"),
    (["--model", "train", "--lr", "0,1"], "--lr values must be positive"),
])
def test_cli_bad_parameters(relu, args, message):
    run = relu("dying-sim", "relu", "--units", "10", *args) if "--model" not in args else relu("dying-sim", "relu", *args)
    assert run.code == 2, run.stderr
    assert message in run.stderr and run.stderr.count("\n") == 1


# smooth variants: nearly dead ---------------------------------------------------------

def test_near_zero_set_boundaries():
    sigmoid = registry.get("sigmoid")
    (low, high) = sim.near_zero_set(sigmoid, {}, 1e-3)
    assert low[0] == -math.inf and high[1] == math.inf
    edge = high[0]  # σ'(a) = e^-a / (1 + e^-a)² = 1e-3
    assert math.exp(-edge) / (1 + math.exp(-edge)) ** 2 == pytest.approx(1e-3, rel=1e-9)
    assert low[1] == -edge
    gelu = registry.get("gelu")
    intervals = sim.near_zero_set(gelu, {}, 1e-3)
    assert intervals[0][0] == -math.inf  # the far negative tail
    assert any(lo < -0.7518 < hi for lo, hi in intervals)  # the zero of GELU' near -0.75
    from relucli import engine
    for lo, hi in intervals:
        for edge in (lo, hi):
            if math.isfinite(edge):
                assert abs(engine.gradient(gelu, np.array([edge]))[0]) == pytest.approx(1e-3, rel=1e-6)


@pytest.mark.parametrize("name, mean", [("sigmoid", -8.0), ("tanh", 4.0), ("elu", -7.0), ("gelu", -3.6)])
def test_nearly_dead_matches_closed_form(name, mean):
    variant = registry.get(name)
    d = sim.Distribution("normal", mean, 1.0)
    (r,) = sim.simulate_units([variant], {}, d, 30_000, 2, np.random.default_rng())
    assert 0.02 < r.dead.closed_form < 0.98  # a test that can fail
    assert close(r.dead, 30_000)
    assert abs(r.mean_abs_grad.value - r.mean_abs_grad.closed_form) <= TOL * r.mean_abs_grad.stderr + 1e-6


@pytest.mark.parametrize("dist", [sim.Distribution("normal", -0.5, 2.0),
                                  sim.Distribution("outliers", 0.3, 1.0)])
def test_smooth_and_piecewise_linear_rows_share_one_sample_stream(dist):
    """One stream for all variants: the same units are "suppressed" in every row, and
    a smooth variant's numbers do not depend on which others run beside it."""
    names = ["relu", "gelu", "leaky_relu", "sigmoid"]
    variants = [registry.get(n) for n in names]
    together = sim.simulate_units(variants, {}, dist, 20_000, 3, np.random.default_rng(5))
    assert len({r.suppressed.value for r in together}) == 1
    assert together[0].suppressed.value > 0.01  # a test that can fail
    (alone,) = sim.simulate_units([registry.get("gelu")], {}, dist, 20_000, 3,
                                  np.random.default_rng(5))
    assert alone.dead.value == together[1].dead.value
    assert alone.mean_abs_grad.value == together[1].mean_abs_grad.value


def test_smooth_variants_need_samples_and_the_depth_model_refuses_them():
    with pytest.raises(UsageError, match="--method samples"):
        sim.simulate_units([registry.get("gelu")], {}, sim.Distribution(), 10, 2,
                           np.random.default_rng(), method="counts")
    with pytest.raises(UsageError, match="smooth"):
        sim.simulate_depth([registry.get("gelu")], {}, 3, 2, 2, np.random.default_rng())
