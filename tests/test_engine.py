"""The engine against PyTorch's golden values, and its properties.

The golden data comes from tests/golden/make_golden.py (torch 2.13.0); these tests
never import torch. Values and gradients must be equal bit for bit on every input
that is not NaN (the sign of a zero may differ); at NaN, relucli's documented
convention is NaN for both the value and the gradient.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from relucli import engine, variants
from relucli.errors import InputError, ParameterError

GOLDEN = Path(__file__).parent / "golden"
DATA = np.load(GOLDEN / "torch_golden.npz")
META = json.loads((GOLDEN / "torch_golden.json").read_text())
CASES = [c for c in META["cases"] if c["exact"]]
SMOOTH = [c for c in META["cases"] if not c["exact"]]
DTYPES = ["float16", "float32", "float64"]


def case_input(dtype: str, case: dict) -> np.ndarray:
    return DATA[f"{dtype}/x"] if case["input"] == "x" else DATA[f"{dtype}/{case['name']}/x"]


def assert_bits_equal(ours: np.ndarray, ref: np.ndarray, x: np.ndarray) -> None:
    """Equal as numbers (so +0 == -0) where x is not NaN, both NaN where x is NaN."""
    assert ours.dtype == ref.dtype and ours.shape == ref.shape
    finite_in = ~np.isnan(x)
    same = (ours == ref) | (np.isnan(ours) & np.isnan(ref))
    bad = np.flatnonzero(~same & finite_in)
    assert bad.size == 0, (
        f"{bad.size} mismatches, e.g. x={x.ravel()[bad[:3]]} ours={ours.ravel()[bad[:3]]} "
        f"torch={ref.ravel()[bad[:3]]}"
    )
    # bit for bit: compare the raw bits of non-zero results too
    nonzero = finite_in & (ref != 0) & ~np.isnan(ref)
    uint = {2: np.uint16, 4: np.uint32, 8: np.uint64}[ours.dtype.itemsize]
    assert np.array_equal(ours[nonzero].view(uint), ref[nonzero].view(uint))


def test_golden_data_is_what_we_think():
    assert META["torch_version"].startswith("2.13.0")
    x = DATA["float32/x"]
    assert np.isinf(x).sum() == 2 and np.isnan(x).sum() == 0
    assert (x == 0).sum() >= 2 and (x == 6).sum() >= 1
    assert np.any(x == np.nextafter(np.float32(6), np.float32(7)))
    assert np.any((x != 0) & (np.abs(x) < np.finfo(np.float32).smallest_normal))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_values_match_pytorch_bit_for_bit(dtype, case):
    x = case_input(dtype, case)
    result = engine.evaluate(case["variant"], x, **case["params"])
    assert result.y.dtype == np.dtype(dtype)
    reference = DATA[f"{dtype}/{case['name']}/y"]
    if case["variant"] == "generalized_relu" and dtype == "float16":
        # PyTorch has no such function: the golden data composes torch ops, each of
        # which rounds to float16; relucli rounds once from float32, like PyTorch's
        # own fused kernels. So here: within one float16 ulp.
        with np.errstate(invalid="ignore", over="ignore"):
            close = np.abs(result.y.astype(np.float64) - reference) <= np.spacing(
                np.abs(reference).astype(np.float16)).astype(np.float64)
        assert np.all(close | np.isnan(x) | (result.y == reference))
        return
    assert_bits_equal(result.y, reference, x)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_gradients_match_pytorch_bit_for_bit(dtype, case):
    x = case_input(dtype, case)
    result = engine.evaluate(case["variant"], x, **case["params"])
    reference = DATA[f"{dtype}/{case['name']}/grad"]
    if case["variant"] == "generalized_relu":
        # composed from torch.where and clamp, whose gradient at the threshold and the
        # cap is 1; relucli's stated convention there is 0
        p = case["params"]
        at_kink = x == np.float64(p["threshold"]).astype(x.dtype)
        if np.isfinite(p["max_value"]):  # no cap: +inf is no kink, its gradient is 1
            at_kink |= x == np.float64(p["max_value"]).astype(x.dtype)
        assert np.all(result.grad[at_kink] == 0)
        reference = np.where(at_kink, 0, reference).astype(reference.dtype)
    assert_bits_equal(result.grad, reference, x)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", [c for c in CASES if c["input"] == "own"], ids=lambda c: c["name"])
def test_prelu_alpha_gradient_matches_pytorch(dtype, case):
    x = case_input(dtype, case)
    ours = engine.evaluate("prelu", x, **case["params"]).grad_params["alpha"]
    ref = DATA[f"{dtype}/{case['name']}/alpha_grad"]
    assert ours.dtype == ref.dtype and ours.shape == ref.shape
    # a sum: the order of additions may differ from PyTorch's, so allow rounding
    finite = np.isfinite(ref)
    assert np.array_equal(np.isinf(ours), np.isinf(ref))
    scale = np.abs(np.minimum(x, 0)).sum(axis=tuple(a for a in range(x.ndim) if a != 1))
    tolerance = 4 * np.finfo(x.dtype).eps * scale
    assert np.all(np.abs(ours[finite].astype(float) - ref[finite]) <= tolerance[finite])


# Smooth functions (Sigmoid, Tanh, ELU, SELU, CELU, GELU, SiLU, Mish, Softplus) -------
# Not bit for bit: checked against the mathematical value (mpmath, 50 digits, stored by
# make_golden.py) and against PyTorch where PyTorch is itself accurate. PyTorch takes
# several gradients from the rounded output ((1 - y)·y, 1 - y²), which loses every digit
# in the tails, and its float32 GELU collapses to -0.0 below about -5.5; relucli
# computes from the input, in float64 for float32 and in long double for float64.


def _ulps(ours, reference, dtype):
    """Distance in units in the last place of ``dtype`` (reference rounded to it)."""
    with np.errstate(all="ignore"):
        ref = reference.astype(dtype)
        finite = np.isfinite(ref)
        tiny = np.finfo(dtype).smallest_subnormal
        spacing = np.spacing(np.maximum(np.abs(np.where(finite, ref, 1)), tiny).astype(dtype))
        distance = np.abs(ours.astype(np.float64) - ref.astype(np.float64)) / spacing.astype(np.float64)
    distance[(ours == ref) | (np.isnan(ours) & np.isnan(ref))] = 0
    return distance


#: float64 is computed in long double where the platform has a wider one (x86); where
#: it has not (many ARM builds), chained float64 operations leave a few ulp.
FLOAT64_ULPS = 1 if engine.WIDE_FLOAT is not np.float64 else 8


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", SMOOTH, ids=lambda c: c["name"])
def test_smooth_functions_are_within_one_ulp_of_the_exact_value(dtype, case):
    x = DATA[f"{dtype}/x"]
    result = engine.evaluate(case["variant"], x, **case["params"])
    assert result.y.dtype == np.dtype(dtype)
    limit = 1 if dtype == "float32" else FLOAT64_ULPS
    for what, ours in (("y", result.y), ("grad", result.grad)):
        exact = DATA[f"{dtype}/{case['name']}/{what}_exact"]
        distance = _ulps(ours, exact, np.dtype(dtype))
        if limit > 1:  # near a zero of the derivative the cancellation is not ours to fix
            distance = np.where(np.abs(exact) < 1e-3, np.minimum(distance, limit), distance)
        worst = int(np.argmax(distance))
        assert distance[worst] <= limit, (what, x[worst], ours[worst], exact[worst])


@pytest.mark.parametrize("case", SMOOTH, ids=lambda c: c["name"])
def test_smooth_float16_is_rounded_once_from_float64(case):
    x = DATA["float16/x"]
    half = engine.evaluate(case["variant"], x, **case["params"])
    wide = engine.evaluate(case["variant"], x.astype(np.float64), **case["params"])
    with np.errstate(over="ignore"):
        assert np.array_equal(half.y, wide.y.astype(np.float16), equal_nan=True)
        assert np.array_equal(half.grad, wide.grad.astype(np.float16), equal_nan=True)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", SMOOTH, ids=lambda c: c["name"])
def test_smooth_functions_agree_with_pytorch_where_pytorch_is_accurate(dtype, case):
    x = DATA[f"{dtype}/x"]
    result = engine.evaluate(case["variant"], x, **case["params"])
    for what, ours in (("y", result.y), ("grad", result.grad)):
        torch_values = DATA[f"{dtype}/{case['name']}/{what}"]
        exact = DATA[f"{dtype}/{case['name']}/{what}_exact"]
        accurate = _ulps(torch_values, exact, np.dtype(dtype)) <= 1
        assert accurate.mean() > 0.2
        assert _ulps(ours[accurate], torch_values[accurate].astype(np.float64),
                     np.dtype(dtype)).max() <= 2


def test_smooth_gradients_do_not_collapse_in_the_tails():
    x = np.array([-30.0, -12.0, 12.0, 30.0], dtype=np.float32)
    assert np.all(engine.gradient("tanh", x[1:3]) > 0)  # PyTorch: 0 beyond |x| = 9
    assert np.all(engine.gradient("sigmoid", x) > 0)
    assert engine.gradient("sigmoid", np.array([-100.0]))[0] == pytest.approx(np.exp(-100.0), rel=1e-15)


def test_prelu_channel_example_from_the_issue():
    x = np.array([-2, -0.5, 0, 1.5, 3, -1, -0.0, -4, 0.25, -0.25, 2, -3, 1, -6, 0.5, -0.0,
                  -2.5, 0, 1, 2, -1.5, 4, -0.75, 0]).reshape(2, 3, 4)
    result = engine.evaluate("prelu", x, alpha=[0.25, -0.5, 1.5])
    assert result.grad_params["alpha"].tolist() == [-8.5, -7.5, -5.5]
    assert result.y[0, 1, 3] == -4 * -0.5 and result.grad[1, 2, 0] == 1.5


@pytest.mark.parametrize("variant", ["relu", "leaky_relu", "prelu", "rrelu", "relu6", "sigmoid", "tanh"])
def test_nan_in_gives_nan_value_and_gradient(variant):
    x = np.array([np.nan, 1.0, -1.0], dtype=np.float32)
    result = engine.evaluate(variant, x)
    assert np.isnan(result.y[0]) and np.isnan(result.grad[0])
    assert not np.isnan(result.y[1:]).any() and not np.isnan(result.grad[1:]).any()


def test_infinities_follow_the_formulas():
    x = np.array([-np.inf, np.inf], dtype=np.float32)
    assert engine.forward("relu", x).tolist() == [0, np.inf]
    assert engine.forward("leaky_relu", x).tolist() == [-np.inf, np.inf]
    assert engine.forward("relu6", x).tolist() == [0, 6]
    assert engine.gradient("leaky_relu", x, negative_slope=0.2).tolist() == [np.float32(0.2), 1]


@pytest.mark.parametrize("slope", [0.01, 0.0, -0.5, 1.0, 1.7, -3.0, 1e-30])
def test_leaky_any_real_slope(slope):
    x = np.array([-4.0, -1.0, -0.0, 0.0, 2.0, 5.0])
    y = engine.forward("leaky_relu", x, negative_slope=slope)
    expected = np.array([v if v > 0 else slope * v for v in x])
    assert np.array_equal(y, expected)
    g = engine.gradient("leaky_relu", x, negative_slope=slope)
    assert g.tolist() == [slope, slope, slope, slope, 1, 1]


def test_rrelu_eval_is_leaky_with_mean_slope():
    x = np.linspace(-5, 5, 101, dtype=np.float32)
    assert np.array_equal(engine.forward("rrelu", x), engine.forward("leaky_relu", x, negative_slope=11 / 48))
    assert engine.forward("rrelu", np.array([-48.0]))[0] == -11.0


def test_rrelu_training_uses_the_same_slopes_forward_and_backward():
    x = np.array([-1.0, -2.0, 0.0, -np.inf, 3.0, -0.5] * 100)
    r = engine.evaluate("rrelu", x, training=True, rng=np.random.default_rng(5), lower=0.1, upper=0.3)
    negative = x <= 0
    assert np.all((r.grad[negative] >= 0.1) & (r.grad[negative] <= 0.3))
    assert np.all(r.grad[~negative] == 1)
    finite = negative & np.isfinite(x)
    assert np.array_equal(r.y[finite], x[finite] * r.grad[finite])
    assert np.all(r.y[x == -np.inf] == -np.inf)
    assert len(np.unique(r.grad[negative])) > 100  # one slope per element
    assert r.mode == "train" and np.array_equal(r.slopes[negative], r.grad[negative])


def test_rrelu_training_same_seed_same_numbers():
    x = np.linspace(-3, 3, 50)
    a = engine.evaluate("rrelu", x, training=True, rng=np.random.default_rng(42))
    b = engine.evaluate("rrelu", x, training=True, rng=np.random.default_rng(42))
    c = engine.evaluate("rrelu", x, training=True, rng=np.random.default_rng(43))
    assert np.array_equal(a.y, b.y) and np.array_equal(a.grad, b.grad)
    assert not np.array_equal(a.y, c.y)


def test_rrelu_training_needs_a_generator_and_only_rrelu_trains():
    with pytest.raises(ParameterError, match="random generator"):
        engine.evaluate("rrelu", [1.0], training=True)
    with pytest.raises(ParameterError, match="no training mode"):
        engine.evaluate("relu", [1.0], training=True, rng=np.random.default_rng(0))


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_float_dtypes_are_kept(dtype):
    r = engine.evaluate("prelu", np.ones(3, dtype=dtype), alpha=0.1)
    assert r.y.dtype == dtype and r.grad.dtype == dtype and r.grad_params["alpha"].dtype == dtype


@pytest.mark.parametrize("values", [[1, -2, 3], [True, False], np.arange(3, dtype=np.uint8)])
def test_integers_become_float64(values):
    assert engine.forward("relu", values).dtype == np.float64


@pytest.mark.parametrize("values", [np.array([1 + 2j]), np.array(["a"]), np.array([object()])])
def test_other_dtypes_are_refused(values):
    with pytest.raises(InputError, match="dtype"):
        engine.forward("relu", values)


def test_prelu_alpha_must_match_channels():
    with pytest.raises(ParameterError, match="alpha has 2 values but the input has 3 channels"):
        engine.forward("prelu", np.zeros((4, 3, 5)), alpha=[0.1, 0.2])
    with pytest.raises(ParameterError, match="1-D input"):
        engine.forward("prelu", np.zeros(4), alpha=[0.1, 0.2])


def test_out_arrays_receive_results_and_in_place_works():
    x = np.linspace(-3, 8, 200_001).astype(np.float32)  # several blocks
    expected = engine.evaluate("relu6", x)
    y, g = np.empty_like(x), np.empty_like(x)
    r = engine.evaluate("relu6", x, out=y, grad_out=g)
    assert r.y is y and r.grad is g
    assert np.array_equal(y, expected.y) and np.array_equal(g, expected.grad)
    inplace = x.copy()
    r = engine.evaluate("leaky_relu", inplace, out=inplace, negative_slope=-0.5)
    assert r.y is inplace
    assert np.array_equal(inplace, engine.forward("leaky_relu", x, negative_slope=-0.5))
    assert np.array_equal(r.grad, engine.gradient("leaky_relu", x, negative_slope=-0.5))


@pytest.mark.parametrize("layout", ["C", "F", "strided", "in place"])
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_relu6_gradient_is_one_on_the_open_interval_in_any_layout(layout, dtype):
    rng = np.random.default_rng(6)
    x = (rng.standard_normal((700, 500)) * 5 + 3).astype(dtype)  # several blocks
    # special values in every third column, so that the strided view keeps them too
    x[0, :18:3] = [0.0, 6.0, -0.0, np.inf, -np.inf, np.nan]
    x[-1, 492::3] = [np.nan, np.finfo(dtype).smallest_subnormal, np.nextafter(dtype(6), dtype(0))]
    if layout == "F":
        x = np.asfortranarray(x)
    elif layout == "strided":
        x = x[:, ::3]
    expected = np.where((x > 0) & (x < 6), 1.0, 0.0).astype(dtype)
    expected[np.isnan(x)] = np.nan
    if layout == "in place":
        result = engine.gradient("relu6", x, out=x)
        assert result is x
    else:
        result = engine.gradient("relu6", x)
    assert result.dtype == dtype
    assert np.array_equal(result, expected, equal_nan=True)
    assert not np.signbit(result[~np.isnan(result)]).any()  # no -0


def test_out_with_wrong_shape_or_dtype_is_refused():
    x = np.zeros(4, dtype=np.float32)
    with pytest.raises(InputError, match="expected shape"):
        engine.forward("relu", x, out=np.zeros(4))
    with pytest.raises(InputError, match="expected shape"):
        engine.forward("relu", x, out=np.zeros(5, dtype=np.float32))


def test_blocked_and_unblocked_agree_on_nd_and_strided_input():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((300, 7, 50)).astype(np.float32)[:, ::2]  # strided, > 1 block
    for variant, params in [("leaky_relu", {"negative_slope": -0.3}), ("relu6", {}),
                            ("prelu", {"alpha": [0.1, -0.2, 0.3, 0.4]})]:
        r = engine.evaluate(variant, x, **params)
        ref = engine.evaluate(variant, np.ascontiguousarray(x).reshape(-1) if variant != "prelu" else x.copy(), **params)
        assert np.array_equal(r.y.reshape(-1), ref.y.reshape(-1))
        assert np.array_equal(r.grad.reshape(-1), ref.grad.reshape(-1))


def test_rrelu_training_slopes_are_sliced_with_blocks():
    x = -np.ones(300_000)
    r = engine.evaluate("rrelu", x, training=True, rng=np.random.default_rng(3))
    assert np.array_equal(r.y, -r.slopes)


# Properties ---------------------------------------------------------------------------

floats32 = hnp.arrays(np.float32, st.integers(1, 300),
                      elements=st.floats(width=32, allow_nan=False))


@settings(max_examples=200, deadline=None)
@given(floats32)
def test_relu6_output_in_0_6(x):
    y = engine.forward("relu6", x)
    assert np.all((y >= 0) & (y <= 6))


@settings(max_examples=200, deadline=None)
@given(floats32, st.floats(0, 1), st.floats(0, 1))
def test_rrelu_eval_equals_leaky_with_mean_slope(x, a, b):
    lower, upper = min(a, b), max(a, b)
    assert np.array_equal(
        engine.forward("rrelu", x, lower=lower, upper=upper),
        engine.forward("leaky_relu", x, negative_slope=(lower + upper) / 2),
        equal_nan=True,
    )


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["relu", "leaky_relu", "prelu", "rrelu", "relu6"]),
       st.floats(-50, 50, allow_nan=False).filter(lambda v: min(abs(v), abs(v - 6)) > 1e-3),
       st.floats(-2, 2))
def test_gradient_is_central_difference_away_from_kinks(variant, x, slope):
    params = {"leaky_relu": {"negative_slope": slope}, "prelu": {"alpha": slope}}.get(variant, {})
    h = 1e-6
    xs = np.array([x - h, x + h])
    y = engine.forward(variant, xs, **params)
    numeric = (y[1] - y[0]) / (2 * h)
    analytic = engine.gradient(variant, np.array([x]), **params)[0]
    assert abs(numeric - analytic) <= 1e-6 * max(1.0, abs(analytic))


@settings(max_examples=200, deadline=None)
@given(floats32, st.floats(-10, 10))
def test_leaky_matches_the_definition(x, slope):
    s = np.float32(slope)
    with np.errstate(over="ignore", invalid="ignore"):
        expected = np.array([v if v > 0 else v * s for v in x], dtype=np.float32)
    assert np.array_equal(engine.forward("leaky_relu", x, negative_slope=slope), expected, equal_nan=True)


@pytest.mark.parametrize("threads", ["1", "2", "3"])
def test_threads_and_blocks_give_the_same_numbers(monkeypatch, threads):
    rng = np.random.default_rng(2)
    x = (rng.standard_normal(10_007) * 8).astype(np.float32)
    x[:4] = [0.0, 6.0, np.nan, -np.inf]
    cases = [("relu", {}), ("leaky_relu", {"negative_slope": -0.3}), ("relu6", {}), ("rrelu", {}),
             ("prelu", {"alpha": 0.2})]
    whole = {name: engine.evaluate(name, x, **p) for name, p in cases}  # one block, one thread
    monkeypatch.setenv("RELU_THREADS", threads)
    monkeypatch.setattr(engine, "THREAD_MIN_ELEMENTS", 1000)
    monkeypatch.setattr(engine, "BLOCK_ELEMENTS", 256)
    shares = []
    run_share = engine._run_share
    monkeypatch.setattr(engine, "_run_share", lambda *a: shares.append(a[4:6]) or run_share(*a))
    for name, p in cases:
        # threads only write into outputs the caller gave (see THREAD_MIN_ELEMENTS)
        r = engine.evaluate(name, x, out=np.empty_like(x), grad_out=np.empty_like(x), **p)
        assert np.array_equal(r.y, whole[name].y, equal_nan=True)
        assert np.array_equal(r.grad, whole[name].grad, equal_nan=True)
        allocated = engine.evaluate(name, x, **p)
        assert np.array_equal(allocated.grad, whole[name].grad, equal_nan=True)
    if threads == "1":
        assert shares == []
    else:  # each call with outputs split the rows in contiguous shares, one per thread
        blocked = [k for name, _ in cases for k in (variants.get(name).forward,
                                                     variants.get(name).gradient)
                   if not getattr(k, "single_pass", False)]
        assert len(shares) == len(blocked) * int(threads)
        assert sorted(set(shares))[0][0] == 0 and sorted(set(shares))[-1][1] == x.shape[0]
    t = engine.evaluate("rrelu", x, training=True, rng=np.random.default_rng(1))
    negative = x <= 0
    assert np.array_equal(t.grad[negative], t.slopes[negative])
    assert np.array_equal(t.y[negative & np.isfinite(x)], (x * t.slopes)[negative & np.isfinite(x)])
