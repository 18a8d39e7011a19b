"""Generate the PyTorch golden values the tests compare against.

Run it only to regenerate the data (the tests never import torch):

    python -m venv /tmp/torchenv
    /tmp/torchenv/bin/pip install torch==2.13.0 numpy mpmath
    /tmp/torchenv/bin/python tests/golden/make_golden.py

It writes ``tests/golden/torch_golden.npz`` (inputs, values, gradients) and
``tests/golden/torch_golden.json`` (the cases: variant, parameters, torch version).
Gradients are d output / d input with an upstream gradient of ones, from autograd.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

HERE = Path(__file__).resolve().parent
DTYPES = {"float16": torch.float16, "float32": torch.float32, "float64": torch.float64}


def special_inputs(dtype: np.dtype) -> np.ndarray:
    """Kinks and their float neighbours, zeros, subnormals, huge values, infinities."""
    info = np.finfo(dtype)
    t = dtype.type
    tiny_sub = np.nextafter(t(0), t(1))
    values = [
        0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5, 3.0, 5.0, 7.0, 8.0,
        tiny_sub, -tiny_sub, info.smallest_normal, -info.smallest_normal,
        np.nextafter(info.smallest_normal, t(0)), -np.nextafter(info.smallest_normal, t(0)),
        info.max, -info.max, info.max / 2, -info.max / 2, info.eps, -info.eps,
        np.inf, -np.inf,
    ]
    for kink in (0.0, 6.0):
        k = t(kink)
        for direction in (np.inf, -np.inf):
            step = k
            for _ in range(3):
                step = np.nextafter(step, t(direction))
                values.append(step)
    return np.array(values, dtype=dtype)


def all_inputs(dtype: np.dtype) -> np.ndarray:
    rng = np.random.default_rng(20261128)
    grid = np.linspace(-10, 10, 2001)
    normal = rng.standard_normal(1000) * 4
    magnitudes = 10.0 ** rng.uniform(-40, 38, 500) * rng.choice([-1, 1], 500)
    with np.errstate(over="ignore"):
        parts = [special_inputs(dtype), grid.astype(dtype), normal.astype(dtype),
                 magnitudes.astype(dtype)]
    return np.concatenate(parts)


def flat_cases():
    """(case name, variant, params, torch function of the input)."""
    cases = [("relu", "relu", {}, F.relu), ("relu6", "relu6", {}, F.relu6)]
    for slope in (0.01, 0.2, 0.0, -0.5, 1.0, 1.5, 3e-8, -2.0):
        cases.append((f"leaky_relu_{slope}", "leaky_relu", {"negative_slope": slope},
                      lambda x, s=slope: F.leaky_relu(x, negative_slope=s)))
    for alpha in (0.25, -0.5, 2.0):
        cases.append((f"prelu_{alpha}", "prelu", {"alpha": alpha},
                      lambda x, a=alpha: F.prelu(x, torch.tensor([a], dtype=x.dtype))))
    for lower, upper in ((1 / 8, 1 / 3), (0.1, 0.3), (0.5, 0.5), (0.0, 1.0)):
        cases.append((f"rrelu_{lower:.4g}_{upper:.4g}", "rrelu",
                      {"lower": lower, "upper": upper},
                      lambda x, lo=lower, up=upper: F.rrelu(x, lo, up, training=False)))
    # piecewise linear relatives: bit for bit
    for lo, hi in ((-1.0, 1.0), (0.0, 6.0), (-2.5, 0.5)):
        cases.append((f"hardtanh_{lo:g}_{hi:g}", "hardtanh", {"min_val": lo, "max_val": hi},
                      lambda x, a=lo, b=hi: F.hardtanh(x, a, b)))
    for th, value in ((0.0, 0.0), (1.0, -2.0), (-0.5, 3.0)):
        cases.append((f"threshold_{th:g}_{value:g}", "threshold", {"threshold": th, "value": value},
                      lambda x, t=th, v=value: F.threshold(x, t, v)))
    cases.append(("hardsigmoid", "hardsigmoid", {}, F.hardsigmoid))
    cases.append(("hardswish", "hardswish", {}, F.hardswish))
    # Keras' relu(x, negative_slope, max_value, threshold), composed from torch ops; its
    # gradient at the threshold and the cap is relucli's stated 0 (torch's where gives 1)
    for s_, m, t in ((0.0, float("inf"), 0.0), (0.1, 6.0, 0.0), (0.2, 3.0, 1.0), (0.0, 6.0, -1.0)):
        def generalized(x, s_=s_, m=m, t=t):
            below = torch.zeros_like(x) if s_ == 0 else s_ * (x - t)
            return torch.where(x < t, below, torch.clamp(x, max=m))
        cases.append((f"generalized_relu_{s_:g}_{m:g}_{t:g}", "generalized_relu",
                      {"negative_slope": s_, "max_value": m, "threshold": t}, generalized))
    # smooth: compared with the exact values (mpmath, 50 digits) within a few ulp,
    # and with PyTorch where PyTorch is itself accurate
    cases.append(("sigmoid", "sigmoid", {}, torch.sigmoid))
    cases.append(("tanh", "tanh", {}, torch.tanh))
    for alpha in (1.0, 0.5, 2.0):
        cases.append((f"elu_{alpha:g}", "elu", {"alpha": alpha},
                      lambda x, a=alpha: F.elu(x, a)))
        cases.append((f"celu_{alpha:g}", "celu", {"alpha": alpha},
                      lambda x, a=alpha: F.celu(x, a)))
    cases.append(("selu", "selu", {}, F.selu))
    cases.append(("gelu", "gelu", {}, F.gelu))
    cases.append(("gelu_tanh", "gelu", {"approximate": "tanh"},
                  lambda x: F.gelu(x, approximate="tanh")))
    cases.append(("silu", "silu", {}, F.silu))
    cases.append(("mish", "mish", {}, F.mish))
    for beta, th in ((1.0, 20.0), (2.0, 10.0), (0.5, 5.0)):
        cases.append((f"softplus_{beta:g}_{th:g}", "softplus", {"beta": beta, "threshold": th},
                      lambda x, b=beta, t=th: F.softplus(x, b, t)))
    return cases


SMOOTH = {"sigmoid", "tanh", "elu", "celu", "selu", "gelu", "silu", "mish", "softplus"}


def exact(variant: str, params: dict, x: np.ndarray, raw: bool = False) -> tuple:
    """The mathematical value and derivative, with 50 digits (mpmath), as float64;
    constants as PyTorch's double ones; the derivative at 0 by PyTorch's convention.
    With ``raw``, the 50-digit values themselves (lists; finite |x| <= 1e4 only)."""
    import mpmath

    mpmath.mp.dps = 50
    M = mpmath.mpf
    selu_alpha, selu_scale = M(1.6732632423543772848170429916717), M(1.0507009873554804934193349852946)

    def sig(z):
        return 1 / (1 + mpmath.exp(-z))

    def one(v):
        z = M(v)
        if variant == "sigmoid":  # no 1 - s: it cancels for large z even with 50 digits
            e = mpmath.exp(-abs(z)); return sig(z), e / (1 + e) ** 2
        if variant == "tanh":
            t = mpmath.tanh(z); return t, 1 / mpmath.cosh(z) ** 2
        if variant in ("elu", "celu", "selu"):
            a = M(params.get("alpha", 1.0)) if variant != "selu" else selu_alpha
            lam = selu_scale if variant == "selu" else M(1)
            k = 1 / a if variant == "celu" else M(1)
            if z > 0:
                return lam * z, lam
            return lam * a * mpmath.expm1(k * z), lam * a * k * mpmath.exp(k * z)
        if variant == "gelu" and params.get("approximate", "none") == "none":
            cdf = mpmath.erfc(-z / mpmath.sqrt(2)) / 2
            return z * cdf, cdf + z * mpmath.npdf(z)
        if variant == "gelu":
            c = M(0.7978845608028654)  # sqrt(2/pi) as the double PyTorch uses
            u = c * (z + M(0.044715) * z ** 3)
            s2 = sig(2 * u)  # (1 + tanh u)/2 without the cancellation for u << 0
            du = c * (1 + 3 * M(0.044715) * z * z)
            return z * s2, s2 + 2 * z * s2 * sig(-2 * u) * du
        if variant == "silu":
            s = sig(z); return z * s, s * (1 + z * sig(-z))
        if variant == "mish":
            sp = mpmath.log1p(mpmath.exp(z)); t = mpmath.tanh(sp)
            return z * t, t + z * sig(z) / mpmath.cosh(sp) ** 2
        if variant == "softplus":
            b, th = M(params["beta"]), M(params["threshold"])
            if b * z > th:
                return z, M(1)
            return mpmath.log1p(mpmath.exp(b * z)) / b, sig(b * z)
        raise ValueError(variant)

    values, grads = [], []
    for v in x.astype(np.float64).tolist():
        if v != v:
            values.append(np.nan); grads.append(np.nan); continue
        if v in (np.inf, -np.inf):
            y, g = one(1e4 if v > 0 else -1e4)
            values.append(float(y) if v < 0 or variant in ("sigmoid", "tanh") else v)
            grads.append(float(g)); continue
        if abs(v) > 1e4:  # far out every function is at its asymptote (mpmath's erfc overflows)
            y, g = one(1e4 if v > 0 else -1e4)
            if v > 0 and variant not in ("sigmoid", "tanh"):
                y = v * (selu_scale if variant == "selu" else 1)
        else:
            y, g = one(v)
        values.append(y if raw else float(y)); grads.append(g if raw else float(g))
    return (values, grads) if raw else (np.array(values), np.array(grads))


def run(fn, x_np: np.ndarray, torch_dtype):
    x = torch.tensor(x_np, dtype=torch_dtype, requires_grad=True)
    y = fn(x)
    (grad,) = torch.autograd.grad(y, x, torch.ones_like(y))
    return y.detach().numpy(), grad.numpy()


def prelu_channel_cases():
    """Channel-wise PReLU: the issue's worked example and a larger random one."""
    example = np.array([-2, -0.5, 0, 1.5, 3, -1, -0.0, -4, 0.25, -0.25, 2, -3, 1, -6,
                        0.5, -0.0, -2.5, 0, 1, 2, -1.5, 4, -0.75, 0]).reshape(2, 3, 4)
    rng = np.random.default_rng(7)
    big = rng.standard_normal((5, 4, 3, 6)) * 3
    big[0, 0, 0, :3] = [0.0, -0.0, np.inf]
    big[1, 2, 1, :2] = [-np.inf, 6.0]
    return [
        ("prelu_channels_example", example, [0.25, -0.5, 1.5]),
        ("prelu_channels_4d", big, [0.25, -0.1, 1.3, 0.0]),
    ]


