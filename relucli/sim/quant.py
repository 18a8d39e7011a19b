"""Quantising activations onto an unsigned grid: clipping error and rounding error.

Pure NumPy, no printing; progress through a callback. For each variant and bit width b
the outputs y = f(z) go onto a grid of 2^b codes q = 0, 1, ..., 2^b - 1 with values
q·s, by rounding y/s to the nearest code (ties to even) and clipping to [0, top],
top = (2^b - 1)·s. R is the variant's upper bound when it has one (6 for ReLU6),
otherwise a calibration on a separate calibration sample: its maximum, or a
percentile of it. Two grids (:class:`Grid`):

* ``affine`` (what TFLite and PyTorch use for a fused ReLU6 on uint8): scale
  s = R / (2^b - 1), zero point 0, so top = R; on int8 the same values are the codes
  -2^(b-1) .. 2^(b-1) - 1 with zero point -2^(b-1) (-128). ReLU6 at 8 bits: s = 6/255.
* ``qformat`` (unsigned fixed point Qm.n): m = :func:`integer_bits` (R) bits for the
  integer part, n = b - m fraction bits, s = 2^-n, top = (2^b - 1)·2^-n, which may lie
  below R (values above it are clipped). n < 0 is a coarser power of two, s = 2^|n|.
  ReLU6 at 8 bits: Q3.5, s = 1/32, top = 7.96875.

The squared error splits exactly over the same samples: values beyond the grid
(y < 0 or y > top) give the clipping part, values on [0, top] the rounding part,
mse = clip_mse + round_mse. The noise ratio is the rounding MSE of the interior
outputs, 0 < y < min(R, top), over s²/12 (uniform rounding noise: 1); it leaves out
clipping, and outputs sitting on a saturation value (ReLU's 0, ReLU6's 6), which
round to themselves. Sums are NumPy's pairwise sums over fixed chunks, added in a
fixed order: the same numbers whatever the BLAS thread count.

>>> import numpy as np
>>> from relucli import variants
>>> from relucli.sim.distributions import Distribution
>>> (r,) = quantise_variants([variants.get("relu6")], {}, Distribution("normal", 3, 3), [8],
...                          "max", 10_000, np.random.default_rng(0), grid="qformat")
>>> r.range, r.fixed_point, r.step, r.clip_mse
(6.0, 'Q3.5', 0.03125, 0.0)
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
GRIDS = ("affine", "qformat")


@dataclass(frozen=True)
class Grid:
    """The codes 0 .. 2^b - 1 with values q·step on [0, top].

    >>> Grid.make("affine", 6.0, 8).step == 6 / 255, Grid.make("qformat", 6.0, 8).label
    (True, 'Q3.5')
    >>> Grid.make("qformat", 108.0, 4).step, Grid.make("qformat", 108.0, 4).top
    (8.0, 120.0)
    """

    kind: str
    bits: int
    step: float
    range: float  # R, which the grid was made for
    integer_bits: int | None = None  # qformat only
    fraction_bits: int | None = None

    @classmethod
    def make(cls, kind: str, range_: float, bits: int) -> "Grid":
        if kind == "affine":
            return cls(kind, bits, range_ / (2**bits - 1), range_)
        if kind != "qformat":
            raise UsageError(f"--grid takes {' or '.join(GRIDS)}, got {kind!r}")
        m = integer_bits(range_)
        return cls(kind, bits, math.ldexp(1.0, m - bits), range_, m, bits - m)

    @property
    def top_code(self) -> int:
        return 2**self.bits - 1

    @property
    def top(self) -> float:
        """The largest value on the grid; anything above it is clipped."""
        return self.top_code * self.step

    @property
    def interior(self) -> float:
        """Outputs in (0, interior) are rounded inside the grid and below R: min(R, top)."""
        return min(self.range, self.top)

    @property
    def zero_point(self) -> int:
        """The code of 0.0 on unsigned codes (uint8: 0)."""
        return 0

    @property
    def zero_point_signed(self) -> int | None:
        """The affine grid on signed codes -2^(b-1) .. 2^(b-1) - 1 (int8: -128)."""
        return -(2 ** (self.bits - 1)) if self.kind == "affine" else None

    @property
    def label(self) -> str:
        return "affine" if self.kind == "affine" else f"Q{self.integer_bits}.{self.fraction_bits}"


@dataclass
class QuantResult:
    variant: Variant
    params: dict
    grid: Grid
    range: float
    range_source: str  # "bound", "max" or "percentile 99.9"
    clip_mse: float  # from the outputs beyond the grid: y < 0 or y > top
    round_mse: float  # from the outputs on [0, top]
    sqnr_db: float
    max_error: float
    clipped_fraction: float
    codes_used: int
    interior_noise_ratio: float  # rounding MSE of outputs inside (0, min(R, top)) / (step²/12)
    samples: int

    @property
    def mse(self) -> float:
        """clip_mse + round_mse, the whole mean squared error."""
        return self.clip_mse + self.round_mse

    @property
    def clip_share(self) -> float:
        """The clipping part's share of the MSE (nan when the MSE is 0)."""
        return self.clip_mse / self.mse if self.mse > 0 else math.nan

    @property
    def bits(self) -> int:
        return self.grid.bits

    @property
    def step(self) -> float:
        return self.grid.step

    @property
    def codes(self) -> int:
        return 2**self.bits

    @property
    def fixed_point(self) -> str | None:
        """Unsigned Qm.n on the qformat grid; None on the affine grid, which is not one."""
        return None if self.grid.kind == "affine" else self.grid.label


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


