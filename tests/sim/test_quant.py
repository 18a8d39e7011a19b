"""relu quant-sim: the quantiser against the theory of uniform quantisation."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from relucli import variants
from relucli.errors import UsageError
from relucli.sim import quant
from relucli.sim.distributions import Distribution

RELU, RELU6 = variants.get("relu"), variants.get("relu6")


def run(variants, dist, bits, calibration="max", samples=400_000, seed=None, grid="affine",
        calibration_samples=100_000):
    return quant.quantise_variants(variants, {}, dist, bits, calibration, samples,
                                   np.random.default_rng(seed), calibration_samples,
                                   grid=grid)


def normal_tail_moment(mu, sigma, r, k):
    """E[(z - r)^k; z > r] for z ~ N(mu, sigma²), by the trapezoid rule on a fine grid
    out to r + 12 sigma (independent of the closed form below)."""
    x = np.linspace(r, r + 12 * sigma, 400_001)
    f = (x - r) ** k * np.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * math.sqrt(2 * math.pi))
    return float(np.sum((f[1:] + f[:-1]) / 2 * np.diff(x)))


def clipping_mse_closed_form(mu, sigma, r):
    """E[(z - r)²; z > r] = sigma²((1 + a²)Q(a) - a·phi(a)), a = (r - mu)/sigma."""
    a = (r - mu) / sigma
    tail = 0.5 * math.erfc(a / math.sqrt(2))
    density = math.exp(-a * a / 2) / math.sqrt(2 * math.pi)
    return sigma**2 * ((1 + a * a) * tail - a * density)


@pytest.mark.parametrize("range_, bits", [(6, 3), (8, 4), (7.99, 3), (1, 1), (0.5, 0), (100, 7)])
def test_integer_bits(range_, bits):
    assert quant.integer_bits(range_) == bits


def test_relu6_uses_its_bound_on_both_grids():
    """Affine: scale 6/(2^b - 1), top 6, zero point 0 (int8: -2^(b-1)), no Qm.n label.
    Qformat: Q3.(b-3), step 2^-(b-3), top (2^b - 1)·2^-(b-3)."""
    affine = run([RELU6], Distribution("normal", 3, 3), [4, 6, 8], samples=20_000)
    assert [r.range for r in affine] == [6, 6, 6]
    assert [r.range_source for r in affine] == ["bound"] * 3
    assert [r.fixed_point for r in affine] == [None] * 3
    assert [r.step for r in affine] == [6 / 15, 6 / 63, 6 / 255]
    assert [r.grid.top for r in affine] == [6, 6, 6]
    assert [(r.grid.zero_point, r.grid.zero_point_signed) for r in affine] == [
        (0, -8), (0, -32), (0, -128)]
    assert all(r.clipped_fraction == 0 for r in affine)
    qformat = run([RELU6], Distribution("normal", 3, 3), [4, 6, 8], samples=20_000,
                  grid="qformat")
    assert [r.fixed_point for r in qformat] == ["Q3.1", "Q3.3", "Q3.5"]
    assert [r.step for r in qformat] == [1 / 2, 1 / 8, 1 / 32]
    assert [r.grid.top for r in qformat] == [7.5, 7.875, 7.96875]
    assert [r.grid.zero_point_signed for r in qformat] == [None] * 3
    assert all(r.clipped_fraction == 0 and r.clip_mse == 0 for r in qformat)


def test_grid_steps_exactly():
    q35, affine8 = quant.Grid.make("qformat", 6.0, 8), quant.Grid.make("affine", 6.0, 8)
    assert (q35.label, q35.step, q35.top, q35.zero_point) == ("Q3.5", 1 / 32, 255 / 32, 0)
    assert (affine8.step, affine8.top, affine8.zero_point, affine8.zero_point_signed) == (
        6 / 255, 6.0, 0, -128)
    coarse = quant.Grid.make("qformat", 108.0, 4)  # Q7.-3: 4 bits cannot reach 1
    assert (coarse.label, coarse.step, coarse.top) == ("Q7.-3", 8.0, 120.0)
    assert quant.Grid.make("qformat", 0.5, 4).step == 1 / 16  # Q0.4
    with pytest.raises(UsageError, match="--grid"):
        quant.Grid.make("log", 6.0, 8)


def test_qformat_clips_at_its_top_below_r():
    """R ≈ 7.5 needs 3 integer bits; at 3 bits that leaves Q3.0, codes 0..7: outputs in
    (7, R] are clipped at 7, though the calibration put R above them."""
    dist = Distribution("normal", 0, 3)
    (r,) = run([RELU], dist, [3], "percentile:99.4", samples=200_000, seed=5, grid="qformat")
    assert 7 < r.range < 8 and r.grid.top == 7 and r.fixed_point == "Q3.0"
    p = 0.5 * math.erfc(7 / 3 / math.sqrt(2))  # P(z > 7)
    assert abs(r.clipped_fraction - p) < 4.5 * math.sqrt(p * (1 - p) / r.samples)
    exact = clipping_mse_closed_form(0, 3, 7)
    se = math.sqrt((normal_tail_moment(0, 3, 7, 4) - exact**2) / r.samples)
    assert abs(r.clip_mse - exact) < 4.5 * se


def test_split_matches_brute_force_on_the_same_samples():
    """The streamed clipping and rounding sums against the quantiser written out
    plainly on the same draws (the sample stream is the second child of the seed)."""
    dist, n = Distribution("normal", 1, 2), 50_000
    results = run([RELU, RELU6], dist, [3, 8], "percentile:95", samples=n, seed=11)
    z = np.empty(n)
    dist.sample(np.random.default_rng(11).spawn(2)[1], z)
    for r in results:
        y = np.maximum(z, 0) if r.variant is RELU else np.clip(z, 0, 6)
        value = np.clip(np.rint(y / r.step), 0, 2**r.bits - 1) * r.step
        beyond = y > r.grid.top
        assert r.clip_mse == pytest.approx(np.mean(np.where(beyond, value - y, 0) ** 2),
                                           rel=1e-12, abs=1e-300)
        assert r.round_mse == pytest.approx(np.mean(np.where(beyond, 0, value - y) ** 2),
                                            rel=1e-12)
        assert r.mse == r.clip_mse + r.round_mse
        assert r.sqnr_db == pytest.approx(10 * math.log10(np.mean(y * y) / r.mse), rel=1e-12)


def test_calibrated_relu_clipping_matches_its_closed_form():
    """ReLU calibrated at the 99th percentile: every output above R is clipped to R, so
    clip_mse = E[(z - R)²; z > R]; ReLU6's outputs are clipped by the activation itself
    and the quantiser clips nothing. Within 4.5 standard errors of the sample mean."""
    mu, sigma, n = 3.0, 3.0, 400_000
    relu, relu6 = run([RELU, RELU6], Distribution("normal", mu, sigma), [8], "percentile:99",
                      samples=n, seed=7)
    assert relu6.clip_mse == 0 and relu6.clipped_fraction == 0
    r = relu.range
    exact = clipping_mse_closed_form(mu, sigma, r)
    assert exact == pytest.approx(normal_tail_moment(mu, sigma, r, 2), rel=1e-6)
    se = math.sqrt((normal_tail_moment(mu, sigma, r, 4) - exact**2) / n)
    assert abs(relu.clip_mse - exact) < 4.5 * se
    assert relu.clip_share > 0.99  # clipping is almost all of ReLU's error at 8 bits


def test_rounding_part_is_step_squared_over_12_per_interior_output():
    """On Q3.5 (step 1/32, top above 6) ReLU6's rounding MSE is P(0 < z < 6)·step²/12:
    its outputs at 0 and at 6 sit on the grid. X = e²·1{interior} has variance
    p·step⁴/80 - (p·step²/12)²."""
    n = 400_000
    (r,) = run([RELU6], Distribution("normal", 3, 2), [8], samples=n, grid="qformat")
    p = math.erf(1.5 / math.sqrt(2))  # P(|z - 3| < 3) for sd 2
    mean = p * r.step**2 / 12
    se = math.sqrt((p * r.step**4 / 80 - mean**2) / n)
    assert abs(r.round_mse - mean) < 4.5 * se + 0.005 * mean  # + the non-uniformity bias
    assert r.clip_mse == 0


def test_the_bound_helps_with_heavy_tails_and_hurts_on_a_normal():
    """Max-calibrated ReLU against ReLU6 at 8 bits, scale 1: on t(3) one far value sets
    ReLU's R (tens) and ReLU6 wins by far; on t(300) (nearly normal) R is about 4.4 < 6
    and ReLU's finer step wins on rounding (R²/36 of ReLU6's error: at most 0.79 over
    120 seeds). Its SQNR is 2.4 dB better in the median, but a sample beyond the
    calibrated R (1e-5 of them) can cost it that: -0.64 dB at worst over those seeds
    (a 1 dB margin failed 2.5% of runs)."""
    heavy = run([RELU, RELU6], Distribution("t", 0, 1, df=3), [8], samples=100_000)
    light = run([RELU, RELU6], Distribution("t", 0, 1, df=300), [8], samples=100_000)
    assert heavy[0].range > 15 and heavy[1].sqnr_db - heavy[0].sqnr_db > 10
    assert light[0].range < 6 and light[0].round_mse < 0.95 * light[1].round_mse
    assert light[0].sqnr_db - light[1].sqnr_db > -2


def test_sums_do_not_depend_on_the_blas_thread_count():
    """The same run under OPENBLAS_NUM_THREADS=1 and =2 prints the same JSON to the
    last digit (np.dot's threaded partial sums used to change it)."""
    import os
    import subprocess
    import sys

    args = [sys.executable, "-m", "relucli", "quant-sim", "relu", "relu6", "--samples",
            "300000", "--calib-samples", "5000", "--seed", "3", "-q", "--format", "json"]
    outputs = []
    for threads in ("1", "2"):
        env = {**os.environ, "OPENBLAS_NUM_THREADS": threads, "OMP_NUM_THREADS": threads}
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] and '"clip_mse"' in outputs[0]


