"""Rendering: tables for people, JSON, CSV and Markdown for machines.

One place decides colour and width: :func:`console` gives a rich Console that writes
no escape codes when stdout is not a terminal, when ``NO_COLOR`` is set or when
``TERM=dumb`` (rich honours all three). The tables of ``eval`` and ``table``, which can
be long or wide, are laid out as text by :func:`grid` with that console's colours; the
simulations' small tables are rich Tables. Numbers are printed with the shortest text
that reads back to the same value in their dtype, and never as "-0".
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, Iterable, Sequence

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from .engine import Evaluation
    from .registry import Variant


# --------------------------------------------------------------------------------------
# Numbers


def format_number(value: Any) -> str:
    """Shortest round-trip text of a NumPy scalar in its own dtype; no "-0".

    >>> import numpy as np
    >>> format_number(np.float32(-0.01) * np.float32(1)), format_number(np.float32(-0.0))
    ('-0.01', '0')
    """
    if value != value:
        return "nan"
    if value == 0:
        return "0"
    text = str(value)  # NumPy scalars print the shortest text that round-trips
    if text in ("inf", "-inf"):
        return text
    if text.endswith(".0"):
        text = text[:-2]
    return text


def number_texts(array: "np.ndarray") -> list[str]:
    """:func:`format_number` over a flattened array (C order)."""
    return [format_number(v) for v in array.reshape(-1)]


def json_numbers(array: "np.ndarray") -> list[float | str]:
    """Values for JSON: shortest decimals as numbers, non-finite as "nan"/"inf"/"-inf"."""
    out: list[float | str] = []
    for text in number_texts(array):
        out.append(text if text in ("nan", "inf", "-inf") else float(text))
    return out


def _param_json(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


# --------------------------------------------------------------------------------------
# `relu eval`


def eval_document(x: "np.ndarray", results: Sequence["Evaluation"], seed: int | None,
                  with_grad: bool) -> dict:
    """The stable JSON document of ``relu eval`` (see the README for the schema)."""
    entries = []
    for r in results:
        entry: dict[str, Any] = {
            "variant": r.variant.name,
            "params": {k: _param_json(v) for k, v in r.params.items()},
        }
        if r.mode is not None:
            entry["mode"] = r.mode
            if r.mode == "train":
                entry["seed"] = seed
        entry["y"] = json_numbers(r.y)
        if with_grad:
            entry["grad"] = json_numbers(r.grad)
            if r.grad_params:
                entry["grad_params"] = {k: json_numbers(v) for k, v in r.grad_params.items()}
        entries.append(entry)
    return {
        "dtype": str(x.dtype),
        "shape": list(x.shape),
        "x": json_numbers(x),
        "results": entries,
    }


def eval_json(*args, **kwargs) -> str:
    """The document with one key per line and each array on one line."""
    return _json_lines(eval_document(*args, **kwargs), "") + "\n"


def _json_lines(value: Any, indent: str) -> str:
    import json

    inner = indent + "  "
    if isinstance(value, dict) and any(isinstance(v, (dict, list)) for v in value.values()):
        items = [f"{inner}{json.dumps(k)}: {_json_lines(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if isinstance(value, list) and any(isinstance(v, dict) for v in value):
        items = [inner + _json_lines(v, inner) for v in value]
        return "[\n" + ",\n".join(items) + f"\n{indent}]"
    return json.dumps(value, ensure_ascii=False)


def column_name(result: "Evaluation", results: Sequence["Evaluation"]) -> str:
    """The variant's name, with its parameters if two results share a name."""
    same = [r for r in results if r.variant is result.variant]
    return result.variant.name if len(same) == 1 else result.variant.label(result.params)


def eval_csv(x: "np.ndarray", results: Sequence["Evaluation"], with_grad: bool) -> str:
    """One row per input value (C order): x, then each variant's y and grad."""
    import csv
    import io

    header = ["x"]
    columns = [number_texts(x)]
    for r in results:
        name = column_name(r, results)
        header.append(name)
        columns.append(number_texts(r.y))
        if with_grad:
            header.append(f"{name}_grad")
            columns.append(number_texts(r.grad))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(zip(*columns))
    return buffer.getvalue()


def eval_texts(x: "np.ndarray", results: Sequence["Evaluation"], with_grad: bool):
    """The texts of an eval table: the index (n-d input) or None, x, and per result its
    values and gradients (or None): formatted once, for measuring and drawing."""
    import numpy as np

    index = [str(i) for i in np.ndindex(x.shape)] if x.ndim > 1 else None
    return index, number_texts(x), [
        (number_texts(r.y), number_texts(r.grad) if with_grad else None) for r in results]


