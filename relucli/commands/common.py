"""What several commands share: output-format and dtype choices, ``-p name=value``
parsing, variant completion, seeds, and the checks and writing of ``-o`` figures.
Heavy imports (NumPy, matplotlib) stay inside the functions that need them."""

from __future__ import annotations

import enum
from typing import Annotated, Optional

import typer

from ..errors import ParameterError, UsageError
from ..exits import say
from ..variants import GROUPS, VARIANTS, Variant, get, names


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


class EvalFormat(str, enum.Enum):
    table = "table"
    json = "json"
    csv = "csv"


class DType(str, enum.Enum):
    float16 = "float16"
    bfloat16 = "bfloat16"
    float32 = "float32"
    float64 = "float64"


class Init(str, enum.Enum):
    he = "he"
    he_leaky = "he-leaky"
    xavier = "xavier"
    lecun = "lecun"


# Options that several simulations take with the same meaning and help
def check_seed(seed: int | None) -> int | None:
    """``--seed`` takes what NumPy's generators take: a whole number >= 0."""
    if seed is not None and seed < 0:
        raise typer.BadParameter(f"a seed is a whole number >= 0, got {seed}")
    return seed


SeedOption = Annotated[Optional[int], typer.Option(
    "--seed", callback=check_seed, help="Seed (the one used is always reported).",
    show_default=False)]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace an existing -o file.")]
QuietOption = Annotated[bool, typer.Option(
    "--quiet", "-q", help="No progress bar, and no note of a long run's expected time "
    "and memory.")]
MaxSecondsOption = Annotated[float, typer.Option(
    "--max-seconds", metavar="SECONDS", help="Time budget: a run estimated to take longer "
    "is refused before it starts, one that takes longer is stopped (inf: no budget).")]
ParamOption = Annotated[Optional[list[str]], typer.Option(
    "-p", "--param", metavar="NAME=VALUE", help="A variant parameter, as in relu eval.",
    show_default=False)]


def variants_help(what: str, default: str | None = None, groups: bool = True) -> str:
    """The help of a command's VARIANT arguments: every variant and group of the
    registry, so that ``--help`` never falls behind it.

    >>> variants_help("Variants to draw").split(": ")[1].split(",")[0]
    'relu'
    """
    by_family: dict[str, list[str]] = {}
    for variant in VARIANTS:
        by_family.setdefault(variant.family, []).append(variant.name)
    titles = {"relu": "the ReLU family", "relative": "relatives", "classic": "classic"}
    listed = "; ".join(f"{', '.join(members)} ({titles[family]})"
                       for family, members in by_family.items())
    text = f"{what}: {listed}" + (f"; or a group: {', '.join(GROUPS)}" if groups else "")
    text += ". Aliases such as 'leaky' work."
    return text + (f" \\[default: {default}]." if default else "")


def complete_variant(incomplete: str) -> list[str]:
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


def typed(ctx, *names: str) -> list[str]:
    """The options among ``names`` (parameter names) that the user gave, spelled as
    typed on the command line (``--format``, not ``output_format``)."""
    spelled = {p.name: max(p.opts, key=len) for p in ctx.command.params}
    return [spelled[name] for name in names
            if getattr(ctx.get_parameter_source(name), "name", "DEFAULT")
            in ("COMMANDLINE", "ENVIRONMENT")]


def singular_ones(text: str) -> str:
    """Counts of one in a title read as such: "1 units" -> "1 unit".

    >>> singular_ones("1 layers × 1 units, 1 trials, 21 units, 1,001 samples")
    '1 layer × 1 unit, 1 trial, 21 units, 1,001 samples'
    """
    import re

    return re.sub(r"(?<![\d.,])1 (unit|trial|sample|layer|step|value)s\b", r"1 \1", text)


def one_sweep(sweeps: list[str] | None) -> str | None:
    """``--sweep`` varies one option: given twice, it is refused rather than the last
    silently winning (``--sweep mean=1:2:3 --sweep std=1,2``)."""
    if sweeps and len(sweeps) > 1:
        raise UsageError(f"--sweep varies one option at a time, got {len(sweeps)}: "
                         f"{', '.join(sweeps)} (run once per sweep)")
    return sweeps[0] if sweeps else None


