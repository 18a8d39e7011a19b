"""The registry itself: every variant in its one order, and how names find them.

:data:`VARIANTS` fixes the order every command prints (the ReLU family, then its
relatives, then the classic references); :func:`get` resolves a name or alias, with a
suggestion when it does not; :func:`select` also understands the :data:`GROUPS`.
Adding a variant means writing its entry (and its kernels, just above it) in the
module of its family and naming it here.
"""

from __future__ import annotations

from ..errors import UnknownVariantError
from . import classic, family, piecewise, smooth
from .model import Variant

VARIANTS: tuple[Variant, ...] = (
    # the ReLU family
    family.RELU,
    family.LEAKY_RELU,
    family.PRELU,
    family.RRELU,
    family.RELU6,
    # its relatives
    piecewise.GENERALIZED_RELU,
    piecewise.HARDTANH,
    piecewise.THRESHOLD,
    smooth.ELU,
    smooth.SELU,
    smooth.CELU,
    smooth.GELU,
    smooth.SILU,
    smooth.MISH,
    smooth.SOFTPLUS,
    piecewise.HARDSWISH,
    piecewise.HARDSIGMOID,
    # the classic references
    classic.SIGMOID,
    classic.TANH,
)


def _normalise(name: str) -> str:
    return name.strip().lower().replace("-", "_")


_BY_NAME: dict[str, Variant] = {}
for _variant in VARIANTS:
    for _alias in _variant.all_names + (_variant.display,):
        _BY_NAME[_normalise(_alias)] = _variant
        _BY_NAME[_normalise(_alias).replace("_", "")] = _variant


def names() -> list[str]:
    """The canonical variant names, in registry order."""
    return [v.name for v in VARIANTS]


def get(name: str | Variant) -> Variant:
    """The variant called ``name`` (case-insensitive; aliases such as ``leaky`` work).

    >>> get("LeakyReLU").name
    'leaky_relu'

    An unknown name raises :class:`UnknownVariantError` listing the valid names and
    suggesting the closest one.
    """
    if isinstance(name, Variant):
        return name
    key = _normalise(str(name))
    variant = _BY_NAME.get(key) or _BY_NAME.get(key.replace("_", ""))
    if variant is not None:
        return variant
    import difflib

    close = difflib.get_close_matches(key, list(_BY_NAME), n=1, cutoff=0.6)
    hint = f"; did you mean '{_BY_NAME[close[0]].name}'?" if close else ""
    raise UnknownVariantError(
        f"unknown variant '{name}'{hint} (valid: {', '.join(names())}; or the groups "
        "all, family, relatives, classic)"
    )


#: Group names ``select`` understands besides variant names.
GROUPS = {
    "all": lambda v: True,
    "family": lambda v: v.family == "relu",
    "relatives": lambda v: v.family == "relative",
    "classic": lambda v: v.family == "classic",
}


def select(requested: list[str], allowed=None) -> list[Variant]:
    """Resolve names; ``all`` stands for every variant, ``family`` for the ReLU family,
    ``classic`` for Sigmoid and Tanh; duplicates are dropped. ``allowed`` (a predicate)
    narrows the groups to the variants a command supports."""
    chosen: list[Variant] = []
    for name in requested:
        group = GROUPS.get(_normalise(name))
        if group is not None:
            found = tuple(v for v in VARIANTS if group(v) and (allowed is None or allowed(v)))
        else:
            found = (get(name),)
        for variant in found:
            if variant not in chosen:
                chosen.append(variant)
    return chosen
