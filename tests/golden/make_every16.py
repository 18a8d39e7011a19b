"""Every 16-bit input: PyTorch's results and the correctly rounded exact values.

For float16 and bfloat16, each of the 65,536 bit patterns (±0, subnormals, ±inf, NaNs)
goes through every variant at its defaults and at a few other parameters. Run it only
to regenerate the data (the tests never import torch):

    python -m venv /tmp/torchenv
    /tmp/torchenv/bin/pip install torch==2.13.0 numpy mpmath ml_dtypes
    /tmp/torchenv/bin/python tests/golden/make_every16.py

It writes ``tests/golden/every16.npz``: for each dtype and case, PyTorch's value and
gradient (``DTYPE/CASE/y``, ``.../grad``) as raw ``uint16`` bit patterns, the input being
``np.arange(65536, dtype=np.uint16)`` viewed as the dtype; for the smooth variants the
exact value and derivative (mpmath, 50 digits) correctly rounded to the dtype
(``.../y_exact``, ``.../grad_exact``) with the indices where the float64 value of the
exact result is a tie between two 16-bit neighbours (``.../y_ties``): there the float64
value does not tell which neighbour is nearer, the 50-digit value does;
where the float64 value is a tie, the 50-digit value decides (a relucli computing
in float64 rounds those to even); for PReLU per channel, the alpha gradient over the inputs with |x| < 4. ``every16.json``
lists the cases, how far PyTorch's smooth results are from correctly rounded, PyTorch's
values at the examples of the README's accuracy table, and how far SELU and tanh-GELU
with exact constants are from them with PyTorch's double constants. Takes about half a
minute on two cores.
"""

from __future__ import annotations

import json
import math
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import ml_dtypes
import numpy as np
import torch
import torch.nn.functional as F

from make_golden import SMOOTH, exact

HERE = Path(__file__).resolve().parent
DTYPES = {"float16": (np.dtype(np.float16), torch.float16),
          "bfloat16": (np.dtype(ml_dtypes.bfloat16), torch.bfloat16)}
PRELU_CHANNELS = [0.25, -0.5, 1.5, 0.0]


def every_input(dtype: np.dtype) -> np.ndarray:
    return np.arange(65536, dtype=np.uint16).view(dtype)


def cases():
    """(case name, variant, params, torch function): every variant at its defaults,
    then slopes > 1 and < 0, other parameters of the smooth ones."""
    out = [
        ("relu", "relu", {}, F.relu),
        ("relu6", "relu6", {}, F.relu6),
        ("leaky_relu", "leaky_relu", {}, F.leaky_relu),
        ("leaky_relu_1.5", "leaky_relu", {"negative_slope": 1.5},
         lambda x: F.leaky_relu(x, 1.5)),
        ("leaky_relu_-0.5", "leaky_relu", {"negative_slope": -0.5},
         lambda x: F.leaky_relu(x, -0.5)),
        ("prelu", "prelu", {}, lambda x: F.prelu(x, torch.tensor([0.25], dtype=x.dtype))),
        ("rrelu", "rrelu", {}, lambda x: F.rrelu(x, training=False)),
        ("rrelu_0.1_0.3", "rrelu", {"lower": 0.1, "upper": 0.3},
         lambda x: F.rrelu(x, 0.1, 0.3, training=False)),
        ("hardtanh", "hardtanh", {}, F.hardtanh),
        ("hardtanh_-2.5_0.5", "hardtanh", {"min_val": -2.5, "max_val": 0.5},
         lambda x: F.hardtanh(x, -2.5, 0.5)),
        ("threshold_1_-2", "threshold", {"threshold": 1.0, "value": -2.0},
         lambda x: F.threshold(x, 1.0, -2.0)),
        ("threshold", "threshold", {}, lambda x: F.threshold(x, 0.0, 0.0)),
        ("hardsigmoid", "hardsigmoid", {}, F.hardsigmoid),
        ("hardswish", "hardswish", {}, F.hardswish),
        # Keras' relu has no torch function; at its defaults it is ReLU
        ("generalized_relu", "generalized_relu", {}, F.relu),
        ("sigmoid", "sigmoid", {}, torch.sigmoid),
        ("tanh", "tanh", {}, torch.tanh),
        ("elu", "elu", {}, F.elu),
        ("elu_0.5", "elu", {"alpha": 0.5}, lambda x: F.elu(x, 0.5)),
        ("celu", "celu", {}, F.celu),
        ("celu_2", "celu", {"alpha": 2.0}, lambda x: F.celu(x, 2.0)),
        ("selu", "selu", {}, F.selu),
        ("gelu", "gelu", {}, F.gelu),
        ("gelu_tanh", "gelu", {"approximate": "tanh"}, lambda x: F.gelu(x, approximate="tanh")),
        ("silu", "silu", {}, F.silu),
        ("mish", "mish", {}, F.mish),
        ("softplus", "softplus", {"beta": 1.0, "threshold": 20.0}, F.softplus),
        ("softplus_2_10", "softplus", {"beta": 2.0, "threshold": 10.0},
         lambda x: F.softplus(x, 2.0, 10.0)),
    ]
    return out