def eval_grid(out, x: "np.ndarray", results: Sequence["Evaluation"], seed: int | None,
              with_grad: bool, long: bool = False, measure_only: bool = False,
              label_width: int | None = None, texts=None):
    """x (and the index for n-d input), then value and gradient columns; or, ``long``,
    one row per (variant, x) with the variant's value and gradient, which stays
    readable when many variants would not fit side by side; its variant labels are
    wrapped to ``label_width``. ``texts`` are :func:`eval_texts` (drawing the wide
    layout pads them in place). See :func:`grid_lines`."""
    import textwrap

    index, xs, values_and_grads = texts or eval_texts(x, results, with_grad)
    if long:
        headers = ["variant"] + (["index"] if index else []) + ["x", "y"]
        headers += ["grad"] if with_grad else []
        styles = ["bold"] + (["dim"] if index else []) + ["cyan", None, "magenta"]
        columns: list[list[str]] = [[] for _ in headers]
        firsts = set()
        for r, (ys, gs) in zip(results, values_and_grads):
            label = r.variant.label(r.params)
            lines = [label]
            if label_width:  # break after "(" too: "LeakyReLU(" / "negative_slope=0.01)"
                lines = [line.replace("( ", "(") for line in
                         textwrap.wrap(label.replace("(", "( "), label_width)]
            firsts.add(len(columns[0]))
            extra = max(len(lines) - x.size, 0)  # rows for the rest of a wrapped label
            columns[0] += lines + [""] * (x.size + extra - len(lines))
            for column, cells in zip(columns[1:], ([index] if index else []) + [xs, ys, gs]):
                column += cells + [""] * extra
        rules = lambda row: "between" if row in firsts else None  # noqa: E731
    else:
        headers = (["index"] if index else []) + ["x"]
        styles = (["dim"] if index else []) + ["cyan"]
        columns = ([index] if index else []) + [xs]
        for r, (ys, gs) in zip(results, values_and_grads):
            headers.append(r.variant.label(r.params))
            styles.append(None)
            columns.append(ys)
            if with_grad:
                headers.append("grad")
                styles.append("magenta")
                columns.append(gs)
        rules = None
    right = [h not in ("variant", "index") for h in headers]
    notes = []
    for r in results:
        if r.mode == "train":
            notes.append(f"{r.variant.display}: training mode, slopes ~ U(lower, upper), seed {seed}")
        elif r.mode == "eval":
            notes.append(f"{r.variant.display}: evaluation mode, slope (lower+upper)/2")
        if with_grad:
            for name, value in r.grad_params.items():
                notes.append(f"{r.variant.display}: ∂(Σy)/∂{name} = "
                             f"[{', '.join(number_texts(value))}]")
    return grid_lines(out, headers, columns,
                      title=f"{x.size} value{'s' if x.size != 1 else ''}, {x.dtype}",
                      caption="\n".join(notes), right=right, styles=styles, rules=rules,
                      measure_only=measure_only)


def print_eval_table(out, x, results, seed, with_grad) -> None:
    """Side by side when that fits the terminal (pipes and files: always), else the
    long layout, one row per variant and value."""
    texts = eval_texts(x, results, with_grad)
    long, label_width = False, None
    if out.is_terminal or "COLUMNS" in os.environ:
        long = eval_grid(out, x, results, seed, with_grad, measure_only=True,
                         texts=texts) > out.width
        if long:  # and if even that is too wide, wrap the variant labels
            # (labels wrapped as narrow as the header: the other columns' share)
            other = eval_grid(out, x, results, seed, with_grad, long=True, measure_only=True,
                              label_width=len("variant"), texts=texts) - len("variant")
            label_width = max(out.width - other, 12)
    out.file.writelines(eval_grid(out, x, results, seed, with_grad, long=long,
                                  label_width=label_width, texts=texts))


# --------------------------------------------------------------------------------------
# `relu table`

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


def _fraction_or_decimal(value: float) -> str:
    """1/8 and 1/3 as PyTorch's docs write them; 0.25 and 0.01 as decimals.

    >>> _fraction_or_decimal(1 / 3), _fraction_or_decimal(0.125), _fraction_or_decimal(0.25)
    ('1/3', '1/8', '0.25')
    """
    if isinstance(value, str):
        return value
    if value != value or value in (float("inf"), float("-inf")):
        return "inf" if value > 0 else str(value)
    for denominator in (3, 6, 7, 8, 9, 12, 16, 48):
        numerator = round(value * denominator)
        if numerator and numerator / denominator == value and numerator % denominator:
            from math import gcd

            common = gcd(numerator, denominator)
            if denominator // common not in (1, 2, 4, 5):
                return f"{numerator // common}/{denominator // common}"
    return _g(value)


