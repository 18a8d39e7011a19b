"""relu code: snippets compile, are pinned, and (where a framework is installed)
compute the engine's numbers."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from relucli import codegen, engine, variants

GOLDEN = Path(__file__).parent / "golden"
sys.path.insert(0, str(GOLDEN))
import make_snippets  # noqa: E402

PINNED = json.loads((GOLDEN / "code_snippets.json").read_text())


def test_every_variant_has_code_for_every_framework():
    assert set(codegen.BUILDERS) == set(variants.names())
    assert len(PINNED) == len(make_snippets.CASES) * len(codegen.FRAMEWORKS)


@pytest.mark.parametrize("record", PINNED, ids=lambda r: f"{r['variant']}-{r['framework']}")
def test_snippets_compile(record):
    compile(record["code"], f"<{record['variant']} {record['framework']}>", "exec")


def test_snippets_are_pinned():
    """A change to a template must be deliberate: regenerate with make_snippets.py."""
    assert make_snippets.pinned() == PINNED


def test_parameters_are_always_explicit_and_defaults_warned():
    (tf,) = codegen.snippets(variants.get("leaky_relu"), {}, ["tf"])
    assert "alpha=0.01" in tf.code and "negative_slope=0.01" in tf.code
    assert any("defaults to 0.2" in w for w in tf.warnings)
    assert any("defaults to 0.3" in w for w in tf.warnings)
    (jax,) = codegen.snippets(variants.get("leaky_relu"), {"negative_slope": 0.01}, ["jax"])
    assert not any("defaults to" in w for w in jax.warnings)  # 0.01 is JAX's default too
    assert any("gradient at 0 is 1" in w for w in jax.warnings)
    (keras,) = codegen.snippets(variants.get("prelu"), {"alpha": 0.25}, ["keras"])
    assert "Constant(0.25)" in keras.code and "shared_axes=[1, 2]" in keras.code
    assert any("alpha 0 per element" in w for w in keras.warnings)
    (flax,) = codegen.snippets(variants.get("prelu"), {}, ["flax"])
    assert "negative_slope_init=0.25" in flax.code and any("one scalar" in w for w in flax.warnings)
    (relu6,) = codegen.snippets(variants.get("relu6"), {}, ["tf"])
    assert "ReLU(max_value=6.0)" in relu6.code


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
    run = relu("code", "rrelu", "-f", "keras", "--format", "json")
    doc = json.loads(run.stdout)
    assert doc["variant"] == "rrelu" and [s["framework"] for s in doc["snippets"]] == ["keras"]
    assert "class RReLU(keras.layers.Layer)" in doc["snippets"][0]["code"]


@pytest.mark.parametrize("args, message", [
    (["code", "relu", "-f", "mxnet"], "unknown framework 'mxnet'"),
    (["code", "all"], "one variant, not a group"),
    (["code", "leaky", "-p", "alpha=0.1"], "takes a parameter 'alpha'"),
    (["code", "nope"], "unknown variant"),
])
def test_cli_bad_input(relu, args, message):
    run = relu(*args)
    assert run.code == 2 and message in run.stderr and run.stderr.count("\n") == 1


@pytest.mark.parametrize("call, variant, params", [
    ("nn.ReLU()", "relu", {}),
    ("torch.nn.LeakyReLU(0.2)", "leaky_relu", {"negative_slope": 0.2}),
    ("F.leaky_relu(x, negative_slope=0.3, inplace=True)", "leaky_relu", {"negative_slope": 0.3}),
    ("nn.PReLU(num_parameters=3, init=0.1)", "prelu", {"alpha": "0.1,0.1,0.1"}),
    ("nn.PReLU()", "prelu", {}),
    ("F.prelu(x, torch.tensor([0.1, 0.2]))", "prelu", {"alpha": "0.1,0.2"}),
    ("F.prelu(x, weight=torch.full((2,), 0.3))", "prelu", {"alpha": "0.3,0.3"}),
    ("nn.RReLU(0.1, 0.3)", "rrelu", {"lower": 0.1, "upper": 0.3}),
    ("F.gelu(x, approximate='tanh')", "gelu", {"approximate": "tanh"}),
    ("nn.Softplus(beta=2, threshold=10)", "softplus", {"beta": 2, "threshold": 10}),
    ("nn.Hardtanh(0, 6)", "hardtanh", {"min_val": 0, "max_val": 6}),
])
def test_torch_calls_translate(call, variant, params):
    found, given = codegen.parse_torch_call(call)
    assert found.name == variant and given == params


@pytest.mark.parametrize("call, message", [
    ("nn.Swish()", "unknown PyTorch activation 'Swish'"), ("nn.ELU(alpha=y)", "give numbers"),
    ("nn.LeakyReLU(slope=0.2)", "no parameter 'slope'"), ("leaky", "not a call"),
    ("nn.ReLU(", "not a Python call"), ("nn.ELU(1, 2)", "at most 1 positional"),
])
def test_untranslatable_calls(call, message):
    with pytest.raises(Exception, match=message):
        codegen.parse_torch_call(call)


def test_cli_translation(relu):
    run = relu("code", "nn.LeakyReLU(0.2)", "--from", "torch", "-f", "keras")
    assert run.code == 0 and "keras.ops.leaky_relu(x, negative_slope=0.2)" in run.stdout
    run = relu("code", "relu", "--from", "jax")
    assert run.code == 2 and "PyTorch calls only" in run.stderr