#: The sizes of --mean and --std whose squared errors float64 holds with room to spare.
SMALLEST_STD, LARGEST_SCALE = 1e-100, 1e100


def _check_scale(dist: Distribution) -> None:
    """Errors are squared and summed in float64: a scale near 1e±154 would overflow or
    vanish. Nothing is lost by refusing: quantisation is scale-free (SQNR and clipping
    are the same at --std 1 and --mean in proportion; the MSEs scale by the square)."""
    widest = dist.std * (dist.outlier_scale if dist.kind == "outliers" else 1.0)
    if dist.std < SMALLEST_STD or max(abs(dist.mean), widest) > LARGEST_SCALE:
        raise UsageError(f"--std must be at least {SMALLEST_STD:g} and --mean, --std at most "
                         f"{LARGEST_SCALE:g} in size (squared errors overflow float64); the "
                         "results are scale-free: use --std 1")


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
    grid: str = "affine",
) -> list[QuantResult]:
    """Streamed over ``samples`` pre-activations in chunks (memory stays flat); every
    variant and bit width sees the same samples. Calibration uses its own sample."""
    for b in bits:
        if not 1 <= b <= MAX_BITS:
            raise UsageError(f"--bits must be between 1 and {MAX_BITS}, got {b}")
    if samples < 1 or calibration_samples < 1:
        raise UsageError("--samples and --calib-samples must be at least 1")
    _check_scale(dist)
    method, percentile = parse_calibration(calibration)
    resolved = {v.name: v.resolve_params(params.get(v.name, {})) for v in variants}
    calibration_rng, sample_rng = rng.spawn(2)
    ranges = _calibrated_ranges(variants, resolved, dist, calibration_rng, calibration_samples,
                                method, percentile)
    grids = {(v.name, b): Grid.make(grid, ranges[v.name][0], b) for v in variants for b in bits}
    totals = {k: dict(clip_sq=0.0, edge_sq=0.0, inner_sq=0.0, max_sq=0.0, clipped=0, inner=0,
                      codes=np.zeros(2**k[1], np.int64)) for k in grids}
    signal = {v.name: 0.0 for v in variants}
    buffers = [np.empty(min(CHUNK, samples)) for _ in range(4)]
    codes = np.empty(min(CHUNK, samples), np.intp)
    done = 0
    while done < samples:
        n = min(CHUNK, samples - done)
        z, y, q, e = (buffer[:n] for buffer in buffers)
        dist.sample(sample_rng, z)
        for v in variants:
            engine.forward(v, z, out=y, **resolved[v.name])
            signal[v.name] += float(np.sum(np.square(y, out=e)))
            for b in bits:
                _quantise_chunk(totals[(v.name, b)], grids[(v.name, b)], y, q, e, codes[:n])
        done += n
        progress(done, samples)
    return [_result(v, resolved[v.name], ranges[v.name], grids[(v.name, b)],
                    totals[(v.name, b)], signal[v.name], samples)
            for v in variants for b in bits]


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