def _g(value: float) -> str:
    return repr(value) if value != int(value) else str(int(value))


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


#: Readable ASCII for the symbols of the registry's texts (and the tool's other
#: output), for consoles that cannot encode them.
ASCII_SYMBOLS = str.maketrans({
    "∞": "inf", "∇": "grad", "→": "->", "·": "*", "—": "-", "≤": "<=", "≥": ">=",
    "≈": "~", "±": "+/-", "∂": "d", "∪": "U", "²": "^2", "√": "sqrt", "α": "alpha",
    "β": "beta", "λ": "lambda", "σ": "sigma", "Φ": "Phi", "φ": "phi", "…": "...",
    "×": "x", "⚠": "!", "′": "'", "‖": "||", "∏": "prod", "Σ": "sum ", "χ": "chi",
    "⊙": "*",
})


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


# --------------------------------------------------------------------------------------
# Grids: tables laid out here rather than by rich.table.Table, whose measuring and
# wrapping of every cell took 15 ms for `relu table` and 75 s for a 100,000-row
# `relu eval`. Their cells never wrap: the callers choose a layout that fits (cards,
# one row per value) or, into a pipe or file, print every row on one line.

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
        headers = [h.translate(ASCII_SYMBOLS) for h in headers]
        for column in columns:
            column[:] = [cell.translate(ASCII_SYMBOLS) for cell in column]
        title, caption = title.translate(ASCII_SYMBOLS), caption.translate(ASCII_SYMBOLS)
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


# --------------------------------------------------------------------------------------
# Consoles


def print_table(out, table) -> None:
    """Print ``table``; into a pipe or file (with no $COLUMNS) at its natural width, so
    that rows are never wrapped or cut to fit an imaginary 80-column screen."""
    if not out.is_terminal and "COLUMNS" not in os.environ:
        from rich.measure import Measurement

        needed = Measurement.get(out, out.options.update_width(100_000), table).maximum
        out.width = max(out.width, needed)
    out.print(table)


def plain_text() -> bool:
    """No escape codes at all: ``NO_COLOR`` set (https://no-color.org) or ``TERM=dumb``.
    (Rich alone keeps bold and underline under NO_COLOR.)"""
    return bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"


def console(stderr: bool = False):
    """A rich Console for stdout (or stderr): no escape codes for a non-terminal,
    ``NO_COLOR`` or ``TERM=dumb``."""
    from rich.console import Console

    extra = {"color_system": None} if plain_text() else {}
    out = Console(file=sys.stderr if stderr else sys.stdout, stderr=stderr,
                  highlight=False, soft_wrap=False, markup=False, emoji=False,
                  width=None if _is_terminal(stderr) else _pipe_width(), **extra)
    out.on_broken_pipe = _reader_went_away
    return out


def _reader_went_away() -> None:
    """Rich exits with status 1 when the reader closes the pipe (`relu table | head`);
    hand it to cli.main, which exits quietly with 0, as for output written directly."""
    raise BrokenPipeError


def _is_terminal(stderr: bool) -> bool:
    stream = sys.stderr if stderr else sys.stdout
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _pipe_width() -> int:
    """Width for output that is not a terminal: $COLUMNS if set, else wide enough that
    tables are not squeezed into a default 80 columns."""
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        return 200


# --------------------------------------------------------------------------------------
# Progress for long work: a rich bar on stderr when it is a terminal, shown only once
# the work has taken more than half a second; nothing when piped or with --quiet.


class ProgressBar:
    """Use as ``with ProgressBar("simulating", quiet) as update: update(done, total)``."""

    def __init__(self, description: str, quiet: bool = False, delay: float = 0.5):
        self.description = description
        self.enabled = not quiet and _is_terminal(stderr=True)
        self.delay = delay
        self._progress = None
        self._task = None
        self._start = 0.0

    def __enter__(self):
        import time

        self._start = time.monotonic()
        return self.update

    def update(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self._progress is None:
            import time

            if time.monotonic() - self._start < self.delay:
                return
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress,
                                       TextColumn, TimeRemainingColumn)

            self._progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                      MofNCompleteColumn(), TimeRemainingColumn(),
                                      console=console(stderr=True), transient=True)
            self._progress.start()
            self._task = self._progress.add_task(self.description, total=total)
        self._progress.update(self._task, completed=done, total=total)

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()


