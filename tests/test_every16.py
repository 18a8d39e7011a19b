"""Every float16 and bfloat16 input, through every variant, against PyTorch and mpmath.

The data comes from tests/golden/make_every16.py (torch 2.13.0, mpmath at 50 digits);
these tests never import torch. The inputs are the 65,536 bit patterns of each type.
Piecewise-linear variants: bit for bit PyTorch's results (±0 equal as numbers, NaN in,
NaN out). Smooth variants: the correctly rounded exact value and derivative, except
where the float64 value relucli rounds from is itself a tie (bfloat16 subnormals, where
f(x) = x/2 to 1e-40 relative): there it rounds to even, one ulp off, and those inputs are
listed and counted.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from relucli import dtypes, engine

GOLDEN = Path(__file__).parent / "golden"
DATA = np.load(GOLDEN / "every16.npz")
META = json.loads((GOLDEN / "every16.json").read_text())
PIECEWISE = [c for c in META["cases"] if not c["smooth"]]
SMOOTH = [c for c in META["cases"] if c["smooth"]]
DTYPES = ["float16", "bfloat16"]


def every_input(dtype_name: str) -> np.ndarray:
    return np.arange(65536, dtype=np.uint16).view(dtypes.resolve(dtype_name))


def as_numbers(values: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return values.astype(np.float64)


def mismatches(ours: np.ndarray, reference_bits: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Indices of non-NaN inputs where ``ours`` differs from the reference as a number,
    or by its bits where the number is not zero."""
    assert ours.dtype == x.dtype and ours.shape == reference_bits.shape
    a, b = as_numbers(ours), as_numbers(reference_bits.view(x.dtype))
    same = (a == b) | (np.isnan(a) & np.isnan(b))
    nonzero = (b != 0) & ~np.isnan(b)
    same &= ~nonzero | (ours.view(np.uint16) == reference_bits)
    return np.flatnonzero(~same & ~np.isnan(as_numbers(x)))


def test_the_data_covers_every_bit_pattern():
    assert META["torch_version"].startswith("2.13.0")
    for name in DTYPES:
        x = as_numbers(every_input(name))
        assert np.isnan(x).sum() == (2046 if name == "float16" else 254)
        assert np.isposinf(x).sum() == 1 and np.isneginf(x).sum() == 1
        assert (x == 0).sum() == 2
    variants = {c["variant"] for c in META["cases"]}
    from relucli.variants import VARIANTS

    assert variants == {v.name for v in VARIANTS}, "every variant at its defaults, at least"


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", PIECEWISE, ids=lambda c: c["name"])
def test_piecewise_linear_variants_are_pytorch_bit_for_bit(dtype, case):
    x = every_input(dtype)
    result = engine.evaluate(case["variant"], x, **case["params"])
    for what, ours in (("y", result.y), ("grad", result.grad)):
        bad = mismatches(ours, DATA[f"{dtype}/{case['name']}/{what}"], x)
        assert bad.size == 0, (what, as_numbers(x[bad[:3]]), as_numbers(ours[bad[:3]]))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", SMOOTH, ids=lambda c: c["name"])
def test_smooth_variants_are_correctly_rounded(dtype, case):
    x = every_input(dtype)
    result = engine.evaluate(case["variant"], x, **case["params"])
    for what, ours in (("y", result.y), ("grad", result.grad)):
        correct = DATA[f"{dtype}/{case['name']}/{what}_exact"]
        ties = DATA[f"{dtype}/{case['name']}/{what}_ties"]
        bad = mismatches(ours, correct, x)
        assert set(bad) <= set(ties), (what, as_numbers(x[bad[:3]]), as_numbers(ours[bad[:3]]))
        if ties.size:  # at a float64 tie: rounded to even, so one of the two neighbours
            tied = ours[ties].astype(np.float64)
            nearest = correct.view(x.dtype)[ties].astype(np.float64)
            assert np.all(np.abs(tied - nearest) <= np.abs(nearest) + 2 * np.abs(tied))
            assert np.all(np.abs(as_numbers(x[ties])) < 2 * float(dtypes.finfo(x.dtype).smallest_normal))


def test_ties_are_only_bfloat16_subnormals_of_three_variants():
    tied = {k.split("/")[1] for k in DATA.files if k.endswith("_ties") and DATA[k].size}
    assert {k.split("/")[0] for k in DATA.files if k.endswith("_ties") and DATA[k].size} == {"bfloat16"}
    assert tied <= {"elu_0.5", "gelu", "gelu_tanh", "silu"}


