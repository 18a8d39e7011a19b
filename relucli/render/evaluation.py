"""``relu eval``: the JSON document, the CSV rows and the text table (side by side, or
one row per variant and value when that does not fit)."""

from __future__ import annotations

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
    """Side by side when that fits the width (a terminal's; piped, $COLUMNS or 80),
    else the long layout, one row per variant and value."""
    texts = eval_texts(x, results, with_grad)
    label_width = None
    long = eval_grid(out, x, results, seed, with_grad, measure_only=True,
                     texts=texts) > out.width
    if long:  # and if even that is too wide, wrap the variant labels
        # (labels wrapped as narrow as the header: the other columns' share)
        other = eval_grid(out, x, results, seed, with_grad, long=True, measure_only=True,
                          label_width=len("variant"), texts=texts) - len("variant")
        label_width = max(out.width - other, 12)
    out.file.writelines(eval_grid(out, x, results, seed, with_grad, long=long,
                                  label_width=label_width, texts=texts))

