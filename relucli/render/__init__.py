"""Rendering: tables for people, JSON, CSV and Markdown for machines.

One place decides colour and width: :func:`console` gives a rich Console that writes
no escape codes when stdout is not a terminal, when ``NO_COLOR`` is set or when
``TERM=dumb`` (rich honours all three). The tables of ``eval`` and ``table``, which can
be long or wide, are laid out as text by :func:`grid` with that console's colours; the
simulations' small tables are rich Tables. Numbers are printed with the shortest text
that reads back to the same value in their dtype, and never as "-0".

The rooms: ``numbers`` (numbers as text), ``layout`` (the text grid), ``terminal``
(consoles, colour, width, progress), ``records`` (JSON and CSV shared by commands), and
one module per command's output: ``evaluation`` (eval), ``comparison`` (table),
``dying`` (dying-sim), ``quant`` (quant-sim), ``gradflow`` (grad-flow), ``snippets``
(code).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# The text grid and the numbers are part of every table; imported here for __test__.
from .layout import grid
from .numbers import _fraction_or_decimal, format_number

# Temporary re-exports: the rest of relucli (and its tests) still call render.X; the
# names below are the ones used outside this package. Each loads its module on first
# use (as relucli.engine does in relucli/__init__.py), so that `relu table` imports the
# comparison and the terminal but not the simulations' renderers.
__all__ = [
    "ProgressBar",
    "column_name",
    "console",
    "dying_csv",
    "dying_json",
    "dying_table",
    "eval_csv",
    "eval_json",
    "flow_records",
    "flow_table",
    "grid",
    "print_eval_table",
    "print_snippets",
    "print_table",
    "print_variants",
    "quant_records",
    "quant_table",
    "records_csv",
    "records_json",
    "variants_csv",
    "variants_json",
    "variants_markdown",
]

#: Where each re-exported name lives.
_HOMES = {
    "print_variants": "comparison", "variants_csv": "comparison",
    "variants_json": "comparison", "variants_markdown": "comparison",
    "dying_csv": "dying", "dying_json": "dying", "dying_table": "dying",
    "column_name": "evaluation", "eval_csv": "evaluation", "eval_json": "evaluation",
    "print_eval_table": "evaluation",
    "flow_records": "gradflow", "flow_table": "gradflow",
    "quant_records": "quant", "quant_table": "quant",
    "records_csv": "records", "records_json": "records",
    "print_snippets": "snippets",
    "ProgressBar": "terminal", "console": "terminal", "print_table": "terminal",
}

if TYPE_CHECKING:  # pragma: no cover
    from .comparison import print_variants, variants_csv, variants_json, variants_markdown
    from .dying import dying_csv, dying_json, dying_table
    from .evaluation import column_name, eval_csv, eval_json, print_eval_table
    from .gradflow import flow_records, flow_table
    from .quant import quant_records, quant_table
    from .records import records_csv, records_json
    from .snippets import print_snippets
    from .terminal import ProgressBar, console, print_table


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        from importlib import import_module

        value = getattr(import_module(f".{_HOMES[name]}", __name__), name)
        globals()[name] = value  # found directly from now on
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# tests/test_docs.py runs doctest.testmod(render), and doctest only collects the
# examples of functions defined in the module itself: name the re-exported ones here.
__test__ = {"format_number": format_number, "grid": grid,
            "_fraction_or_decimal": _fraction_or_decimal}
