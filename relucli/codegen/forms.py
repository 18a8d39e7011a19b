"""The pieces every snippet builder is made of: the frameworks, parameters written as
the shortest text that reads back, code joined from lines, the imports of each
framework, and :func:`_forms`, a builder from per-framework strings."""

from __future__ import annotations

from typing import Callable

FRAMEWORKS = ("torch", "tf", "keras", "jax", "flax")


def number(value: float) -> str:
    """Shortest round-trip text of a parameter: 0.2, 0.125, 0.3333333333333333."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _lines(*lines: str) -> str:
    return "\n".join(lines)


# Each builder returns (code, warnings) for one variant in one framework.
Builder = Callable[[dict], tuple[str, list[str]]]


def _forms(imports: dict[str, tuple[str, ...]], functional: dict[str, str],
           layer: dict[str, str | None], warnings: dict[str, list[str]] | None = None):
    """A builder from per-framework strings: the imports, the functional form and the
    layer form (None where the framework has no layer)."""
    warnings = warnings or {}

    def build(p: dict) -> dict[str, Builder]:
        def one(framework: str) -> Builder:
            lines = list(imports[framework]) + [""]
            if layer.get(framework):
                lines += [f"y = {functional[framework]}  # functional",
                          f"act = {layer[framework]}  # layer: y = act(x)"]
            else:
                lines.append(f"y = {functional[framework]}")
            return lambda _: (_lines(*lines), list(warnings.get(framework, [])))

        return {framework: one(framework) for framework in FRAMEWORKS}

    return build


TORCH = ("import torch", "import torch.nn.functional as F")
TF = ("import tensorflow as tf",)
KERAS = ("import keras",)
JAX = ("import jax",)
JNP = ("import jax.numpy as jnp",)
FLAX = ("import flax.linen as nn",)
FLAX_JNP = ("import jax.numpy as jnp", "import flax.linen as nn")
IMPORTS = {"torch": TORCH, "tf": TF, "keras": KERAS, "jax": JAX, "flax": FLAX}

