"""``relu grad-flow``: a gradient pushed back through a deep random network, layer by
layer, beside its rigorous bound."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from ..errors import UsageError
from ..resources import DEFAULT_MAX_SECONDS
from ..variants import select
from .common import (EvalFormat, ForceOption, Init, MaxSecondsOption, ParamOption,
                     QuietOption, SeedOption, check_run, complete_variant, fresh_seed,
                     parse_param_options, prepare_output, refuse_force_without_file,
                     refuse_unused, singular_ones, variants_help, write_output)

OPTIONS: dict = {}


def command(
    ctx: typer.Context,
    variants: Annotated[Optional[list[str]], typer.Argument(
        help=variants_help("Variants to compare", "relu leaky_relu sigmoid tanh"),
        metavar="[VARIANT]...",
        autocompletion=complete_variant, show_default=False)] = None,
    depth: Annotated[int, typer.Option("--depth", help="Layers.")] = 50,
    width: Annotated[int, typer.Option("--width", help="Units per layer.")] = 256,
    batch: Annotated[int, typer.Option("--batch", help="Inputs pushed through.")] = 64,
    init: Annotated[Init, typer.Option("--init", help="Weight initialisation (normal); he-leaky: std sqrt(2 / ((1 + a²) · fan_in)), a the negative slope (as PyTorch kaiming_normal_ with a=a).")] = Init.he,
    bias: Annotated[float, typer.Option("--bias", help="Bias of every unit.")] = 0.0,
    every: Annotated[int, typer.Option("--every", help="Print every N-th layer.")] = 5,
    param: ParamOption = None,
    seed: SeedOption = None,
    output_format: Annotated[EvalFormat, typer.Option("--format", help="Output format.")] = EvalFormat.table,
    output: Annotated[Optional[str], typer.Option(
        "--output", "-o", metavar="FILE", help="Also write the results: .json or .csv data, "
        "or the gradient norm per layer (log scale) as a .png, .svg or .pdf figure.",
        show_default=False)] = None,
    force: ForceOption = False,
    quiet: QuietOption = False,
    max_seconds: MaxSecondsOption = DEFAULT_MAX_SECONDS,
) -> None:
    """Push a gradient back through a deep random network: does it survive?

    A fully connected network of --depth layers of --width units (--init he, xavier or
    lecun, a constant --bias) takes a batch of standard-normal inputs forward and a
    standard-normal gradient back. Per layer: the norm of the gradient with respect to
    the layer's input relative to the top layer's, the share of units with zero
    gradient for the whole batch (dead); --format json and csv add the mean
    activation and the bound ∏ max|f′|·‖W‖₂ (the figure draws it, below 10). With He
    init ReLU's gradient keeps its order of magnitude over 50 layers; Sigmoid's
    (derivative at most 1/4) falls geometrically, under that bound.

    Examples:

      relu grad-flow

      relu grad-flow relu sigmoid --init xavier --depth 30 -o flow.png
    """
    chosen = select(variants or ["relu", "leaky_relu", "sigmoid", "tanh"])
    params = parse_param_options(param or [], chosen)
    refuse_force_without_file(ctx, output is None)
    refuse_unused(ctx, ("every",), output_format is not EvalFormat.table,
                  "--format json and csv hold every layer (--every thins the table)")
    if every < 1:
        raise UsageError(f"--every must be at least 1, got {every}")
    output_kind = prepare_output(output, force)
    from ..resources import time_limit
    from ..sim.costs import gradflow_cost
    from ..sim.stats import check_positive

    check_positive(depth=depth, width=width, batch=batch)
    cost = gradflow_cost(len(chosen), depth, width, batch)
    check_run(cost, "grad-flow's run", max_seconds, quiet)

    import numpy as np

    from ..render.gradflow import flow_records, flow_table
    from ..render.records import records_csv, records_json
    from ..render.terminal import ProgressBar, console, print_table
    from ..sim.gradflow import simulate_gradflow

    if seed is None:
        seed = fresh_seed()
    with time_limit(max_seconds, cost.seconds), ProgressBar("grad-flow", quiet) as update:
        results = simulate_gradflow(chosen, params, depth, width, batch,
                                    np.random.default_rng(seed), init=init.value,
                                    bias=bias, progress=update)
    shown = {"depth": depth, "width": width, "batch": batch, "init": init.value, "bias": bias,
             "seed": seed}

    def data(kind: str) -> str:
        records = flow_records(results)
        if kind == "json":
            return records_json("grad-flow", shown, records)
        return records_csv(records, nested="layers")

    title = singular_ones(f"{depth} layers × {width} units, {init.value} init, "
                          f"bias {bias:g}, batch {batch}, seed {seed}")
    if output_format is not EvalFormat.table:
        sys.stdout.write(data(output_format.value))
    else:
        print_table(console(), flow_table(title, results, every))
    if output is not None:
        from ..plotting import simulations

        write_output(output, output_kind, force, data, lambda: simulations.flow_figure(results, title))