def _quantise_chunk(t: dict, grid: Grid, y, q, e, codes) -> None:
    """Quantise one chunk of outputs ``y`` onto ``grid`` (``q``, ``e``, ``codes``:
    scratch of y's size), adding to ``t`` the squared errors of the clipped outputs
    (beyond [0, top]), of those at or above min(R, top) on the grid (ReLU6's 6) and of
    the interior ones, the largest, the clipped and interior counts and the codes used.
    Each part is one pairwise ``np.sum`` over the chunk: no BLAS, no thread-dependent
    order."""
    np.divide(y, grid.step, out=q)
    np.rint(q, out=q)
    np.clip(q, 0, grid.top_code, out=q)
    codes[...] = q
    t["codes"] += np.bincount(codes, minlength=grid.top_code + 1)
    np.multiply(q, grid.step, out=e)
    e -= y
    np.square(e, out=e)
    t["max_sq"] = max(t["max_sq"], float(np.max(e)))
    top, interior = grid.top, grid.interior
    clipped = np.flatnonzero((y < 0) | (y > top))
    if clipped.size:
        t["clip_sq"] += float(np.sum(e[clipped]))
        e[clipped] = 0.0
        t["clipped"] += clipped.size
    edge = np.flatnonzero((y >= interior) & (y <= top))
    if edge.size:
        t["edge_sq"] += float(np.sum(e[edge]))
        e[edge] = 0.0
    t["inner_sq"] += float(np.sum(e))  # the outputs at 0 add exactly 0
    t["inner"] += int(np.count_nonzero((y > 0) & (y < interior)))


def _result(variant, params, range_, grid, t, signal, samples) -> QuantResult:
    """One (variant, bits) result from its streamed totals."""
    r, source = range_
    round_sq = t["edge_sq"] + t["inner_sq"]
    error = t["clip_sq"] + round_sq
    return QuantResult(
        variant=variant, params=params, grid=grid, range=r, range_source=source,
        clip_mse=t["clip_sq"] / samples, round_mse=round_sq / samples,
        sqnr_db=10 * math.log10(signal / error) if error > 0 else math.inf,
        max_error=math.sqrt(t["max_sq"]), clipped_fraction=t["clipped"] / samples,
        codes_used=int(np.count_nonzero(t["codes"])),
        interior_noise_ratio=(t["inner_sq"] / t["inner"]) / (grid.step**2 / 12)
        if t["inner"] else math.nan,
        samples=samples,
    )


def crossovers(xs: Sequence[float], a: Sequence[float], b: Sequence[float]) -> list[float]:
    """Where curve ``a`` and curve ``b`` (sampled at ``xs``) cross: the zeros of a - b,
    linearly interpolated between neighbouring points where it changes sign.

    >>> crossovers([1, 2, 3, 4], [0, 1, 2, 3], [2, 2, 2, 2])
    [3.0]
    >>> crossovers([10, 20], [40.0, 44.0], [46.0, 43.0])
    [18.57142857142857]
    """
    d = [float(u) - float(v) for u, v in zip(a, b)]
    found = []
    for i in range(len(d) - 1):
        if d[i] == 0:
            found.append(float(xs[i]))
        elif d[i] * d[i + 1] < 0:
            x0, x1 = float(xs[i]), float(xs[i + 1])
            found.append(x0 + (x1 - x0) * d[i] / (d[i] - d[i + 1]))
    if d and d[-1] == 0:
        found.append(float(xs[-1]))
    return found
