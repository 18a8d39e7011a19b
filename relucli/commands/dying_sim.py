"""``relu dying-sim``: how often units die, per variant, and why, under one of four
models (unit, layer, depth, train), with sweeps and figures."""

from __future__ import annotations

import enum
import math
import sys
from typing import Annotated, Optional

import typer

from ..errors import UsageError
from ..resources import DEFAULT_MAX_SECONDS
from ..variants import select
from .common import (EvalFormat, ForceOption, Init, MaxSecondsOption, ParamOption,
                     QuietOption, SeedOption, check_run, check_train, complete_variant,
                     fresh_seed, parse_param_options, prepare_output,
                     refuse_force_without_file, refuse_unused, variants_help, write_output)


DYING_HELP = """Simulate how often units die, per variant, and why.

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

Models: unit (i.i.d. pre-activations, with the exact closed form beside the Monte
Carlo value; z = difference in standard errors), layer (a dense layer on centred or
non-centred inputs), depth (networks born dead at initialisation, decided exactly on
[-1, 1]), train (an MLP trained with SGD at several learning rates).

Examples:

  relu dying-sim --batch 4 --bias -1

  relu dying-sim relu relu6 --mean 3 --std 3 --batch 2

  relu dying-sim relu leaky --model layer --inputs post-relu

  relu dying-sim relu --model depth --sweep depth=1:30:30 -o born-dead.png

  relu dying-sim relu leaky prelu --model train --lr 0.01,0.1,1,3,5
"""

OPTIONS = dict(help=DYING_HELP, no_args_is_help=False)


class Model(str, enum.Enum):
    unit = "unit"
    layer = "layer"
    depth = "depth"
    train = "train"


class Dist(str, enum.Enum):
    normal = "normal"
    uniform = "uniform"
    t = "t"


class LayerInputs(str, enum.Enum):
    gaussian = "gaussian"
    uniform01 = "uniform01"
    post_relu = "post-relu"


class Method(str, enum.Enum):
    samples = "samples"
    counts = "counts"


#: Per model: its options (CLI name -> default) and which of them --sweep may vary.
MODEL_OPTIONS = {
    "unit": {"units": 100_000, "batch": 8, "mean": 0.0, "std": 1.0, "bias": 0.0,
             "dist": "normal", "df": 3.0, "method": "samples"},
    "layer": {"fan_in": 100, "units": 1000, "batch": 32, "trials": 10, "init": "he",
              "inputs": "gaussian", "bias": 0.0, "bias_std": 0.0},
    "depth": {"depth": 10, "width": 3, "trials": 1000, "in_dim": 1, "bias_std": 0.0},
    "train": {"lr": "0.01,0.1,1,3,5", "steps": 300, "width": 32, "depth": 2, "trials": 5,
              "batch": 32},
}
SWEEPABLE = {
    "unit": ("mean", "std", "bias", "batch", "units", "df"),
    "layer": ("bias", "bias_std", "batch", "fan_in", "units"),
    "depth": ("depth", "width", "bias_std"),
    "train": ("steps", "width", "depth"),
}
INTEGER_OPTIONS = {"units", "batch", "fan_in", "trials", "depth", "width", "steps", "in_dim"}


def _parse_sweep(text: str, model: str) -> tuple[str, list]:
    name, sep, values = text.partition("=")
    name = name.strip().replace("-", "_")
    if not sep or not values.strip():
        raise UsageError(f"--sweep takes NAME=START:STOP:NUM or NAME=V1,V2,..., got {text!r}")
    if name not in SWEEPABLE[model]:
        raise UsageError(f"--sweep {name}: the {model} model can sweep "
                         f"{', '.join(SWEEPABLE[model])}")
    if ":" in values:
        from ..inputs import parse_range

        grid = [float(v) for v in parse_range(values)]
        if len(grid) > 1000:
            raise UsageError("--sweep takes at most 1000 values")
    else:
        from ..inputs import parse_numbers

        grid = parse_numbers(values, "--sweep")
    if not grid:
        raise UsageError(f"--sweep {name} has no values")
    if name in INTEGER_OPTIONS:
        rounded = [int(round(v)) for v in grid]
        grid = list(dict.fromkeys(rounded))
    return name, grid


# The options, one alias each, so that the command's signature reads as a list.

