"""The kick model: the analytic step against explicit d-dimensional vectors, the
population step against direct averages, the closed form against an independent
integration and against Monte Carlo, the peak at s·√(2π), and the CLI's errors."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from relucli import variants
from relucli.sim.kick import (collapse_step, kick_closed_form, kick_std, population_step,
                              sample_step, simulate_kick, slopes)

RELU, RELU6, LEAKY, HARDTANH = (variants.get(n) for n in ("relu", "relu6", "leaky_relu",
                                                          "hardtanh"))
PHI0 = 1 / math.sqrt(2 * math.pi)


def _erfc(x):
    return np.vectorize(math.erfc)(x)


def _two_sample_z(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return (a.mean() - b.mean()) / math.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))


@pytest.mark.parametrize("variant, params, bias, s", [
    (RELU, {}, 0.0, 1.4), (RELU, {}, -0.7, 0.9), (RELU6, {}, 4.0, 2.5),
    (LEAKY, {"negative_slope": -0.4}, 0.3, 1.2), (HARDTANH, {}, 0.5, 1.0)])
def test_population_step_is_the_direct_average_of_the_gradient(variant, params, bias, s):
    """b' and w' from a direct average of f'(z)·(1, x) over 4e6 samples in 4 dimensions:
    the change of w lies along w with length K(s), nothing across (within 4.5 SE)."""
    p = variant.resolve_params(params)
    rng = np.random.default_rng(3)
    w = rng.standard_normal(4)
    w *= s / np.linalg.norm(w)
    x = rng.standard_normal((4_000_000, 4))
    from relucli import engine

    g = engine.gradient(variant, x @ w + bias, **p)
    step = 1.7
    b_new, s_new = population_step(slopes(variant, p), bias, s, step)
    assert abs(bias - step * g.mean() - b_new) < 4.5 * step * g.std() / 2000
    gx = g[:, None] * x
    w_new = w - step * gx.mean(axis=0)
    se = step * gx.std(axis=0) / 2000
    along = w_new @ w / s
    assert abs(along - s_new) < 4.5 * float(se.max())
    across = w_new - along * w / s
    assert np.all(np.abs(across) < 4.5 * se)


@pytest.mark.parametrize("variant, params, bias", [
    (RELU, {}, 0.0), (RELU6, {}, 4.0), (LEAKY, {"negative_slope": 0.3}, -0.5)])
def test_analytic_step_has_the_law_of_explicit_vectors(variant, params, bias):
    """(b', |w'|) drawn from the projections and one χ²_{d-1} against the step taken
    with explicit 20-dimensional w and x: means and both CDFs at the 10/50/90% quantiles agree
    within 4.5 standard errors (two-sample)."""
    p = variant.resolve_params(params)
    rng = np.random.default_rng(11)
    d, batch, n, step = 20, 16, 20_000, 2.5
    std = kick_std(variant, p, d, "he")
    w = rng.standard_normal((n, d)) * std
    x = rng.standard_normal((n, batch, d))
    from relucli import engine

    g = engine.gradient(variant, np.einsum("nbd,nd->nb", x, w) + bias, **p)
    brute_b = bias - step * g.mean(axis=1)
    brute_w = np.linalg.norm(w - step * np.einsum("nb,nbd->nd", g, x) / batch, axis=1)
    s = std * np.sqrt(rng.chisquare(d, n))
    fast_b, fast_w = sample_step(rng, slopes(variant, p), bias, s, step, batch, d)
    assert abs(_two_sample_z(brute_b, fast_b)) < 4.5
    assert abs(_two_sample_z(brute_w, fast_w)) < 4.5
    for q in (0.1, 0.5, 0.9):  # both CDFs at the brute force's quantile (b' is discrete)
        for brute, fast in ((brute_b, fast_b), (brute_w, fast_w)):
            cut = np.quantile(brute, q)
            here, there = np.mean(brute <= cut), np.mean(fast <= cut)
            pooled = (here + there) / 2
            assert abs(here - there) <= 4.5 * math.sqrt(pooled * (1 - pooled) * 2 / n)


def test_finite_batch_adds_the_noise_across_w():
    """ReLU at bias 0: E|w'|² = E(s - cφ(0))² + c²(1/2 - φ(0)²)/B + c²(d - 1)/(2B)
    exactly (the along-w variance of mean g·u, and the across-w noise), against the
    sampled step."""
    rng = np.random.default_rng(5)
    d, batch, n, step = 50, 8, 400_000, 3.0
    std = kick_std(RELU, {}, d, "he")
    s = std * np.sqrt(rng.chisquare(d, n))
    _, scale = sample_step(rng, slopes(RELU, {}), 0.0, s, step, batch, d)
    s_exact = std * np.sqrt(d)  # E s² = std²·d
    expected = (s_exact ** 2 - 2 * step * PHI0 * std * math.sqrt(2) * math.exp(
        math.lgamma((d + 1) / 2) - math.lgamma(d / 2)) + (step * PHI0) ** 2
        + step ** 2 * (0.5 - PHI0 ** 2) / batch + step ** 2 * (d - 1) / (2 * batch))
    sq = scale ** 2
    assert abs(sq.mean() - expected) < 4.5 * sq.std() / math.sqrt(n)


@pytest.mark.parametrize("step", [1.5, 2.5, 3.5449, 6.0, 20.0])
def test_closed_form_against_an_independent_integration(step):
    """ReLU at bias 0 by hand: b' = -c/2, s' = s - c/√(2π), P(dead) = Φ(c/2 / |s'|)^M,
    averaged over 400,000 draws of s² ~ (2/d)χ²_d (not the quadrature's grid)."""
    d, m = 100, 100
    rng = np.random.default_rng(2)
    s = math.sqrt(2 / d) * np.sqrt(rng.chisquare(d, 400_000))
    ratio = (step / 2) / np.abs(s - step * PHI0)
    dead = (1 - 0.5 * _erfc(ratio / math.sqrt(2))) ** m
    exact = kick_closed_form(RELU, {}, d, "he", 0.0, step, m)
    assert abs(dead.mean() - exact["dead"]) <= 4.5 * dead.std() / math.sqrt(len(s)) + 1e-12
    assert exact["suppressed"] == pytest.approx(exact["dead"], abs=1e-12)
    assert exact["mean_bias"] == pytest.approx(-step / 2, abs=1e-9)
    scale = np.abs(s - step * PHI0)
    assert abs(scale.mean() - exact["mean_abs_scale"]) < 4.5 * scale.std() / math.sqrt(len(s))


@pytest.mark.parametrize("step", [2.0, 2.5, 3.5449, 6.0, 10.0])
def test_monte_carlo_matches_the_closed_form_with_the_population_gradient(step):
    """--batch 0: the closed form is the exact law, so every fraction and mean lies
    within 4.5 standard errors of it (ReLU, ReLU6 at bias 0.5, the leaky family's
    suppressed fraction), across the rise, the peak and the fall."""
    chosen = [RELU, RELU6, LEAKY]
    results = simulate_kick(chosen, {}, step, 100, 100_000, 0, 100,
                            np.random.default_rng(int(step * 10)), bias=0.5)
    for r in results:
        for e in (r.dead, r.suppressed, r.mean_bias, r.mean_abs_scale):
            assert e.z is None or abs(e.z) < 4.5, (r.variant.name, e)
    assert results[2].dead.value == 0 and results[2].dead.closed_form == 0
    assert results[0].dead.stderr > 0 or results[0].dead.value in (0.0, 1.0)


@pytest.mark.parametrize("fan_in", [1, 2, 5])
def test_small_fan_in(fan_in):
    """|w| ~ std·χ_d with d = 1 or 2 (a density not zero, or not smooth, at 0): the
    quadrature still matches the exact Monte Carlo of the population step."""
    r = simulate_kick([RELU], {}, 1.5, fan_in, 100_000, 0, 5, np.random.default_rng(fan_in),
                      bias=0.3)[0]
    assert 0.05 < r.dead.closed_form < 0.95
    for e in (r.dead, r.mean_bias, r.mean_abs_scale):
        assert abs(e.z) < 4.5, e


@pytest.mark.parametrize("step", [2.5, 3.5449, 7.0])
def test_monte_carlo_matches_the_closed_form_at_a_large_batch(step):
    """A finite batch of 20,000 at fan-in 10: the step's noise across w (about
    c²·(d-1)/(2B)) is small, and the population closed form holds within 4.5 SE."""
    results = simulate_kick([RELU], {}, step, 10, 3000, 20_000, 100, np.random.default_rng(7))
    r = results[0]
    assert abs(r.dead.z) < 4.5 and abs(r.mean_bias.z) < 4.5, r


def test_the_gap_to_the_closed_form_closes_with_the_batch():
    """At fan-in 100 and the peak step, the finite-batch noise across w (c²(d-1)/(2B)
    in |w'|²) keeps units alive: no unit dies at batch 32, while the population step
    kills all; the dead fraction climbs towards it as the batch grows."""
    dead = []
    for batch in (32, 512, 8192):
        r = simulate_kick([RELU], {}, 3.5449, 100, 2000, batch, 100,
                          np.random.default_rng(1))[0]
        dead.append(r.dead.value)
        closed = r.dead.closed_form
    assert closed > 0.9999 and dead[0] == 0.0
    assert dead[0] < dead[1] < dead[2] and dead[2] > 0.99


def test_death_peaks_where_the_unit_collapses_onto_its_bias():
    """ReLU at bias 0: the collapse step is s·√(2π) (s = std·√d); there mean |s'| is
    smallest (closed form and Monte Carlo), death is near certain, and it falls on
    both sides, also for very large steps (b'/|s'| -> -√(2π)/2)."""
    peak = collapse_step(RELU, {}, 100, "he", 0.0)
    assert peak == pytest.approx(math.sqrt(2) * math.sqrt(2 * math.pi), rel=1e-12)
    steps = np.linspace(2.0, 5.0, 31)
    closed = [kick_closed_form(RELU, {}, 100, "he", 0.0, c, 100)["mean_abs_scale"] for c in steps]
    assert abs(steps[int(np.argmin(closed))] - peak) <= 0.1
    mc = [simulate_kick([RELU], {}, c, 100, 5000, 0, 10, np.random.default_rng(4))[0]
          .mean_abs_scale.value for c in steps]
    assert abs(steps[int(np.argmin(mc))] - peak) <= 0.1
    dead = {c: kick_closed_form(RELU, {}, 100, "he", 0.0, c, 100)["dead"]
            for c in (1.0, peak, 50.0, 1e6)}
    assert dead[peak] > 0.999 and dead[1.0] < 1e-6 and dead[50.0] < 1e-3
    limit = (1 - 0.5 * math.erfc(math.sqrt(2 * math.pi) / 2 / math.sqrt(2))) ** 100
    assert dead[1e6] == pytest.approx(limit, rel=1e-3)


def test_the_leaky_family_never_dies_but_is_suppressed():
    r = simulate_kick([LEAKY, variants.get("prelu")], {}, 3.5, 100, 20_000, 0, 100,
                      np.random.default_rng(9))
    assert all(x.dead.value == 0 and x.dead.closed_form == 0 for x in r)
    assert r[0].suppressed.value > 0.99 and abs(r[0].suppressed.z) < 4.5
    # judged on one sample, the intervals' mass summed to just under 1 and left 3e-37
    for variant in (LEAKY, variants.get("prelu"), variants.get("rrelu")):
        for step, samples in ((2.5, 1), (1.0, 3)):
            assert kick_closed_form(variant, {}, 100, "he", 0.0, step, samples)["dead"] == 0


# ---- the command ---------------------------------------------------------------

def test_cli_kick_json_fields_and_sweep(relu):
    run = relu("dying-sim", "relu", "leaky", "--model", "kick", "--units", "2000", "--batch", "0",
               "--sweep", "step=1,3.5,10", "--seed", "3", "--format", "json")
    assert run.code == 0, run.stderr
    doc = json.loads(run.stdout)
    assert doc["model"] == "kick" and doc["sweep"] == {"name": "step", "values": [1, 3.5, 10], "independent": False}
    assert doc["params"]["batch"] == 0 and doc["params"]["eval_samples"] == 100
    first = doc["results"][0]
    for key in ("dead_fraction", "stderr", "closed_form", "z", "suppressed_fraction",
                "suppressed_stderr", "suppressed_closed_form", "mean_bias",
                "mean_bias_stderr", "mean_bias_closed_form", "mean_abs_scale",
                "mean_abs_scale_stderr", "mean_abs_scale_closed_form", "collapse_step"):
        assert key in first, key
    relu_rows = [r for r in doc["results"] if r["variant"] == "relu"]
    assert [round(r["mean_bias"], 6) for r in relu_rows] == [-0.5, -1.75, -5.0]
    assert relu_rows[1]["dead_fraction"] > 0.99 > relu_rows[2]["dead_fraction"]


def test_cli_kick_csv_and_figure(relu, tmp_path):
    path = tmp_path / "kick.png"
    run = relu("dying-sim", "relu", "leaky", "--model", "kick", "--units", "500", "--batch", "0",
               "--sweep", "step=0.5:8:4", "--seed", "1", "--format", "csv", "-o", str(path))
    assert run.code == 0, run.stderr
    assert len(run.stdout.splitlines()) == 9
    assert path.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("args, message", [
    (["--step", "0"], "--step must be a positive finite number"),
    (["--step", "-2"], "--step must be a positive finite number"),
    (["--step", "nan"], "--step must be a finite number"),
    (["--step", "inf"], "--step must be a finite number"),
    (["--sweep", "step=-1:1:3"], "--step must be a positive finite number"),
    (["--eval-samples", "0"], "--eval-samples must be at least 1"),
    (["--batch", "-1"], "--batch must be 0 (the population gradient) or more"),
    (["--trials", "3"], "--trials applies to --model layer or depth or train or wide, not kick"),
    (["--mean", "1"], "--mean applies to --model unit, not kick"),
    (["--sweep", "depth=1:3:3"], "the kick model can sweep step, bias, batch"),
    (["--train"], "--train applies to --model"),
    (["-o", "k.png"], "a figure of the kick model draws a --sweep; add e.g. --sweep step="),
])
def test_cli_kick_bad_input(relu, args, message):
    run = relu("dying-sim", "relu", "rrelu", "--model", "kick", "--units", "10", *args)
    assert run.code == 2, run.stderr
    assert message in run.stderr and run.stderr.count("\n") == 1


def test_cli_kick_refuses_smooth_variants_and_other_models_refuse_its_options(relu):
    run = relu("dying-sim", "gelu", "--model", "kick")
    assert run.code == 2 and "the kick model takes piecewise-linear variants only" in run.stderr
    for args in (["--step", "2"], ["--eval-samples", "5"], ["--batch", "0"]):
        run = relu("dying-sim", "relu", "--units", "10", *args)
        assert run.code == 2 and run.stderr.count("\n") == 1, args


def test_batches_and_evaluations_longer_than_a_chunk(monkeypatch):
    """Batches and evaluation draws cut into pieces (a 64-element chunk here) give the
    same laws: E[b'] is the population's at every batch, and ReLU6's union of zero
    sets (z' <= 0 or >= 6) is decided over the pieces as over whole rows; progress
    reaches the total."""
    from relucli.sim import kick

    monkeypatch.setattr(kick, "CHUNK_ELEMENTS", 64)
    calls = []
    r = kick.simulate_kick([RELU, RELU6], {}, 2.0, 100, 3000, 150, 100,
                           np.random.default_rng(8), bias=1.0,
                           progress=lambda done, total: calls.append((done, total)))
    assert all(abs(x.mean_bias.z) < 4.5 for x in r)
    assert calls[-1] == (3000 * 250, 3000 * 250) and calls == sorted(calls)
    # a wide z' ~ N(-10, ~25²) after a noisy step: ReLU6 dies with draws on both sides
    pieces = kick.simulate_kick([RELU6], {}, 20.0, 100, 20_000, 32, 10,
                                np.random.default_rng(8))[0].dead
    monkeypatch.setattr(kick, "CHUNK_ELEMENTS", 1 << 18)
    whole = kick.simulate_kick([RELU6], {}, 20.0, 100, 20_000, 32, 10,
                               np.random.default_rng(9))[0].dead
    assert 0.05 < whole.value < 0.95
    assert abs(pieces.value - whole.value) < 4.5 * math.hypot(pieces.stderr, whole.stderr)
