"""A :class:`Snippet` (one framework's code and warnings), the choice of frameworks,
and :func:`snippets`, which finds the variant's builder and writes its code."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ..errors import UsageError
from ..variants import Variant
from .family import FAMILY_BUILDERS
from .forms import FRAMEWORKS, Builder
from .relatives import RELATIVE_BUILDERS

TITLES = {"torch": "PyTorch", "tf": "TensorFlow", "keras": "Keras 3", "jax": "JAX",
          "flax": "Flax (linen)"}


@dataclass
class Snippet:
    framework: str
    code: str
    warnings: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return TITLES[self.framework]


BUILDERS: dict[str, Callable[[dict], dict[str, Builder]]] = {**FAMILY_BUILDERS,
                                                             **RELATIVE_BUILDERS}


def frameworks(requested: list[str]) -> list[str]:
    chosen: list[str] = []
    for name in requested:
        name = name.lower()
        group = FRAMEWORKS if name == "all" else (name,)
        for item in group:
            if item not in FRAMEWORKS:
                import difflib

                spelled = {"pytorch": "torch", "tensorflow": "tf", "keras3": "keras"}
                close = spelled.get(item) or next(iter(difflib.get_close_matches(
                    item, FRAMEWORKS, n=1)), None)
                hint = f"did you mean '{close}'? " if close else ""
                raise UsageError(f"unknown framework '{item}'; {hint}choose from "
                                 f"{', '.join(FRAMEWORKS)} or all")
            if item not in chosen:
                chosen.append(item)
    return chosen


def snippets(variant: Variant, params: dict[str, Any], chosen: list[str]) -> list[Snippet]:
    """The code for ``variant`` with its resolved ``params`` in each chosen framework."""
    if variant.name not in BUILDERS:
        raise UsageError(f"no code templates for {variant.name} yet")
    resolved = variant.resolve_params(params)
    builders = BUILDERS[variant.name](resolved)
    result = []
    for framework in chosen:
        code, warnings = builders[framework](resolved)
        result.append(Snippet(framework, code + "\n" if not code.endswith("\n") else code,
                              warnings))
    return [Snippet(s.framework, s.code.rstrip("\n"), s.warnings) for s in result]

