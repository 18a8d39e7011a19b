"""The ``relu`` command: parse, call the engine, render. No maths here.

Heavy imports (NumPy, matplotlib) happen inside the commands that need them, so that
``relu --help``, shell completion and ``relu table`` start fast.
"""

from __future__ import annotations

import enum
import os
import sys
from typing import Annotated, Optional

import typer

from . import __version__
from .errors import ParameterError, ReluError, UsageError
from .registry import Variant, get, names, select


def reflow(text: str) -> str:
    r"""Help text with each paragraph on one line, for rich to wrap to the terminal
    (typer keeps a docstring's line breaks, which leaves ragged lines on a terminal
    narrower than the source); indented paragraphs (examples) are kept as they are.

    >>> reflow("One\n    two.\n\n      relu eval relu\n")
    'One two.\n\n  relu eval relu'
    """
    import inspect

    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(
        p if p.startswith(" ") else " ".join(line.strip() for line in p.splitlines())
        for p in paragraphs
    )


HELP = """Evaluate, plot, compare and simulate the ReLU family of activation functions.

Numbers match PyTorch's torch.nn.functional bit for bit in float32 and float64,
including the gradient at the kinks."""

APP_SETTINGS = dict(
    name="relu",
    help=reflow(HELP),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app = typer.Typer(**APP_SETTINGS)

#: name -> (function, options) of every subcommand, so that ``main`` can build an app
#: holding only the one being run (see ``_app_for``).
_COMMANDS: dict[str, tuple] = {}


def command(name: str, **options):
    """``@app.command`` that also remembers the command for lazy building."""

    def register(function):
        options["help"] = reflow(options.get("help") or function.__doc__)
        function = _closed_pipe_reaches_main(function)
        _COMMANDS[name] = (function, options)
        return app.command(name, **options)(function)

    return register


class ReaderWentAway(Exception):
    """stdout's reader closed the pipe while a command was writing (`relu ... | head`)."""


def _closed_pipe_reaches_main(function):
    """typer answers a BrokenPipeError inside a command with exit status 1; pass it to
    ``main`` instead, which exits quietly with 0 wherever the pipe closed."""
    import functools

    @functools.wraps(function)
    def run(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except BrokenPipeError:
            raise ReaderWentAway from None

    return run


class EvalFormat(str, enum.Enum):
    table = "table"
    json = "json"
    csv = "csv"


class TableFormat(str, enum.Enum):
    table = "table"
    markdown = "markdown"
    json = "json"
    csv = "csv"


class DType(str, enum.Enum):
    float16 = "float16"
    float32 = "float32"
    float64 = "float64"


def _version(value: bool) -> None:
    if value:
        print(f"relu {__version__}")
        raise typer.Exit()


#: Show Python tracebacks instead of one-line errors (``--debug`` or RELU_DEBUG=1).
DEBUG = {"on": bool(os.environ.get("RELU_DEBUG"))}


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True,
                           help="Print the version and exit.")
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show Python tracebacks, for bug reports "
                           "(also RELU_DEBUG=1).")
    ] = False,
) -> None:
    if debug:
        DEBUG["on"] = True


def _complete_variant(incomplete: str) -> list[str]:
    return [n for n in names() + ["all"] if n.startswith(incomplete.lower())]


# --------------------------------------------------------------------------------------
# Parameters given as -p name=value


def parse_param_options(options: list[str], variants: list[Variant]) -> dict[str, dict]:
    """``-p name=value`` (or ``-p variant.name=value``) into per-variant parameter
    dicts, validated against the registry. A name that no chosen variant takes is an
    error."""
    per_variant: dict[str, dict] = {v.name: {} for v in variants}
    for option in options:
        key, sep, value = option.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ParameterError(f"-p takes name=value, got {option!r}")
        target, dot, name = key.rpartition(".")
        if dot:
            wanted = get(target)
            if wanted.name not in per_variant:
                raise ParameterError(f"-p {key}: {wanted.name} is not among the chosen variants")
            takers = [wanted]
        else:
            takers = [v for v in variants if any(p.name == name for p in v.params)]
        if not takers:
            chosen = ", ".join(v.name for v in variants)
            known = sorted({p.name for v in variants for p in v.params})
            raise ParameterError(
                f"no chosen variant ({chosen}) takes a parameter '{name}'"
                + (f" (they take: {', '.join(known)})" if known else " (they take none)")
            )
        for variant in takers:
            variant.param(name).parse(value)  # validate now, with the parameter's name
            per_variant[variant.name][name] = value
    for variant in variants:  # cross-parameter checks such as lower <= upper
        variant.resolve_params(per_variant[variant.name])
    return per_variant


# --------------------------------------------------------------------------------------
# relu eval

_OUTPUT_SUFFIXES = (".json", ".csv", ".npy", ".npz")


