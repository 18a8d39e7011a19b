"""``relu plot``: function and gradient curves of variants, to a PNG, SVG or PDF
file, a window, or the terminal."""

from __future__ import annotations

import enum
import sys
from typing import Annotated, Optional

import typer

from ..errors import UsageError
from ..variants import select
from .common import (check_seed, check_train, complete_variant, parse_param_options,
                     prepare_plot_output, refuse_force_without_file, refuse_unused, typed,
                     variants_help)

OPTIONS = dict(no_args_is_help=True)



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
    from ..plotting import PLOT_LIMIT

    if max(abs(start), abs(stop)) > PLOT_LIMIT:
        raise UsageError(f"--range {text}: a figure's axes hold about ±{PLOT_LIMIT:g}")
    if start >= stop:
        raise UsageError(f"--range needs START < STOP, got {text!r}")
    return start, stop


def _finite(value: float) -> bool:
    return value == value and abs(value) != float("inf")


def _parse_text_size(text: str) -> tuple[int, int]:
    """--size with --terminal (no -o): WIDTH,HEIGHT in characters and lines."""
    try:
        width, height = (int(p) for p in text.replace("x", ",").split(","))
    except ValueError:
        raise UsageError(f"--size with --terminal takes WIDTH,HEIGHT in characters, e.g. "
                         f"100,30; got {text!r}") from None
    if not (40 <= width <= 1000 and 10 <= height <= 1000):
        raise UsageError(f"--size with --terminal needs WIDTH from 40 to 1000 characters and "
                         f"HEIGHT from 10 to 1000 lines, got {text!r}")
    return width, height


def _parse_size(text: str) -> tuple[float, float]:
    try:
        width, height = (float(p) for p in text.replace("x", ",").split(","))
    except ValueError:
        raise UsageError(f"--size takes W,H in inches, e.g. 10,4; got {text!r}") from None
    if not (1 <= width <= 100 and 1 <= height <= 100):
        raise UsageError(f"--size needs W and H from 1 to 100 inches, got {text!r}")
    return width, height


#: The most pixels a PNG may have (400 MB of RGBA while it is drawn).
MAX_PIXELS = 100_000_000
#: Matplotlib's Agg canvas takes at most this many pixels a side.
MAX_SIDE = 65_535


def _check_pixels(path: str, size: tuple[float, float], dpi: float) -> None:
    """A PNG of --size at --dpi must fit the canvas and the memory, before drawing."""
    from .. import plotting

    if plotting.format_for(path) != "png":
        return
    width, height = size
    pixels = (width * dpi) * (height * dpi)
    if pixels > MAX_PIXELS or max(width, height) * dpi > MAX_SIDE:
        raise UsageError(f"--size {width:g},{height:g} at --dpi {dpi:g} is a "
                         f"{width * dpi:,.0f} x {height * dpi:,.0f} pixel PNG; the limit is "
                         f"{MAX_PIXELS:,} pixels and {MAX_SIDE:,} a side: lower --dpi, or "
                         "write .svg or .pdf, which scale without pixels")
    from ..resources import check_memory

    check_memory(pixels * 6, f"a {width * dpi:,.0f} x {height * dpi:,.0f} pixel PNG")


#: The longest --title: a slide's title, not a paragraph.
MAX_TITLE = 200


