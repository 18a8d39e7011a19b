"""Distributions of pre-activations: the Student-t CDF and the checks of the settings."""

from __future__ import annotations

import math

import pytest

from relucli.errors import UsageError
from relucli.sim.distributions import Distribution, student_t_cdf


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
