"""Distributions of pre-activations: the Student-t CDF and the checks of the settings."""

from __future__ import annotations

import math

import numpy as np
import pytest

from relucli.errors import UsageError
from relucli.sim.distributions import (Distribution, chi_nodes, sphere_cosine_nodes,
                                       student_t_cdf)


def test_student_t_cdf_against_known_forms():
    for t in (-5.0, -1.0, 0.0, 0.3, 2.0, 40.0):
        assert student_t_cdf(t, 1) == pytest.approx(0.5 + math.atan(t) / math.pi, abs=1e-12)
        assert student_t_cdf(t, 2) == pytest.approx(0.5 + t / (2 * math.sqrt(2 + t * t)), abs=1e-12)
    assert student_t_cdf(1.5, 1e7) == pytest.approx(0.5 * math.erfc(-1.5 / math.sqrt(2)), abs=1e-6)


@pytest.mark.parametrize("kwargs, message", [
    (dict(std=-1.0), "--std must be a positive"), (dict(std=0.0), "--std"),
    (dict(kind="cauchy"), "unknown distribution"), (dict(kind="t", df=0.0), "--df"),
])
def test_bad_distributions(kwargs, message):
    with pytest.raises(UsageError, match=message):
        Distribution(**kwargs)


@pytest.mark.parametrize("kind", ["normal", "uniform", "t", "outliers"])
def test_upper_tails_are_tails_not_one_minus_the_cdf(kind):
    d = Distribution(kind, 0.5, 1.5, 4.0)
    for t in (-3.0, 0.0, 0.5, 2.0, 4.0):
        assert d.sf(t) == pytest.approx(1 - d.cdf(t), abs=1e-15)  # the same, where both can say
    far = Distribution("normal", -3, 1)
    assert far.sf(6.0) == pytest.approx(0.5 * math.erfc(9 / math.sqrt(2)), rel=1e-15)
    assert 1 - far.cdf(6.0) == 0.0  # what the old difference gave


def test_relu6_dead_high_keeps_its_relative_accuracy_far_out():
    """P(dead high) for one sample of N(-3, 1) is P(z >= 6) = 1.13e-19 (it was 0), and at
    mean -2 it was 7% off."""
    from relucli import variants
    from relucli.sim.unit import unit_closed_form

    relu6 = variants.get("relu6")
    for mean, exact in [(-3, 0.5 * math.erfc(9 / math.sqrt(2))),
                        (-2, 0.5 * math.erfc(8 / math.sqrt(2)))]:
        closed = unit_closed_form(relu6, {}, Distribution("normal", mean, 1), 1)
        assert closed["dead_high"] == pytest.approx(exact, rel=1e-14)


@pytest.mark.parametrize("k", [1, 2, 3, 4, 7, 100, 225, 226, 1000, 1_000_000])
@pytest.mark.parametrize("points", [241, 4001])
def test_chi_nodes_integrate_known_expectations(k, points):
    """E t² = k, E t⁴ = k(k+2) and E e^(-a t²) = (1+2a)^(-k/2) for t ~ χ(k), to 1e-10
    at 241 nodes: small k (a density infinite or cornered at 0 in χ² or in t), the
    switch to a grid away from 0 (k > 225) and huge k."""
    t, w = chi_nodes(k, points)
    assert w.sum() == pytest.approx(1.0, rel=1e-15) and (t > 0).all()
    assert w @ t ** 2 == pytest.approx(k, rel=1e-9)
    assert w @ t ** 4 == pytest.approx(k * (k + 2), rel=1e-9)
    for a in (0.01, 0.5, 3.0):
        exact = math.exp(-k / 2 * math.log1p(2 * a))
        assert w @ np.exp(-a * t * t) == pytest.approx(exact, rel=1e-9, abs=1e-300)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 9, 149, 150, 1000, 100_000])
def test_sphere_cosine_nodes_integrate_known_moments(n):
    """For the cosine c between a random direction in n dimensions and a fixed one:
    E c = 0, E c² = 1/n, E c⁴ = 3/(n(n+2)), E c⁶ = 15/(n(n+2)(n+4)), on both sides of
    the switch from Gauss-Gegenbauer to the trapezoid rule (n = 150)."""
    c, w = sphere_cosine_nodes(n)
    assert w.sum() == pytest.approx(1.0, rel=1e-15) and abs(c).max() <= 1
    assert w @ c == pytest.approx(0.0, abs=1e-15)
    assert w @ c ** 2 == pytest.approx(1 / n, rel=1e-12)
    assert w @ c ** 4 == pytest.approx(3 / (n * (n + 2)), rel=1e-12)
    assert w @ c ** 6 == pytest.approx(15 / (n * (n + 2) * (n + 4)), rel=1e-12)
