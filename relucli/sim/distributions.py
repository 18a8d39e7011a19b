"""Distributions of pre-activations: sampling them and their exact CDF.

Normal, uniform, Student-t and normal-with-outliers, each shifted and scaled; the
Student-t CDF by the regularised incomplete beta function (no SciPy).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import UsageError


@dataclass(frozen=True)
class Distribution:
    """Pre-activations z = mean + std * e with e standard normal, uniform (scaled to
    unit variance), Student-t with ``df`` degrees of freedom (scale ``std``), or
    ``outliers``: normal, except that a fraction ``outlier_fraction`` of the samples
    has ``outlier_scale`` times the standard deviation."""

    kind: str = "normal"
    mean: float = 0.0
    std: float = 1.0
    df: float = 3.0
    outlier_fraction: float = 0.01
    outlier_scale: float = 10.0

    def __post_init__(self) -> None:
        if self.kind not in ("normal", "uniform", "t", "outliers"):
            raise UsageError(f"unknown distribution '{self.kind}' (normal, uniform, t or outliers)")
        if not (math.isfinite(self.std) and self.std > 0):
            raise UsageError(f"--std must be a positive number, got {self.std}")
        if not math.isfinite(self.mean):
            raise UsageError(f"--mean must be finite, got {self.mean}")
        if self.kind == "t" and not (math.isfinite(self.df) and self.df > 0):
            raise UsageError(f"--df must be a positive finite number, got {self.df}")
        if self.kind == "outliers":
            if not 0 <= self.outlier_fraction <= 1:
                raise UsageError(f"--outlier-share must be in [0, 1], got {self.outlier_fraction}")
            if not (math.isfinite(self.outlier_scale) and self.outlier_scale > 0):
                raise UsageError(f"--outlier-scale must be a positive finite number, got {self.outlier_scale}")

    def cdf(self, t: float) -> float:
        """P(z <= t)."""
        if t == math.inf:
            return 1.0
        if t == -math.inf:
            return 0.0
        return self._standard_cdf((t - self.mean) / self.std)

    def sf(self, t: float) -> float:
        """P(z > t), computed as a tail (every kind is symmetric about its mean), not as
        1 - cdf(t), which loses everything below 1e-16.

        >>> f"{Distribution('normal', -3, 1).sf(6.0):.6e}"  # 0.5·erfc(9/√2)
        '1.128588e-19'
        """
        if t == math.inf:
            return 0.0
        if t == -math.inf:
            return 1.0
        return self._standard_cdf(-(t - self.mean) / self.std)

    def probability(self, lo: float, hi: float) -> float:
        """P(lo < z <= hi), from the nearer tails, so that a small probability far out
        keeps its relative accuracy."""
        if lo >= self.mean:
            return max(self.sf(lo) - self.sf(hi), 0.0)
        return max(self.cdf(hi) - self.cdf(lo), 0.0)

    def _standard_cdf(self, u: float) -> float:
        if self.kind == "normal":
            return _phi(u)
        if self.kind == "uniform":
            half = math.sqrt(3)
            return min(1.0, max(0.0, (u + half) / (2 * half)))
        if self.kind == "outliers":
            p = self.outlier_fraction
            return (1 - p) * _phi(u) + p * _phi(u / self.outlier_scale)
        return student_t_cdf(u, self.df)

    def sample(self, rng: np.random.Generator, out: np.ndarray) -> None:
        """Fill ``out`` (float32 or float64) with samples."""
        if self.kind in ("normal", "outliers"):
            rng.standard_normal(out=out, dtype=out.dtype)
            if self.kind == "outliers" and self.outlier_fraction:
                wide = rng.random(out.shape) < self.outlier_fraction
                out[wide] *= self.outlier_scale
        elif self.kind == "uniform":
            rng.random(out=out, dtype=out.dtype)
            out -= 0.5
            out *= 2 * math.sqrt(3)
        else:
            out[...] = rng.standard_t(self.df, size=out.shape)
        if self.std != 1:
            out *= self.std
        if self.mean != 0:
            out += self.mean

    def shifted(self, bias: float) -> "Distribution":
        return Distribution(self.kind, self.mean + bias, self.std, self.df,
                            self.outlier_fraction, self.outlier_scale)

    def standard(self) -> "Distribution":
        return Distribution(self.kind, 0.0, 1.0, self.df, self.outlier_fraction,
                            self.outlier_scale)

    def describe(self) -> str:
        if self.kind == "normal":
            return f"N({self.mean:g}, {self.std:g}²)"
        if self.kind == "uniform":
            return f"uniform with mean {self.mean:g}, sd {self.std:g}"
        if self.kind == "outliers":
            return (f"N({self.mean:g}, {self.std:g}²) with {100 * self.outlier_fraction:g}% "
                    f"at {self.outlier_scale:g}x the sd")
        return f"{self.mean:g} + {self.std:g}·t({self.df:g})"


def _phi(u: float) -> float:
    return 0.5 * math.erfc(-u / math.sqrt(2))


def student_t_cdf(t: float, df: float) -> float:
    """CDF of Student's t: 1 - I_x(df/2, 1/2)/2 for t > 0 with x = df/(df + t²),
    the regularised incomplete beta by its continued fraction (Lentz's method)."""
    x = df / (df + t * t)
    tail = 0.5 * _betainc(df / 2, 0.5, x)
    return 1 - tail if t > 0 else tail


def _betainc(a: float, b: float, x: float) -> float:
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                 + a * math.log(x) + b * math.log1p(-x))
    if x > (a + 1) / (a + b + 2):
        return 1 - _betainc(b, a, 1 - x)
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 500):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= c * d
        if abs(c * d - 1) < 1e-15:
            break
    return math.exp(log_front) * result / a
