"""The unit model and its closed form, with tolerances from the standard error
(|MC - exact| < 4.5 SE), so they hold for any seed, not one tuned seed."""

from __future__ import annotations

import math

import numpy as np
import pytest

from relucli import variants
from relucli.errors import UsageError
from relucli.sim.depth import simulate_depth
from relucli.sim.distributions import Distribution
from relucli.sim.unit import CHUNK_ELEMENTS, simulate_units, unit_closed_form

ALL = variants.select(["family"])
TOL = 4.5


def close(estimate, n, exact=None, tol=TOL):
    """Within ``tol`` standard errors: the estimate's own, or, when that is 0 (a rare
    event that did not happen), the binomial one under the exact value for n trials."""
    exact = estimate.closed_form if exact is None else exact
    se = max(estimate.stderr, math.sqrt(max(exact * (1 - exact), 0) / n), 1e-12)
    return abs(estimate.value - exact) <= tol * se + 1e-12


@pytest.mark.parametrize("method", ["samples", "counts"])
@pytest.mark.parametrize("dist, batch", [
    (Distribution("normal", -1.0, 1.0), 4),
    (Distribution("normal", 3.0, 3.0), 2),
    (Distribution("uniform", 0.5, 2.0), 3),
    (Distribution("t", 0.0, 1.0, df=2.5), 2),
])
def test_unit_model_matches_closed_form(method, dist, batch):
    rng = np.random.default_rng()
    results = simulate_units(ALL, {}, dist, 40_000, batch, rng, method=method)
    for r in results:
        assert close(r.dead, 40_000), (r.variant.name, r.dead)
        assert close(r.suppressed, 40_000), (r.variant.name, r.suppressed)
        assert abs(r.mean_abs_grad.value - r.mean_abs_grad.closed_form) <= TOL * r.mean_abs_grad.stderr + 1e-9
        for name, part in r.parts.items():
            assert close(part, 40_000), (r.variant.name, name, part)


def test_closed_forms_by_hand():
    d = Distribution("normal", 0, 1)
    relu = variants.get("relu")
    assert unit_closed_form(relu, {}, d, 8)["dead"] == pytest.approx(2.0 ** -8)
    phi = lambda t: 0.5 * math.erfc(-t / math.sqrt(2))  # noqa: E731
    d = Distribution("normal", 3, 3)
    exact = unit_closed_form(variants.get("relu6"), {}, d, 2)
    low, high = phi(-1), 1 - phi(1)
    assert exact["dead"] == pytest.approx((low + high) ** 2)
    assert exact["dead_low"] == pytest.approx(low ** 2) and exact["dead_high"] == pytest.approx(high ** 2)
    assert exact["dead_mixed"] == pytest.approx(2 * low * high)
    leaky = unit_closed_form(variants.get("leaky_relu"), {"negative_slope": -0.2}, d, 2)
    assert leaky["dead"] == 0 and leaky["suppressed"] == pytest.approx(phi(-1) ** 2)
    assert leaky["mean_abs_grad"] == pytest.approx(phi(1) + 0.2 * phi(-1))
    rrelu = unit_closed_form(variants.get("rrelu"), {"lower": 0.1, "upper": 0.3}, d, 1, training=True)
    assert rrelu["mean_abs_grad"] == pytest.approx(phi(1) + 0.2 * phi(-1))


def test_prelu_with_zero_slope_can_die():
    d = Distribution("normal", -1, 1)
    exact = unit_closed_form(variants.get("prelu"), {"alpha": 0.0}, d, 3)
    assert exact["dead"] == pytest.approx(exact["suppressed"]) and exact["dead"] > 0


def test_counts_and_samples_have_the_same_distribution():
    d = Distribution("normal", 2.5, 3.0)
    relu6 = [variants.get("relu6")]
    a = simulate_units(relu6, {}, d, 50_000, 3, np.random.default_rng(), method="samples")[0]
    b = simulate_units(relu6, {}, d, 50_000, 3, np.random.default_rng(), method="counts")[0]
    for x, y in [(a.dead, b.dead)] + [(a.parts[k], b.parts[k]) for k in a.parts]:
        assert abs(x.value - y.value) <= TOL * math.hypot(x.stderr, y.stderr) + 1e-12


def test_rrelu_training_mode_in_unit_model():
    d = Distribution("normal", -0.5, 1)
    (r,) = simulate_units([variants.get("rrelu")], {}, d, 20_000, 2, np.random.default_rng(),
                          training=True)
    assert r.mode == "train" and r.dead.value == 0
    assert abs(r.mean_abs_grad.value - r.mean_abs_grad.closed_form) <= TOL * r.mean_abs_grad.stderr


def test_same_seed_same_numbers():
    d = Distribution("normal", -1, 1)
    a = simulate_units(ALL, {}, d, 5000, 4, np.random.default_rng(9))
    b = simulate_units(ALL, {}, d, 5000, 4, np.random.default_rng(9))
    assert [r.dead.value for r in a] == [r.dead.value for r in b]
    assert [r.mean_abs_grad.value for r in a] == [r.mean_abs_grad.value for r in b]