def bits(t: torch.Tensor) -> np.ndarray:
    return t.detach().contiguous().view(torch.int16).numpy().view(np.uint16)


def run(fn, x_bits: np.ndarray, torch_dtype, shape=None):
    x = torch.from_numpy(x_bits.view(np.int16).copy()).view(torch_dtype)
    if shape is not None:
        x = x.reshape(shape)
    x.requires_grad_(True)
    y = fn(x)
    (grad,) = torch.autograd.grad(y, x, torch.ones_like(y))
    return bits(y), bits(grad)


def rounded(values: np.ndarray, dtype: np.dtype, variant: str, params: dict, x: np.ndarray,
            what: str) -> tuple[np.ndarray, np.ndarray]:
    """float64 values rounded once to ``dtype`` (NumPy and ml_dtypes round float64
    directly), as bits, and the indices where the float64 value is a tie: there the
    50-digit value picks the nearer neighbour."""
    with np.errstate(over="ignore", invalid="ignore"):
        near = values.astype(dtype)
        other = np.where(near.astype(np.float64) < values,
                         np.nextafter(near, np.array(np.inf, dtype)),
                         np.nextafter(near, np.array(-np.inf, dtype)))
        gap_near = np.abs(near.astype(np.float64) - values)
        gap_other = np.abs(other.astype(np.float64) - values)
    ties = np.flatnonzero(np.isfinite(values) & (near != other) & (gap_near == gap_other))
    if ties.size:
        import mpmath

        y, g = exact(variant, params, x[ties], raw=True)
        for index, value in zip(ties, y if what == "y" else g):
            mid = (mpmath.mpf(float(near[index])) + mpmath.mpf(float(other[index]))) / 2
            if (value - mid) * (float(other[index]) - float(near[index])) > 0:
                near[index] = other[index]
    return near.view(np.uint16), ties.astype(np.int32)


def ulp_steps(a_bits: np.ndarray, b_bits: np.ndarray) -> np.ndarray:
    """How many representable 16-bit values apart two arrays of bit patterns are."""
    def ordered(b):
        b = b.astype(np.int64)
        return np.where(b & 0x8000, 0x8000 - (b & 0x7FFF), 0x8000 + b)
    return np.abs(ordered(a_bits) - ordered(b_bits))