# --------------------------------------------------------------------------------------
# `relu dying-sim`


def _num(value: float | None, digits: int = 4) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return str(value)
    return value


def dying_records(model: str, runs: list[tuple[Any, list]]) -> list[dict[str, Any]]:
    """Flat records, one per (sweep value, variant): the JSON ``results`` list."""
    records = []
    for sweep_value, results in runs:
        for r in results:
            record: dict[str, Any] = {}
            if sweep_value is not None:
                record["sweep_value"] = sweep_value
            record["variant"] = r.variant.name
            record["variant_params"] = {k: _param_json(v) for k, v in r.params.items()}
            if model == "depth":
                record.update(
                    dead_fraction=r.born_dead.value, stderr=r.born_dead.stderr,
                    closed_form=None, born_dead_probability=r.born_dead.value,
                    one_point_probability=r.one_point_probability,
                    per_layer_dead_fraction=r.per_layer_dead_fraction,
                )
            elif model == "train":
                record.update(
                    learning_rate=r.learning_rate, dead_fraction=r.dead.value,
                    stderr=r.dead.stderr, closed_form=None,
                    suppressed_fraction=r.suppressed.value, final_loss=_num(r.final_loss),
                    diverged_trials=r.diverged,
                )
            else:
                if r.mode is not None:
                    record["mode"] = r.mode
                record.update(
                    dead_fraction=r.dead.value, stderr=r.dead.stderr,
                    closed_form=r.dead.closed_form, z=_num(r.dead.z),
                    suppressed_fraction=r.suppressed.value,
                    suppressed_closed_form=r.suppressed.closed_form,
                    mean_abs_grad=r.mean_abs_grad.value,
                    mean_abs_grad_closed_form=r.mean_abs_grad.closed_form,
                )
                for name, part in r.parts.items():
                    record[name] = part.value
                    record[f"{name}_closed_form"] = part.closed_form
            records.append(record)
    return records


def dying_json(model: str, params: dict, sweep: dict | None, runs) -> str:
    document = {"model": model, "params": params, "sweep": sweep,
                "results": dying_records(model, runs)}
    return _json_lines(document, "") + "\n"


def dying_csv(model: str, runs) -> str:
    """One row per (sweep value, variant); lists (per-layer fractions) joined by ';'."""
    return records_csv(dying_records(model, runs))


def _pct(value: float | None, stderr: float | None = None) -> str:
    if value is None:
        return "—"
    if value != 0 and abs(value) < 1e-4:
        text = f"{value:.2e}"
    else:
        text = f"{100 * value:.2f}%"
    if stderr is not None and stderr > 0:
        text += f" ± {100 * stderr:.2f}" if abs(stderr) >= 1e-4 else f" ± {stderr:.1e}"
    return text


def dying_table(model: str, title: str, sweep_name: str | None, runs):
    """The human table of a dying-sim run."""
    from rich.table import Table

    table = Table(title=title, title_style="bold", header_style="bold")
    if sweep_name:
        table.add_column(sweep_name, justify="right", style="cyan")
    table.add_column("variant", style="bold", overflow="fold", min_width=9)
    if model == "depth":
        columns = ["born dead", "one-point probability", "dead per layer (first → last)"]
    elif model == "train":
        columns = ["learning rate", "dead", "suppressed", "final loss", "diverged"]
    else:
        columns = ["dead", "closed form", "z", "suppressed", "mean |grad|", "dead low / high / mixed"]
    for name in columns:
        table.add_column(name, justify="left" if "layer" in name or "/" in name else "right")
    table.caption = "variant parameters: PyTorch's defaults unless shown"
    smooth = sorted({r.variant.display for _, results in runs for r in results
                     if not r.variant.piecewise_linear})
    if smooth and model != "depth":
        table.caption += (f"; {', '.join(smooth)}: dead means nearly dead, |gradient| below "
                          "--near-zero for the whole batch")
    table.caption_justify = "left"
    for sweep_value, results in runs:
        for r in results:
            row = [format_number_plain(sweep_value)] if sweep_name else []
            default = r.params == r.variant.resolve_params({})
            row.append(r.variant.display if default else r.variant.label(r.params))
            if model == "depth":
                layers = r.per_layer_dead_fraction
                shown = layers if len(layers) <= 8 else layers[:4] + [None] + layers[-3:]
                row += [_pct(r.born_dead.value, r.born_dead.stderr),
                        _pct(r.one_point_probability),
                        " ".join("…" if v is None else f"{100 * v:.0f}%" for v in shown)]
            elif model == "train":
                row += [f"{r.learning_rate:g}", _pct(r.dead.value, r.dead.stderr),
                        _pct(r.suppressed.value, r.suppressed.stderr),
                        "—" if r.final_loss != r.final_loss else f"{r.final_loss:.3g}",
                        str(r.diverged) if r.diverged else "no"]
            else:
                z = r.dead.z
                row += [_pct(r.dead.value, r.dead.stderr), _pct(r.dead.closed_form),
                        "—" if z is None else ("0.00" if abs(z) < 0.005 else f"{z:+.2f}"),
                        _pct(r.suppressed.value, r.suppressed.stderr),
                        f"{r.mean_abs_grad.value:.4f}",
                        " / ".join(_pct(p.value) for p in r.parts.values()) or "—"]
            table.add_row(*row)
    return table


