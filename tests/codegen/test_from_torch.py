"""relu code --from torch: PyTorch calls translate to a variant and its parameters."""

from __future__ import annotations

import pytest

from relucli.codegen.from_torch import parse_torch_call


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
    # PyTorch's positional inplace (and PReLU's device/dtype) change how, not what
    ("F.leaky_relu(x, 0.2, True)", "leaky_relu", {"negative_slope": 0.2}),
    ("F.relu(x, True)", "relu", {}), ("nn.ELU(0.5, True)", "elu", {"alpha": 0.5}),
    ("F.threshold(x, 0.1, 20, False)", "threshold", {"threshold": 0.1, "value": 20}),
    ("F.rrelu(x, 0.1, 0.3, False, True)", "rrelu", {"lower": 0.1, "upper": 0.3}),
    ("nn.PReLU(2, 0.1, dtype=torch.float64)", "prelu", {"alpha": "0.1,0.1"}),
])
def test_torch_calls_translate(call, variant, params):
    found, given = parse_torch_call(call)
    assert found.name == variant and given == params


@pytest.mark.parametrize("call, message", [
    ("nn.Swish()", "unknown PyTorch activation 'Swish'"), ("nn.ELU(alpha=y)", "give numbers"),
    ("nn.LeakyReLU(slope=0.2)", "no parameter 'slope'"), ("leaky", "not a call"),
    ("nn.ReLU(", "not a Python call"), ("nn.ELU(1, True, 2)", "at most 2 positional"),
])
def test_untranslatable_calls(call, message):
    with pytest.raises(Exception, match=message):
        parse_torch_call(call)


def test_cli_translation(relu):
    run = relu("code", "nn.LeakyReLU(0.2)", "--from", "torch", "-F", "keras")
    assert run.code == 0 and "keras.ops.leaky_relu(x, negative_slope=0.2)" in run.stdout
    run = relu("code", "relu", "--from", "jax")
    assert run.code == 2 and "PyTorch calls only" in run.stderr