@pytest.mark.parametrize("dtype", DTYPES)
def test_prelu_per_channel_on_every_input(dtype):
    x = every_input(dtype)
    columns = np.repeat(x.view(np.uint16)[:, None], len(META["prelu_channels"]), axis=1).view(x.dtype)
    result = engine.evaluate("prelu", columns, alpha=META["prelu_channels"])
    for what, ours in (("y", result.y), ("grad", result.grad)):
        reference = DATA[f"{dtype}/prelu_channels/{what}"].reshape(columns.shape)
        bad = mismatches(ours.ravel(), reference.ravel(), columns.ravel())
        assert bad.size == 0, what


@pytest.mark.parametrize("dtype", DTYPES)
def test_prelu_alpha_gradient_is_the_exact_sum_correctly_rounded(dtype):
    x = every_input(dtype)
    small = x[np.abs(as_numbers(x)) < 4]
    channels = META["prelu_channels"]
    columns = np.repeat(small.view(np.uint16)[:, None], len(channels), axis=1).view(x.dtype)
    ours = engine.evaluate("prelu", columns, alpha=channels).grad_params["alpha"]
    assert ours.dtype == x.dtype
    exact = sum(Fraction(float(v)) for v in as_numbers(small) if v < 0)
    below = np.array(float(exact)).astype(x.dtype)  # a float64 rounding, then checked:
    candidates = [below, np.nextafter(below, np.array(-np.inf, x.dtype)),
                  np.nextafter(below, np.array(np.inf, x.dtype))]
    best = min(candidates, key=lambda c: abs(Fraction(float(c)) - exact))
    assert np.all(as_numbers(ours) == float(best))
    torch_sum = as_numbers(DATA[f"{dtype}/prelu_channels/alpha_grad_small"].view(x.dtype))
    spacing = float(np.spacing(np.float32(abs(float(best)))))  # PyTorch adds in float32
    assert np.all(np.abs(torch_sum - float(best)) <= 4 * spacing * len(small) ** 0.5 + 2 * abs(float(best)) * 2.0 ** -8)


def test_bfloat16_is_correctly_rounded_but_at_448_ties():
    x = every_input("bfloat16")
    off = 0
    for case in SMOOTH:
        result = engine.evaluate(case["variant"], x, **case["params"])
        for what, ours in (("y", result.y), ("grad", result.grad)):
            off += mismatches(ours, DATA[f"bfloat16/{case['name']}/{what}_exact"], x).size
    assert off == 448  # the README's count


README = (Path(__file__).parent.parent / "README.md").read_text()
EXAMPLE_VARIANTS = {
    "Sigmoid gradient": ("sigmoid", {}), "Tanh gradient": ("tanh", {}), "GELU": ("gelu", {}),
    "SiLU": ("silu", {}), "Mish gradient": ("mish", {}),
    "CELU(alpha=0.3) gradient": ("celu", {"alpha": 0.3}),
    "GELU(approximate='tanh') gradient": ("gelu", {"approximate": "tanh"}),
}


@pytest.mark.parametrize("example", META["accuracy_examples"], ids=lambda e: e["what"])
def test_readme_accuracy_table_row(example):
    """PyTorch's value from the data, relucli's computed now, the row as printed."""
    from relucli.render.numbers import format_number

    dtype = dtypes.resolve(example["dtype"])
    x = np.array([example["x"]]).astype(dtype)
    variant, params = EXAMPLE_VARIANTS[example["what"]]
    result = engine.evaluate(variant, x, **params)
    ours = (result.y if example["output"] == "y" else result.grad)[0]
    theirs = np.array([example["torch"]]).astype(dtype)[0]
    assert format_number(ours) != format_number(theirs)
    row = (f"| {example['what']} | {example['dtype']} | {format_number(x[0])} | "
           f"{format_number(theirs)} | {format_number(ours)} |")
    assert row in README


def test_readme_quotes_the_pytorch_summary_and_the_constants():
    summary = META["torch_smooth"]
    sigmoid = summary["float16"]["sigmoid"]["grad"]
    assert (f"at {sigmoid['not_correctly_rounded']:,} of the {sigmoid['inputs']:,} float16 "
            f"inputs (up to {sigmoid['max_ulps_of_numbers']:,} ulps") in " ".join(README.split())
    gelu_tanh = summary["bfloat16"]["gelu_tanh"]["grad"]
    assert f"NaN at {gelu_tanh['nan_for_a_number']:,} inputs" in " ".join(README.split())
    constants = META["constant_sensitivity"]
    assert f"up to {round(constants['gelu_tanh']['max_ulps']):,} ulp" in " ".join(README.split())
    assert constants["selu"]["max_ulps"] <= 1
