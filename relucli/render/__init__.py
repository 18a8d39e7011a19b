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

# Temporary re-exports: the rest of relucli (and its tests) still call render.X; the
# names below are the ones used outside this package.
from .comparison import print_variants, variants_csv, variants_json, variants_markdown
from .dying import dying_csv, dying_json, dying_table
from .evaluation import column_name, eval_csv, eval_json, print_eval_table
from .gradflow import flow_records, flow_table
from .layout import grid
from .numbers import _fraction_or_decimal, format_number
from .quant import quant_records, quant_table
from .records import records_csv, records_json
from .snippets import print_snippets
from .terminal import ProgressBar, console, print_table

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

# tests/test_docs.py runs doctest.testmod(render), and doctest only collects the
# examples of functions defined in the module itself: name the re-exported ones here.
__test__ = {"format_number": format_number, "grid": grid,
            "_fraction_or_decimal": _fraction_or_decimal}
