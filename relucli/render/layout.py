"""Tables laid out as text (:func:`grid`): box lines, alignment, colours as the
console would write them, and the ASCII fallbacks for consoles that cannot encode
box-drawing characters or the registry's symbols.

Grids: tables laid out here rather than by rich.table.Table, whose measuring and
wrapping of every cell took 15 ms for `relu table` and 75 s for a 100,000-row
`relu eval`. Their cells never wrap: the callers choose a layout that fits (cards,
one row per value) or, into a pipe or file, print every row on one line.
"""

from __future__ import annotations

import re
from typing import Sequence


#: Readable ASCII for the symbols of the registry's texts (and the tool's other
#: output), for consoles that cannot encode them.
ASCII_SYMBOLS = str.maketrans({
    "∞": "inf", "∇": "grad", "→": "->", "·": "*", "—": "-", "≤": "<=", "≥": ">=",
    "≈": "~=", "±": "+/-", "∂": "d", "∪": "or", "²": "^2", "√": "sqrt", "α": "alpha",
    "β": "beta", "λ": "lambda", "σ": "sigma", "Φ": "Phi", "φ": "phi", "…": "...",
    "×": "x", "⚠": "!", "′": "'", "‖": "||", "∏": "prod", "Σ": "sum ", "χ": "chi",
    "⊙": "*",
})


#: A parameter written next to what it multiplies (λx, αe^x, λα), and a function
#: next to a letter (σx): ASCII needs the "*" that juxtaposition stood for.
_PARAMETER_NEXT = re.compile(r"([αβλ])(?=[\w(αβλσΦφ])")
_FUNCTION_NEXT = re.compile(r"([σΦφ])(?=[A-Za-z0-9αβλ])")


def ascii_text(text: str) -> str:
    """``text`` in readable ASCII for consoles that cannot encode the registry's
    symbols, juxtaposed products spelled out.

    >>> ascii_text("λx if x > 0 else λα(e^x - 1); λ ≈ 1.0507"), ascii_text("σ(βx)")
    ('lambda*x if x > 0 else lambda*alpha*(e^x - 1); lambda ~= 1.0507', 'sigma(beta*x)')
    """
    if text.isascii():
        return text
    text = _FUNCTION_NEXT.sub("\\1*", _PARAMETER_NEXT.sub("\\1*", text))
    return text.translate(ASCII_SYMBOLS)


#: Box-drawing characters, each line as left, fill, joint, right: a heavy head, light
#: rules between rows, a double rule between families. ``ASCII_BOX`` is for consoles
#: that cannot encode them.
BOX = {"top": "┏━┳┓", "head": "┃ ┃┃", "under_head": "┡━╇┩", "row": "│ ││",
       "between": "├─┼┤", "family": "╞═╪╡", "bottom": "└─┴┘"}
ASCII_BOX = {"top": "+-++", "head": "| ||", "under_head": "+=++", "row": "| ||",
             "between": "+-++", "family": "+=++", "bottom": "+-++"}


def grid(out, headers: Sequence[str], columns: list[list[str]], **options):
    """The lines of :func:`grid_lines` as one string.

    >>> from rich.console import Console
    >>> import io
    >>> print(grid(Console(file=io.StringIO()), ["x", "ReLU"], [["-1", "2"], ["0", "2"]],
    ...            right=[True, True]), end="")
    ┏━━━━┳━━━━━━┓
    ┃  x ┃ ReLU ┃
    ┡━━━━╇━━━━━━┩
    │ -1 │    0 │
    │  2 │    2 │
    └────┴──────┘
    """
    if options.get("measure_only"):
        return grid_lines(out, headers, columns, **options)
    return "".join(grid_lines(out, headers, columns, **options))


