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
