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


def run(variants, dist, bits, calibration="max", samples=400_000, seed=None):
    return quant.quantise_variants(variants, {}, dist, bits, calibration, samples,
                                   np.random.default_rng(seed))


@pytest.mark.parametrize("range_, bits", [(6, 3), (8, 4), (7.99, 3), (1, 1), (0.5, 0), (100, 7)])
def test_integer_bits(range_, bits):
    assert quant.integer_bits(range_) == bits


def test_relu6_uses_its_bound_and_fits_q3():
    results = run([RELU6], Distribution("normal", 3, 3), [4, 6, 8], samples=20_000)
    assert [r.range for r in results] == [6, 6, 6]
    assert [r.range_source for r in results] == ["bound"] * 3
    assert [r.fixed_point for r in results] == ["Q3.1", "Q3.3", "Q3.5"]
    assert [r.step for r in results] == [6 / 15, 6 / 63, 6 / 255]
    assert all(r.clipped_fraction == 0 for r in results)


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
    assert doc["results"][3]["fixed_point"] == "Q3.1"
    assert (tmp_path / "q.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("args, message", [(["--bits", "0"], "--bits"), (["--std", "0"], "--std"),
                                            (["--dist", "t", "--df", "-1"], "--df"),
                                            (["--calibrate", "p99"], "--calibrate"),
                                            (["--outlier-share", "2", "--dist", "outliers"], "--outlier-share")])
def test_cli_bad_input(relu, args, message):
    out = relu("quant-sim", "--samples", "100", *args)
    assert out.code == 2 and message in out.stderr and out.stderr.count("\n") == 1