def test_error_variance_is_step_squared_over_12():
    """For outputs spread over many steps the rounding error is uniform on a step:
    variance step²/12. The estimate's relative standard error is sqrt(0.8/n)."""
    (r,) = run([RELU6], Distribution("normal", 3, 2), [8])
    n_inside = r.samples * 0.85  # about 85% of N(3, 2²) lies inside (0, 6)
    tolerance = 4.5 * math.sqrt(0.8 / n_inside) + 0.005  # + a small non-uniformity bias
    assert abs(r.interior_noise_ratio - 1) < tolerance


def test_sqnr_grows_about_6_dB_per_bit():
    results = run([RELU6], Distribution("normal", 3, 2), [6, 7, 8, 9, 10])
    slope = np.polyfit([r.bits for r in results], [r.sqnr_db for r in results], 1)[0]
    assert slope == pytest.approx(20 * math.log10(2), abs=0.15)  # 6.02 dB


def test_heavy_tails_cost_relu_its_resolution():
    """With max calibration on a Student-t, one huge value sets ReLU's range: at the
    same bits its step, and so its error, is far larger than ReLU6's."""
    relu, relu6 = run([RELU, RELU6], Distribution("t", 0, 1, df=2), [8], samples=100_000)
    assert relu.range > 20 and relu.step > 3 * relu6.step
    assert relu.sqnr_db < relu6.sqnr_db - 5


