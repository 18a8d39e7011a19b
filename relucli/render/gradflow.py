"""``relu grad-flow``: the records (one nested list of layers per variant) and the
rich table of the shown layers."""

from __future__ import annotations

from typing import Any

from .numbers import _num, _pct
from .records import _param_json


def flow_records(results) -> list[dict[str, Any]]:
    records = []
    for r in results:
        records.append({
            "variant": r.variant.name,
            "variant_params": {k: _param_json(v) for k, v in r.params.items()},
            "max_abs_gradient": r.max_slope,
            "layers": [
                {"layer": i + 1, "relative_grad_norm": _num(g), "dead_fraction": d,
                 "mean_activation": a, "bound": _num(b)}
                for i, (g, d, a, b) in enumerate(zip(r.relative_grad_norm, r.dead_fraction,
                                                     r.mean_activation, r.bound))
            ],
        })
    return records



def flow_table(title: str, results, every: int):
    """One row per shown layer; per variant the relative gradient norm, dead share."""
    import math

    from rich.table import Table

    table = Table(title=title, title_style="bold", header_style="bold")
    table.add_column("layer", justify="right", style="cyan")
    for r in results:
        default = r.params == r.variant.resolve_params({})
        name = r.variant.display if default else r.variant.label(r.params)
        table.add_column(f"{name}\n|∂L/∂h| rel.", justify="right")
        table.add_column("dead", justify="right", style="dim")
    depth = len(results[0].relative_grad_norm)
    shown = sorted({0, depth - 1, *range(0, depth, every)})
    for layer in shown:
        row = [str(layer + 1)]
        for r in results:
            norm = r.relative_grad_norm[layer]
            row += ["—" if math.isnan(norm) else f"{norm:.3g}", _pct(r.dead_fraction[layer])]
        table.add_row(*row)
    table.caption = ("|∂L/∂h| rel.: the norm of the gradient with respect to the layer's input, "
                     "relative to the top layer's; dead: units with zero gradient for the "
                     "whole batch")
    silent = [r.variant.display for r in results if math.isnan(r.relative_grad_norm[-1])]
    if silent:
        table.caption += (f"; — ({', '.join(silent)}): the top layer passes no gradient back "
                          "(every unit dead on the batch), so there is nothing to be relative to")
    table.caption_justify = "left"
    return table

