"""``relu table``: the comparison of the variants, one record per variant straight
from the registry, as JSON, CSV, Markdown, three text tables, or one card per variant
for terminals too narrow for the tables.

(Named for what it shows; ``relucli.variants`` is the registry itself.)"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from .layout import ASCII_SYMBOLS, grid
from .numbers import _fraction_or_decimal

if TYPE_CHECKING:  # pragma: no cover
    from ..variants import Variant


TABLE_FIELDS = (
    ("variant", "Variant"),
    ("family", "Family"),
    ("formula", "Formula"),
    ("gradient", "Gradient"),
    ("range", "Range"),
    ("defaults", "Defaults"),
    ("dying", "Dying neurons?"),
    ("monotone", "Monotone"),
    ("smooth", "Smooth"),
    ("zero_centred", "Zero-centred"),
    ("self_normalising", "Self-normalising"),
    ("learnable", "Learnable"),
    ("stochastic", "Stochastic"),
    ("pytorch", "PyTorch"),
    ("keras", "Keras"),
    ("jax", "JAX"),
    ("when_to_use", "When to use"),
)


def _defaults_text(variant: "Variant") -> str:
    parts = []
    for p in variant.params:
        parts.append(f"{p.name}={_fraction_or_decimal(p.default)}")
    return ", ".join(parts) or "—"


def _table_value(value: Any) -> Any:
    """Defaults for JSON: infinity as the string "inf"."""
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "inf" if value > 0 else "-inf"
    return value


FAMILY_NAMES = {"relu": "ReLU family", "relative": "relative", "classic": "classic reference"}


def variant_record(variant: "Variant") -> dict[str, Any]:
    """One row of the comparison table, straight from the registry."""
    return {
        "variant": variant.display,
        "name": variant.name,
        "family": FAMILY_NAMES[variant.family],
        "aliases": list(variant.aliases),
        "formula": variant.formula,
        "gradient": variant.gradient_formula,
        "range": variant.output_range,
        "dying": variant.dying,
        "can_die": variant.can_die,
        "monotone": variant.monotone,
        "smooth": variant.smooth,
        "zero_centred": variant.zero_centred,
        "self_normalising": variant.self_normalising,
        "learnable": variant.learnable,
        "stochastic": variant.stochastic,
        "defaults": _defaults_text(variant),
        "default_params": {k: _table_value(v) for k, v in variant.defaults().items()},
        "kinks": list(variant.kinks_for()),
        "pytorch": variant.frameworks.get("PyTorch", ""),
        "keras": variant.frameworks.get("Keras", ""),
        "jax": variant.frameworks.get("JAX", ""),
        "when_to_use": variant.when_to_use,
    }


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def variants_json(variants: Iterable["Variant"]) -> str:
    import json

    return json.dumps([variant_record(v) for v in variants], indent=1, ensure_ascii=False) + "\n"


def variants_csv(variants: Iterable["Variant"]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([key for key, _ in TABLE_FIELDS])
    for v in variants:
        record = variant_record(v)
        writer.writerow([_cell(record[key]) for key, _ in TABLE_FIELDS])
    return buffer.getvalue()


def variants_markdown(variants: Iterable["Variant"]) -> str:
    lines = ["| " + " | ".join(title for _, title in TABLE_FIELDS) + " |",
             "|" + "---|" * len(TABLE_FIELDS)]
    for v in variants:
        record = variant_record(v)
        cells = [_cell(record[key]).replace("|", "\\|") for key, _ in TABLE_FIELDS]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


#: The three rich tables: the maths; the properties; frameworks and advice. Families
#: are separated by a line (the ReLU family, its relatives, the classic references).
TABLE_GROUPS = (
    ("The ReLU family, its relatives and the classics: the maths",
     ("variant", "formula", "gradient", "range", "defaults")),
    ("Properties",
     ("variant", "dying", "monotone", "smooth", "zero_centred", "self_normalising",
      "learnable", "stochastic")),
    ("Defaults by framework, and when to use each",
     ("variant", "pytorch", "keras", "jax", "when_to_use")),
)
_TITLES = dict(TABLE_FIELDS)


def _variants_grid(out, title: str, keys: Sequence[str], records: Sequence[dict],
                   measure_only: bool = False):
    """One titled table of the comparison (the columns ``keys``) as text for ``out``,
    with a double rule between families; or its width, with ``measure_only``."""
    columns = [[_cell(record[key]) for record in records] for key in keys]

    def rule(row: int) -> str:
        return "between" if records[row]["family"] == records[row - 1]["family"] else "family"

    return grid(out, [_TITLES[key] for key in keys], columns, title=title, rules=rule,
                cell_style=lambda row, column: _cell_style(keys[column], records[row]),
                measure_only=measure_only)


def _cell_style(key: str, record: dict) -> str | None:
    if key == "variant":
        return "bold cyan"
    if key == "dying":
        return "red" if record["can_die"] else "green"
    return None


def variant_cards(records: Sequence[dict], ascii_only: bool = False):
    """The same facts (:func:`variant_record` of each variant), one panel per variant:
    for terminals too narrow for the tables."""
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    cards = []
    for record in records:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        for key, title in TABLE_FIELDS[1:]:
            text = _cell(record[key])
            if ascii_only:
                text = text.translate(ASCII_SYMBOLS)
            grid.add_row(title, Text(text, style=_cell_style(key, record) or ""))
        cards.append(Panel(grid, title=Text(record["variant"], style="bold cyan"),
                           title_align="left"))
    return cards


def print_variants(out, variants: Sequence["Variant"]) -> None:
    """Three tables when the terminal is wide enough for them (a pipe or a file: always),
    else one card per variant."""
    records = [variant_record(v) for v in variants]
    needed = max(_variants_grid(out, title, keys, records, measure_only=True)
                 for title, keys in TABLE_GROUPS)
    if needed <= out.width or (not out.is_terminal and "COLUMNS" not in os.environ):
        for title, keys in TABLE_GROUPS:
            out.file.write(_variants_grid(out, title, keys, records))
    else:
        for card in variant_cards(records, out.options.ascii_only):
            out.print(card)