def test_percentile_calibration_clips_about_that_share():
    (r,) = run([RELU], Distribution("normal", 0, 1), [8], calibration="percentile:99",
               samples=200_000)
    assert r.range_source == "percentile 99"
    se = math.sqrt(0.01 * 0.99 / 200_000) + math.sqrt(0.01 * 0.99 / 100_000)  # test + calibration
    assert abs(r.clipped_fraction - 0.01) < 4.5 * se
    assert r.codes_used <= r.codes


def test_same_seed_same_numbers():
    a = run([RELU, RELU6], Distribution("outliers", 0, 1), [4], samples=10_000, seed=3)
    b = run([RELU, RELU6], Distribution("outliers", 0, 1), [4], samples=10_000, seed=3)
    assert [r.mse for r in a] == [r.mse for r in b]


@pytest.mark.parametrize("bits, calibration, message", [
    ([0], "max", "--bits"), ([17], "max", "--bits"), ([4], "median", "--calibrate"),
    ([4], "percentile:0", "--calibrate"), ([4], "percentile:x", "--calibrate"),
])
def test_bad_settings(bits, calibration, message):
    with pytest.raises(UsageError, match=message):
        run([RELU], Distribution(), bits, calibration, samples=100)


def test_outputs_that_are_never_positive_cannot_be_calibrated():
    with pytest.raises(UsageError, match="range of 0"):
        run([RELU], Distribution("normal", -100, 1), [4], samples=100)


