"""``relu quant-sim``: outputs quantised onto an unsigned grid (affine, or fixed point
Qm.n), per variant and bit width: the error from clipping and from rounding, and when
ReLU6's bound helps (over a --sweep of the tails)."""

from __future__ import annotations

import enum
import math
import sys
from typing import Annotated, Optional

import typer

from ..errors import UsageError
from ..resources import DEFAULT_MAX_SECONDS
from ..variants import select
from .common import (EvalFormat, ForceOption, MaxSecondsOption, ParamOption, QuietOption,
                     SeedOption, check_run, complete_variant, fresh_seed, one_sweep,
                     parse_param_options, prepare_output, refuse_force_without_file,
                     refuse_unused, typed, variants_help, write_output)

OPTIONS: dict = {}


class QuantDist(str, enum.Enum):
    normal = "normal"
    t = "t"
    outliers = "outliers"


class QuantGrid(str, enum.Enum):
    affine = "affine"
    qformat = "qformat"


#: What --sweep may vary: its name -> the Distribution field, and the --dist it needs.
SWEEPABLE = {"mean": ("mean", None), "std": ("std", None), "df": ("df", "t"),
             "outlier_share": ("outlier_fraction", "outliers"),
             "outlier_scale": ("outlier_scale", "outliers")}
MAX_SWEEP = 1000


