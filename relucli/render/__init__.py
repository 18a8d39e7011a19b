"""Rendering: tables for people, JSON, CSV and Markdown for machines.

One place decides colour and width: :func:`.terminal.console` gives a rich Console that writes
no escape codes when stdout is not a terminal, when ``NO_COLOR`` is set or when
``TERM=dumb`` (rich honours all three). The tables of ``eval`` and ``table``, which can
be long or wide, are laid out as text by :func:`.layout.grid` with that console's colours; the
simulations' small tables are rich Tables. Numbers are printed with the shortest text
that reads back to the same value in their dtype, and never as "-0".

The rooms: ``numbers`` (numbers as text), ``layout`` (the text grid), ``terminal``
(consoles, colour, width, progress), ``records`` (JSON and CSV shared by commands), and
one module per command's output: ``evaluation`` (eval), ``comparison`` (table),
``dying`` (dying-sim), ``quant`` (quant-sim), ``gradflow`` (grad-flow), ``snippets``
(code).
"""