def test_cli_json_and_plot(relu, tmp_path):
    out = relu("quant-sim", "--samples", "20000", "--calib-samples", "5000", "--bits", "4:6",
               "--seed", "2", "--format", "json", "-o", str(tmp_path / "q.png"))
    assert out.code == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["command"] == "quant-sim" and doc["params"]["bits"] == [4, 5, 6]
    assert [(r["variant"], r["bits"]) for r in doc["results"]] == [
        ("relu", 4), ("relu", 5), ("relu", 6), ("relu6", 4), ("relu6", 5), ("relu6", 6)]
    assert doc["params"]["grid"] == "affine" and doc["results"][3]["fixed_point"] is None
    assert doc["results"][5]["scale"] == 6 / 63 and doc["results"][5]["zero_point"] == 0
    assert all(r["mse"] == r["clip_mse"] + r["round_mse"] for r in doc["results"])
    assert (tmp_path / "q.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("args, message", [(["--bits", "0"], "--bits"), (["--std", "0"], "--std"),
                                            (["--dist", "t", "--df", "-1"], "--df"),
                                            (["--calibrate", "p99"], "--calibrate"),
                                            (["--outlier-share", "2", "--dist", "outliers"], "--outlier-share"),
                                            # squared errors overflowed into an internal error
                                            (["--std", "1e300"], "scale-free"),
                                            (["--std", "1e-160"], "--std must be at least 1e-100"),
                                            (["--sweep", "std=1e-300,1"], "scale-free"),
                                            (["--sweep", "std=1,2", "--sweep", "mean=1,2"], "one option at a time")])
def test_cli_bad_input(relu, args, message):
    out = relu("quant-sim", "--samples", "100", *args)
    assert out.code == 2 and message in out.stderr and out.stderr.count("\n") == 1


def test_cli_sweep_of_df_gives_rows_per_value_and_the_crossover(relu):
    """--sweep df: one record per (df, variant, bits), the same seed for every df, and
    the crossover where max-calibrated ReLU stops losing to ReLU6 (heavy tails) and
    starts winning (nearly normal, R < 6)."""
    out = relu("quant-sim", "--dist", "t", "--std", "1", "--sweep", "df=2,4,300", "--bits", "8",
               "--samples", "50000", "--seed", "4", "-q", "--format", "json")
    assert out.code == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["sweep"]["name"] == "df" and doc["sweep"]["values"] == [2, 4, 300]
    rows = {(r["sweep_value"], r["variant"]): r for r in doc["results"]}
    assert len(doc["results"]) == 6
    assert rows[(2, "relu6")]["sqnr_db"] > rows[(2, "relu")]["sqnr_db"] + 10
    assert rows[(300, "relu")]["sqnr_db"] > rows[(300, "relu6")]["sqnr_db"]
    (crossing,) = doc["sweep"]["crossovers"]
    assert crossing["bits"] == 8 and crossing["variants"] == ["relu", "relu6"]
    assert len(crossing["at"]) == 1 and 4 < crossing["at"][0] < 300


@pytest.mark.parametrize("args, message", [
    (["--sweep", "df=1:30:30"], "--sweep df needs --dist t"),
    (["--sweep", "bits=1,2"], "quant-sim can sweep mean, std, df"),
    (["--sweep", "std=1:2"], "START:STOP:NUM"),
    (["--sweep", "std=1:2:0"], "--sweep NUM"),
    (["--sweep", "std"], "NAME=START:STOP:NUM"),
    (["--sweep", "std=1,2", "--std", "3"], "--std"),
    (["--grid", "log"], "--grid"),
])
def test_cli_bad_sweep_or_grid(relu, args, message):
    out = relu("quant-sim", "--samples", "100", "-q", *args)
    assert out.code == 2 and message in out.stderr and out.stderr.count("\n") == 1, out.stderr
