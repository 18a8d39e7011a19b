"""``relu dying-sim``: how often units die, per variant, and why, under one of the
models of :mod:`relucli.commands.dying` (one module each), with sweeps and figures."""

from __future__ import annotations

import sys

import typer

from ..errors import UsageError
from ..resources import DEFAULT_MAX_SECONDS
from ..variants import select
from .common import (EvalFormat, ForceOption, MaxSecondsOption, ParamOption, QuietOption,
                     SeedOption, check_train, fresh_seed, one_sweep, parse_param_options,
                     prepare_output, refuse_force_without_file, refuse_unused,
                     singular_ones, write_output)
from .dying import MODELS
from .dying.options import (VariantsOption, ModelOption, UnitsOption, BatchOption,
                           MeanOption, StdOption, DistOption, DfOption, BiasOption,
                           BiasStdOption, MethodOption, FanInOption, InitOption,
                           InputsKindOption, TrialsOption, DepthOption, WidthOption,
                           InDimOption, LrOption, StepsOption, TrainOption, SweepOption,
                           OutputFormatOption, OutputOption, NearZeroOption, Model,
                           IndependentOption, BiasScalingOption, TaskOption,
                           ClassesOption, EvalSamplesOption, StepOption)
from .dying.sweep import check_sizes, parse_sweep, run_sweep, sweep_note


_HELP = """Simulate how often units die, per variant, and why.

A unit is DEAD on a batch when its gradient with respect to its pre-activation is
exactly 0 for every sample of the batch: for ReLU every pre-activation <= 0; for
ReLU6 every pre-activation <= 0 or >= 6 (dead low: all <= 0; dead high: all >= 6;
dead mixed: some <= 0, the rest >= 6). LeakyReLU, PReLU and RReLU never have a zero
gradient, so their dead fraction is 0; the SUPPRESSED fraction (every pre-activation
<= 0, the event that kills a ReLU unit) and the mean |gradient| compare them honestly.
RReLU follows PyTorch: slope r ~ U(lower, upper) per element in training (--train),
(lower+upper)/2 in evaluation (the original paper samples 1/a, a ~ U(3, 8)).
Smooth variants (GELU, SiLU, ELU, Sigmoid, Tanh...) never reach exactly 0: for them
the dead column counts NEARLY DEAD units, |gradient| < --near-zero for the whole batch.

Models: {models}.

Examples:

  relu dying-sim --batch 4 --bias -1

  relu dying-sim relu relu6 --mean 3 --std 3 --batch 2

  relu dying-sim relu leaky --model layer --inputs post-relu

  relu dying-sim relu --model depth --sweep depth=1:30:30 -o born-dead.png

  relu dying-sim relu leaky prelu --model train --lr 0.1,1,3

  relu dying-sim relu -m kick --batch 0 --sweep step=0.1:10:50 -o kick.png
"""


DYING_HELP = _HELP.format(models=", ".join(m.summary for m in MODELS.values()))

OPTIONS = dict(help=DYING_HELP, no_args_is_help=False)


