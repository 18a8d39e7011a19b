"""Translation from a PyTorch call: relu code "nn.LeakyReLU(0.2)" --from torch -f keras.
The call is parsed (never evaluated) and its literal arguments become the variant's
parameters."""

from __future__ import annotations

from typing import Any

from ..errors import UsageError
from ..variants import Variant


#: torch name -> (variant, the positional parameters in PyTorch 2's signature, the
#: input and ``inplace`` included, and how torch's parameter names map to the registry's)
TORCH_CALLS: dict[str, tuple[str, tuple[str, ...], dict[str, str]]] = {
    "relu": ("relu", ("input", "inplace"), {}),
    "ReLU": ("relu", ("inplace",), {}),
    "leaky_relu": ("leaky_relu", ("input", "negative_slope", "inplace"), {}),
    "LeakyReLU": ("leaky_relu", ("negative_slope", "inplace"), {}),
    "prelu": ("prelu", ("input", "weight"), {"weight": "alpha"}),
    "PReLU": ("prelu", ("num_parameters", "init"), {}),
    "rrelu": ("rrelu", ("input", "lower", "upper", "training", "inplace"), {}),
    "RReLU": ("rrelu", ("lower", "upper", "inplace"), {}),
    "relu6": ("relu6", ("input", "inplace"), {}),
    "ReLU6": ("relu6", ("inplace",), {}),
    "hardtanh": ("hardtanh", ("input", "min_val", "max_val", "inplace"), {}),
    "Hardtanh": ("hardtanh", ("min_val", "max_val", "inplace"), {}),
    "threshold": ("threshold", ("input", "threshold", "value", "inplace"), {}),
    "Threshold": ("threshold", ("threshold", "value", "inplace"), {}),
    "elu": ("elu", ("input", "alpha", "inplace"), {}),
    "ELU": ("elu", ("alpha", "inplace"), {}),
    "selu": ("selu", ("input", "inplace"), {}),
    "SELU": ("selu", ("inplace",), {}),
    "celu": ("celu", ("input", "alpha", "inplace"), {}),
    "CELU": ("celu", ("alpha", "inplace"), {}),
    "gelu": ("gelu", ("input",), {}),
    "GELU": ("gelu", ("approximate",), {}),
    "silu": ("silu", ("input", "inplace"), {}),
    "SiLU": ("silu", ("inplace",), {}),
    "mish": ("mish", ("input", "inplace"), {}),
    "Mish": ("mish", ("inplace",), {}),
    "softplus": ("softplus", ("input", "beta", "threshold"), {}),
    "Softplus": ("softplus", ("beta", "threshold"), {}),
    "hardswish": ("hardswish", ("input", "inplace"), {}),
    "Hardswish": ("hardswish", ("inplace",), {}),
    "hardsigmoid": ("hardsigmoid", ("input", "inplace"), {}),
    "Hardsigmoid": ("hardsigmoid", ("inplace",), {}),
    "sigmoid": ("sigmoid", ("input",), {}),
    "Sigmoid": ("sigmoid", (), {}),
    "tanh": ("tanh", ("input",), {}),
    "Tanh": ("tanh", (), {}),
}
#: Arguments that change how PyTorch computes, not what: the translation drops them.
_IGNORED = {"input", "inplace", "training", "device", "dtype"}


def _literal(node, text: str):
    """A number, a string, a list, or torch.tensor([...]) / torch.full((C,), v)."""
    import ast

    if isinstance(node, ast.Call):
        name = ast.unparse(node.func)
        if name.endswith("tensor") and node.args:
            return _literal(node.args[0], text)
        if name.endswith("full") and len(node.args) >= 2:
            shape, value = _literal(node.args[0], text), _literal(node.args[1], text)
            count = shape[0] if isinstance(shape, (list, tuple)) else shape
            return [value] * int(count)
    try:
        return ast.literal_eval(node)
    except ValueError:
        raise UsageError(f"cannot read {ast.unparse(node)!r} in {text!r}: give numbers") from None


#: The most PReLU channels whose slopes a snippet writes out one by one.
MAX_CHANNELS = 4096


def _channel_count(value: Any) -> int:
    """``num_parameters`` as PyTorch takes it: a whole number >= 1 (a bool is not).

    >>> _channel_count(3)
    3
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise UsageError(f"PReLU's num_parameters must be a whole number >= 1, got {value!r}")
    if value > MAX_CHANNELS:
        raise UsageError(f"PReLU(num_parameters={value:,}) has more channels than a snippet "
                         f"writes slopes for (at most {MAX_CHANNELS:,})")
    return value


def parse_torch_call(text: str) -> tuple[Variant, dict[str, Any]]:
    """``nn.LeakyReLU(0.2)``, ``F.gelu(x, approximate='tanh')``,
    ``torch.nn.PReLU(num_parameters=3, init=0.1)`` -> the variant and its parameters.

    >>> v, p = parse_torch_call("torch.nn.LeakyReLU(negative_slope=0.2)")
    >>> v.name, p
    ('leaky_relu', {'negative_slope': 0.2})
    """
    import ast

    from ..variants import get

    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        raise UsageError(f"not a Python call: {text!r}") from None
    if not isinstance(tree, ast.Call):
        raise UsageError(f"not a call: {text!r} (for example nn.LeakyReLU(0.2))")
    name = ast.unparse(tree.func).rsplit(".", 1)[-1]
    if name not in TORCH_CALLS:
        known = ", ".join(sorted({n for n in TORCH_CALLS if n[0].isupper()}))
        raise UsageError(f"unknown PyTorch activation {name!r} (known: {known} and their "
                         "torch.nn.functional forms)")
    variant_name, positional, renames = TORCH_CALLS[name]
    variant = get(variant_name)
    given: dict[str, Any] = {}
    if len(tree.args) > len(positional):
        raise UsageError(f"{name} takes at most {len(positional)} positional arguments")
    for param, node in zip(positional, tree.args):
        given[param] = node
    for keyword in tree.keywords:
        if keyword.arg is None:
            raise UsageError(f"cannot translate **kwargs in {text!r}")
        given[keyword.arg] = keyword.value
    params: dict[str, Any] = {}
    channels, init = None, None
    for param, node in given.items():
        if param in _IGNORED:
            continue
        value = _literal(node, text)
        if variant_name == "prelu" and param == "num_parameters":
            channels = _channel_count(value)
        elif variant_name == "prelu" and param == "init":
            init = value
        else:
            target = renames.get(param, param)
            variant.param(target)  # an unknown name fails here, naming the allowed ones
            params[target] = ",".join(map(str, value)) if isinstance(value, (list, tuple)) else value
    if variant_name == "prelu" and (channels or init is not None):
        alpha = 0.25 if init is None else init
        params["alpha"] = ",".join([str(alpha)] * channels) if channels and channels > 1 else alpha
    variant.resolve_params(params)
    return variant, params