def test_progress_reaches_the_total_and_memory_is_chunked():
    seen = []
    d = Distribution("normal", 0, 1)
    simulate_units([variants.get("relu")], {}, d, 12_000, 100, np.random.default_rng(),
                   progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (1_200_000, 1_200_000) and len(seen) > 3
    assert all(a[0] < b[0] for a, b in zip(seen, seen[1:]))


def test_batch_larger_than_a_chunk():
    d = Distribution("normal", -4.7, 1)  # P(z <= 0)^B is about 1/2 for this B
    batch = CHUNK_ELEMENTS * 2 + 7
    (r,) = simulate_units([variants.get("relu")], {}, d, 60, batch, np.random.default_rng())
    assert 0.3 < r.dead.closed_form < 0.7
    assert close(r.dead, 60)


@pytest.mark.parametrize("kwargs", [dict(units=0), dict(batch=0)])
def test_bad_unit_parameters(kwargs):
    args = dict(units=10, batch=2) | kwargs
    with pytest.raises(UsageError, match="at least 1"):
        simulate_units(ALL, {}, Distribution(), args["units"], args["batch"], np.random.default_rng())


# smooth variants: nearly dead ---------------------------------------------------------

@pytest.mark.parametrize("name, mean", [("sigmoid", -8.0), ("tanh", 4.0), ("elu", -7.0), ("gelu", -3.6)])
def test_nearly_dead_matches_closed_form(name, mean):
    variant = variants.get(name)
    d = Distribution("normal", mean, 1.0)
    (r,) = simulate_units([variant], {}, d, 30_000, 2, np.random.default_rng())
    assert 0.02 < r.dead.closed_form < 0.98  # a test that can fail
    assert close(r.dead, 30_000)
    assert abs(r.mean_abs_grad.value - r.mean_abs_grad.closed_form) <= TOL * r.mean_abs_grad.stderr + 1e-6


@pytest.mark.parametrize("dist", [Distribution("normal", -0.5, 2.0),
                                  Distribution("outliers", 0.3, 1.0)])
def test_smooth_and_piecewise_linear_rows_share_one_sample_stream(dist):
    """One stream for all variants: the same units are "suppressed" in every row, and
    a smooth variant's numbers do not depend on which others run beside it."""
    names = ["relu", "gelu", "leaky_relu", "sigmoid"]
    chosen = [variants.get(n) for n in names]
    together = simulate_units(chosen, {}, dist, 20_000, 3, np.random.default_rng(5))
    assert len({r.suppressed.value for r in together}) == 1
    assert together[0].suppressed.value > 0.01  # a test that can fail
    (alone,) = simulate_units([variants.get("gelu")], {}, dist, 20_000, 3,
                              np.random.default_rng(5))
    assert alone.dead.value == together[1].dead.value
    assert alone.mean_abs_grad.value == together[1].mean_abs_grad.value


def test_smooth_variants_need_samples_and_the_depth_model_refuses_them():
    with pytest.raises(UsageError, match="--method samples"):
        simulate_units([variants.get("gelu")], {}, Distribution(), 10, 2,
                       np.random.default_rng(), method="counts")
    with pytest.raises(UsageError, match="smooth"):
        simulate_depth([variants.get("gelu")], {}, 3, 2, 2, np.random.default_rng())


def test_z_of_a_count_too_small_to_be_normal_comes_from_the_exact_binomial():
    """1 dead unit of 2,000 against 0.04 expected happens 4% of the time; the normal
    approximation called it z = +4.8. With fewer than 5 events expected and seen z is
    the normal quantile of the binomial mid-p instead, checked against a sum of the
    binomial's terms done here; from 5 events on, the normal formula."""
    from relucli.sim.stats import _estimate
    from statistics import NormalDist

    n, p = 2000, 2e-5
    pmf = [math.comb(n, j) * p ** j * (1 - p) ** (n - j) for j in range(3)]
    for k in range(3):
        mid = sum(pmf[:k]) + pmf[k] / 2
        assert _estimate(k, n, p).z == pytest.approx(NormalDist().inv_cdf(mid), rel=1e-9)
        assert _estimate(n - k, n, 1 - p).z == pytest.approx(-_estimate(k, n, p).z)
        assert _estimate(k, n, p).binomial
    assert _estimate(1, 2000, 2e-5).z == pytest.approx(2.054, abs=1e-3)  # not 4.8
    assert _estimate(6, 2000, 2e-5).z > 20 and not _estimate(6, 2000, 2e-5).binomial
    assert _estimate(1998, 2000, 2e-5).z > 1000  # many where few were expected: far off
    assert abs(_estimate(1000, 2000, 0.5).z) < 1e-12
    assert _estimate(1, 2000, 0.0).z == math.inf  # an impossible event that happened