@command("eval", no_args_is_help=True)
def eval_command(
    variants: Annotated[list[str], typer.Argument(
        help="Variants to evaluate side by side (relu, leaky_relu, prelu, rrelu, relu6), "
             "or 'all'. Aliases such as 'leaky' work.",
        autocompletion=_complete_variant, show_default=False)],
    x: Annotated[Optional[list[str]], typer.Option(
        "-x", "--x", help="Input values, comma or space separated: -x -2,-1,0,1,2 "
        "(repeatable).", show_default=False)] = None,
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
        "--seed", help="Seed for --train (the seed used is always reported).",
        show_default=False)] = None,
    dtype: Annotated[Optional[DType], typer.Option(
        "--dtype", help="Computation dtype \\[default: float32; a .npy file keeps its own].",
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

    Examples:

      relu eval relu -x -2,-1,0,1,2

      relu eval leaky_relu prelu -p negative_slope=0.2 --range -3:3:7

      relu eval prelu -p alpha=0.25,-0.5,1.5 --range -3:3:24 --shape 2,3,4 --format json

      relu eval rrelu --train --seed 0 -x -1,-1,-1
    """
    chosen = select(variants)
    params = parse_param_options(param or [], chosen)
    if train and not any(v.stochastic for v in chosen):
        raise UsageError("--train applies to rrelu only; add rrelu to the variants")
    suffix = None
    if output is not None:
        from .files import check_writable

        suffix = "." + output.rsplit(".", 1)[-1].lower() if "." in output else ""
        if suffix not in _OUTPUT_SUFFIXES:
            raise UsageError(
                f"--output {output}: unknown extension; use one of {', '.join(_OUTPUT_SUFFIXES)}"
            )
        check_writable(output, force)

    import numpy as np

    from . import engine, inputs, render

    given = inputs.gather(x, value_range, file, dtype.value if dtype else None, shape)
    for warning in given.warnings:
        print(f"relu: warning: {warning}", file=sys.stderr)
    with_grad = not no_grad and suffix != ".npy"
    _check_eval_memory(given.x, chosen, with_grad, suffix or output_format.value)
    if train and seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    rng = np.random.default_rng(seed) if train else None
    # Values of one variant going to .npy: nothing else needs the input afterwards, so
    # compute in place (half the memory and no second large allocation).
    in_place = suffix == ".npy" and len(chosen) == 1 and given.x.flags.writeable
    results = [
        engine.evaluate(v, given.x, grad=with_grad, training=train and v.stochastic,
                        rng=rng, out=given.x if in_place else None, **params[v.name])
        for v in chosen
    ]
    if output is not None:
        _write_eval_output(output, suffix, force, given.x, results, seed, with_grad)
        return
    if output_format is EvalFormat.json:
        sys.stdout.write(render.eval_json(given.x, results, seed, with_grad))
    elif output_format is EvalFormat.csv:
        sys.stdout.write(render.eval_csv(given.x, results, with_grad))
    else:
        render.print_eval_table(render.console(), given.x, results, seed, with_grad)


#: Bytes per value written as text (a Python float and its string), measured loosely.
TEXT_BYTES_PER_VALUE = 120


def _check_eval_memory(x, variants, with_grad: bool, kind: str) -> None:
    from .resources import check_memory

    arrays = len(variants) * (2 if with_grad else 1)
    needed = x.nbytes * (1 + arrays)
    if any(v.wide for v in variants):  # smooth ones compute in a wider copy (16 bytes)
        needed += x.size * 16 * 3
    if kind not in (".npy", ".npz"):  # text: every value becomes a Python string
        needed += x.size * (1 + arrays) * TEXT_BYTES_PER_VALUE
    check_memory(needed, f"evaluating {x.size:,} values" + (
        "" if kind in (".npy", ".npz") else f" as {kind.lstrip('.')} (use --output FILE.npy)"))


def _write_eval_output(output, suffix, force, x, results, seed, with_grad) -> None:
    import numpy as np

    from . import render
    from .files import atomic_write

    if suffix == ".json":
        data = render.eval_json(x, results, seed, with_grad).encode()
        writer = lambda handle: handle.write(data)  # noqa: E731
    elif suffix == ".csv":
        data = render.eval_csv(x, results, with_grad).encode()
        writer = lambda handle: handle.write(data)  # noqa: E731
    elif suffix == ".npy":
        values = results[0].y if len(results) == 1 else np.stack([r.y for r in results])
        writer = lambda handle: np.save(handle, values)  # noqa: E731
    else:
        arrays = {"x": x}
        for r in results:
            name = render.column_name(r, results)
            arrays[f"{name}_y"] = r.y
            if with_grad:
                arrays[f"{name}_grad"] = r.grad
                for key, value in r.grad_params.items():
                    arrays[f"{name}_grad_{key}"] = value
        writer = lambda handle: np.savez(handle, **arrays)  # noqa: E731
    path = atomic_write(output, writer, force)
    print(f"relu: wrote {path}", file=sys.stderr)


# --------------------------------------------------------------------------------------
# relu plot


class Layout(str, enum.Enum):
    side = "side"
    stacked = "stacked"
    overlay = "overlay"


def _parse_plot_range(text: str) -> tuple[float, float]:
    parts = text.split(":")
    try:
        start, stop = (float(p) for p in parts)
    except ValueError:
        raise UsageError(f"--range takes START:STOP with numbers, got {text!r}") from None
    if not all(map(_finite, (start, stop))):
        raise UsageError(f"--range START and STOP must be finite, got {text!r}")
    if start >= stop:
        raise UsageError(f"--range needs START < STOP, got {text!r}")
    return start, stop


def _finite(value: float) -> bool:
    return value == value and abs(value) != float("inf")


def _parse_size(text: str) -> tuple[float, float]:
    try:
        width, height = (float(p) for p in text.replace("x", ",").split(","))
    except ValueError:
        raise UsageError(f"--size takes W,H in inches, e.g. 10,4; got {text!r}") from None
    if not (0 < width <= 100 and 0 < height <= 100):
        raise UsageError(f"--size needs 0 < W, H <= 100 inches, got {text!r}")
    return width, height


@command("plot", no_args_is_help=True)
def plot_command(
    variants: Annotated[list[str], typer.Argument(
        help="Variants to draw, or 'all'.", autocompletion=_complete_variant,
        show_default=False)],
    output: Annotated[Optional[str], typer.Option(
        "--output", "-o", metavar="FILE", help="Write FILE (.png, .svg or .pdf) "
        "\\[default: named after the variants, e.g. relu-relu6.png].", show_default=False)] = None,
    param: Annotated[Optional[list[str]], typer.Option(
        "-p", "--param", metavar="NAME=VALUE", help="A parameter, as in relu eval. "
        "At the default 0.01 LeakyReLU's slope is invisible: try -p negative_slope=0.1.",
        show_default=False)] = None,
    value_range: Annotated[Optional[str], typer.Option(
        "--range", "-r", metavar="START:STOP", help="x range \\[default: every kink with "
        "room around it, e.g. -3:9 with ReLU6].", show_default=False)] = None,
    points: Annotated[int, typer.Option("--points", help="Points per curve.")] = 2001,
    layout: Annotated[Layout, typer.Option(
        "--layout", help="side: function | gradient; stacked: one above the other; "
        "overlay: one panel, gradient dashed.")] = Layout.side,
    no_grad: Annotated[bool, typer.Option("--no-grad", help="Draw the function only.")] = False,
    train: Annotated[bool, typer.Option(
        "--train", help="RReLU: shade the band of training slopes and scatter samples.")] = False,
    samples: Annotated[int, typer.Option(
        "--samples", help="With --train: how many sampled RReLU outputs to scatter.")] = 300,
    seed: Annotated[int, typer.Option("--seed", help="Seed for the --train samples.")] = 0,
    shade_dead: Annotated[bool, typer.Option(
        "--shade-dead", help="Shade where the gradient is zero (ReLU: x ≤ 0; ReLU6: "
        "also x ≥ 6).")] = False,
    dpi: Annotated[float, typer.Option("--dpi", help="Resolution of PNG output.")] = 150,
    size: Annotated[Optional[str], typer.Option(
        "--size", metavar="W,H", help="Figure size in inches.", show_default=False)] = None,
    title: Annotated[Optional[str], typer.Option("--title", help="A title over the figure.",
                                                 show_default=False)] = None,
    style: Annotated[Optional[str], typer.Option(
        "--style", help="A matplotlib style name, e.g. ggplot, seaborn-v0_8.",
        show_default=False)] = None,
    terminal: Annotated[bool, typer.Option(
        "--terminal", help="Draw in the terminal instead (no file unless -o is given).")] = False,
    show: Annotated[bool, typer.Option("--show", help="Open a window (needs a display).")] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Draw the function and gradient curves of one or more variants.

    Kinks are drawn honestly: the gradient jumps, a filled dot marks the value
    PyTorch takes at the kink and open dots the one-sided limits.

    Examples:

      relu plot all -p negative_slope=0.1 -o family.png

      relu plot relu relu6 --shade-dead --layout stacked -o relu6.svg

      relu plot rrelu --train --terminal
    """
    chosen = select(variants)
    params = parse_param_options(param or [], chosen)
    if train and not any(v.stochastic for v in chosen):
        raise UsageError("--train applies to rrelu only; add rrelu to the variants")
    if points < 2 or points > 1_000_000:
        raise UsageError(f"--points must be between 2 and 1000000, got {points}")
    if samples < 0 or samples > 1_000_000:
        raise UsageError(f"--samples must be between 0 and 1000000, got {samples}")
    if not (1 <= dpi <= 2400):
        raise UsageError(f"--dpi must be between 1 and 2400, got {dpi:g}")
    figure_size = _parse_size(size) if size else None

    from . import plotting

    x_range = (_parse_plot_range(value_range) if value_range
               else plotting.default_range(chosen, params))
    write_file = output is not None or not (terminal or show)
    path = output or "-".join(v.name for v in chosen) + ".png"
    if write_file:
        from .files import check_writable

        plotting.format_for(path)
        check_writable(path, force)
    plotting.check_style(style)
    curves = plotting.sample_curves(chosen, params, x_range, points, training=train,
                                    seed=seed, samples=samples if train else 0)
    if terminal:
        from . import render

        console = render.console()
        colour = console.is_terminal and not console.no_color and console.color_system is not None
        text = plotting.terminal_plot(curves, not no_grad, colour,
                                      width=min(console.width, 120) - 12,
                                      unicode=console.encoding.lower().startswith("utf"))
        sys.stdout.write(text)
    drawing = dict(layout=layout.value, with_grad=not no_grad, shade_dead=shade_dead,
                   title=title, size=figure_size, style=style)
    if write_file:
        figure = plotting.build_figure(curves, **drawing)
        written = plotting.save_figure(figure, path, dpi, force)
        print(written)
    if show:
        plotting.show_figure(lambda fig: plotting.build_figure(curves, figure=fig, **drawing))


# --------------------------------------------------------------------------------------
# relu dying-sim

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

  relu dying-sim relu --model depth --sweep depth=1:30:30 --width 3 -o born-dead.png

  relu dying-sim relu leaky prelu --model train --lr 0.01,0.1,1,3,5
"""


class Model(str, enum.Enum):
    unit = "unit"
    layer = "layer"
    depth = "depth"
    train = "train"


class Dist(str, enum.Enum):
    normal = "normal"
    uniform = "uniform"
    t = "t"


class Init(str, enum.Enum):
    he = "he"
    xavier = "xavier"
    lecun = "lecun"


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
        from .inputs import parse_range

        grid = [float(v) for v in parse_range(values)]
        if len(grid) > 1000:
            raise UsageError("--sweep takes at most 1000 values")
    else:
        from .inputs import parse_numbers

        grid = parse_numbers(values, "--sweep")
    if not grid:
        raise UsageError(f"--sweep {name} has no values")
    if name in INTEGER_OPTIONS:
        rounded = [int(round(v)) for v in grid]
        grid = list(dict.fromkeys(rounded))
    return name, grid


@command("dying-sim", help=DYING_HELP, no_args_is_help=False)
def dying_sim_command(
    variants: Annotated[Optional[list[str]], typer.Argument(
        help="Variants to simulate \\[default: family, the five of the ReLU family].",
        autocompletion=_complete_variant,
        show_default=False)] = None,
    model: Annotated[Model, typer.Option("--model", "-m", help="What to simulate.")] = Model.unit,
    units: Annotated[Optional[int], typer.Option(
        "--units", help="Units simulated \\[unit: 100000; layer: 1000 per layer].",
        show_default=False)] = None,
    batch: Annotated[Optional[int], typer.Option(
        "--batch", help="Samples per batch \\[unit: 8; layer, train: 32].", show_default=False)] = None,
    mean: Annotated[Optional[float], typer.Option(
        "--mean", help="unit: mean of the pre-activations [0].", show_default=False)] = None,
    std: Annotated[Optional[float], typer.Option(
        "--std", help="unit: standard deviation (scale for t) [1].", show_default=False)] = None,
    dist: Annotated[Optional[Dist], typer.Option(
        "--dist", help="unit: distribution of the pre-activations \\[normal].",
        show_default=False)] = None,
    df: Annotated[Optional[float], typer.Option(
        "--df", help="unit: degrees of freedom of --dist t \\[3].", show_default=False)] = None,
    bias: Annotated[Optional[float], typer.Option(
        "--bias", help="unit, layer: bias added to every pre-activation [0].",
        show_default=False)] = None,
    bias_std: Annotated[Optional[float], typer.Option(
        "--bias-std", help="layer, depth: random biases ~ N(--bias, std²) [0].",
        show_default=False)] = None,
    method: Annotated[Optional[Method], typer.Option(
        "--method", help="unit: draw every pre-activation (samples), or only each unit's "
        "counts per region (counts: same distribution, much faster) \\[samples].",
        show_default=False)] = None,
    fan_in: Annotated[Optional[int], typer.Option(
        "--fan-in", help="layer: inputs per unit \\[100].", show_default=False)] = None,
    init: Annotated[Optional[Init], typer.Option(
        "--init", help="layer: weight initialisation (normal) \\[he].", show_default=False)] = None,
    inputs_kind: Annotated[Optional[LayerInputs], typer.Option(
        "--inputs", help="layer: inputs N(0,1), U(0,1) or relu(N(0,1)) \\[gaussian].",
        show_default=False)] = None,
    trials: Annotated[Optional[int], typer.Option(
        "--trials", help="layer, depth, train: independent repetitions "
        "\\[layer 10, depth 1000, train 5].", show_default=False)] = None,
    depth: Annotated[Optional[int], typer.Option(
        "--depth", help="depth: hidden layers \\[10]; train: hidden layers \\[2].",
        show_default=False)] = None,
    width: Annotated[Optional[int], typer.Option(
        "--width", help="depth: units per layer \\[3]; train \\[32].", show_default=False)] = None,
    in_dim: Annotated[Optional[int], typer.Option(
        "--in-dim", help="depth: inputs, 1 to 4; the domain [-1, 1]^in_dim is decided "
        "exactly [1].",
        show_default=False)] = None,
    lr: Annotated[Optional[str], typer.Option(
        "--lr", help="train: learning rates \\[0.01,0.1,1,3,5].", show_default=False)] = None,
    steps: Annotated[Optional[int], typer.Option(
        "--steps", help="train: SGD steps \\[300].", show_default=False)] = None,
    param: Annotated[Optional[list[str]], typer.Option(
        "-p", "--param", metavar="NAME=VALUE", help="A variant parameter, as in relu eval.",
        show_default=False)] = None,
    train: Annotated[bool, typer.Option(
        "--train", help="RReLU in training mode (random slopes).")] = False,
    sweep: Annotated[Optional[str], typer.Option(
        "--sweep", metavar="NAME=START:STOP:NUM", help="Run over a range of one option, "
        "e.g. bias=-3:1:9, batch=1,8,32,128, depth=1:50:50.", show_default=False)] = None,
    seed: Annotated[Optional[int], typer.Option(
        "--seed", help="Seed (the one used is always reported).", show_default=False)] = None,
    output_format: Annotated[EvalFormat, typer.Option(
        "--format", help="Output format on stdout.")] = EvalFormat.table,
    output: Annotated[Optional[str], typer.Option(
        "--output", "-o", metavar="FILE", help="Also draw the result (.png, .svg, .pdf): "
        "with --sweep, the fraction against the swept value; depth: per layer; train: "
        "per learning rate.", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing -o file.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    near_zero: Annotated[float, typer.Option(
        "--near-zero", metavar="EPS", help="Smooth variants (GELU, Sigmoid...): a unit is "
        "nearly dead when |gradient| < EPS for the whole batch.")] = 1e-3,
) -> None:
    # by default the ReLU family; for the depth model 'all' means the variants it can
    # decide exactly: the piecewise-linear ones
    exact_only = model is Model.depth
    chosen = select(variants or ["family"],
                    allowed=(lambda v: v.piecewise_linear) if exact_only else None)
    if exact_only:
        from .sim import require_piecewise_linear

        require_piecewise_linear(chosen)
    params = parse_param_options(param or [], chosen)
    if train and not any(v.stochastic for v in chosen):
        raise UsageError("--train applies to rrelu only; add rrelu to the variants")
    name = model.value
    given = {"units": units, "batch": batch, "mean": mean, "std": std,
             "dist": dist.value if dist else None, "df": df, "bias": bias,
             "bias_std": bias_std, "method": method.value if method else None,
             "fan_in": fan_in, "init": init.value if init else None,
             "inputs": inputs_kind.value if inputs_kind else None, "trials": trials,
             "depth": depth, "width": width, "in_dim": in_dim, "lr": lr, "steps": steps}
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
    sweep_name, sweep_values = _parse_sweep(sweep, name) if sweep else (None, [None])
    _prepare_plot_output(output, force)
    if output is not None:
        if sweep_name is None and name in ("unit", "layer"):
            raise UsageError("-o draws a --sweep for the unit and layer models; add e.g. "
                             "--sweep bias=-3:1:9")

    import numpy as np

    from . import render, sim

    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    runs = []
    with render.ProgressBar(f"dying-sim {name}", quiet) as update:
        for index, value in enumerate(sweep_values):
            current = dict(options)
            if sweep_name is not None:
                current[sweep_name] = value
            rng = np.random.default_rng(seed)  # the same draws for every sweep value
            report = _sweep_progress(update, index, len(sweep_values))
            runs.append((value, _run_model(sim, name, chosen, params, current, rng, train, report)))
    options["seed"] = seed
    shown = {k: v for k, v in options.items() if k != sweep_name}
    if train:
        shown["train"] = True
    if output_format is EvalFormat.json:
        sweep_doc = {"name": sweep_name, "values": sweep_values} if sweep_name else None
        sys.stdout.write(render.dying_json(name, shown, sweep_doc, runs))
    elif output_format is EvalFormat.csv:
        sys.stdout.write(render.dying_csv(name, runs))
    else:
        title = _dying_title(name, options, sweep_name)
        render.print_table(render.console(), render.dying_table(name, title, sweep_name, runs))
    if output is not None:
        from . import plotting

        _write_figure(plotting.dying_figure(name, sweep_name, runs), output, force)


def _sweep_progress(update, index: int, count: int):
    def report(done: int, total: int) -> None:
        update(index * total + done, count * total)
    return report


def _model_memory(name: str, o: dict, variants: int) -> float:
    """A generous estimate of the bytes a model run holds at once."""
    if name == "layer":
        return 8.0 * (o["units"] * o["fan_in"] + o["batch"] * o["fan_in"]
                      + 6 * o["batch"] * o["units"])
    if name == "depth":
        from .sim import MAX_PIECES

        return 8.0 * (o["depth"] * o["width"] * o["width"] + 4 * MAX_PIECES * o["width"])
    if name == "train":
        return 8.0 * (o["depth"] * o["width"] ** 2 * 4 + 256 * o["width"] * o["depth"] * 8)
    return 8.0 * (1 << 20) * variants  # unit: chunks of a fixed size


def _run_model(sim, name, chosen, params, o, rng, train, progress):
    from .resources import check_memory

    check_memory(_model_memory(name, o, len(chosen)), f"the {name} model with these sizes")
    if name == "unit":
        dist = sim.Distribution(o["dist"], o["mean"], o["std"], o["df"]).shifted(o["bias"])
        return sim.simulate_units(chosen, params, dist, o["units"], o["batch"], rng,
                                  training=train, method=o["method"], progress=progress,
                                  near_zero=o["near_zero"])
    if name == "layer":
        return sim.simulate_layer(chosen, params, o["fan_in"], o["units"], o["batch"],
                                  o["trials"], rng, init=o["init"], inputs=o["inputs"],
                                  bias=o["bias"], bias_std=o["bias_std"], training=train,
                                  progress=progress, near_zero=o["near_zero"])
    if name == "depth":
        return sim.simulate_depth(chosen, params, o["depth"], o["width"], o["trials"], rng,
                                  in_dim=o["in_dim"], bias_std=o["bias_std"], progress=progress)
    from .inputs import parse_numbers

    rates = parse_numbers(str(o["lr"]), "--lr")
    return sim.simulate_train(chosen, params, rates, rng, steps=o["steps"], width=o["width"],
                              depth=o["depth"], batch=o["batch"], trials=o["trials"],
                              progress=progress, near_zero=o["near_zero"])


def _dying_title(name: str, options: dict, swept: str | None) -> str:
    def v(key: str, spec: str = "g") -> str:
        return "swept" if key == swept else format(options[key], spec)

    o = options
    if name == "unit":
        if swept in ("mean", "std", "bias", "df"):
            z = f"{o['dist']}, {swept} swept"
        else:
            from .sim import Distribution

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
        return (f"born dead on [-1, 1]: depth {v('depth')}, width {v('width')}, He init, "
                f"{biases}, {o['trials']} trials, seed {o['seed']}")
    hidden = "-".join([v("width")] * (1 if swept == "depth" else o["depth"]))
    return (f"MLP 2-{hidden}{'-…' if swept == 'depth' else ''}-1 trained {v('steps')} SGD "
            f"steps (batch {o['batch']}), {o['trials']} trials, seed {o['seed']}")


# --------------------------------------------------------------------------------------
# relu quant-sim and relu grad-flow


class QuantDist(str, enum.Enum):
    normal = "normal"
    t = "t"
    outliers = "outliers"


def _prepare_plot_output(output: str | None, force: bool) -> None:
    if output is not None:
        from . import plotting
        from .files import check_writable

        plotting.format_for(output)
        check_writable(output, force)


def _write_figure(figure, output: str, force: bool) -> None:
    from . import plotting

    print(f"relu: wrote {plotting.save_figure(figure, output, 150, force)}", file=sys.stderr)


@command("quant-sim")
def quant_sim_command(
    variants: Annotated[Optional[list[str]], typer.Argument(
        help="Variants to quantise \\[default: relu relu6].", autocompletion=_complete_variant,
        show_default=False)] = None,
    bits: Annotated[str, typer.Option("--bits", help="Bit widths, e.g. 4,6,8.")] = "4,6,8",
    calibrate: Annotated[str, typer.Option(
        "--calibrate", metavar="max|percentile:P", help="Range R for variants without an "
        "upper bound: the calibration sample's maximum or a percentile.")] = "max",
    dist: Annotated[QuantDist, typer.Option(
        "--dist", help="Pre-activations: normal, Student-t (heavy tails) or a normal with "
        "a fraction of outliers.")] = QuantDist.normal,
    mean: Annotated[float, typer.Option("--mean", help="Mean of the pre-activations.")] = 0.0,
    std: Annotated[float, typer.Option("--std", help="Standard deviation (scale for t).")] = 2.0,
    df: Annotated[float, typer.Option("--df", help="Degrees of freedom of --dist t.")] = 3.0,
    outlier_fraction: Annotated[float, typer.Option(
        "--outlier-fraction", help="--dist outliers: share of wide samples.")] = 0.01,
    outlier_scale: Annotated[float, typer.Option(
        "--outlier-scale", help="--dist outliers: their sd over the others'.")] = 10.0,
    samples: Annotated[int, typer.Option("--samples", help="Pre-activations quantised.")] = 1_000_000,
    calib_samples: Annotated[int, typer.Option(
        "--calib-samples", help="Separate sample the range is calibrated on.")] = 100_000,
    param: Annotated[Optional[list[str]], typer.Option(
        "-p", "--param", metavar="NAME=VALUE", help="A variant parameter, as in relu eval.",
        show_default=False)] = None,
    seed: Annotated[Optional[int], typer.Option(
        "--seed", help="Seed (the one used is always reported).", show_default=False)] = None,
    output_format: Annotated[EvalFormat, typer.Option("--format", help="Output format.")] = EvalFormat.table,
    output: Annotated[Optional[str], typer.Option(
        "--output", "-o", metavar="FILE", help="Also draw SQNR and MSE against bits.",
        show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing -o file.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
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
    from .inputs import parse_numbers, parse_range

    if ":" in bits:
        width_list = [int(round(b)) for b in parse_range(bits)]
    else:
        width_list = [int(b) if b == int(b) else -1 for b in parse_numbers(bits, "--bits")]
    width_list = list(dict.fromkeys(width_list))
    if not width_list:
        raise UsageError("--bits needs at least one bit width")
    _prepare_plot_output(output, force)

    import numpy as np

    from . import quant, render, sim

    quant.parse_calibration(calibrate)
    distribution = sim.Distribution(dist.value, mean, std, df, outlier_fraction, outlier_scale)
    from .resources import check_memory

    check_memory(8.0 * (calib_samples * 3 + quant.CHUNK * 8), "quant-sim")
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    with render.ProgressBar("quant-sim", quiet) as update:
        results = quant.quantise_variants(chosen, params, distribution, width_list, calibrate,
                                          samples, np.random.default_rng(seed), calib_samples,
                                          progress=update)
    shown = {"dist": distribution.describe(), "bits": width_list, "calibrate": calibrate,
             "samples": samples, "calib_samples": calib_samples, "seed": seed}
    if output_format is EvalFormat.json:
        sys.stdout.write(render.records_json("quant-sim", shown, render.quant_records(results)))
    elif output_format is EvalFormat.csv:
        sys.stdout.write(render.records_csv(render.quant_records(results)))
    else:
        title = (f"{samples:,} pre-activations z ~ {distribution.describe()}, "
                 f"calibration {calibrate} on {calib_samples:,}, seed {seed}")
        render.print_table(render.console(), render.quant_table(title, results))
    if output is not None:
        from . import plotting

        _write_figure(plotting.quant_figure(results), output, force)


@command("grad-flow")
def grad_flow_command(
    variants: Annotated[Optional[list[str]], typer.Argument(
        help="Variants to compare \\[default: relu leaky_relu sigmoid tanh].",
        autocompletion=_complete_variant, show_default=False)] = None,
    depth: Annotated[int, typer.Option("--depth", help="Layers.")] = 50,
    width: Annotated[int, typer.Option("--width", help="Units per layer.")] = 256,
    batch: Annotated[int, typer.Option("--batch", help="Inputs pushed through.")] = 64,
    init: Annotated[Init, typer.Option("--init", help="Weight initialisation (normal).")] = Init.he,
    bias: Annotated[float, typer.Option("--bias", help="Bias of every unit.")] = 0.0,
    every: Annotated[int, typer.Option("--every", help="Print every N-th layer.")] = 5,
    param: Annotated[Optional[list[str]], typer.Option(
        "-p", "--param", metavar="NAME=VALUE", help="A variant parameter, as in relu eval.",
        show_default=False)] = None,
    seed: Annotated[Optional[int], typer.Option(
        "--seed", help="Seed (the one used is always reported).", show_default=False)] = None,
    output_format: Annotated[EvalFormat, typer.Option("--format", help="Output format.")] = EvalFormat.table,
    output: Annotated[Optional[str], typer.Option(
        "--output", "-o", metavar="FILE", help="Also draw the gradient norm per layer (log scale).",
        show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing -o file.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Push a gradient back through a deep random network: does it survive?

    A fully connected network of --depth layers of --width units (--init he, xavier or
    lecun, a constant --bias) takes a batch of standard-normal inputs forward and a
    standard-normal gradient back. Per layer: the norm of the gradient with respect to
    the layer's input relative to the top layer's, the share of units with zero
    gradient for the whole batch (dead), and the mean activation. With He init ReLU's
    gradient keeps its order of magnitude over 50 layers; Sigmoid's (derivative at most
    1/4) falls geometrically, under the bound ∏ max|f′|·‖W‖₂ printed beside it.

    Examples:

      relu grad-flow

      relu grad-flow relu sigmoid --init xavier --depth 30 -o flow.png
    """
    chosen = select(variants or ["relu", "leaky_relu", "sigmoid", "tanh"])
    params = parse_param_options(param or [], chosen)
    if every < 1:
        raise UsageError(f"--every must be at least 1, got {every}")
    _prepare_plot_output(output, force)
    from .resources import check_memory

    check_memory(8.0 * (depth * width * width + 4 * depth * batch * width) * 1.5, "grad-flow")

    import numpy as np

    from . import gradflow, render

    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    with render.ProgressBar("grad-flow", quiet) as update:
        results = gradflow.simulate_gradflow(chosen, params, depth, width, batch,
                                             np.random.default_rng(seed), init=init.value,
                                             bias=bias, progress=update)
    shown = {"depth": depth, "width": width, "batch": batch, "init": init.value, "bias": bias,
             "seed": seed}
    if output_format is EvalFormat.json:
        sys.stdout.write(render.records_json("grad-flow", shown, render.flow_records(results)))
    elif output_format is EvalFormat.csv:
        sys.stdout.write(render.records_csv(render.flow_records(results), nested="layers"))
    else:
        title = (f"{depth} layers × {width} units, {init.value} init, bias {bias:g}, "
                 f"batch {batch}, seed {seed}")
        render.print_table(render.console(), render.flow_table(title, results, every))
    if output is not None:
        from . import plotting

        _write_figure(plotting.flow_figure(results), output, force)


# --------------------------------------------------------------------------------------
# relu code


class CodeFormat(str, enum.Enum):
    text = "text"
    json = "json"


@command("code", no_args_is_help=True)
def code_command(
    variant: Annotated[str, typer.Argument(
        help="The variant to write code for.", autocompletion=_complete_variant,
        show_default=False)],
    framework: Annotated[Optional[list[str]], typer.Option(
        "--framework", "-f", help="torch, tf, keras, jax, flax or all (repeatable, or "
        "comma separated) \\[default: all].", show_default=False)] = None,
    param: Annotated[Optional[list[str]], typer.Option(
        "-p", "--param", metavar="NAME=VALUE", help="A parameter, as in relu eval; "
        "-p alpha=0.1,0.2,0.3 gives PReLU one slope per channel.", show_default=False)] = None,
    output_format: Annotated[CodeFormat, typer.Option(
        "--format", help="text (highlighted on a terminal) or json.")] = CodeFormat.text,
    source: Annotated[Optional[str], typer.Option(
        "--from", metavar="torch", help="Translate: the argument is a PyTorch call, e.g. "
        "\"nn.LeakyReLU(0.2)\" or \"F.gelu(x, approximate='tanh')\".",
        show_default=False)] = None,
) -> None:
    """Print ready-to-paste code for a variant in PyTorch, TensorFlow, Keras, JAX and Flax.

    Parameters are always written explicitly, so the pasted code means the same in
    every framework; a warning follows wherever a framework's default or convention
    differs (LeakyReLU's slope is 0.01 in PyTorch and JAX, 0.2 in tf.nn and
    keras.ops, 0.3 in the Keras layer; PReLU's channel axis and initial slope; the
    gradient at 0; RReLU exists only in PyTorch).

    Examples:

      relu code leaky_relu -p negative_slope=0.2

      relu code prelu -p alpha=0.25 --framework keras,torch

      relu code rrelu --framework jax --format json

      relu code "nn.PReLU(num_parameters=3, init=0.1)" --from torch -f keras
    """
    from . import codegen, render

    if source is not None:
        if source.lower() != "torch":
            raise UsageError(f"--from {source}: translation reads PyTorch calls only "
                             "(--from torch)")
        chosen, params = codegen.parse_torch_call(variant)
        for option in param or []:  # -p still overrides what the call says
            params.update(parse_param_options([option], [chosen])[chosen.name])
    else:
        from .registry import GROUPS

        if variant.lower() in GROUPS:
            raise UsageError("relu code takes one variant, not a group")
        (chosen,) = select([variant])
        params = parse_param_options(param or [], [chosen])[chosen.name]
    names = [n for item in (framework or ["all"]) for n in item.split(",") if n.strip()]
    snippets = codegen.snippets(chosen, params, codegen.frameworks(names))
    if output_format is CodeFormat.json:
        import json

        document = {"variant": chosen.name,
                    "params": {k: list(v) if isinstance(v, tuple) else v
                               for k, v in chosen.resolve_params(params).items()},
                    "snippets": [{"framework": s.framework, "title": s.title, "code": s.code,
                                  "warnings": s.warnings} for s in snippets]}
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return
    render.print_snippets(render.console(), chosen, snippets)


# --------------------------------------------------------------------------------------
# relu table


@command("table")
def table_command(
    variant: Annotated[Optional[list[str]], typer.Option(
        "--variant", "-v", help="Show only this variant (repeatable).",
        autocompletion=_complete_variant, show_default=False)] = None,
    output_format: Annotated[TableFormat, typer.Option(
        "--format", help="Output format.")] = TableFormat.table,
) -> None:
    """Print the comparison table of the variants.

    Formula, gradient, range, dying neurons, properties, defaults in PyTorch / Keras /
    JAX, and when to use each, as three tables (one card per variant on a narrow
    terminal) or as Markdown, JSON or CSV."""
    from . import render
    from .registry import VARIANTS

    chosen = select(variant) if variant else list(VARIANTS)
    if output_format is TableFormat.json:
        sys.stdout.write(render.variants_json(chosen))
    elif output_format is TableFormat.csv:
        sys.stdout.write(render.variants_csv(chosen))
    elif output_format is TableFormat.markdown:
        sys.stdout.write(render.variants_markdown(chosen))
    else:
        render.print_variants(render.console(), chosen)


# --------------------------------------------------------------------------------------
# Entry point: one-line errors, exit codes 0 ok / 1 failure / 2 usage / 130 Ctrl-C


def _app_for(argv: list[str]):
    """The app to run: when the first argument names a subcommand (and this is not a
    shell-completion request), one holding only that subcommand. Typer turns every
    registered command into a click command at start-up, which costs milliseconds
    per command; ``relu --help`` and completion still see them all."""
    if "_RELU_COMPLETE" in os.environ:
        return app
    if argv and argv[0] in _COMMANDS:
        function, options = _COMMANDS[argv[0]]
        small = typer.Typer(**APP_SETTINGS)
        small.callback()(_root)
        small.command(argv[0], **options)(function)
        return small
    if not argv or argv[0] in ("--help", "-h"):
        # The top-level help lists names and one-line summaries only: register
        # parameterless stand-ins carrying the same help text (never run).
        listing = typer.Typer(**APP_SETTINGS)
        listing.callback()(_root)
        for name, (function, options) in _COMMANDS.items():
            def stand_in() -> None:  # pragma: no cover - help only
                raise UsageError("internal: a help stand-in was run")

            stand_in.__doc__ = function.__doc__
            listing.command(name, **options)(stand_in)
        return listing
    return app


def main(argv: list[str] | None = None) -> None:
    """Run ``relu``; every failure becomes ``relu: error: ...`` on stderr."""
    if argv is None:
        argv = sys.argv[1:]
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        _plain_help()
    _escape_what_cannot_be_encoded()
    import warnings

    DEBUG["on"] = bool(os.environ.get("RELU_DEBUG"))
    command = typer.main.get_command(_app_for([a for a in argv if a != "--debug"]))
    try:
        with warnings.catch_warnings():
            # A library warning (NumPy's "overflow encountered", say) becomes one line.
            warnings.showwarning = _warning_line
            code = command.main(args=argv, prog_name="relu", standalone_mode=False)
    except ReluError as exc:
        if DEBUG["on"]:
            raise
        _fail(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except (BrokenPipeError, ReaderWentAway):
        _silence_broken_pipe()
    except MemoryError:
        _fail("out of memory; ask for fewer values, units or points", 1)
    except Exception as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            # `relu` or `relu eval` alone: typer has printed the help; nothing to add
            message = exc.format_message().strip()
            if message:
                print(message, file=sys.stderr)
            sys.exit(exc.exit_code)
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):
            # typer's own usage errors (click's, vendored in typer >= 0.26)
            _fail(_usage_message(exc), exc.exit_code)
        if DEBUG["on"]:
            raise
        _fail(f"unexpected {type(exc).__name__}: {exc} (this is a bug; run with --debug "
              "to see the traceback and please report it)", 1)
    if code == 130:
        _fail("interrupted", 130)
    if isinstance(code, int) and code:
        sys.exit(code)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_broken_pipe()


def _plain_help() -> None:
    """NO_COLOR or TERM=dumb: typer's rich help without escape codes either."""
    try:
        import typer.rich_utils as rich_utils

        rich_utils.COLOR_SYSTEM = None
    except ImportError:  # pragma: no cover - typer without rich
        pass


def _escape_what_cannot_be_encoded() -> None:
    """An output encoding without ∞, ∇, — (PYTHONIOENCODING=ascii, say) gets them as
    \\uXXXX escapes (lossless, and valid inside JSON strings) rather than a
    UnicodeEncodeError; `relu table` spells its symbols in ASCII there itself."""
    for stream in (sys.stdout, sys.stderr):
        try:
            "∞∇—".encode(stream.encoding or "ascii")
        except (UnicodeEncodeError, LookupError):
            import codecs

            codecs.register_error("relucli-escape", _unicode_escape)
            try:
                stream.reconfigure(errors="relucli-escape")
            except (AttributeError, ValueError):  # not a TextIOWrapper: leave it
                pass
        except AttributeError:
            pass


def _unicode_escape(error: UnicodeEncodeError) -> tuple[str, int]:
    """JSON's escapes: \\uXXXX, and surrogate pairs beyond the BMP."""
    escaped = []
    for char in error.object[error.start:error.end]:
        code = ord(char)
        if code > 0xFFFF:
            code -= 0x10000
            escaped.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            escaped.append(f"\\u{code:04x}")
    return "".join(escaped), error.end


def _warning_line(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"relu: warning: {' '.join(str(message).split())}", file=sys.stderr)


def _usage_message(exc) -> str:
    message = exc.format_message()
    ctx = getattr(exc, "ctx", None)
    if ctx is not None and ctx.command_path:
        message += f" (see '{ctx.command_path} --help')"
    return message


def _fail(message: str, code: int) -> None:
    first = " ".join(str(message).split())
    print(f"relu: error: {first}", file=sys.stderr)
    sys.exit(code)


def _silence_broken_pipe() -> None:
    # The reader went away (e.g. `relu eval ... | head`): exit quietly.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    sys.exit(0)