def command(
    ctx: typer.Context,
    variants: VariantsOption = None,
    model: ModelOption = Model.unit,
    units: UnitsOption = None,
    batch: BatchOption = None,
    mean: MeanOption = None,
    std: StdOption = None,
    dist: DistOption = None,
    df: DfOption = None,
    bias: BiasOption = None,
    bias_std: BiasStdOption = None,
    bias_scaling: BiasScalingOption = None,
    method: MethodOption = None,
    fan_in: FanInOption = None,
    init: InitOption = None,
    inputs_kind: InputsKindOption = None,
    trials: TrialsOption = None,
    depth: DepthOption = None,
    width: WidthOption = None,
    in_dim: InDimOption = None,
    lr: LrOption = None,
    steps: StepsOption = None,
    task: TaskOption = None,
    classes: ClassesOption = None,
    step: StepOption = None,
    eval_samples: EvalSamplesOption = None,
    param: ParamOption = None,
    train: TrainOption = False,
    sweep: SweepOption = None,
    independent: IndependentOption = False,
    seed: SeedOption = None,
    output_format: OutputFormatOption = EvalFormat.table,
    output: OutputOption = None,
    force: ForceOption = False,
    quiet: QuietOption = False,
    near_zero: NearZeroOption = 1e-3,
    max_seconds: MaxSecondsOption = DEFAULT_MAX_SECONDS,
) -> None:
    """Simulate how often units die (the help text is DYING_HELP)."""
    sweep = one_sweep(sweep)
    spec = MODELS[model.value]
    chosen = _chosen_variants(variants, spec)
    params = parse_param_options(param or [], chosen)
    check_train(train, chosen)
    if train and spec.no_train:
        allowed = " or ".join(m.name for m in MODELS.values() if not m.no_train)
        raise UsageError(f"--train applies to --model {allowed}: {spec.no_train}")
    given = {"units": units, "batch": batch, "mean": mean, "std": std,
             "dist": dist.value if dist else None, "df": df, "bias": bias,
             "bias_std": bias_std, "method": method.value if method else None,
             "bias_scaling": bias_scaling.value if bias_scaling else None,
             "fan_in": fan_in, "init": init.value if init else None,
             "inputs": inputs_kind.value if inputs_kind else None, "trials": trials,
             "depth": depth, "width": width, "in_dim": in_dim, "lr": lr, "steps": steps,
             "task": task.value if task else None, "classes": classes,
             "eval_samples": eval_samples, "step": step}
    options = _model_options(spec, given, near_zero)
    refuse_force_without_file(ctx, output is None)
    refuse_unused(ctx, ("df",), options.get("dist", "t") != "t",
                  "the distribution is not --dist t")
    refuse_unused(ctx, ("near_zero",), all(v.piecewise_linear for v in chosen),
                  "no smooth variant (gelu, sigmoid, ...) is chosen; "
                  "for them it says when a unit is nearly dead")
    refuse_unused(ctx, ("independent",), sweep is None, "there is no --sweep")
    refuse_unused(ctx, ("in_dim", "classes"), options.get("task") == "circle",
                  "the circle task has 2 inputs and 2 classes")
    sweep_name, sweep_values = parse_sweep(sweep, spec) if sweep else (None, [None])
    if sweep_name == "df" and options.get("dist") != "t":
        raise UsageError("--sweep df varies the degrees of freedom of --dist t; add --dist t")
    refuse_unused(ctx, ("bias_scaling",), not options.get("bias_std") and sweep_name != "bias_std",
                  "the biases are zero (add --bias-std)")
    output_kind = prepare_output(output, force)
    if output_kind == "figure" and sweep_name is None and spec.figure_needs_sweep:
        raise UsageError(f"a figure of the {spec.name} model draws a --sweep; add e.g. "
                         f"--sweep {spec.figure_needs_sweep}, or write the data with "
                         "-o FILE.json")
    cost = check_sizes(spec, chosen, options, sweep_name, sweep_values, max_seconds, quiet,
                       independent)
    if seed is None:
        seed = fresh_seed()
    from ..resources import time_limit

    with time_limit(max_seconds, cost.seconds):
        runs = run_sweep(spec, chosen, params, options, sweep_name, sweep_values, seed,
                         train, quiet, independent)
    options["seed"] = seed
    data = _machine_output(spec.name, options, sweep_name, sweep_values, runs, train,
                           independent)
    title = singular_ones(spec.title(options, sweep_name)
                          + sweep_note(sweep_name, seed, independent))
    if output_format is EvalFormat.table:
        from ..render import dying, terminal

        terminal.print_table(terminal.console(),
                             dying.dying_table(spec.name, title, sweep_name, runs),
                             droppable=dying.DROPPABLE[spec.name])
    else:
        sys.stdout.write(data(output_format.value))
    if output is not None:
        write_output(output, output_kind, force, data,
                     lambda: spec.figure(sweep_name, runs, title, options))


def _chosen_variants(variants: list[str] | None, spec):
    """By default the ReLU family; for a model that takes only the piecewise-linear
    variants (depth, kick, wide), 'all' means those."""
    only = spec.piecewise_linear_only
    chosen = select(variants or ["family"],
                    allowed=(lambda v: v.piecewise_linear) if only else None)
    if only:
        from ..sim.stats import require_piecewise_linear

        require_piecewise_linear(chosen, spec.name, only, spec.smooth_hint)
    return chosen


def _model_options(spec, given: dict, near_zero: float) -> dict:
    """The model's defaults overridden by the options given; an option of another
    model is refused."""
    options = dict(spec.options)
    options["near_zero"] = near_zero
    for key, value in given.items():
        if value is None:
            continue
        if key not in options:
            users = [m.name for m in MODELS.values() if key in m.options]
            raise UsageError(f"--{key.replace('_', '-')} applies to --model "
                             f"{' or '.join(users)}, not {spec.name}")
        options[key] = value
    return options


def _machine_output(name, options, sweep_name, sweep_values, runs, train, independent):
    """A function from "json" or "csv" to the text of the runs in that format."""
    from ..render import dying

    shown = {k: v for k, v in options.items() if k != sweep_name}
    if train:
        shown["train"] = True

    def data(kind: str) -> str:
        if kind == "json":
            sweep_doc = ({"name": sweep_name, "values": sweep_values,
                          "independent": independent} if sweep_name else None)
            return dying.dying_json(name, shown, sweep_doc, runs)
        return dying.dying_csv(name, runs)

    return data
