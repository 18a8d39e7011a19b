"""``relu eval``: values and gradients of variants on given inputs, printed as a
table, JSON or CSV, or written to .json, .csv, .npy or .npz."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from ..errors import UsageError
from ..exits import say
from ..variants import select
from .common import (DType, EvalFormat, check_seed, check_train, complete_variant,
                     fresh_seed, parse_param_options, refuse_force_without_file,
                     refuse_unused, variants_help)

OPTIONS = dict(no_args_is_help=True)

_OUTPUT_SUFFIXES = (".json", ".csv", ".npy", ".npz")


def command(
    ctx: typer.Context,
    variants: Annotated[list[str], typer.Argument(
        help=variants_help("Variants to evaluate side by side"), metavar="VARIANT...",
        autocompletion=complete_variant, show_default=False)],
    x: Annotated[Optional[list[str]], typer.Option(
        "-x", "--x", metavar="V1,V2,...", help="Input values, comma or space separated: "
        "-x -2,-1,0,1,2 or -x \"-2 -1 0\" (repeatable).", show_default=False)] = None,
    value_range: Annotated[Optional[str], typer.Option(
        "--range", "-r", metavar="START:STOP[:NUM]",
        help="NUM evenly spaced values from START to STOP inclusive (NUM defaults to 11).",
        show_default=False)] = None,
    file: Annotated[Optional[str], typer.Option(
        "--file", "-f", metavar="PATH",
        help="Read values from a .npy file (any shape) or a text/CSV file; '-' reads stdin.",
        show_default=False)] = None,
    param: Annotated[Optional[list[str]], typer.Option(
        "-p", "--param", metavar="NAME=VALUE",
        help="A parameter, e.g. -p negative_slope=0.2, -p alpha=0.1,0.2,0.3 (one per "
             "channel), -p rrelu.lower=0.1. Repeatable.", show_default=False)] = None,
    train: Annotated[bool, typer.Option(
        "--train", help="RReLU in training mode: a random slope per element.")] = False,
    seed: Annotated[Optional[int], typer.Option(
        "--seed", callback=check_seed, help="Seed for --train (the seed used is always "
        "reported).",
        show_default=False)] = None,
    dtype: Annotated[Optional[DType], typer.Option(
        "--dtype", metavar="DTYPE", help="Computation dtype: float16, bfloat16, float32 or "
        "float64 "
        "\\[default: float32; a .npy file keeps its own].",
        show_default=False)] = None,
    shape: Annotated[Optional[str], typer.Option(
        "--shape", metavar="D1,D2,...", help="Reshape the input (axis 1 is PReLU's "
        "channel axis), e.g. --shape 2,3,4.", show_default=False)] = None,
    output_format: Annotated[EvalFormat, typer.Option(
        "--format", help="Output format on stdout.")] = EvalFormat.table,
    no_grad: Annotated[bool, typer.Option("--no-grad", help="Leave out the gradients.")] = False,
    output: Annotated[Optional[str], typer.Option(
        "--output", "-o", metavar="FILE", help="Write .json, .csv, .npy (values only) or "
        ".npz (x, values and gradients) instead of printing.", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing --output file.")] = False,
) -> None:
    """Evaluate variants and their gradients (d output / d input) on given inputs.

    The input comes from -x, --range, --file, or a pipe (printf '1 2' | relu eval
    relu). At a kink the gradient is PyTorch's: 0 for ReLU at 0, the negative slope
    for LeakyReLU, PReLU and RReLU.

    Examples:

      relu eval relu -x -2,-1,0,1,2

      relu eval leaky_relu prelu -p negative_slope=0.2 --range -3:3:7

      relu eval prelu -p alpha=0.25,-0.5,1.5 --range -3:3:6 --shape 1,3,2

      relu eval relu6 --range -1:7:9 --format json

      relu eval rrelu --train --seed 0 -x -1,-1,-1
    """
    _refuse_numbers_as_variants(variants)
    _refuse_repeated_variants(variants)
    chosen = select(variants)
    params = parse_param_options(param or [], chosen)
    check_train(train, chosen)
    refuse_unused(ctx, ("seed",), not train, "without --train RReLU's slopes are not random")
    refuse_force_without_file(ctx, output is None)
    suffix = _output_suffix(output, force)
    if suffix and output_format is not EvalFormat.table:
        raise UsageError(f"-o {output} writes what its extension says ({suffix}) instead of "
                         f"printing; --format {output_format.value} is for standard output: "
                         "give one of them")

    import numpy as np

    from .. import engine, inputs

    with_grad = not no_grad and suffix != ".npy"
    kind = suffix or output_format.value
    # text and typed values are float32 unless --dtype says; a .npy keeps its own
    itemsize = 2 if dtype in (DType.float16, DType.bfloat16) else 8 if dtype else 4
    given = inputs.gather(x, value_range, file, dtype.value if dtype else None, shape,
                          check_size=lambda count: _check_eval_memory(
                              count, itemsize, chosen, with_grad, kind))
    for warning in given.warnings:
        say(f"warning: {warning}")
    _check_eval_memory(given.x.size, given.x.itemsize, chosen, with_grad, kind)
    if train and seed is None:
        seed = fresh_seed()
    rng = np.random.default_rng(seed) if train else None
    # Values of one variant going to .npy: nothing else needs the input afterwards, so
    # compute in place (half the memory and no second large allocation).
    in_place = suffix == ".npy" and len(chosen) == 1 and given.x.flags.writeable
    results = [
        engine.evaluate(v, given.x, grad=with_grad, training=train and v.stochastic,
                        rng=rng, out=given.x if in_place else None, **params[v.name])
        for v in chosen
    ]
    drawn = train and any(v.stochastic for v in chosen)
    if output is not None:
        _write_eval_output(output, suffix, force, given.x, results, seed if drawn else None,
                           with_grad)
    else:
        _print_results(output_format, given.x, results, seed, with_grad)
    if drawn and (suffix in (".csv", ".npy", ".npz") or
                  (output is None and output_format is EvalFormat.csv)):
        # CSV and .npy have no place for it (the table, JSON and .npz carry it)
        say(f"note: RReLU's training-mode slopes were drawn with seed {seed}; "
            f"--seed {seed} draws them again")


def _refuse_numbers_as_variants(variants: list[str]) -> None:
    """``relu eval relu -x 1 2`` leaves ``2`` among the variants: say how -x takes
    several values instead of calling 2 an unknown variant."""
    for name in variants:
        try:
            float(name.replace("\u2212", "-"))
        except ValueError:
            continue
        raise UsageError(f"{name!r} is a number, not a variant: -x takes its values as one "
                         f"list, e.g. -x 1,2 or -x \"1 2\" (or use --range, --file, or stdin)")


def _refuse_repeated_variants(variants: list[str]) -> None:
    """A variant named twice (``relu eval leaky leaky_relu``) would give one column:
    say so rather than drop a name the user typed. (A group and one of its members,
    ``family relu``, is fine: the group stands for the rest.)"""
    from ..variants import GROUPS, get

    seen: dict[str, str] = {}
    for name in variants:
        if name.lower() in GROUPS:
            continue
        variant = get(name)
        if variant.name in seen:
            raise UsageError(f"{variant.name} is named twice ({seen[variant.name]!r} and "
                             f"{name!r}); to compare parameters, run relu eval once per "
                             "setting")
        seen[variant.name] = name


def _output_suffix(output: str | None, force: bool) -> str | None:
    """The extension of ``-o FILE`` (which decides what is written), checked, with the
    file checked writable, before any work."""
    if output is None:
        return None
    from ..files import check_writable

    suffix = "." + output.rsplit(".", 1)[-1].lower() if "." in output else ""
    if suffix not in _OUTPUT_SUFFIXES:
        raise UsageError(
            f"--output {output}: unknown extension; use one of {', '.join(_OUTPUT_SUFFIXES)}"
        )
    check_writable(output, force)
    return suffix


def _print_results(output_format, x, results, seed, with_grad) -> None:
    from ..render import evaluation, terminal

    if output_format is EvalFormat.json:
        sys.stdout.write(evaluation.eval_json(x, results, seed, with_grad))
    elif output_format is EvalFormat.csv:
        sys.stdout.write(evaluation.eval_csv(x, results, with_grad))
    else:
        evaluation.print_eval_table(terminal.console(), x, results, seed, with_grad)


#: Bytes of memory per number written as text (a Python float, its string and the
#: pieces of the document), and seconds to format one: measured loosely.
TEXT_BYTES_PER_NUMBER = 120
TEXT_SECONDS_PER_NUMBER = 2e-6
#: The most numbers a text output (table, JSON, CSV) formats: about 20 s and 1.2 GB.
MAX_TEXT_NUMBERS = 10_000_000


def _check_eval_memory(size: int, itemsize: int, variants, with_grad: bool,
                       kind: str) -> None:
    """Refuse, before evaluating, what the chosen output cannot hold: text of more than
    MAX_TEXT_NUMBERS numbers, or arrays beyond the memory available."""
    from ..resources import check_memory, human_bytes, human_seconds

    arrays = len(variants) * (2 if with_grad else 1)
    numbers = size * (1 + arrays)
    text = kind not in (".npy", ".npz")
    if text and numbers > MAX_TEXT_NUMBERS:
        shown = kind.lstrip(".") if kind != "table" else "a table"
        raise UsageError(
            f"{shown} of {size:,} values ({numbers:,} numbers with x"
            f"{' and the gradients' if with_grad else ''}) would take about "
            f"{human_seconds(numbers * TEXT_SECONDS_PER_NUMBER)} and "
            f"{human_bytes(numbers * TEXT_BYTES_PER_NUMBER)} to format; text output is "
            f"limited to {MAX_TEXT_NUMBERS:,} numbers: write -o FILE.npz or FILE.npy "
            "(binary, fast), or give fewer values")
    # the results stay, and each variant's kernel makes up to three temporaries at a
    # time (smooth ones in a 16-byte wider copy)
    wide = any(v.wide for v in variants)
    needed = size * itemsize * (1 + arrays) + size * 3 * (16 if wide else itemsize)
    if text:
        needed += numbers * TEXT_BYTES_PER_NUMBER
    check_memory(needed, f"evaluating {size:,} values" + (
        "" if not text else f" as {kind.lstrip('.')} (use --output FILE.npy)"))


def _write_eval_output(output, suffix, force, x, results, seed, with_grad) -> None:
    import numpy as np

    from ..files import atomic_write
    from ..npyfiles import write_npy, write_npz
    from ..render import evaluation

    if suffix == ".json":
        data = evaluation.eval_json(x, results, seed, with_grad).encode()
        writer = lambda handle: handle.write(data)  # noqa: E731
    elif suffix == ".csv":
        data = evaluation.eval_csv(x, results, with_grad).encode()
        writer = lambda handle: handle.write(data)  # noqa: E731
    elif suffix == ".npy":
        values = results[0].y if len(results) == 1 else np.stack([r.y for r in results])
        writer = lambda handle: write_npy(handle, values)  # noqa: E731
    else:
        arrays = {"x": x} if seed is None else {"x": x, "seed": np.array(seed)}
        for r in results:
            name = evaluation.column_name(r, results)
            arrays[f"{name}_y"] = r.y
            if with_grad:
                arrays[f"{name}_grad"] = r.grad
                for key, value in r.grad_params.items():
                    arrays[f"{name}_grad_{key}"] = value
        writer = lambda handle: write_npz(handle, arrays)  # noqa: E731
    path = atomic_write(output, writer, force)
    say(f"wrote {path}")