VariantsOption = Annotated[Optional[list[str]], typer.Argument(
    help=variants_help("Variants to simulate", "family, the five of the ReLU family"),
    metavar="[VARIANT]...",
    autocompletion=complete_variant,
    show_default=False)]
ModelOption = Annotated[Model, typer.Option("--model", "-m", help="What to simulate.")]
UnitsOption = Annotated[Optional[int], typer.Option(
    "--units", rich_help_panel="Sizes (several models)", help="Units simulated \\[unit: 100000; layer: 1000 per layer].",
    show_default=False)]
BatchOption = Annotated[Optional[int], typer.Option(
    "--batch", rich_help_panel="Sizes (several models)", help="Samples per batch \\[unit: 8; layer, train: 32].", show_default=False)]
MeanOption = Annotated[Optional[float], typer.Option(
    "--mean", rich_help_panel="unit model", help="unit: mean of the pre-activations [0].", show_default=False)]
StdOption = Annotated[Optional[float], typer.Option(
    "--std", rich_help_panel="unit model", help="unit: standard deviation (scale for t) [1].", show_default=False)]
DistOption = Annotated[Optional[Dist], typer.Option(
    "--dist", rich_help_panel="unit model", help="unit: distribution of the pre-activations \\[normal].",
    show_default=False)]
DfOption = Annotated[Optional[float], typer.Option(
    "--df", rich_help_panel="unit model", help="unit: degrees of freedom of --dist t \\[3].", show_default=False)]
BiasOption = Annotated[Optional[float], typer.Option(
    "--bias", rich_help_panel="Sizes (several models)", help="unit, layer: bias added to every pre-activation [0].",
    show_default=False)]
BiasStdOption = Annotated[Optional[float], typer.Option(
    "--bias-std", rich_help_panel="Sizes (several models)", help="layer, depth: random biases ~ N(--bias, std²) [0].",
    show_default=False)]
MethodOption = Annotated[Optional[Method], typer.Option(
    "--method", rich_help_panel="unit model", help="unit: draw every pre-activation (samples), or only each unit's "
    "counts per region (counts: same distribution, much faster) \\[samples].",
    show_default=False)]
FanInOption = Annotated[Optional[int], typer.Option(
    "--fan-in", rich_help_panel="layer model", help="layer: inputs per unit \\[100].", show_default=False)]
InitOption = Annotated[Optional[Init], typer.Option(
    "--init", rich_help_panel="layer model", help="layer: weight initialisation (normal) \\[he].", show_default=False)]
InputsKindOption = Annotated[Optional[LayerInputs], typer.Option(
    "--inputs", rich_help_panel="layer model", help="layer: inputs N(0,1), U(0,1) or relu(N(0,1)) \\[gaussian].",
    show_default=False)]
TrialsOption = Annotated[Optional[int], typer.Option(
    "--trials", rich_help_panel="Sizes (several models)", help="layer, depth, train: independent repetitions "
    "\\[layer 10, depth 1000, train 5].", show_default=False)]
DepthOption = Annotated[Optional[int], typer.Option(
    "--depth", rich_help_panel="Sizes (several models)", help="depth: hidden layers \\[10]; train: hidden layers \\[2].",
    show_default=False)]
WidthOption = Annotated[Optional[int], typer.Option(
    "--width", rich_help_panel="Sizes (several models)", help="depth: units per layer \\[3]; train \\[32].", show_default=False)]
InDimOption = Annotated[Optional[int], typer.Option(
    "--in-dim", rich_help_panel="depth model", help="depth: inputs, 1 to 4; the domain [-1, 1]^in_dim is decided "
    "exactly [1].",
    show_default=False)]
LrOption = Annotated[Optional[str], typer.Option(
    "--lr", rich_help_panel="train model", help="train: learning rates \\[0.01,0.1,1,3,5].", show_default=False)]
StepsOption = Annotated[Optional[int], typer.Option(
    "--steps", rich_help_panel="train model", help="train: SGD steps \\[300].", show_default=False)]
TrainOption = Annotated[bool, typer.Option(
    "--train", help="RReLU in training mode (random slopes).")]
SweepOption = Annotated[Optional[str], typer.Option(
    "--sweep", metavar="NAME=START:STOP:NUM", help="Run over a range of one option, "
    "e.g. bias=-3:1:9, depth=1:50:50, or a list: batch=1,8,32.",
    show_default=False)]
