"""Temporary: removed once every module imports relucli.variants.

The old import path, re-exporting the same objects:

>>> from relucli import registry, variants
>>> registry.get is variants.get and registry.VARIANTS is variants.VARIANTS
True
"""

from __future__ import annotations

from .variants import GROUPS, VARIANTS, Param, Variant, get, names, select

__all__ = ["GROUPS", "VARIANTS", "Param", "Variant", "get", "names", "select"]