def distance_summary(torch_bits: np.ndarray, correct_bits: np.ndarray, dtype: np.dtype) -> dict:
    """Of the non-NaN inputs: how many of PyTorch's results are not the correctly rounded
    value, how many of those are NaN for a number, and the largest distance in ulps of
    the others (±0 count as equal)."""
    with np.errstate(invalid="ignore"):
        t = torch_bits.view(dtype).astype(np.float64)
        c = correct_bits.view(dtype).astype(np.float64)
    x = every_input(dtype)
    with np.errstate(invalid="ignore"):
        considered = ~np.isnan(x.astype(np.float64))
    differ = considered & ~((t == c) | (np.isnan(t) & np.isnan(c)))
    nan = differ & (np.isnan(t) != np.isnan(c))
    steps = ulp_steps(torch_bits, correct_bits)[differ & ~nan]
    return {"inputs": int(considered.sum()), "not_correctly_rounded": int(differ.sum()),
            "nan_for_a_number": int(nan.sum()),
            "max_ulps_of_numbers": int(steps.max()) if steps.size else 0}


#: Where relucli is more accurate than PyTorch: (what, dtype, x, torch function, which
#: output). Their PyTorch values go to every16.json for the README's table.
EXAMPLES = [
    ("Sigmoid gradient", "float32", 40.0, torch.sigmoid, "grad"),
    ("Tanh gradient", "float32", -10.0, torch.tanh, "grad"),
    ("GELU", "float32", -6.0, F.gelu, "y"),
    ("SiLU", "float64", -math.inf, F.silu, "y"),
    ("Mish gradient", "float64", math.inf, F.mish, "grad"),
    ("CELU(alpha=0.3) gradient", "float64", -200.0, lambda x: F.celu(x, 0.3), "grad"),
    ("GELU(approximate='tanh') gradient", "bfloat16", 1e20,
     lambda x: F.gelu(x, approximate="tanh"), "grad"),
    ("Sigmoid gradient", "float16", 8.0, torch.sigmoid, "grad"),
]


def accuracy_examples() -> list[dict]:
    out = []
    for what, dtype_name, value, fn, which in EXAMPLES:
        torch_dtype = getattr(torch, dtype_name)
        x = torch.tensor([value], dtype=torch_dtype, requires_grad=True)
        y = fn(x)
        (grad,) = torch.autograd.grad(y, x, torch.ones_like(y))
        result = (y if which == "y" else grad).detach().to(torch.float64).item()
        out.append({"what": what, "dtype": dtype_name, "x": value, "output": which,
                    "torch": result})
    return out


def constant_sensitivity() -> dict:
    """How far (in float64 ulps) SELU and tanh-GELU with their exact constants are from
    the same functions with the double constants PyTorch uses, at the float64 inputs of
    torch_golden.npz: relucli's 1-ulp claim is about the latter."""
    import mpmath

    mpmath.mp.dps = 60
    M = mpmath.mpf
    x = np.load(HERE / "torch_golden.npz")["float64/x"]
    x = x[np.isfinite(x) & (np.abs(x) < 1e4)]

    def gelu_tanh(z, c):
        return z / (1 + mpmath.exp(-2 * c * (z + M(0.044715) * z ** 3)))

    def selu(z, alpha, scale):
        return scale * z if z > 0 else scale * alpha * mpmath.expm1(z)

    pairs = {
        "gelu_tanh": (lambda z: gelu_tanh(z, mpmath.sqrt(2 / mpmath.pi)),
                      lambda z: gelu_tanh(z, M(0.7978845608028654))),
        "selu": (lambda z: selu(z, M("1.6732632423543772848170429916717"),
                               M("1.0507009873554804934193349852946")),
                 lambda z: selu(z, M(1.6732632423543772848170429916717),
                               M(1.0507009873554804934193349852946))),
    }
    out = {}
    for name, (with_exact, with_double) in pairs.items():
        worst, where = 0.0, 0.0
        for v in x.tolist():
            a, b = with_exact(M(v)), with_double(M(v))
            if b == 0:
                continue
            ulps = float(abs(a - b)) / float(np.spacing(abs(float(b))))
            if ulps > worst:
                worst, where = ulps, v
        out[name] = {"max_ulps": round(worst, 1), "at": where, "inputs": int(x.size)}
    return out