OutputFormatOption = Annotated[EvalFormat, typer.Option(
    "--format", help="Output format on stdout.")]
OutputOption = Annotated[Optional[str], typer.Option(
    "--output", "-o", metavar="FILE", help="Also write the result: .json or .csv data, or a "
    ".png, .svg or .pdf figure (with --sweep, the fraction against the swept value; "
    "depth: per layer; train: per learning rate).", show_default=False)]
NearZeroOption = Annotated[float, typer.Option(
    "--near-zero", metavar="EPS", help="Smooth variants (GELU, Sigmoid...): a unit is "
    "nearly dead when |gradient| < EPS for the whole batch.")]


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
    param: ParamOption = None,
    train: TrainOption = False,
    sweep: SweepOption = None,
    seed: SeedOption = None,
    output_format: OutputFormatOption = EvalFormat.table,
    output: OutputOption = None,
    force: ForceOption = False,
    quiet: QuietOption = False,
    near_zero: NearZeroOption = 1e-3,
    max_seconds: MaxSecondsOption = DEFAULT_MAX_SECONDS,
) -> None:
    """Simulate how often units die (the help text is DYING_HELP)."""
    name = model.value
    chosen = _chosen_variants(variants, model)
    params = parse_param_options(param or [], chosen)
    check_train(train, chosen)
    if train and name in ("depth", "train"):
        raise UsageError(f"--train applies to --model unit or layer: the {name} model "
                         + ("decides RReLU in evaluation mode" if name == "depth" else
                            "trains RReLU with random slopes already"))
    given = {"units": units, "batch": batch, "mean": mean, "std": std,
             "dist": dist.value if dist else None, "df": df, "bias": bias,
             "bias_std": bias_std, "method": method.value if method else None,
             "fan_in": fan_in, "init": init.value if init else None,
             "inputs": inputs_kind.value if inputs_kind else None, "trials": trials,
             "depth": depth, "width": width, "in_dim": in_dim, "lr": lr, "steps": steps}
    options = _model_options(name, given, near_zero)
    refuse_force_without_file(ctx, output is None)
    refuse_unused(ctx, ("df",), options.get("dist", "t") != "t",
                  "the distribution is not --dist t")
    refuse_unused(ctx, ("near_zero",), all(v.piecewise_linear for v in chosen),
                  "no smooth variant (gelu, sigmoid, ...) is chosen; "
                  "for them it says when a unit is nearly dead")
    sweep_name, sweep_values = _parse_sweep(sweep, name) if sweep else (None, [None])
    output_kind = prepare_output(output, force)
    if output_kind == "figure" and sweep_name is None and name in ("unit", "layer"):
        raise UsageError("a figure of the unit and layer models draws a --sweep; add e.g. "
                         "--sweep bias=-3:1:9, or write the data with -o FILE.json")
    cost = _check_sizes(name, chosen, options, sweep_name, sweep_values, max_seconds, quiet)
    if seed is None:
        seed = fresh_seed()
    from ..resources import time_limit

    with time_limit(max_seconds, cost.seconds):
        runs = _run_sweep(name, chosen, params, options, sweep_name, sweep_values, seed,
                          train, quiet)
    options["seed"] = seed
    data = _machine_output(name, options, sweep_name, sweep_values, runs, train)
    title = _dying_title(name, options, sweep_name)
    if output_format is EvalFormat.table:
        from ..render import dying, terminal

        terminal.print_table(terminal.console(), dying.dying_table(name, title, sweep_name, runs),
                             droppable=dying.DROPPABLE[name])
    else:
        sys.stdout.write(data(output_format.value))
    if output is not None:
        from ..plotting import simulations

        write_output(output, output_kind, force, data,
                     lambda: simulations.dying_figure(name, sweep_name, runs, title,
                                                      options.get("trials"), _domain(options)))


def _chosen_variants(variants: list[str] | None, model: Model):
    """By default the ReLU family; for the depth model 'all' means the variants it can
    decide exactly: the piecewise-linear ones."""
    exact_only = model is Model.depth
    chosen = select(variants or ["family"],
                    allowed=(lambda v: v.piecewise_linear) if exact_only else None)
    if exact_only:
        from ..sim.depth import require_piecewise_linear

        require_piecewise_linear(chosen)
    return chosen


