"""``relu quant-sim``: the records of each (sweep value, variant, bits), JSON with the
sweep, and the rich table."""

from __future__ import annotations

from typing import Any

from .numbers import _num, format_number_plain
from .records import _json_lines, _param_json

#: Columns of the table left out, in this order, where the terminal is too narrow
#: (those the table has: top only on the qformat grid).
DROPPABLE = ("codes", "max err", "top", "noise", "step")


def droppable(table) -> tuple[str, ...]:
    """The :data:`DROPPABLE` columns that ``table`` has, in that order."""
    headers = {str(column.header) for column in table.columns}
    return tuple(name for name in DROPPABLE if name in headers)


def quant_records(runs) -> list[dict[str, Any]]:
    """One record per (sweep value, variant, bits); ``runs`` is a list of (sweep value
    or None, results). The real value of code q is scale·(q - zero_point)."""
    records = []
    for sweep_value, results in runs:
        for r in results:
            record: dict[str, Any] = {} if sweep_value is None else {"sweep_value": sweep_value}
            grid = r.grid
            record.update({
                "variant": r.variant.name,
                "variant_params": {k: _param_json(v) for k, v in r.params.items()},
                "bits": r.bits,
                "grid": grid.kind,
                "range": r.range,
                "range_source": r.range_source,
                "scale": grid.step,
                "zero_point": grid.zero_point,
                "zero_point_signed": grid.zero_point_signed,
                "top": grid.top,
                "integer_bits": grid.integer_bits,
                "fraction_bits": grid.fraction_bits,
                "fixed_point": r.fixed_point,
                "mse": r.mse,
                "clip_mse": r.clip_mse,
                "round_mse": r.round_mse,
                "sqnr_db": _num(r.sqnr_db),
                "max_error": r.max_error,
                "clipped_fraction": r.clipped_fraction,
                "codes_used": r.codes_used,
                "codes": r.codes,
                "interior_noise_ratio": _num(r.interior_noise_ratio),
            })
            records.append(record)
    return records


def sweep_crossovers(runs) -> list[dict[str, Any]]:
    """Per bit width and pair of variants, the swept values where their SQNR curves
    cross (:func:`relucli.sim.quant.crossovers`): where the bound starts or stops
    helping. Empty without a sweep of at least two values."""
    from ..sim.quant import crossovers

    if len(runs) < 2 or runs[0][0] is None:
        return []
    xs = [value for value, _ in runs]
    first = runs[0][1]
    variants = list(dict.fromkeys(r.variant for r in first))
    found = []
    for b in dict.fromkeys(r.bits for r in first):
        curves = {v: [next(r.sqnr_db for r in results if r.variant is v and r.bits == b)
                      for _, results in runs] for v in variants}
        for i, a in enumerate(variants):
            for other in variants[i + 1:]:
                at = crossovers(xs, curves[a], curves[other])
                if at:
                    found.append({"bits": b, "variants": [a.name, other.name], "at": at})
    return found


def crossover_text(runs, sweep_name: str) -> str:
    """``SQNR curves cross at df ≈ 19.1: ReLU, ReLU6 at 8 bits.`` (or the empty string)."""
    names = {r.variant.name: r.variant.display for r in runs[0][1]}
    parts = [f"{' and '.join(names[n] for n in c['variants'])} at {c['bits']} bits at "
             f"{sweep_name.replace('_', ' ')} ≈ {', '.join(f'{x:.3g}' for x in c['at'])}"
             for c in sweep_crossovers(runs)]
    return f"SQNR curves cross: {'; '.join(parts)}. " if parts else ""


def quant_json(params: dict, sweep: dict | None, runs) -> str:
    if sweep is not None:
        sweep = {**sweep, "crossovers": sweep_crossovers(runs)}
    document = {"command": "quant-sim", "params": params, "sweep": sweep,
                "results": quant_records(runs)}
    return _json_lines(document, "") + "\n"


def quant_table(title: str, runs, sweep_name: str | None = None):
    """The human table: a row per (sweep value, variant, bits)."""
    from rich.table import Table

    qformat = any(r.grid.kind == "qformat" for _, results in runs for r in results)
    table = Table(title=title, title_style="bold", header_style="bold")
    names = ([sweep_name] if sweep_name else []) + ["variant", "b", "R", "step"]
    names += ["Qm.n", "top"] if qformat else []
    names += ["MSE", "clip share", "SQNR", "max err", "clipped", "codes", "noise"]
    for name in names:
        table.add_column(name, justify="left" if name in ("variant", "Qm.n") else "right",
                         style="bold" if name == "variant" else None)
    previous = None
    for sweep_value, results in runs:
        for r in results:
            group = sweep_value if sweep_name else r.variant  # a section per swept value
            if previous is not None and group != previous:
                table.add_section()
            previous = group
            default = r.params == r.variant.resolve_params({})
            row = [format_number_plain(sweep_value)] if sweep_name else []
            row += [r.variant.display if default else r.variant.label(r.params), str(r.bits),
                    f"{r.range:.4g} {r.range_source.replace('percentile ', 'p')}",
                    f"{r.step:.3g}"]
            row += [r.fixed_point, f"{r.grid.top:.4g}"] if qformat else []
            row += [f"{r.mse:.3g}", _share(r.clip_share), f"{r.sqnr_db:.2f}",
                    f"{r.max_error:.3g}", f"{r.clipped_fraction:.2g}",
                    f"{r.codes_used}/{r.codes}", _ratio(r.interior_noise_ratio)]
            table.add_row(*row)
    table.caption = (crossover_text(runs, sweep_name) if sweep_name else "") + _caption(qformat)
    table.caption_justify = "left"
    return table


def _caption(qformat: bool) -> str:
    grid = ("Qm.n: m integer bits hold R, n = b - m fraction bits; step 2^-n (n < 0: "
            "2^|n|), top (2^b - 1)·step, which may lie below R (clipped there). "
            if qformat else
            "step: the affine grid's scale R/(2^b - 1), zero point 0 (int8: -128), top = R. ")
    return ("b: bits. R: the variant's bound, or calibrated (max; pP: percentile P). " + grid
            + "MSE = clipping part (outputs beyond [0, top]) + rounding part; clip share: "
            "the clipping part in % of the MSE. SQNR in dB, 10·log10(E[y²] / MSE). max err: "
            "the largest |error|. clipped: the fraction of outputs beyond [0, top]. noise: "
            "the rounding MSE of outputs inside (0, min(R, top)) over step²/12: 1.00 is "
            "uniform rounding noise; clipping is not in it.")


def _share(value: float) -> str:
    """A share of the MSE in percent, two significant digits under 0.1%, never a bare
    0 for a positive share nor 100 for one below 1.

    >>> _share(0.998), _share(0.0), _share(6.5e-4), _share(3e-9), _share(0.99996)
    ('99.8%', '0%', '0.065%', '3e-07%', '>99.9%')
    """
    if value != value:
        return "—"
    if value == 0 or value >= 1e-3:
        text = f"{100 * value:.3g}"
        return ">99.9%" if text == "100" and value < 1 else f"{text}%"
    return f"{100 * value:.2g}%"


def _ratio(value: float) -> str:
    return "—" if value != value else f"{value:.2f}"
