"""relucli: evaluate, compare and simulate the ReLU family of activation functions.

The Python API (NumPy in, NumPy out; numbers match ``torch.nn.functional``)::

    >>> import numpy as np, relucli
    >>> relucli.forward("leaky_relu", np.array([-2.0, 3.0]), negative_slope=0.1)
    array([-0.2,  3. ])
    >>> r = relucli.evaluate("relu6", np.array([0.0, 3.0, 6.0]))
    >>> r.y, r.grad
    (array([0., 3., 6.]), array([0., 1., 0.]))
    >>> relucli.get_variant("leaky").display
    'LeakyReLU'

NumPy is imported on first use of an engine function, not at ``import relucli``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import ReluError

__version__ = "0.1.0"

__all__ = [
    "VARIANTS",
    "Param",
    "ReluError",
    "Variant",
    "evaluate",
    "forward",
    "get_variant",
    "gradient",
    "names",
    "__version__",
]

if TYPE_CHECKING:  # pragma: no cover
    from .engine import Evaluation, evaluate, forward, gradient
    from .variants import VARIANTS, Param, Variant, names
    from .variants import get as get_variant


def __getattr__(name: str) -> Any:
    # The registry and the engine (and so NumPy) load only when they are used, so that
    # the entry point (relucli.__main__) starts before either: see relucli.exits.
    if name in {"evaluate", "forward", "gradient", "Evaluation"}:
        from . import engine

        return getattr(engine, name)
    if name in {"VARIANTS", "Param", "Variant", "names", "get_variant"}:
        from . import variants

        return variants.get if name == "get_variant" else getattr(variants, name)
    raise AttributeError(f"module 'relucli' has no attribute {name!r}")
