"""``relu code``: ready-to-paste code for one variant in PyTorch, TensorFlow, Keras,
JAX and Flax, or the translation of a PyTorch call (``--from torch``)."""

from __future__ import annotations

import enum
import sys
from typing import Annotated, Optional

import typer

from ..errors import UsageError
from ..variants import select
from .common import complete_variant, parse_param_options, variants_help

OPTIONS = dict(no_args_is_help=True)



class CodeFormat(str, enum.Enum):
    text = "text"
    json = "json"


def command(
    variant: Annotated[str, typer.Argument(
        help=variants_help("The variant to write code for", groups=False), metavar="VARIANT",
        autocompletion=complete_variant,
        show_default=False)],
    framework: Annotated[Optional[list[str]], typer.Option(
        "--framework", "-F", metavar="NAME", help="torch, tf, keras, jax, flax or all "
        "(repeatable, or comma separated) \\[default: all].", show_default=False)] = None,
    old_f: Annotated[Optional[str], typer.Option(
        "-f", hidden=True, help="Refused: -f means --file (relu eval).")] = None,
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

      relu code prelu -p alpha=0.25 -F keras,torch

      relu code rrelu --framework jax --format json

      relu code "nn.PReLU(num_parameters=3, init=0.1)" --from torch -F keras
    """
    if old_f is not None:
        raise UsageError(f"-f means --file in relu; name the framework with --framework "
                         f"{old_f} (or -F {old_f})")
    from ..codegen.from_torch import parse_torch_call
    from ..codegen.snippet import frameworks, snippets
    from ..render.snippets import print_snippets
    from ..render.terminal import console

    if source is not None:
        if source.lower() != "torch":
            raise UsageError(f"--from {source}: translation reads PyTorch calls only "
                             "(--from torch)")
        chosen, params = parse_torch_call(variant)
        for option in param or []:  # -p still overrides what the call says
            params.update(parse_param_options([option], [chosen])[chosen.name])
    else:
        from ..variants import GROUPS

        if variant.lower() in GROUPS:
            raise UsageError("relu code takes one variant, not a group")
        (chosen,) = select([variant])
        params = parse_param_options(param or [], [chosen])[chosen.name]
    names = [n for item in (framework or ["all"]) for n in item.split(",") if n.strip()]
    written = snippets(chosen, params, frameworks(names))
    if output_format is CodeFormat.json:
        import json

        document = {"variant": chosen.name,
                    "params": {k: list(v) if isinstance(v, tuple) else v
                               for k, v in chosen.resolve_params(params).items()},
                    "snippets": [{"framework": s.framework, "title": s.title, "code": s.code,
                                  "warnings": s.warnings} for s in written]}
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return
    print_snippets(console(), chosen, written)

