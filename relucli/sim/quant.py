"""Quantising activations to unsigned fixed point: why a bounded ReLU6 needs fewer bits.

Pure NumPy, no printing; progress through a callback. For each variant and bit width b
the outputs y = f(z) go onto the uniform grid {0, s, 2s, ..., (2^b - 1)s} on [0, R],
s = R / (2^b - 1), by rounding to the nearest code (ties to even) and clipping to the
grid. R is the variant's upper bound when it has one (6 for ReLU6), otherwise a
calibration on a separate calibration sample: its maximum, or a percentile of it.

>>> import numpy as np
>>> from relucli import variants
>>> from relucli.sim.distributions import Distribution
>>> (r,) = quantise_variants([variants.get("relu6")], {}, Distribution("normal", 3, 3), [8],
...                          "max", 10_000, np.random.default_rng(0))
>>> r.range, r.fixed_point
(6.0, 'Q3.5')
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .. import engine
from ..errors import UsageError
from ..variants import Variant
from .distributions import Distribution
from .stats import Progress, _no_progress

CHUNK = 1 << 18
MAX_BITS = 16


@dataclass
class QuantResult:
    variant: Variant
    params: dict
    bits: int
    range: float
    range_source: str  # "bound", "max" or "percentile 99.9"
    step: float
    integer_bits: int
    fraction_bits: int
    mse: float
    sqnr_db: float
    max_error: float
    clipped_fraction: float
    codes_used: int
    interior_noise_ratio: float  # error variance of values inside (0, R) / (step²/12)
    samples: int

    @property
    def codes(self) -> int:
        return 2**self.bits

    @property
    def fixed_point(self) -> str:
        """Unsigned Qm.n: m integer bits hold R, n = b - m fraction bits are left
        (negative when b bits cannot even hold R's integer part)."""
        return f"Q{self.integer_bits}.{self.fraction_bits}"


def parse_calibration(text: str) -> tuple[str, float | None]:
    """``max`` or ``percentile:P`` (0 < P <= 100)."""
    if text == "max":
        return "max", None
    name, _, value = text.partition(":")
    if name == "percentile":
        try:
            p = float(value)
        except ValueError:
            p = math.nan
        if 0 < p <= 100:
            return "percentile", p
    raise UsageError(f"--calibrate takes max or percentile:P with 0 < P <= 100, got {text!r}")


def integer_bits(range_: float) -> int:
    """Bits for the integer part of values up to ``range_`` (6 -> 3, 8 -> 4, 0.5 -> 0)."""
    return 0 if range_ < 1 else math.floor(math.log2(range_)) + 1


def calibrate(y: np.ndarray, method: str, percentile: float | None) -> float:
    if method == "max":
        return float(np.max(y))
    return float(np.percentile(y, percentile))


def quantise_variants(
    variants: Sequence[Variant],
    params: dict[str, dict],
    dist: Distribution,
    bits: Sequence[int],
    calibration: str,
    samples: int,
    rng: np.random.Generator,
    calibration_samples: int = 100_000,
    progress: Progress = _no_progress,
) -> list[QuantResult]:
    """Streamed over ``samples`` pre-activations in chunks (memory stays flat); every
    variant and bit width sees the same samples. Calibration uses its own sample."""
    for b in bits:
        if not 1 <= b <= MAX_BITS:
            raise UsageError(f"--bits must be between 1 and {MAX_BITS}, got {b}")
    if samples < 1 or calibration_samples < 1:
        raise UsageError("--samples and --calib-samples must be at least 1")
    method, percentile = parse_calibration(calibration)
    resolved = {v.name: v.resolve_params(params.get(v.name, {})) for v in variants}
    calibration_rng, sample_rng = rng.spawn(2)
    ranges = _calibrated_ranges(variants, resolved, dist, calibration_rng, calibration_samples,
                                method, percentile)
    keys = [(v.name, b) for v in variants for b in bits]
    totals = {k: dict(sq_err=0.0, sq_y=0.0, max_err=0.0, clipped=0, inner_sq=0.0, inner=0,
                      codes=np.zeros(2**k[1], np.int64)) for k in keys}
    buffer = np.empty(min(CHUNK, samples))
    done = 0
    while done < samples:
        n = min(CHUNK, samples - done)
        z = buffer[:n]
        dist.sample(sample_rng, z)
        _quantise_chunk(totals, variants, resolved, ranges, bits, z)
        done += n
        progress(done, samples)
    return _quant_results(variants, resolved, ranges, bits, totals, samples)


def _calibrated_ranges(variants, resolved, dist, calibration_rng, calibration_samples, method,
                       percentile) -> dict[str, tuple[float, str]]:
    """Per variant, the range R and where it comes from: its upper bound, or the
    calibration (``method``) on a sample of its own."""
    z_cal = np.empty(calibration_samples)
    dist.sample(calibration_rng, z_cal)
    ranges: dict[str, tuple[float, str]] = {}
    for v in variants:
        upper = v.range_bounds(resolved[v.name])[1]
        if math.isfinite(upper):
            ranges[v.name] = (float(upper), "bound")
        else:
            y_cal = engine.forward(v, z_cal, **resolved[v.name])
            r = calibrate(y_cal, method, percentile)
            label = "max" if method == "max" else f"percentile {percentile:g}"
            if not (math.isfinite(r) and r > 0):
                raise UsageError(f"calibrating {v.name} gives a range of {r:g}; its outputs "
                                 "on this distribution are not positive")
            ranges[v.name] = (r, label)
    return ranges


def _quantise_chunk(totals, variants, resolved, ranges, bits, z) -> None:
    """Quantise every variant's outputs on one chunk ``z`` of pre-activations at every
    bit width, adding the errors, clipped values and codes used to ``totals``."""
    for v in variants:
        y = engine.forward(v, z, **resolved[v.name])
        r = ranges[v.name][0]
        clipped = (y < 0) | (y > r)
        inner = (y > 0) & (y < r)
        for b in bits:
            t = totals[(v.name, b)]
            step = r / (2**b - 1)
            codes = np.clip(np.rint(y / step), 0, 2**b - 1)
            error = codes * step - y
            t["sq_err"] += float(np.dot(error, error))
            t["sq_y"] += float(np.dot(y, y))
            t["max_err"] = max(t["max_err"], float(np.max(np.abs(error))))
            t["clipped"] += int(np.count_nonzero(clipped))
            t["inner_sq"] += float(np.dot(error[inner], error[inner]))
            t["inner"] += int(np.count_nonzero(inner))
            t["codes"] += np.bincount(codes.astype(np.int64), minlength=2**b)


def _quant_results(variants, resolved, ranges, bits, totals, samples) -> list[QuantResult]:
    """One result per variant and bit width from the streamed totals."""
    results = []
    for v in variants:
        r, source = ranges[v.name]
        for b in bits:
            t = totals[(v.name, b)]
            step = r / (2**b - 1)
            m = integer_bits(r)
            mse = t["sq_err"] / samples
            results.append(QuantResult(
                variant=v, params=resolved[v.name], bits=b, range=r, range_source=source,
                step=step, integer_bits=m, fraction_bits=b - m, mse=mse,
                sqnr_db=10 * math.log10(t["sq_y"] / t["sq_err"]) if t["sq_err"] > 0 else math.inf,
                max_error=t["max_err"], clipped_fraction=t["clipped"] / samples,
                codes_used=int(np.count_nonzero(t["codes"])),
                interior_noise_ratio=(t["inner_sq"] / t["inner"]) / (step * step / 12)
                if t["inner"] else math.nan,
                samples=samples,
            ))
    return results