def command(
    ctx: typer.Context,
    variants: Annotated[Optional[list[str]], typer.Argument(
        help=variants_help("Variants to quantise", "relu relu6"), metavar="[VARIANT]...",
        autocompletion=complete_variant,
        show_default=False)] = None,
    bits: Annotated[str, typer.Option("--bits", help="Bit widths, e.g. 4,6,8, or 2:10 for every width from 2 to 10.")] = "4,6,8",
    grid: Annotated[QuantGrid, typer.Option(
        "--grid", metavar="affine|qformat", help="affine: scale R/(2^b-1), zero point 0 "
        "(uint8 in TFLite, PyTorch); qformat: unsigned Qm.n, step 2^-n.")] = QuantGrid.affine,
    calibrate: Annotated[str, typer.Option(
        "--calibrate", metavar="max|percentile:P", help="Range R for variants without an "
        "upper bound: the calibration sample's maximum or a percentile.")] = "max",
    dist: Annotated[QuantDist, typer.Option(
        "--dist", metavar="DIST", help="The inputs z: normal, t (Student-t, heavy "
        "tails) or outliers (a normal with a share of wide samples).")] = QuantDist.normal,
    mean: Annotated[float, typer.Option("--mean", help="Mean of the inputs z.")] = 0.0,
    std: Annotated[float, typer.Option("--std", help="Standard deviation (scale for t).")] = 2.0,
    df: Annotated[float, typer.Option("--df", help="Degrees of freedom of --dist t.")] = 3.0,
    outlier_share: Annotated[float, typer.Option(
        "--outlier-share", help="--dist outliers: share of wide samples.")] = 0.01,
    outlier_fraction: Annotated[Optional[float], typer.Option(
        "--outlier-fraction", hidden=True, help="The old name of --outlier-share.",
        show_default=False)] = None,
    outlier_scale: Annotated[float, typer.Option(
        "--outlier-scale", help="--dist outliers: their sd over the others'.")] = 10.0,
    sweep: Annotated[Optional[list[str]], typer.Option(
        "--sweep", metavar="NAME=START:STOP:NUM", help="Run over a range of one of "
        "mean, std, df, outlier-share, outlier-scale, e.g. df=1:30:30, or a list: "
        "std=0.5,1,2.", show_default=False)] = None,
    samples: Annotated[int, typer.Option("--samples", help="How many inputs z are quantised.")] = 1_000_000,
    calib_samples: Annotated[int, typer.Option(
        "--calib-samples", help="Separate sample the range is calibrated on.")] = 100_000,
    param: ParamOption = None,
    seed: SeedOption = None,
    output_format: Annotated[EvalFormat, typer.Option("--format", help="Output format.")] = EvalFormat.table,
    output: Annotated[Optional[str], typer.Option(
        "--output", "-o", metavar="FILE", help="Also write the results: .json or .csv data, "
        "or a .png, .svg or .pdf figure: SQNR and MSE against bits (with --sweep: SQNR "
        "and R against the swept value).", show_default=False)] = None,
    force: ForceOption = False,
    quiet: QuietOption = False,
    max_seconds: MaxSecondsOption = DEFAULT_MAX_SECONDS,
) -> None:
    """Quantise the outputs: the error from clipping and from rounding, per bit width.

    Outputs y = f(z) go onto 2^b codes q with values q·s on [0, top], rounding to the
    nearest code and clipping. R is the variant's bound where it has one (6 for
    ReLU6), otherwise calibrated on a separate sample (--calibrate max or
    percentile:P). --grid affine: the uint8 grid TFLite and PyTorch use for a fused
    ReLU6, scale s = R/(2^b - 1), zero point 0 (on int8 the zero point is -128), top
    = R. --grid qformat: unsigned fixed point Qm.n, m integer bits for R, n = b - m,
    s = 2^-n (n < 0: s = 2^|n|), top = (2^b - 1)·s, which may lie below R.

    The MSE is split into its clipping part (outputs beyond [0, top]) and its
    rounding part; the noise column is the rounding MSE of outputs inside (0, min(R,
    top)) over s²/12, so it reads 1.00 even where clipping is nearly all of the MSE
    (ReLU with --calibrate percentile:99 at 8 bits: 99.8% clipping).

    Does the bound help? Only where ReLU's calibrated range would be wider than 6, or
    where the range must be fixed before seeing data. On N(0, 1) a max-calibrated ReLU
    (R about 4.2) has the finer step and beats ReLU6 (about 21.9 against 18.8 dB at 4
    bits, 45.8 against 43.4 at 8). With heavy tails one far value sets R: on --dist t
    --df 3 (scale 2) R is about 100 and ReLU6 wins, 51.9 against 23.9 dB at 8 bits.
    --dist t --std 1 --sweep df=1:30:30 shows the crossover, near df 19.

    Examples:

      relu quant-sim

      relu quant-sim --calibrate percentile:99 --bits 8

      relu quant-sim --dist t --std 1 --sweep df=1:30:30 --bits 8 -o crossover.png

      relu quant-sim relu relu6 --grid qformat --bits 2:10 -o sqnr.png
    """
    chosen = select(variants or ["relu", "relu6"])
    params = parse_param_options(param or [], chosen)
    width_list = _parse_bits(bits)
    refuse_force_without_file(ctx, output is None)
    sweep = one_sweep(sweep)
    sweep_name, sweep_values = _parse_sweep(sweep) if sweep else (None, [None])
    if sweep_name is not None:
        also = ("outlier_fraction",) if sweep_name == "outlier_share" else ()
        refuse_unused(ctx, (sweep_name, *also), True, f"--sweep {sweep} sets it")
        needed = SWEEPABLE[sweep_name][1]
        if needed is not None and dist.value != needed:
            raise UsageError(f"--sweep {sweep_name.replace('_', '-')} needs --dist {needed}")
    refuse_unused(ctx, ("df",), dist is not QuantDist.t, "the distribution is not --dist t")
    if outlier_fraction is not None:  # the old spelling, kept for scripts
        if "--outlier-share" in typed(ctx, "outlier_share"):
            raise UsageError("give --outlier-share once (--outlier-fraction is its old name)")
        outlier_share = outlier_fraction
    refuse_unused(ctx, ("outlier_share", "outlier_fraction", "outlier_scale"),
                  dist is not QuantDist.outliers,
                  "the distribution is not --dist outliers")
    output_kind = prepare_output(output, force)

    import dataclasses

    import numpy as np

    from ..render.terminal import ProgressBar
    from ..resources import time_limit
    from ..sim import quant
    from ..sim.costs import quant_cost, total
    from ..sim.distributions import Distribution
    from ..sim.stats import check_positive

    quant.parse_calibration(calibrate)
    distribution = Distribution(dist.value, mean, std, df, outlier_share, outlier_scale)
    dists = [distribution if value is None else
             dataclasses.replace(distribution, **{SWEEPABLE[sweep_name][0]: value})
             for value in sweep_values]
    check_positive(samples=samples, calib_samples=calib_samples)
    cost = total([quant_cost(len(chosen), len(width_list), samples, calib_samples,
                             sum(v.wide for v in chosen), quant.CHUNK, max(width_list))]
                 * len(dists))
    what = "quant-sim's run" + (f" over {len(dists)} values of {sweep_name}" if sweep_name else "")
    check_run(cost, what, max_seconds, quiet)
    if seed is None:
        seed = fresh_seed()
    runs = []
    with time_limit(max_seconds, cost.seconds), ProgressBar("quant-sim", quiet) as update:
        for index, (value, current) in enumerate(zip(sweep_values, dists)):
            runs.append((value, quant.quantise_variants(
                chosen, params, current, width_list, calibrate, samples,
                np.random.default_rng(seed),  # the same draws for every swept value
                calib_samples, progress=_sweep_progress(update, index, len(dists)),
                grid=grid.value)))
    shown = {"dist": _describe(distribution, sweep_name), "grid": grid.value,
             "bits": width_list, "calibrate": calibrate, "samples": samples,
             "calib_samples": calib_samples, "seed": seed}
    title = (f"{samples:,} pre-activations z ~ {shown['dist']}, calibration {calibrate} "
             f"on {calib_samples:,}, {grid.value} grid, seed {seed}")
    sweep_doc = {"name": sweep_name, "values": sweep_values} if sweep_name else None
    _report(runs, shown, sweep_doc, title, output_format, output, output_kind, force)