def _model_options(name: str, given: dict, near_zero: float) -> dict:
    """The model's defaults overridden by the options given; an option of another
    model is refused."""
    options = dict(MODEL_OPTIONS[name])
    options["near_zero"] = near_zero
    for key, value in given.items():
        if value is None:
            continue
        if key not in options:
            users = [m for m, opts in MODEL_OPTIONS.items() if key in opts]
            raise UsageError(f"--{key.replace('_', '-')} applies to --model "
                             f"{' or '.join(users)}, not {name}")
        options[key] = value
    return options


def _run_sweep(name, chosen, params, options, sweep_name, sweep_values, seed, train, quiet):
    """One run of the model per swept value, each from the same seed, under one
    progress bar; a sweep of the depth model's depth is one run at the deepest."""
    import numpy as np

    from ..render import terminal

    runs = []
    with terminal.ProgressBar(f"dying-sim {name}", quiet) as update:
        if _one_deep_run(name, sweep_name):
            by_depth = _depth_runs(chosen, params, options, sweep_values,
                                   np.random.default_rng(seed), update)
            return [(value, by_depth[int(value)]) for value in sweep_values]
        for index, value in enumerate(sweep_values):
            current = dict(options)
            if sweep_name is not None:
                current[sweep_name] = value
            rng = np.random.default_rng(seed)  # the same draws for every sweep value
            report = _sweep_progress(update, index, len(sweep_values))
            runs.append((value, _run_model(name, chosen, params, current, rng, train, report)))
    return runs


def _machine_output(name, options, sweep_name, sweep_values, runs, train):
    """A function from "json" or "csv" to the text of the runs in that format."""
    from ..render import dying

    shown = {k: v for k, v in options.items() if k != sweep_name}
    if train:
        shown["train"] = True

    def data(kind: str) -> str:
        if kind == "json":
            sweep_doc = {"name": sweep_name, "values": sweep_values} if sweep_name else None
            return dying.dying_json(name, shown, sweep_doc, runs)
        return dying.dying_csv(name, runs)

    return data


def _sweep_progress(update, index: int, count: int):
    def report(done: int, total: int) -> None:
        update(index * total + done, count * total)
    return report


def _sweep_cost(name: str, chosen, options: dict, sweep_name, sweep_values):
    """What the runs of a sweep (or the one run) will cost together."""
    from ..sim import costs
    from ..sim.pieces import MAX_PIECES

    def cost(o: dict):
        variants = len(chosen)
        if name == "unit":
            smooth = sum(not v.piecewise_linear for v in chosen)
            return costs.unit_cost(variants, smooth, o["units"], o["batch"], o["method"])
        if name == "layer":
            return costs.layer_cost(variants, o["fan_in"], o["units"], o["batch"], o["trials"])
        if name == "depth":
            return costs.depth_cost(variants, o["depth"], o["width"], o["trials"],
                                    o["in_dim"], MAX_PIECES)
        return costs.train_cost(variants, len(_learning_rates(o["lr"])), o["steps"],
                                o["width"], o["depth"], o["batch"], o["trials"])

    if _one_deep_run(name, sweep_name):
        return cost({**options, "depth": max(sweep_values)})
    return costs.total([cost({**options, **({sweep_name: v} if sweep_name else {})})
                        for v in sweep_values])


def _check_sizes(name, chosen, options, sweep_name, sweep_values, max_seconds, quiet):
    """Every size checked (positive, and the whole run within memory and the time
    budget) before anything is allocated; returns the run's estimated cost."""
    from ..sim.stats import check_positive

    for key in sorted(INTEGER_OPTIONS & options.keys()):
        for value in sweep_values if key == sweep_name else [options[key]]:
            check_positive(**{key: value})
    for key in sorted({"mean", "std", "bias", "bias_std", "df"} & options.keys()):
        for value in sweep_values if key == sweep_name else [options[key]]:
            if not math.isfinite(value):
                raise UsageError(f"--{key.replace('_', '-')} must be a finite number, "
                                 f"got {value}")
    if name == "depth":
        from ..sim.depth import check_in_dim

        check_in_dim(options["in_dim"])
    if name == "train":
        _learning_rates(options["lr"])
    cost = _sweep_cost(name, chosen, options, sweep_name, sweep_values)
    check_run(cost, f"the {name} model's run" + (f" over {len(sweep_values)} values of "
                                                 f"--{sweep_name.replace('_', '-')}"
                                                 if sweep_name else ""), max_seconds, quiet)
    return cost