def grid_lines(out, headers: Sequence[str], columns: list[list[str]], *, title: str = "",
               caption: str = "", right: Sequence[bool] | None = None,
               styles: Sequence[str | None] | None = None, cell_style=None, rules=None,
               measure_only: bool = False):
    """The cells of ``columns`` (one list of texts per column) under ``headers``, with
    box lines, for the console ``out``: an iterator of lines (each ending in a newline),
    or with ``measure_only`` the width they need.

    ``right[c]`` right-aligns column c and ``styles[c]`` names its rich style (or
    None); ``cell_style(row, column)``, where given, names the style of each body cell
    instead. ``rules(row)`` gives the line above body row ``row`` >= 1: None, "between"
    or "family". The title is bold and centred, the caption dim below. The cells are
    padded in place (their lists are the largest part of a long table's memory).
    """
    ascii_only = out.options.ascii_only
    if ascii_only:
        headers = [ascii_text(h) for h in headers]
        for column in columns:
            column[:] = [ascii_text(cell) for cell in column]
        title, caption = ascii_text(title), ascii_text(caption)
    ascii_columns = [all(cell.isascii() for cell in column) for column in columns]
    widths = [max([_width(header)] + ([max(map(len, column), default=0)] if plain
                                      else [_width(cell) for cell in column]))
              for header, column, plain in zip(headers, columns, ascii_columns)]
    total = 1 + sum(w + 3 for w in widths)
    if measure_only:
        return total
    return _grid_lines(out, headers, columns, widths, total, ascii_columns, title, caption,
                       right or [False] * len(headers), styles or [None] * len(headers),
                       cell_style, rules)


def _grid_lines(out, headers, columns, widths, total, ascii_columns, title, caption, right,
                styles, cell_style, rules):
    box = ASCII_BOX if out.options.ascii_only else BOX
    paint = _painter(out)

    def pad(cell: str, column: int, plain: bool = False) -> str:
        width = widths[column]
        if not plain:
            width += len(cell) - _width(cell)
        return cell.rjust(width) if right[column] else cell.ljust(width)

    for c, column in enumerate(columns):
        if cell_style is not None:
            codes = [paint(cell_style(r, c)) for r in range(len(column))]
            column[:] = [before + pad(cell, c, ascii_columns[c]) + after
                         for cell, (before, after) in zip(column, codes)]
        else:
            before, after = paint(styles[c])
            column[:] = [before + pad(cell, c, ascii_columns[c]) + after for cell in column]

    def rule(kind: str) -> str:
        left, fill, joint, end = box[kind]
        return left + joint.join(fill * (w + 2) for w in widths) + end + "\n"

    def line(cells, edges: str) -> str:
        left, _, inner, end = edges
        return left + " " + f" {inner} ".join(cells) + " " + end + "\n"

    bold_before, bold_after = paint("bold")
    if title:
        yield bold_before + title.center(total).rstrip() + bold_after + "\n"
    yield rule("top")
    yield line([bold_before + pad(h, c) + bold_after for c, h in enumerate(headers)],
               box["head"])
    yield rule("under_head")
    for number, cells in enumerate(zip(*columns)):
        kind = rules(number) if rules and number else None
        if kind:
            yield rule(kind)
        yield line(cells, box["row"])
    yield rule("bottom")
    if caption:
        before, after = paint("dim italic")
        for text in caption.splitlines():
            yield before + text + after + "\n"


def _width(text: str) -> int:
    if text.isascii():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def _painter(out):
    """A function from a rich style name to the escape codes before and after a cell,
    as ``out`` would write them: none into a pipe or file, or under NO_COLOR or
    TERM=dumb (see :func:`console`)."""
    system = out.color_system
    if system is None or out.legacy_windows:  # (old Windows consoles take no codes)
        return lambda style: ("", "")
    from rich.console import COLOR_SYSTEMS
    from rich.style import Style

    cache: dict = {None: ("", "")}

    def paint(style):
        if style not in cache:
            before, _, after = Style.parse(style).render(
                "\0", color_system=COLOR_SYSTEMS[system]).partition("\0")
            cache[style] = (before, after)
        return cache[style]

    return paint

