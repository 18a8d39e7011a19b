"""Ready-to-paste code for a variant in PyTorch, TensorFlow, Keras, JAX and Flax.

The variant, its parameters and their validation come from the registry; this module
knows how each framework spells the activation (functional and layer form) and where
its defaults or conventions differ from PyTorch's, which relucli follows. Every
parameter is written explicitly, so that the pasted code means the same thing in
every framework; a one-line warning follows wherever a framework's default or
convention would change the numbers.

>>> from relucli import variants
>>> from relucli.codegen.snippet import snippets
>>> (s,) = snippets(variants.get("leaky_relu"), {"negative_slope": 0.2}, ["torch"])
>>> print(s.code)
import torch
import torch.nn.functional as F
<BLANKLINE>
y = F.leaky_relu(x, negative_slope=0.2)  # functional
act = torch.nn.LeakyReLU(negative_slope=0.2)  # layer: y = act(x)
"""
