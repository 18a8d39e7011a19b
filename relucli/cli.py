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

HELP = """Evaluate, plot, compare and simulate the ReLU family of activation functions.

Numbers match PyTorch's torch.nn.functional bit for bit in float32 and float64,
including the gradient at the kinks."""

app = typer.Typer(
    name="relu",
    help=HELP,
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True,
                           help="Print the version and exit.")
    ] = False,
) -> None:
    pass


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


@app.command("eval", no_args_is_help=True)
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
        "--dtype", help="Computation dtype [default: float32; a .npy file keeps its own].",
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
    if train and seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    rng = np.random.default_rng(seed) if train else None
    results = [
        engine.evaluate(v, given.x, grad=with_grad, training=train and v.stochastic,
                        rng=rng, **params[v.name])
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
        render.console().print(render.eval_table(given.x, results, seed, with_grad))


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


@app.command("plot", no_args_is_help=True)
def plot_command(
    variants: Annotated[list[str], typer.Argument(
        help="Variants to draw, or 'all'.", autocompletion=_complete_variant,
        show_default=False)],
    output: Annotated[Optional[str], typer.Option(
        "--output", "-o", metavar="FILE", help="Write FILE (.png, .svg or .pdf) "
        "[default: named after the variants, e.g. relu-relu6.png].", show_default=False)] = None,
    param: Annotated[Optional[list[str]], typer.Option(
        "-p", "--param", metavar="NAME=VALUE", help="A parameter, as in relu eval. "
        "At the default 0.01 LeakyReLU's slope is invisible: try -p negative_slope=0.1.",
        show_default=False)] = None,
    value_range: Annotated[Optional[str], typer.Option(
        "--range", "-r", metavar="START:STOP", help="x range [default: every kink with "
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

    x_range = _parse_plot_range(value_range) if value_range else plotting.default_range(chosen)
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
# relu table


@app.command("table")
def table_command(
    variant: Annotated[Optional[list[str]], typer.Option(
        "--variant", "-v", help="Show only this variant (repeatable).",
        autocompletion=_complete_variant, show_default=False)] = None,
    output_format: Annotated[TableFormat, typer.Option(
        "--format", help="Output format.")] = TableFormat.table,
) -> None:
    """Print the comparison table of the variants: formula, gradient, range, dying
    neurons, learnable, defaults in PyTorch / Keras / JAX, and when to use each."""
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


def main(argv: list[str] | None = None) -> None:
    """Run ``relu``; every failure becomes ``relu: error: ...`` on stderr."""
    command = typer.main.get_command(app)
    try:
        code = command.main(args=argv, prog_name="relu", standalone_mode=False)
    except ReluError as exc:
        _fail(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except BrokenPipeError:
        _silence_broken_pipe()
    except Exception as exc:
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):
            # typer's own usage errors (click's, vendored in typer >= 0.26)
            _fail(_usage_message(exc), exc.exit_code)
        if os.environ.get("RELU_DEBUG"):
            raise
        _fail(f"unexpected {type(exc).__name__}: {exc} (this is a bug; set RELU_DEBUG=1 "
              "to see the traceback and please report it)", 1)
    if isinstance(code, int) and code:
        sys.exit(code)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_broken_pipe()


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