def main() -> None:
    arrays: dict[str, np.ndarray] = {}
    meta = {"torch_version": torch.__version__, "cases": []}
    for dtype_name, torch_dtype in DTYPES.items():
        dtype = np.dtype(dtype_name)
        x = all_inputs(dtype)
        arrays[f"{dtype_name}/x"] = x
        for name, variant, params, fn in flat_cases():
            y, grad = run(fn, x, torch_dtype)
            arrays[f"{dtype_name}/{name}/y"] = y
            arrays[f"{dtype_name}/{name}/grad"] = grad
            if variant in SMOOTH and dtype_name != "float16":
                arrays[f"{dtype_name}/{name}/y_exact"], arrays[f"{dtype_name}/{name}/grad_exact"] = \
                    exact(variant, params, x)
            if dtype_name == "float32":
                meta["cases"].append({"name": name, "variant": variant, "params": params,
                                      "input": "x", "exact": variant not in SMOOTH})
        for name, xc, alpha in prelu_channel_cases():
            xt = torch.tensor(xc.astype(dtype), dtype=torch_dtype, requires_grad=True)
            weight = torch.tensor(alpha, dtype=torch_dtype, requires_grad=True)
            y = F.prelu(xt, weight)
            gx, gw = torch.autograd.grad(y, (xt, weight), torch.ones_like(y))
            arrays[f"{dtype_name}/{name}/x"] = xc.astype(dtype)
            arrays[f"{dtype_name}/{name}/y"] = y.detach().numpy()
            arrays[f"{dtype_name}/{name}/grad"] = gx.numpy()
            arrays[f"{dtype_name}/{name}/alpha_grad"] = gw.numpy()
            if dtype_name == "float32":
                meta["cases"].append({"name": name, "variant": "prelu",
                                      "params": {"alpha": alpha}, "input": "own",
                                      "exact": True})
    np.savez_compressed(HERE / "torch_golden.npz", **arrays)
    (HERE / "torch_golden.json").write_text(json.dumps(meta, indent=1) + "\n")
    print(f"wrote {len(arrays)} arrays from torch {torch.__version__}")


if __name__ == "__main__":
    main()
