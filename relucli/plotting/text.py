"""Curves in the terminal, drawn by uniplot: braille dots in colour, or one ASCII
character per curve for plain text."""

from __future__ import annotations

from typing import Sequence

from ..errors import UsageError
from .curves import Curve


#: The distinct characters uniplot draws plain-text curves with (+ x o * ~ .).
ASCII_CURVES = 6


def terminal_plot(curves: Sequence[Curve], with_grad: bool, colour: bool, width: int,
                  unicode: bool = True) -> str:
    """Function (and gradient) plots as text, via uniplot: braille dots in colour,
    or one distinct ASCII character per curve for plain text."""
    import uniplot

    options = dict(
        legend_labels=[c.label for c in curves],
        lines=True,
        width=max(20, width),
        height=14,
        color=colour and len(curves) > 0,
        character_set="braille" if colour and unicode else "ascii",
        x_gridlines=sorted({k.x for c in curves for k in c.kinks}) or [0.0],
        y_gridlines=[0.0],
    )
    if not unicode:
        options["character_set"] = "ascii"
    if options["character_set"] == "ascii" and len(curves) > ASCII_CURVES:
        raise UsageError(f"a plain-text plot tells at most {ASCII_CURVES} curves apart (one "
                         f"character each), not {len(curves)}: draw fewer variants with "
                         "--terminal, or write a figure with -o FILE.png")
    lo, hi = float(curves[0].x[0]), float(curves[0].x[-1])
    parts = [uniplot.plot_to_string([c.y for c in curves], [c.x for c in curves],
                                    title="Function f(x)", x_min=lo, x_max=hi, **options)]
    if with_grad:
        parts.append(uniplot.plot_to_string([c.grad for c in curves],
                                            [c.grad_x for c in curves],
                                            title="Gradient f′(x)", x_min=lo, x_max=hi,
                                            **options))
    text = "\n".join(p if isinstance(p, str) else "\n".join(p) for p in parts)
    return text if text.endswith("\n") else text + "\n"