def command(
    ctx: typer.Context,
    variants: Annotated[list[str], typer.Argument(
        help=variants_help("Variants to draw"), metavar="VARIANT...", autocompletion=complete_variant,
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
        "--layout", metavar="LAYOUT", help="side: function | gradient; stacked: one above the other; "
        "overlay: one panel, gradient dashed.")] = Layout.side,
    no_grad: Annotated[bool, typer.Option("--no-grad", help="Draw the function only.")] = False,
    train: Annotated[bool, typer.Option(
        "--train", help="RReLU: shade the band of training slopes and scatter samples.")] = False,
    samples: Annotated[int, typer.Option(
        "--samples", help="With --train: how many sampled RReLU outputs to scatter.")] = 300,
    seed: Annotated[int, typer.Option("--seed", callback=check_seed,
                                      help="Seed for the --train samples.")] = 0,
    shade_dead: Annotated[bool, typer.Option(
        "--shade-dead", help="Shade where the gradient is zero (ReLU: x ≤ 0; ReLU6: "
        "also x ≥ 6).")] = False,
    dpi: Annotated[float, typer.Option("--dpi", help="Resolution of PNG output.")] = 150,
    size: Annotated[Optional[str], typer.Option(
        "--size", metavar="W,H", help="Figure size in inches; with --terminal and no -o, "
        "the plot's WIDTH,HEIGHT in characters \\[default: the terminal's].",
        show_default=False)] = None,
    title: Annotated[Optional[str], typer.Option(
        "--title", help="A title over the figure, as plain text ($ is a dollar).",
        show_default=False)] = None,
    style: Annotated[Optional[str], typer.Option(
        "--style", help="A matplotlib style name, e.g. ggplot, seaborn-v0_8.",
        show_default=False)] = None,
    terminal: Annotated[bool, typer.Option(
        "--terminal", help="Draw in the terminal instead (no file unless -o is given), "
        "as tall and wide as the terminal; --layout stacked by default.")] = False,
    show: Annotated[bool, typer.Option("--show", help="Open a window (needs a display).")] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Draw the function and gradient curves of one or more variants.

    Kinks are drawn honestly: the gradient jumps, a filled dot marks the value
    PyTorch takes at the kink and open dots the one-sided limits.

    Examples:

      relu plot all -p negative_slope=0.1 -o family.png

      relu plot relu relu6 --shade-dead --layout stacked -o relu6.svg

      relu plot relu relu6 leaky_relu --terminal
    """
    chosen = select(variants)
    params = parse_param_options(param or [], chosen)
    check_train(train, chosen)
    write_file = output is not None or not (terminal or show)
    refuse_unused(ctx, ("samples", "seed"), not train,
                  "without --train no RReLU outputs are sampled")
    text_only = terminal and not write_file and not show
    refuse_unused(ctx, ("shade_dead",), text_only,
                  "the terminal plot cannot shade regions; add -o FILE.png for a figure with "
                  "the zero-gradient regions shaded")
    refuse_unused(ctx, ("style", "dpi"), text_only,
                  "--terminal draws text; add -o FILE.png for a figure with them")
    refuse_unused(ctx, ("layout",), no_grad,
                  "with --no-grad there is one panel, the function's")
    refuse_force_without_file(ctx, not write_file)
    refuse_unused(ctx, ("train",), text_only,
                  "the terminal plot draws RReLU in evaluation mode; the band of training "
                  "slopes and the sampled outputs are drawn in a figure (add -o FILE.png)")
    refuse_unused(ctx, ("dpi",), write_file and output is not None
                  and output.lower().endswith((".svg", ".pdf")),
                  "SVG and PDF are drawn without pixels; a resolution is a PNG's")
    _check_sizes(points, samples, dpi)
    text_size = _parse_text_size(size) if size and text_only else None
    figure_size = _parse_size(size) if size and not text_only else None
    if title is not None and len(title) > MAX_TITLE:
        raise UsageError(f"--title has {len(title):,} characters; the limit is {MAX_TITLE}")

    from .. import plotting

    x_range = (_parse_plot_range(value_range) if value_range
               else plotting.default_range(chosen, params))
    path = output or default_name(variants)
    prepare_plot_output(path if write_file else None, force)
    if write_file:
        rows = plotting.panel_count(chosen)
        _check_pixels(path, figure_size or plotting.default_size(layout.value, not no_grad, rows),
                      dpi)
    plotting.check_style(style)
    curves = plotting.sample_curves(chosen, params, x_range, points, training=train,
                                    seed=seed, samples=samples if train else 0)
    if terminal:
        _print_terminal_plot(curves, not no_grad, layout.value if typed(ctx, "layout") else
                             "stacked", title, text_size)
    drawing = dict(layout=layout.value, with_grad=not no_grad, shade_dead=shade_dead,
                   title=title, size=figure_size, style=style)
    if write_file:
        figure = plotting.build_figure(curves, **drawing)
        written = plotting.save_figure(figure, path, dpi, force)
        from ..exits import printable

        print(printable(str(written)))
    if show:
        plotting.show_figure(lambda fig: plotting.build_figure(curves, figure=fig, **drawing))



def _check_sizes(points: int, samples: int, dpi: float) -> None:
    if points < 2 or points > 1_000_000:
        raise UsageError(f"--points must be between 2 and 1000000, got {points}")
    if samples < 0 or samples > 1_000_000:
        raise UsageError(f"--samples must be between 0 and 1000000, got {samples}")
    if not (10 <= dpi <= 2400):  # below 10, matplotlib's fonts shrink under a pixel
        raise UsageError(f"--dpi must be between 10 and 2400, got {dpi:g}")


def _print_terminal_plot(curves, with_grad: bool, layout: str, title: str | None,
                         size: tuple[int, int] | None) -> None:
    """The terminal plot, as wide and tall as the terminal (less a line for the
    prompt), or piped as $COLUMNS x $LINES (80 x 24 unless they say), or ``size``."""
    from .. import plotting
    from ..render import terminal

    console = terminal.console()
    colour = console.is_terminal and not console.no_color and console.color_system is not None
    width, height = size or (min(console.width, 120), terminal.height() - 1)
    text = plotting.terminal_plot(curves, with_grad, colour, width=width, height=height,
                                  unicode=console.encoding.lower().startswith("utf"),
                                  layout=layout, title=title)
    sys.stdout.write(text)


#: File names given to groups of variants; a default name is at most this long.
GROUP_NAMES = {"all": "all-variants", "family": "relu-family", "relatives": "relu-relatives",
               "classic": "classic"}
MAX_NAME = 40


def default_name(requested: list[str]) -> str:
    """The PNG a plot is written to without -o: named after the variants or groups as
    asked for, at most :data:`MAX_NAME` characters.

    >>> default_name(["relu", "ReLU6"]), default_name(["all"]), default_name(["family", "gelu"])
    ('relu-relu6.png', 'all-variants.png', 'relu-family-gelu.png')
    >>> default_name(["relu", "leaky", "prelu", "rrelu", "relu6", "gelu", "silu"])
    'relu-leaky_relu-prelu-and-4-more.png'
    """
    from ..variants import get

    parts = list(dict.fromkeys(GROUP_NAMES.get(name.strip().lower()) or get(name).name
                               for name in requested))
    name = "-".join(parts) + ".png"
    shown = len(parts)
    while len(name) > MAX_NAME and shown > 1:
        shown -= 1
        name = "-".join(parts[:shown]) + f"-and-{len(parts) - shown}-more.png"
    return name if len(name) <= MAX_NAME else f"{len(parts)}-variants.png"