def refuse_unused(ctx, names: tuple[str, ...], when: bool, reason: str) -> None:
    """An option that would do nothing in this combination is refused with the reason
    (``relu plot relu --seed 3`` without ``--train``), not silently ignored."""
    if when:
        given = typed(ctx, *names)
        if given:
            them = " and ".join(given)
            raise UsageError(f"{them} {'does' if len(given) == 1 else 'do'} nothing here: "
                             f"{reason}")


def refuse_force_without_file(ctx, no_file: bool) -> None:
    """``--force`` replaces an existing output file: with none to write, it is refused."""
    refuse_unused(ctx, ("force",), no_file, "no file is written (add -o FILE)")


def check_train(train: bool, chosen: list[Variant]) -> None:
    """``--train`` means RReLU's training mode: refuse it where no variant has one."""
    if train and not any(v.stochastic for v in chosen):
        raise UsageError("--train applies to rrelu only; add rrelu to the variants")


#: Runs estimated to take longer than this (seconds) say so before they start.
LONG_RUN = 20.0


def check_run(cost, what: str, max_seconds: float, quiet: bool) -> None:
    """Before any work: refuse a run (``cost``, a :class:`relucli.sim.costs.Cost`) that
    will not fit in memory or in ``--max-seconds``, with the figures; announce a long
    one on stderr unless ``--quiet``."""
    from ..resources import (check_max_seconds, check_memory, check_seconds, human_bytes,
                             human_seconds)

    check_max_seconds(max_seconds)
    what = f"{what} ({cost.describe()})"
    check_memory(cost.bytes, what)
    check_seconds(cost.seconds, what, max_seconds)
    if cost.seconds > LONG_RUN and not quiet:
        say(f"note: {what} should take about {human_seconds(cost.seconds)} here and "
            f"{human_bytes(cost.bytes)} of memory; Ctrl-C stops it")


def fresh_seed() -> int:
    """A seed from the operating system's entropy, to be reported with the result."""
    import numpy as np

    return int(np.random.SeedSequence().generate_state(1)[0])


# --------------------------------------------------------------------------------------
# -o FILE: a figure or data, as its extension says

FIGURE_SUFFIXES = (".png", ".svg", ".pdf")
DATA_SUFFIXES = (".json", ".csv")


def prepare_plot_output(output: str | None, force: bool) -> None:
    """Refuse a figure name with an unknown extension, or one that exists, before any
    work is done."""
    if output is not None:
        from .. import plotting
        from ..files import check_writable

        plotting.format_for(output)
        check_writable(output, force)


def prepare_output(output: str | None, force: bool) -> str | None:
    """What ``-o FILE`` of a simulation writes, by its extension: "json" or "csv" data
    (what ``--format`` prints), or a "figure" (.png, .svg, .pdf); checked, with the
    file checked writable, before any work. None without ``-o``.

    >>> prepare_output(None, False) is None
    True
    """
    if output is None:
        return None
    from pathlib import Path

    suffix = Path(output).suffix.lower()
    if suffix not in FIGURE_SUFFIXES + DATA_SUFFIXES:
        raise UsageError(f"-o {output}: unknown extension; use .json or .csv for the data, "
                         ".png, .svg or .pdf for a figure")
    if suffix in DATA_SUFFIXES:
        from ..files import check_writable

        check_writable(output, force)
        return suffix.lstrip(".")
    prepare_plot_output(output, force)
    return "figure"


def write_output(output: str, kind: str, force: bool, data, figure) -> None:
    """Write ``-o FILE``: ``data(kind)`` (the JSON or CSV text) or ``figure()``."""
    if kind == "figure":
        write_figure(figure(), output, force)
        return
    from ..files import atomic_write

    text = data(kind).encode()
    path = atomic_write(output, lambda handle: handle.write(text), force)
    say(f"wrote {path}")


def write_figure(figure, output: str, force: bool) -> None:
    from .. import plotting

    say(f"wrote {plotting.save_figure(figure, output, 150, force)}")
