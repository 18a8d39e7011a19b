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
        """The pre-activations plus a bias (the unit model's z + b)."""
        if not math.isfinite(self.mean + bias):
            raise UsageError(f"--mean {self.mean:g} plus --bias {bias:g} overflows float64")
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


def chi_nodes(k: int, points: int = 4001) -> tuple[np.ndarray, np.ndarray]:
    """Nodes t and weights (summing to 1) for the law of t = sqrt(χ²(k)), the length
    of a standard normal vector in k dimensions: E f(t) ≈ weights @ f(t).

    The density ∝ t^(k-1) e^(-t²/2) has standard deviation below 0.75, so √k + 15
    bounds all but ~1e-40 of the mass, and below t = ε lies about ε^k of it. The
    trapezoid rule in s = log t, on [log ε, log(√k + 15)] with ε^k ~ 1e-18 (or √k - 15
    once that is larger), sees an integrand that is smooth and negligible at both
    ends, so it converges spectrally at every k (in t or in χ² it would not at small k:
    χ²(1)'s density is infinite at 0, χ(2)'s has a corner there). No node sits at
    t = 0, where a layer's pre-activations would be constant.

    >>> t, w = chi_nodes(3)
    >>> round(float(w @ t**2), 12)  # E χ²(3) = 3
    3.0
    """
    root = math.sqrt(k)
    lo = max(root - 15.0, math.exp(-41.0 / k))  # e^-41 ~ 1e-18
    s = np.linspace(math.log(lo), math.log(root + 15.0), points)
    t = np.exp(s)
    log_weight = k * s - 0.5 * t * t  # density · dt/ds = t^(k-1) e^(-t²/2) · t
    weights = np.exp(log_weight - log_weight.max())
    weights[[0, -1]] *= 0.5
    return t, weights / weights.sum()


def sphere_cosine_nodes(n: int, points: int = 96) -> tuple[np.ndarray, np.ndarray]:
    """Nodes c and weights (summing to 1) for the cosine c = w·e/|w| between a uniformly
    random direction w in n dimensions and a fixed unit vector e: density ∝
    (1 - c²)^((n-3)/2) on [-1, 1], independent of |w|.

    n = 1 is c = ±1, n = 2 Gauss-Chebyshev; below n = 150 Gauss-Gegenbauer
    (λ = (n-2)/2, Golub-Welsch), exact for polynomials of degree < 2·points. Beyond,
    c ≈ N(0, 1/n) is narrow next to [-1, 1] and a function of √n·c that varies on
    a scale of 1 is no low-degree polynomial in c: the trapezoid rule in x = √n·c on
    ±12 (weight below 1e-100 at the ends) converges spectrally there instead.

    >>> c, w = sphere_cosine_nodes(4)
    >>> round(float(w @ c**2), 12)  # E c² = 1/n
    0.25
    """
    if n == 1:
        return np.array([-1.0, 1.0]), np.array([0.5, 0.5])
    if n == 2:
        nodes = np.cos((2 * np.arange(points) + 1) * math.pi / (2 * points))
        return nodes, np.full(points, 1 / points)
    if n >= 150:
        nodes = np.linspace(-12.0, 12.0, 2 * points + 1) / math.sqrt(n)
        weights = np.exp((n - 3) / 2 * np.log1p(-nodes * nodes))
        weights[[0, -1]] *= 0.5
        return nodes, weights / weights.sum()
    lam = (n - 2) / 2
    k = np.arange(1, points, dtype=float)
    off = np.sqrt(k * (k + 2 * lam - 1) / (4 * (k + lam) * (k + lam - 1)))
    nodes, vectors = np.linalg.eigh(np.diag(off, 1) + np.diag(off, -1))
    weights = vectors[0] ** 2
    return nodes, weights / weights.sum()


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
