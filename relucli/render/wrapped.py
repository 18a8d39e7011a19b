"""Tables whose cells wrap, for text that must fit a terminal: the widths a table gets
(the widest column gives way first, never below its longest word), cells broken only
between words (a number or a name is never cut), and the same facts stacked as
``label  value`` lines when even the narrowest table does not fit. Used by
``relu table``; the long numeric tables of ``relu eval`` keep the faster
one-line-per-row grid of :mod:`.layout`."""

from __future__ import annotations

import re
import textwrap
from typing import Sequence

from .layout import ASCII_BOX, BOX, _painter


def table_width(widths: Sequence[int]) -> int:
    """Columns a boxed table takes: a bar, then each cell padded by a space each side
    and closed by a bar.

    >>> table_width([2, 4])
    13
    """
    return 1 + sum(w + 3 for w in widths)


#: A short comparison (``x ≤ 0``, ``s = 0``, ``x > t``) is not a place to break a line:
#: it stays whole. (textwrap breaks at ASCII white space only, so a no-break space
#: holds it together until the line is printed.)
_COMPARISON = re.compile(r"(?<!\S)(\S{1,3}) ([=<>≤≥≈→]) (\S{1,4})(?!\S)")
#: A pair in brackets, each side at most three characters, stays on one line: U(l, u),
#: (t, ∞), [t, m], max(0, x) (longer ones, [-0.16997, ∞), may break after the comma).
_PAIR = re.compile(r"([(\[{][^\s()\[\]{}]{1,3}), ([^\s()\[\]{}]{1,3}[)\]}])")


def _glued(text: str) -> str:
    """``text`` with no-break spaces where a line must not break: inside a short
    comparison (``x ≤ 0``, ``∇ → 0``) and a short pair in brackets.

    >>> _glued("r ~ U(l, u) in training").replace("\u00a0", "_")
    'r ~ U(l,_u) in training'
    """
    text = _COMPARISON.sub("\\1\u00a0\\2\u00a0\\3", text)
    return _PAIR.sub("\\1,\u00a0\\2", text)


def longest_word(text: str, hyphens: bool = False) -> int:
    """The widest piece a cell cannot be broken into (with ``hyphens``, as for a
    header, a line may also break after a hyphen between letters).

    >>> longest_word("yes: ∇ = 0 for x ≤ 0"), longest_word("Self-normalising", hyphens=True)
    (5, 11)
    """
    words = _glued(text).split(" ")
    if hyphens:
        words = [piece for word in words for piece in _HYPHEN.split(word)]
    return max((len(word) for word in words), default=0)


#: After a hyphen between letters ("Self-|normalising"), where a header may break.
_HYPHEN = re.compile(r"(?<=[A-Za-z]-)(?=[A-Za-z])")


def fit_widths(natural: Sequence[int], minimal: Sequence[int], available: int) -> list[int] | None:
    """Content widths for columns whose texts need ``natural`` on one line and at least
    ``minimal`` (their longest word), so that the table fits ``available`` columns:
    the widest column gives up a character first. None when even the minimal widths
    do not fit.

    >>> fit_widths([10, 30], [3, 5], 30)
    [10, 13]
    >>> fit_widths([10, 30], [8, 20], 30) is None
    True
    """
    widths = list(natural)
    if table_width(widths) <= available:
        return widths
    if table_width(minimal) > available:
        return None
    excess = table_width(widths) - available
    while excess > 0:
        column = max((c for c in range(len(widths)) if widths[c] > minimal[c]),
                     key=lambda c: widths[c])
        widths[column] -= 1
        excess -= 1
    return widths


