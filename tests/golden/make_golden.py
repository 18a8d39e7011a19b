"""Generate the PyTorch golden values the tests compare against.

Run it only to regenerate the data (the tests never import torch):

    python -m venv /tmp/torchenv
    /tmp/torchenv/bin/pip install torch==2.13.0 numpy
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
    # smooth references: compared within a few ulp, not bit for bit
    cases.append(("sigmoid", "sigmoid", {}, torch.sigmoid))
    cases.append(("tanh", "tanh", {}, torch.tanh))
    return cases


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
            if dtype_name == "float32":
                meta["cases"].append({"name": name, "variant": variant, "params": params,
                                      "input": "x",
                                      "exact": variant not in ("sigmoid", "tanh")})
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
