"""``relu quant-sim``: the records of each (variant, bits) and the rich table."""

from __future__ import annotations

from typing import Any

from .numbers import _num
from .records import _param_json


def quant_records(results) -> list[dict[str, Any]]:
    records = []
    for r in results:
        records.append({
            "variant": r.variant.name,
            "variant_params": {k: _param_json(v) for k, v in r.params.items()},
            "bits": r.bits,
            "range": r.range,
            "range_source": r.range_source,
            "step": r.step,
            "integer_bits": r.integer_bits,
            "fraction_bits": r.fraction_bits,
            "fixed_point": r.fixed_point,
            "mse": r.mse,
            "sqnr_db": _num(r.sqnr_db),
            "max_error": r.max_error,
            "clipped_fraction": r.clipped_fraction,
            "codes_used": r.codes_used,
            "codes": r.codes,
            "interior_noise_ratio": _num(r.interior_noise_ratio),
        })
    return records



def quant_table(title: str, results):
    from rich.table import Table

    table = Table(title=title, title_style="bold", header_style="bold")
    for name in ("variant", "b", "R", "step", "Qm.n", "MSE", "SQNR", "max err", "clipped",
                 "codes", "noise"):
        table.add_column(name, justify="left" if name in ("variant", "Qm.n") else "right",
                         style="bold" if name == "variant" else None, no_wrap=True)
    previous = None
    for r in results:
        if previous is not None and r.variant is not previous:
            table.add_section()
        previous = r.variant
        default = r.params == r.variant.resolve_params({})
        table.add_row(
            r.variant.display if default else r.variant.label(r.params), str(r.bits),
            f"{r.range:.4g} {r.range_source.replace('percentile ', 'p')}", f"{r.step:.3g}", r.fixed_point, f"{r.mse:.3g}", f"{r.sqnr_db:.2f}",
            f"{r.max_error:.3g}", f"{r.clipped_fraction:.2g}", f"{r.codes_used}/{r.codes}",
            "—" if r.interior_noise_ratio != r.interior_noise_ratio else f"{r.interior_noise_ratio:.2f}",
        )
    table.caption = ("b: bits. R: the variant's bound, or calibrated (max; pP: percentile P). "
                     "Qm.n: m integer bits hold R, n fraction bits remain (negative: too few). "
                     "SQNR in dB, 10·log10(E[y²] / MSE). max err: the largest |error|. clipped: "
                     "the fraction outside [0, R]. noise: the error variance of outputs inside "
                     "(0, R) over step²/12.")
    table.caption_justify = "left"
    return table

