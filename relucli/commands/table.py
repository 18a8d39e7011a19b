"""``relu table``: the comparison table of the variants, as text, Markdown, JSON
or CSV."""

from __future__ import annotations

import enum
import sys
from typing import Annotated, Optional

import typer

from ..variants import select
from .common import complete_variant

OPTIONS: dict = {}


class TableFormat(str, enum.Enum):
    table = "table"
    markdown = "markdown"
    json = "json"
    csv = "csv"

def command(
    variant: Annotated[Optional[list[str]], typer.Option(
        "--variant", "-v", help="Show only this variant (repeatable).",
        autocompletion=complete_variant, show_default=False)] = None,
    output_format: Annotated[TableFormat, typer.Option(
        "--format", help="Output format.")] = TableFormat.table,
) -> None:
    """Print the comparison table of the variants.

    Formula, gradient, range, dying neurons, properties, defaults in PyTorch / Keras /
    JAX, and when to use each, as three tables (one card per variant on a narrow
    terminal) or as Markdown, JSON or CSV."""
    from ..render import comparison, terminal
    from ..variants import VARIANTS

    chosen = select(variant) if variant else list(VARIANTS)
    if output_format is TableFormat.json:
        sys.stdout.write(comparison.variants_json(chosen))
    elif output_format is TableFormat.csv:
        sys.stdout.write(comparison.variants_csv(chosen))
    elif output_format is TableFormat.markdown:
        sys.stdout.write(comparison.variants_markdown(chosen))
    else:
        comparison.print_variants(terminal.console(), chosen)