def exact_case(args):
    variant, params, x = args
    return exact(variant, params, x)


def main() -> None:
    arrays: dict[str, np.ndarray] = {}
    meta = {"torch_version": torch.__version__, "inputs": "np.arange(65536, dtype=np.uint16)",
            "prelu_channels": PRELU_CHANNELS, "cases": [], "torch_smooth": {}}
    smooth = [(name, variant, params) for name, variant, params, _ in cases()
              if variant in SMOOTH]
    # the exact values once per distinct real input of both dtypes, on two processes
    with np.errstate(invalid="ignore"):  # NaN payloads
        reals = {name: every_input(dt).astype(np.float64) for name, (dt, _) in DTYPES.items()}
    union = np.unique(np.concatenate(list(reals.values())))
    union = union[~np.isnan(union)]
    with ProcessPoolExecutor(2) as pool:
        results = list(pool.map(exact_case, [(v, p, union) for _, v, p in smooth]))
    for dtype_name, (dtype, torch_dtype) in DTYPES.items():
        x_bits = np.arange(65536, dtype=np.uint16)
        x = reals[dtype_name]
        where = np.searchsorted(union, np.where(np.isnan(x), 0, x))
        torch_smooth = {}
        for name, variant, params, fn in cases():
            y, grad = run(fn, x_bits, torch_dtype)
            if variant in SMOOTH:  # not stored: only how far from correctly rounded
                torch_smooth[name] = {"y": y, "grad": grad}
            else:
                arrays[f"{dtype_name}/{name}/y"], arrays[f"{dtype_name}/{name}/grad"] = y, grad
        for (name, variant, params), (y, g) in zip(smooth, results):
            for what, values in (("y", y), ("grad", g)):
                values = np.where(np.isnan(x), np.nan, values[where])
                correct, ties = rounded(values, dtype, variant, params, x, what)
                arrays[f"{dtype_name}/{name}/{what}_exact"] = correct
                arrays[f"{dtype_name}/{name}/{what}_ties"] = ties
                meta["torch_smooth"].setdefault(dtype_name, {}).setdefault(name, {})[what] = \
                    distance_summary(torch_smooth[name][what], correct, dtype)
        # PReLU with one alpha per channel: every input in every channel
        columns = np.repeat(x_bits[:, None], len(PRELU_CHANNELS), axis=1)

        def prelu(t):
            return F.prelu(t, torch.tensor(PRELU_CHANNELS, dtype=t.dtype))
        arrays[f"{dtype_name}/prelu_channels/y"], arrays[f"{dtype_name}/prelu_channels/grad"] = \
            run(prelu, columns.ravel(), torch_dtype, columns.shape)
        small = columns[np.abs(x) < 4]  # the sum of every finite input overflows
        xt = torch.from_numpy(small.view(np.int16).copy()).view(torch_dtype)
        xt.requires_grad_(True)
        weight = torch.tensor(PRELU_CHANNELS, dtype=torch_dtype, requires_grad=True)
        out = F.prelu(xt, weight)
        _, gw = torch.autograd.grad(out, (xt, weight), torch.ones_like(out))
        arrays[f"{dtype_name}/prelu_channels/alpha_grad_small"] = bits(gw)
    for name, variant, params, _ in cases():
        meta["cases"].append({"name": name, "variant": variant, "params": params,
                              "smooth": variant in SMOOTH})
    meta["accuracy_examples"] = accuracy_examples()
    meta["constant_sensitivity"] = constant_sensitivity()
    np.savez_compressed(HERE / "every16.npz", **arrays)
    (HERE / "every16.json").write_text(json.dumps(meta, indent=1) + "\n")
    print(f"wrote {len(arrays)} arrays from torch {torch.__version__}")


if __name__ == "__main__":
    main()
