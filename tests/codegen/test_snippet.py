"""relu code: snippets compile, are pinned, and (where a framework is installed)
compute the engine's numbers."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from relucli import engine, variants
from relucli.codegen.forms import FRAMEWORKS
from relucli.codegen.snippet import BUILDERS

GOLDEN = Path(__file__).parent.parent / "golden"
sys.path.insert(0, str(GOLDEN))
import make_snippets  # noqa: E402

PINNED = json.loads((GOLDEN / "code_snippets.json").read_text())


def test_every_variant_has_code_for_every_framework():
    assert set(BUILDERS) == set(variants.names())
    assert len(PINNED) == len(make_snippets.CASES) * len(FRAMEWORKS)


@pytest.mark.parametrize("record", PINNED, ids=lambda r: f"{r['variant']}-{r['framework']}")
def test_snippets_compile(record):
    compile(record["code"], f"<{record['variant']} {record['framework']}>", "exec")


def test_snippets_are_pinned():
    """A change to a template must be deliberate: regenerate with make_snippets.py."""
    assert make_snippets.pinned() == PINNED


def run_snippet(code: str, x):
    namespace = {"x": x}
    exec(compile(code, "<snippet>", "exec"), namespace)
    return namespace


@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="PyTorch is not installed")
@pytest.mark.parametrize("record", [r for r in PINNED if r["framework"] == "torch"],
                         ids=lambda r: f"{r['variant']}-{r['params']}")
def test_torch_snippets_compute_the_engine_numbers(record):
    import torch

    variant = variants.get(record["variant"])
    params = variant.resolve_params(record["params"])
    shape = (2, 3, 4) if isinstance(params.get("alpha"), tuple) else (24,)
    x = np.linspace(-7, 8, 24).reshape(shape).astype(np.float32)
    namespace = run_snippet(record["code"], torch.from_numpy(x))
    expected = engine.forward(variant, x, **params)
    results = [namespace["y"]]
    if "act" in namespace:  # the layer form, where PyTorch has one
        results.append(namespace["act"].eval()(torch.from_numpy(x)))
    for result in results:
        # atol: PyTorch's float32 GELU loses digits in its tail (1 + erf cancels)
        np.testing.assert_allclose(result.detach().numpy(), expected, rtol=1e-6, atol=1e-6)


def test_cli_text_and_json(relu):
    run = relu("code", "leaky", "-p", "negative_slope=0.2", "--framework", "torch,jax")
    assert run.code == 0
    assert run.stdout.startswith("# PyTorch: LeakyReLU\nimport torch\n")
    assert "# JAX: LeakyReLU" in run.stdout and "# warning: " in run.stdout
    compile(run.stdout, "<all>", "exec")  # piped text is itself valid Python
    run = relu("code", "rrelu", "-F", "keras", "--format", "json")
    doc = json.loads(run.stdout)
    assert doc["variant"] == "rrelu" and [s["framework"] for s in doc["snippets"]] == ["keras"]
    assert "class RReLU(keras.layers.Layer)" in doc["snippets"][0]["code"]


@pytest.mark.parametrize("args, message", [
    (["code", "relu", "-F", "mxnet"], "unknown framework 'mxnet'"),
    (["code", "relu", "-F", "pytorch"], "unknown framework 'pytorch'; did you mean 'torch'?"),
    (["code", "relu", "-f", "keras"], "-f means --file in relu; name the framework with --framework keras"),
    (["code", "all"], "one variant, not a group"),
    (["code", "leaky", "-p", "alpha=0.1"], "takes a parameter 'alpha'"),
    (["code", "nope"], "unknown variant"),
])
def test_cli_bad_input(relu, args, message):
    run = relu(*args)
    assert run.code == 2 and message in run.stderr and run.stderr.count("\n") == 1


