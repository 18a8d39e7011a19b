"""Ready-to-paste code for a variant in PyTorch, TensorFlow, Keras, JAX and Flax.

The variant, its parameters and their validation come from the registry; this module
knows how each framework spells the activation (functional and layer form) and where
its defaults or conventions differ from PyTorch's, which relucli follows. Every
parameter is written explicitly, so that the pasted code means the same thing in
every framework; a one-line warning follows wherever a framework's default or
convention would change the numbers.

>>> from relucli import registry
>>> (s,) = snippets(registry.get("leaky_relu"), {"negative_slope": 0.2}, ["torch"])
>>> print(s.code)
import torch
import torch.nn.functional as F
<BLANKLINE>
y = F.leaky_relu(x, negative_slope=0.2)  # functional
act = torch.nn.LeakyReLU(negative_slope=0.2)  # layer: y = act(x)
"""

# Temporary re-exports: cli.py, tests and tests/golden/make_snippets.py still call
# codegen.X; the names below are the ones used outside this package.
from .forms import FRAMEWORKS
from .from_torch import parse_torch_call
from .snippet import BUILDERS, frameworks, snippets

__all__ = ["BUILDERS", "FRAMEWORKS", "frameworks", "parse_torch_call", "snippets"]
