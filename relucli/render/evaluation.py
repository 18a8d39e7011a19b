"""``relu eval``: the JSON document, the CSV rows and the text table (side by side; or
one row per variant and value when that does not fit; or, narrower still, one small
table per variant under its label)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Sequence

from .layout import grid_lines
from .numbers import json_numbers, number_texts
from .records import _json_lines, _param_json

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from ..engine import Evaluation


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


def label_lines(label: str, width: int) -> list[str]:
    """A variant's label in lines of at most ``width`` where it can be, broken after
    "(" or ", ", and after "=" only for a parameter that does not fit a line of its
    own: a name and a number always stay whole.

    >>> label_lines("RReLU(lower=0.125, upper=0.3333)", 14)
    ['RReLU(', 'lower=0.125,', 'upper=0.3333)']
    >>> label_lines("LeakyReLU(negative_slope=0.01)", 16)
    ['LeakyReLU(', 'negative_slope=', '0.01)']
    """
    lines: list[str] = []
    for piece in _label_pieces(label, width):
        if lines and len(lines[-1]) + len(piece.rstrip()) <= width:
            lines[-1] += piece
        else:
            lines.append(piece)
    return [line.rstrip() for line in lines]


def _label_pieces(label: str, width: int) -> list[str]:
    pieces = []
    for piece in re.split(r"(?<=\()|(?<=, )", label):
        pieces += re.split(r"(?<==)", piece) if len(piece.rstrip()) > width else [piece]
    return pieces


def _longest_label_piece(results) -> int:
    """The narrowest the variant column can be: its longest unbreakable piece."""
    return max(len(piece.rstrip()) for r in results
               for piece in _label_pieces(r.variant.label(r.params), 0))


def eval_grid(out, x: "np.ndarray", results: Sequence["Evaluation"], seed: int | None,
              with_grad: bool, long: bool = False, measure_only: bool = False,
              label_width: int | None = None, texts=None):
    """x (and the index for n-d input), then value and gradient columns; or, ``long``,
    one row per (variant, x) with the variant's value and gradient, which stays
    readable when many variants would not fit side by side; its variant labels are
    wrapped to ``label_width`` (:func:`label_lines`). ``texts`` are :func:`eval_texts`
    (drawing the wide layout pads them in place). See :func:`grid_lines`."""
    index, xs, values_and_grads = texts or eval_texts(x, results, with_grad)
    if long:
        headers = ["variant"] + (["index"] if index else []) + ["x", "y"]
        headers += ["grad"] if with_grad else []
        styles = ["bold"] + (["dim"] if index else []) + ["cyan", None, "magenta"]
        columns: list[list[str]] = [[] for _ in headers]
        firsts = set()
        for r, (ys, gs) in zip(results, values_and_grads):
            label = r.variant.label(r.params)
            lines = label_lines(label, label_width) if label_width else [label]
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
    return grid_lines(out, headers, columns, title=_title(x), caption=_notes(results, seed, with_grad),
                      right=right, styles=styles, rules=rules, measure_only=measure_only)


def _title(x) -> str:
    return f"{x.size} value{'s' if x.size != 1 else ''}, {x.dtype}"


def _notes(results, seed, with_grad) -> str:
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
    return "\n".join(notes)


def _per_variant_lines(out, x, results, seed, with_grad, texts):
    """One small table (index, x, y, grad) per variant under its label, for a screen
    too narrow for a variant column beside full-precision numbers."""
    from .layout import _painter

    from .layout import ascii_text

    plain = ascii_text if out.options.ascii_only else str
    index, xs, values_and_grads = texts
    bold_before, bold_after = _painter(out)("bold cyan")
    yield _title(x) + "\n"
    for r, (ys, gs) in zip(results, values_and_grads):
        yield "\n"
        for line in label_lines(r.variant.label(r.params), out.width):
            yield bold_before + plain(line) + bold_after + "\n"
        first = (["index"] if index else []) + ["x"]
        quantities = [("y", ys, None)] + ([("grad", gs, "magenta")] if with_grad else [])
        together = grid_lines(out, first + [q[0] for q in quantities],
                              [list(c) for c in ([index] if index else []) + [xs]]
                              + [list(q[1]) for q in quantities], measure_only=True)
        # full-precision numbers side by side may not fit: then y and grad each own a table
        parts = [quantities] if together <= out.width else [[q] for q in quantities]
        for part in parts:  # (a variant's tables follow each other, under its label)
            columns = [list(c) for c in ([index] if index else []) + [xs]]
            yield from grid_lines(out, first + [q[0] for q in part],
                                  columns + [list(q[1]) for q in part],
                                  right=[h != "index" for h in first] + [True] * len(part),
                                  styles=(["dim"] if index else []) + ["cyan"]
                                  + [q[2] for q in part])
    notes = _notes(results, seed, with_grad)
    if notes:
        before, after = _painter(out)("dim italic")
        for note in notes.splitlines():
            yield before + plain(note) + after + "\n"


def print_eval_table(out, x, results, seed, with_grad) -> None:
    """Side by side when that fits the width (a terminal's; piped, $COLUMNS or 80),
    else the long layout, one row per variant and value, its labels wrapped; and when
    even the longest piece of a label does not fit beside the numbers, one table per
    variant under its label."""
    texts = eval_texts(x, results, with_grad)
    label_width = None
    long = eval_grid(out, x, results, seed, with_grad, measure_only=True,
                     texts=texts) > out.width
    if long:  # and if even that is too wide, wrap the variant labels
        # (labels wrapped as narrow as their longest piece: the other columns' share)
        narrowest = max(_longest_label_piece(results), len("variant"))
        other = eval_grid(out, x, results, seed, with_grad, long=True, measure_only=True,
                          label_width=1, texts=texts) - narrowest
        label_width = out.width - other
        if label_width < narrowest:
            out.file.writelines(_per_variant_lines(out, x, results, seed, with_grad, texts))
            return
    out.file.writelines(eval_grid(out, x, results, seed, with_grad, long=long,
                                  label_width=label_width, texts=texts))
