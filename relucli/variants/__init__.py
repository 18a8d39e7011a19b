"""The variants of the ReLU family, each defined once.

Every command (``eval``, ``table``, ``plot``, ``dying-sim`` ...) reads this registry: a
:class:`Variant` holds the parameters with their defaults and validation, the forward
and gradient kernels, the kink points, and the properties that ``relu table`` prints.

The rooms: :mod:`.model` (Param, Variant), :mod:`.lookup` (the order of VARIANTS,
get, select), one module per family with each variant's kernels just above its entry
(:mod:`.family`, :mod:`.piecewise`, :mod:`.smooth`, :mod:`.classic`), and
:mod:`.kernels`, the conventions and helpers every kernel shares.

This package imports NumPy only inside the kernels, so that ``relu table`` and
``relu --help`` start without paying for it.
"""

from __future__ import annotations

from .lookup import GROUPS, VARIANTS, get, names, select
from .model import Param, Variant

__all__ = ["GROUPS", "VARIANTS", "Param", "Variant", "get", "names", "select"]