def format_number_plain(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


# --------------------------------------------------------------------------------------
# `relu quant-sim` and `relu grad-flow`


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


def flow_records(results) -> list[dict[str, Any]]:
    records = []
    for r in results:
        records.append({
            "variant": r.variant.name,
            "variant_params": {k: _param_json(v) for k, v in r.params.items()},
            "max_abs_gradient": r.max_slope,
            "layers": [
                {"layer": i + 1, "relative_grad_norm": _num(g), "dead_fraction": d,
                 "mean_activation": a, "bound": _num(b)}
                for i, (g, d, a, b) in enumerate(zip(r.relative_grad_norm, r.dead_fraction,
                                                     r.mean_activation, r.bound))
            ],
        })
    return records


def records_json(command: str, params: dict, records: list) -> str:
    return _json_lines({"command": command, "params": params, "results": records}, "") + "\n"


def records_csv(records: list[dict], nested: str | None = None) -> str:
    """Flat CSV; with ``nested``, one row per item of that list in each record."""
    import csv
    import io

    rows = []
    for record in records:
        base = {k: v for k, v in record.items() if k != nested}
        if nested:
            rows += [{**base, **item} for item in record[nested]]
        else:
            rows.append(base)
    keys: list[str] = []
    for row in rows:
        keys += [k for k in row if k not in keys]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(keys)
    for row in rows:
        writer.writerow([_csv_cell(row.get(k)) for k in keys])
    return buffer.getvalue()


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dict):
        return ";".join(f"{k}={_param_json(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ";".join(repr(v) for v in value)
    return value


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


def flow_table(title: str, results, every: int):
    """One row per shown layer; per variant the relative gradient norm, dead share."""
    from rich.table import Table

    table = Table(title=title, title_style="bold", header_style="bold")
    table.add_column("layer", justify="right", style="cyan")
    for r in results:
        default = r.params == r.variant.resolve_params({})
        name = r.variant.display if default else r.variant.label(r.params)
        table.add_column(f"{name}\n|∂L/∂h| rel.", justify="right")
        table.add_column("dead", justify="right", style="dim")
    depth = len(results[0].relative_grad_norm)
    shown = sorted({0, depth - 1, *range(0, depth, every)})
    for layer in shown:
        row = [str(layer + 1)]
        for r in results:
            row += [f"{r.relative_grad_norm[layer]:.3g}", _pct(r.dead_fraction[layer])]
        table.add_row(*row)
    table.caption = ("|∂L/∂h| rel.: the norm of the gradient with respect to the layer's input, "
                     "relative to the top layer's; dead: units with zero gradient for the "
                     "whole batch")
    table.caption_justify = "left"
    return table


# --------------------------------------------------------------------------------------
# `relu code`


def print_snippets(out, variant, snippets) -> None:
    """Highlighted code on a colour terminal; plain Python text (with # comments for the
    titles and warnings) otherwise, so that it can be piped straight into a file."""
    if out.is_terminal and out.color_system is not None:
        from rich.panel import Panel
        from rich.syntax import Syntax
        from rich.text import Text

        for snippet in snippets:
            out.print(Panel(Syntax(snippet.code, "python", theme="ansi_dark",
                                   background_color="default"),
                            title=Text(f"{snippet.title}: {variant.display}", style="bold"),
                            title_align="left", expand=False))
            for warning in snippet.warnings:
                out.print(Text(f"  ⚠ {warning}", style="yellow"))
            out.print()
        return
    blocks = []
    for snippet in snippets:
        lines = [f"# {snippet.title}: {variant.display}", snippet.code]
        lines += [f"# warning: {w}" for w in snippet.warnings]
        blocks.append("\n".join(lines))
    out.file.write("\n\n".join(blocks) + "\n")
