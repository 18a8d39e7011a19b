"""``relu table``: the comparison of the variants, as a table that fits the terminal, or
as Markdown, JSON or CSV."""

from __future__ import annotations

import enum
import sys
from typing import Annotated, Optional

import typer

from ..errors import UsageError
from ..variants import VARIANTS, select
from .common import complete_variant

OPTIONS: dict = {}


class TableFormat(str, enum.Enum):
    table = "table"
    markdown = "markdown"
    json = "json"
    csv = "csv"


def command(
    variant: Annotated[Optional[list[str]], typer.Option(
        "--variant", "-v", metavar="NAME", help="Variants or groups to show (repeatable, "
        "or comma separated): e.g. -v all, -v relatives, -v relu,gelu \\[default: family "
        "for the table; all for markdown, json and csv].",
        autocompletion=complete_variant, show_default=False)] = None,
    columns: Annotated[Optional[str], typer.Option(
        "--columns", "-c", metavar="LIST", help="Columns, comma separated: views "
        "(reference, maths, properties, frameworks, advice, all) or single columns "
        "(formula, gradient, range, defaults, dying, monotone, smooth, zero_centred, "
        "self_normalising, learnable, stochastic, pytorch, keras, jax, when_to_use) "
        "\\[default: reference, plus gradient and stochastic where they fit].",
        show_default=False)] = None,
    output_format: Annotated[TableFormat, typer.Option(
        "--format", help="Output format.")] = TableFormat.table,
) -> None:
    """Print the comparison table of the variants.

    By default the five of the ReLU family with the reference columns (formula,
    range, dying neurons?, learnable?) and what else fits the terminal; cells wrap
    rather than cut, and columns that cannot share the screen are split over several
    tables, each with the variant column. Markdown, JSON and CSV are for machines: every variant and
    every field unless asked otherwise.

    Examples:

      relu table

      relu table --variant all --columns properties

      relu table -v relu,gelu -c maths,advice

      relu table --format markdown > variants.md
    """
    from ..render.comparison import (parse_columns, print_comparison, variants_csv,
                                     variants_json, variants_markdown)

    names = [n for item in (variant or []) for n in item.split(",") if n.strip()]
    if variant is not None and not names:
        raise UsageError("--variant is empty: name variants or groups, e.g. -v all or "
                         "-v relu,gelu")
    machine = output_format is not TableFormat.table
    chosen = select(names) if names else (list(VARIANTS) if machine else select(["family"]))
    keys = parse_columns(columns) if columns else None
    if output_format is TableFormat.json:
        if keys is not None:
            raise UsageError("--columns applies to the table, markdown and csv; JSON holds "
                             "every field of each variant")
        sys.stdout.write(variants_json(chosen))
    elif output_format is TableFormat.csv:
        sys.stdout.write(variants_csv(chosen, keys))
    elif output_format is TableFormat.markdown:
        sys.stdout.write(variants_markdown(chosen, keys))
    else:
        from ..render.terminal import console

        print_comparison(console(), chosen, keys)