def column_groups(natural: Sequence[int], minimal: Sequence[int], available: int,
                  ) -> list[list[int]] | None:
    """The columns after the first split into consecutive groups, each shown with the
    first column as a table of its own that fits ``available``: fewer columns per
    table rather than cards. A column joins the current group while the group's
    comfortable widths (its natural width, or at least its longest word and at most
    a third of the screen) still fit. None when the first column and the widest
    word of some other column do not fit together.

    >>> column_groups([10, 30, 30, 20], [4, 10, 10, 15], 60)
    [[0, 1, 2], [0, 3]]
    >>> column_groups([10, 30, 30, 8], [4, 10, 10, 3], 60)  # a lone yes/no column joins
    [[0, 1, 2, 3]]
    >>> column_groups([10, 60], [4, 50], 40) is None
    True
    """
    comfortable = [min(n, max(m, available // 3)) for n, m in zip(natural, minimal)]
    groups: list[list[int]] = []
    for column in range(1, len(natural)):
        if table_width([minimal[0], minimal[column]]) > available:
            return None
        group = groups[-1] if groups else None
        if group and table_width([comfortable[c] for c in group + [column]]) <= available:
            group.append(column)
        else:
            groups.append([0, column])
    # a last table of one short column (yes/no) joins the one before where their
    # longest words fit, rather than stand alone
    if (len(groups) > 1 and len(groups[-1]) == 2 and natural[groups[-1][1]] <= 12
            and table_width([minimal[c] for c in groups[-2] + groups[-1][1:]]) <= available):
        last = groups.pop()
        groups[-1] += last[1:]
    return groups or [[0]]


def wrap_cell(text: str, width: int, hyphens: bool = False) -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken only between words, so
    that a number or a name is never cut (with ``hyphens``, for a header, also after a
    hyphen between letters).

    >>> wrap_cell("yes: ∇ = 0 for x ≤ 0 and x ≥ 6", 12)
    ['yes: ∇ = 0', 'for x ≤ 0', 'and x ≥ 6']
    >>> wrap_cell("Self-normalising", 12, hyphens=True)
    ['Self-', 'normalising']
    """
    if hyphens:  # textwrap's own hyphen rule also breaks "-1" and "x-6": letters only here
        return _wrap_at_hyphens(text, width)
    lines = textwrap.wrap(_glued(text), width, break_long_words=False, break_on_hyphens=False)
    return [line.replace("\u00a0", " ") for line in lines] or [""]


def _wrap_at_hyphens(text: str, width: int) -> list[str]:
    lines: list[str] = []
    line, joiner = "", ""
    for word in text.split():
        pieces = _HYPHEN.split(word)
        for number, piece in enumerate(pieces):
            if line and len(line) + len(joiner) + len(piece) > width:
                lines.append(line)
                line = piece
            else:
                line = line + joiner + piece if line else piece
            joiner = "" if number < len(pieces) - 1 else " "
    return lines + [line] if line else lines or [""]


def wrapped_grid_lines(out, headers, columns, widths, *, title="", caption="", rules=None,
                       cell_style=None, header_style="bold"):
    """A boxed table whose cells wrap to ``widths`` (content widths, from
    :func:`fit_widths`): each row as tall as its tallest cell. ``rules(row)`` gives
    the line above body row ``row`` >= 1 (None, "between" or "family"; "between" is
    left out between two rows of one line each);
    ``cell_style(row, column)`` names a rich style. Yields lines ending in a newline."""
    total = table_width(widths)
    box = ASCII_BOX if out.options.ascii_only else BOX
    paint = _painter(out)

    def rule(kind):
        left, fill, joint, end = box[kind]
        return left + joint.join(fill * (w + 2) for w in widths) + end + "\n"

    def block(wrapped, styles, edges):
        """One row's lines: ``wrapped`` holds each cell's lines."""
        left, _, inner, end = edges
        for number in range(max(len(lines) for lines in wrapped)):
            parts = []
            for column, lines in enumerate(wrapped):
                text = lines[number] if number < len(lines) else ""
                before, after = paint(styles[column])
                parts.append(before + text.ljust(widths[column]) + after)
            yield left + " " + f" {inner} ".join(parts) + " " + end + "\n"

    bold_before, bold_after = paint("bold")
    if title:
        for line in wrap_cell(title, total):
            yield bold_before + line.center(total).rstrip() + bold_after + "\n"
    yield rule("top")
    yield from block([wrap_cell(h, w, hyphens=True) for h, w in zip(headers, widths)],
                     [header_style] * len(headers), box["head"])
    yield rule("under_head")
    rows = [[wrap_cell(cell, width) for cell, width in zip(cells, widths)]
            for cells in zip(*columns)]
    # a rule between two rows of one line each separates nothing (between families
    # it says where one ends); next to a wrapped row it tells its lines apart
    tall = [any(len(lines) > 1 for lines in wrapped) for wrapped in rows]
    for row, wrapped in enumerate(rows):
        kind = rules(row) if rules and row else None
        if kind and (kind != "between" or tall[row - 1] or tall[row]):
            yield rule(kind)
        styles = [cell_style(row, c) if cell_style else None for c in range(len(wrapped))]
        yield from block(wrapped, styles, box["row"])
    yield rule("bottom")
    if caption:
        before, after = paint("dim italic")
        for line in wrap_cell(caption, total):
            yield before + line + after + "\n"


def stacked_lines(out, records, keys, titles, width, *, cell_style=None, heading="variant",
                  subheading=None):
    """The same facts without a grid, for a screen narrower than the columns: one block
    per record, a bold heading then one ``label  value`` line per column, the value
    wrapped under itself. Yields lines ending in a newline."""
    paint = _painter(out)
    label_width = max(len(titles[key]) for key in keys if key != heading)
    indent = 2 + label_width + 2
    value_width = max(width - indent, 20)
    for number, record in enumerate(records):
        if number:
            yield "\n"
        before, after = paint("bold cyan")
        extra = f"  ({record[subheading]})" if subheading else ""
        yield before + str(record[heading]) + after + extra + "\n"
        for key in keys:
            if key == heading:
                continue
            style_before, style_after = paint(cell_style(key, record) if cell_style else None)
            lines = wrap_cell(str(record[key]), value_width)
            label = titles[key].ljust(label_width)
            yield f"  {label}  {style_before}{lines[0]}{style_after}\n"
            for line in lines[1:]:
                yield " " * indent + style_before + line + style_after + "\n"
