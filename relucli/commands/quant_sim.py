"""``relu quant-sim``: outputs quantised to unsigned fixed point, per variant and
bit width: why a bounded ReLU6 needs fewer bits."""

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
                     SeedOption, check_run, complete_variant, fresh_seed,
                     parse_param_options, prepare_output, refuse_force_without_file,
                     refuse_unused, typed, variants_help, write_output)

OPTIONS: dict = {}



class QuantDist(str, enum.Enum):
    normal = "normal"
    t = "t"
    outliers = "outliers"

def command(
    ctx: typer.Context,
    variants: Annotated[Optional[list[str]], typer.Argument(
        help=variants_help("Variants to quantise", "relu relu6"), metavar="[VARIANT]...",
        autocompletion=complete_variant,
        show_default=False)] = None,
    bits: Annotated[str, typer.Option("--bits", help="Bit widths, e.g. 4,6,8, or 2:10 for every width from 2 to 10.")] = "4,6,8",
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
    samples: Annotated[int, typer.Option("--samples", help="How many inputs z are quantised.")] = 1_000_000,
    calib_samples: Annotated[int, typer.Option(
        "--calib-samples", help="Separate sample the range is calibrated on.")] = 100_000,
    param: ParamOption = None,
    seed: SeedOption = None,
    output_format: Annotated[EvalFormat, typer.Option("--format", help="Output format.")] = EvalFormat.table,
    output: Annotated[Optional[str], typer.Option(
        "--output", "-o", metavar="FILE", help="Also write the results: .json or .csv data, "
        "or SQNR and MSE against bits as a .png, .svg or .pdf figure.",
        show_default=False)] = None,
    force: ForceOption = False,
    quiet: QuietOption = False,
    max_seconds: MaxSecondsOption = DEFAULT_MAX_SECONDS,
) -> None:
    """Quantise the outputs to unsigned fixed point: why bounded ReLU6 needs fewer bits.

    Outputs y = f(z) go onto the grid {0, s, ..., (2^b - 1)s} on [0, R], s = R/(2^b - 1),
    rounding to the nearest code and clipping. R is the variant's bound where it has
    one (6 for ReLU6, so Q3.(b-3) fixed point) and otherwise calibrated on a separate
    sample (--calibrate max or percentile:99.9). Reported per variant and bit width:
    R, the step, the fixed-point format, MSE, SQNR in dB, the largest error, the
    clipped fraction, the codes used, and the error variance of outputs inside (0, R)
    against the uniform-noise theory step²/12.

    Examples:

      relu quant-sim

      relu quant-sim relu relu6 --dist t --df 3 --bits 2:10 -o sqnr.png

      relu quant-sim --dist outliers --calibrate percentile:99.9
    """
    chosen = select(variants or ["relu", "relu6"])
    params = parse_param_options(param or [], chosen)
    width_list = _parse_bits(bits)
    refuse_force_without_file(ctx, output is None)
    refuse_unused(ctx, ("df",), dist is not QuantDist.t, "the distribution is not --dist t")
    if outlier_fraction is not None:  # the old spelling, kept for scripts
        if "--outlier-share" in typed(ctx, "outlier_share"):
            raise UsageError("give --outlier-share once (--outlier-fraction is its old name)")
        outlier_share = outlier_fraction
    refuse_unused(ctx, ("outlier_share", "outlier_fraction", "outlier_scale"),
                  dist is not QuantDist.outliers,
                  "the distribution is not --dist outliers")
    output_kind = prepare_output(output, force)

    import numpy as np

    from ..render.terminal import ProgressBar
    from ..sim import quant
    from ..sim.distributions import Distribution

    quant.parse_calibration(calibrate)
    distribution = Distribution(dist.value, mean, std, df, outlier_share, outlier_scale)
    from ..resources import time_limit
    from ..sim.costs import quant_cost
    from ..sim.stats import check_positive

    check_positive(samples=samples, calib_samples=calib_samples)
    cost = quant_cost(len(chosen), len(width_list), samples, calib_samples,
                      sum(v.wide for v in chosen), quant.CHUNK, max(width_list))
    check_run(cost, "quant-sim's run", max_seconds, quiet)
    if seed is None:
        seed = fresh_seed()
    with time_limit(max_seconds, cost.seconds), ProgressBar("quant-sim", quiet) as update:
        results = quant.quantise_variants(chosen, params, distribution, width_list, calibrate,
                                          samples, np.random.default_rng(seed), calib_samples,
                                          progress=update)
    shown = {"dist": distribution.describe(), "bits": width_list, "calibrate": calibrate,
             "samples": samples, "calib_samples": calib_samples, "seed": seed}
    title = (f"{samples:,} pre-activations z ~ {distribution.describe()}, "
             f"calibration {calibrate} on {calib_samples:,}, seed {seed}")
    _report(results, shown, title, output_format, output, output_kind, force)


def _report(results, shown, title, output_format, output, output_kind, force) -> None:
    """The table (or JSON/CSV) on stdout, and -o FILE."""
    from ..render.quant import quant_records, quant_table
    from ..render.records import records_csv, records_json
    from ..render.terminal import console, print_table

    def data(kind: str) -> str:
        records = quant_records(results)
        if kind == "json":
            return records_json("quant-sim", shown, records)
        return records_csv(records)

    if output_format is not EvalFormat.table:
        sys.stdout.write(data(output_format.value))
    else:
        print_table(console(), quant_table(title, results), droppable=DROPPABLE)
    if output is not None:
        from ..plotting import simulations

        write_output(output, output_kind, force, data, lambda: simulations.quant_figure(results, title))


#: Columns of the table left out, in this order, where the terminal is too narrow.
DROPPABLE = ("noise", "codes", "max err", "step")


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