def _report(runs, shown, sweep_doc, title, output_format, output, output_kind, force) -> None:
    """The table (or JSON/CSV) on stdout, and -o FILE."""
    from ..render.quant import droppable, quant_json, quant_records, quant_table
    from ..render.records import records_csv
    from ..render.terminal import console, print_table

    sweep_name = sweep_doc["name"] if sweep_doc else None

    def data(kind: str) -> str:
        if kind == "json":
            return quant_json(shown, sweep_doc, runs)
        return records_csv(quant_records(runs))

    if output_format is not EvalFormat.table:
        sys.stdout.write(data(output_format.value))
    else:
        table = quant_table(title, runs, sweep_name)
        print_table(console(), table, droppable=droppable(table))
    if output is not None:
        from ..plotting import simulations

        def figure():
            if sweep_name:
                return simulations.quant_sweep_figure(sweep_name, runs, title)
            return simulations.quant_figure(runs[0][1], title)

        write_output(output, output_kind, force, data, figure)


def _sweep_progress(update, index: int, count: int):
    def report(done: int, total: int) -> None:
        update(index * total + done, count * total)
    return report


def _describe(dist, swept: str | None) -> str:
    """The distribution with the swept parameter by name: ``0 + 1·t(df)``, ``N(0, std²)``.

    >>> from relucli.sim.distributions import Distribution
    >>> _describe(Distribution("t", 0, 1, 3), "df"), _describe(Distribution(), "std")
    ('0 + 1·t(df)', 'N(0, std²)')
    """
    if swept is None:
        return dist.describe()
    text = {name: f"{getattr(dist, field):g}" for name, (field, _) in SWEEPABLE.items()}
    text[swept] = swept.replace("_", " ")
    if dist.kind == "t":
        return f"{text['mean']} + {text['std']}·t({text['df']})"
    base = f"N({text['mean']}, {text['std']}²)"
    if dist.kind == "outliers":
        share = (text["outlier_share"] if swept == "outlier_share"
                 else f"{100 * dist.outlier_fraction:g}%")
        return f"{base} with {share} at {text['outlier_scale']}x the sd"
    return base