def _learning_rates(text: str) -> list[float]:
    from ..inputs import parse_numbers

    rates = parse_numbers(str(text), "--lr")
    if not rates:
        raise UsageError("--lr needs at least one learning rate, e.g. --lr 0.01,0.1,1")
    return rates


def _run_model(name, chosen, params, o, rng, train, progress):
    if name == "unit":
        from ..sim.distributions import Distribution
        from ..sim.unit import simulate_units

        dist = Distribution(o["dist"], o["mean"], o["std"], o["df"]).shifted(o["bias"])
        return simulate_units(chosen, params, dist, o["units"], o["batch"], rng,
                                  training=train, method=o["method"], progress=progress,
                                  near_zero=o["near_zero"])
    if name == "layer":
        from ..sim.layer import simulate_layer

        return simulate_layer(chosen, params, o["fan_in"], o["units"], o["batch"],
                                  o["trials"], rng, init=o["init"], inputs=o["inputs"],
                                  bias=o["bias"], bias_std=o["bias_std"], training=train,
                                  progress=progress, near_zero=o["near_zero"])
    if name == "depth":
        return _depth_runs(chosen, params, o, [o["depth"]], rng, progress)[o["depth"]]
    from ..sim.train import simulate_train

    rates = _learning_rates(o["lr"])
    return simulate_train(chosen, params, rates, rng, steps=o["steps"], width=o["width"],
                              depth=o["depth"], batch=o["batch"], trials=o["trials"],
                              progress=progress, near_zero=o["near_zero"])


def _one_deep_run(name: str, sweep_name: str | None) -> bool:
    """A sweep of the depth model's depth is one run at the deepest depth (each trial's
    first d layers are a network of depth d), for _run_sweep and its estimate alike."""
    return name == "depth" and sweep_name == "depth"


def _depth_runs(chosen, params, o, depths, rng, progress) -> dict:
    """The depth model at each of ``depths`` (one run at the deepest)."""
    from ..sim.depth import simulate_depths

    return simulate_depths(chosen, params, depths, o["width"], o["trials"], rng,
                           in_dim=o["in_dim"], bias_std=o["bias_std"], progress=progress)


def _dying_title(name: str, options: dict, swept: str | None) -> str:
    def v(key: str, spec: str = "g") -> str:
        return "swept" if key == swept else format(options[key], spec)

    o = options
    if name == "unit":
        if swept in ("mean", "std", "bias", "df"):
            z = f"{o['dist']}, {swept} swept"
        else:
            from ..sim.distributions import Distribution

            z = Distribution(o["dist"], o["mean"], o["std"], o["df"]).shifted(o["bias"]).describe()
        return (f"{v('units', ',')} units × batch {v('batch')}, z ~ {z}, "
                f"method {o['method']}, seed {o['seed']}")
    if name == "layer":
        bias_std = v("bias_std")
        return (f"dense layer: fan-in {v('fan_in')}, {v('units')} units, batch {v('batch')}, "
                f"{o['init']} init, {o['inputs']} inputs, bias {v('bias')}"
                f"{'' if bias_std == '0' else ' ± ' + bias_std}, {o['trials']} trials, "
                f"seed {o['seed']}")
    if name == "depth":
        bias_std = v("bias_std")
        biases = "zero biases" if bias_std == "0" else f"biases ~ N(0, {bias_std}²)"
        return (f"born dead on {_domain(o)}: depth {v('depth')}, width {v('width')}, He init, "
                f"{biases}, {o['trials']} trials, seed {o['seed']}")
    hidden = "-".join([v("width")] * (1 if swept == "depth" else o["depth"]))
    return (f"MLP 2-{hidden}{'-…' if swept == 'depth' else ''}-1 trained {v('steps')} SGD "
            f"steps (batch {o['batch']}), {o['trials']} trials, seed {o['seed']}")


def _domain(options: dict) -> str:
    """Where the depth model judges a network dead: [-1, 1], or the cube [-1, 1]^d.

    >>> _domain({"in_dim": 1}), _domain({"in_dim": 3}), _domain({})
    ('[-1, 1]', '[-1, 1]³', '[-1, 1]')
    """
    in_dim = options.get("in_dim", 1)
    return "[-1, 1]" if in_dim == 1 else "[-1, 1]" + str(in_dim).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