def _parse_sweep(text: str) -> tuple[str, list[float]]:
    """``NAME=START:STOP:NUM`` (NUM evenly spaced values, both ends included) or
    ``NAME=V1,V2,...``; NAME one of :data:`SWEEPABLE` (``-`` or ``_``).

    >>> _parse_sweep("df=1:3:3"), _parse_sweep("outlier-share=0.1,0.01")
    (('df', [1.0, 2.0, 3.0]), ('outlier_share', [0.1, 0.01]))
    """
    from ..inputs import parse_numbers

    name, sep, values = text.partition("=")
    name = name.strip().replace("-", "_")
    if not sep or not values.strip():
        raise UsageError(f"--sweep takes NAME=START:STOP:NUM or NAME=V1,V2,..., got {text!r}")
    if name not in SWEEPABLE:
        raise UsageError(f"--sweep {name}: quant-sim can sweep "
                         f"{', '.join(n.replace('_', '-') for n in SWEEPABLE)}")
    if ":" in values:
        parts = values.split(":")
        ends = parse_numbers(" ".join(parts[:2]), "--sweep") if len(parts) == 3 else []
        count = parse_numbers(parts[2], "--sweep") if len(ends) == 2 else []
        if len(count) != 1 or not all(math.isfinite(e) for e in ends):
            raise UsageError(f"--sweep {name}=START:STOP:NUM takes two finite numbers and a "
                             f"count, got {values!r}")
        if not (_whole(count[0]) and 1 <= count[0] <= MAX_SWEEP):
            raise UsageError(f"--sweep NUM must be a whole number from 1 to {MAX_SWEEP}, "
                             f"got {parts[2]!r}")
        import numpy as np

        grid = [float(v) for v in np.linspace(ends[0], ends[1], int(count[0]))]
    else:
        grid = parse_numbers(values, "--sweep")
        if len(grid) > MAX_SWEEP:
            raise UsageError(f"--sweep takes at most {MAX_SWEEP} values")
    if not grid:
        raise UsageError(f"--sweep {name} has no values")
    return name, list(dict.fromkeys(grid))


def _parse_bits(bits: str) -> list[int]:
    """``--bits 4,6,8`` or ``--bits 2:10`` (every width from 2 to 10): distinct whole
    bit widths from 1 to MAX_BITS, in order.

    >>> _parse_bits("2:5"), _parse_bits("8,4,8")
    ([2, 3, 4, 5], [8, 4])
    """
    from ..inputs import parse_numbers
    from ..sim.quant import MAX_BITS

    if ":" in bits:  # every whole width from START to STOP
        start, sep, stop = bits.partition(":")
        ends = parse_numbers(f"{start} {stop}", "--bits") if start and stop else []
        if ":" in stop or len(ends) != 2 or not all(_whole(e) for e in ends):
            raise UsageError(f"--bits START:STOP takes two whole numbers, got {bits!r}")
        if not 1 <= ends[0] <= ends[1] <= MAX_BITS:
            raise UsageError(f"--bits START:STOP takes 1 <= START <= STOP <= {MAX_BITS}, "
                             f"got {bits!r}")
        widths = list(range(int(ends[0]), int(ends[1]) + 1))
    else:
        widths = parse_numbers(bits, "--bits")
    width_list = list(dict.fromkeys(widths))
    if not width_list:
        raise UsageError(f"--bits needs at least one bit width, got {bits!r}")
    for b in width_list:
        if not (_whole(b) and 1 <= b <= MAX_BITS):
            raise UsageError(f"--bits must be whole numbers from 1 to {MAX_BITS}, got {b:g}")
    return [int(b) for b in width_list]


def _whole(value: float) -> bool:
    return math.isfinite(value) and value == int(value)
