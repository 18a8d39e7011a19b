"""The subcommands of ``relu``, one module each: its options, then parse -> call ->
render. No maths and no layout here: the variants, the engine and the simulations
compute, ``relucli.render`` and ``relucli.plotting`` present.

Every module holds ``command`` (the typer function, whose docstring is its help) and
``OPTIONS`` (what ``typer.Typer.command`` takes besides the name). :data:`COMMANDS`
lists them in the order ``relu --help`` shows; :func:`load` imports one, so that
``relu table`` imports the table command and nothing else (``relucli.cli.app_for``).
"""

from __future__ import annotations

import functools
import importlib
from typing import Any, Callable

#: command name -> module of this package, in the order of ``relu --help``
COMMANDS = {
    "eval": "evaluate",  # not eval.py: a module named like the builtin reads badly
    "plot": "plot",
    "dying-sim": "dying_sim",
    "quant-sim": "quant_sim",
    "grad-flow": "grad_flow",
    "code": "code",
    "table": "table",
}


class ReaderWentAway(Exception):
    """stdout's reader closed the pipe while a command was writing (`relu ... | head`)."""


@functools.lru_cache(maxsize=None)
def load(name: str) -> tuple[Callable[..., None], dict[str, Any]]:
    """The typer function of command ``name`` and its options, help text reflowed.

    >>> function, options = load("table")
    >>> options["help"].splitlines()[0]
    'Print the comparison table of the variants.'
    """
    from .common import reflow

    module = importlib.import_module(f"{__name__}.{COMMANDS[name]}")
    options = dict(module.OPTIONS)
    options["help"] = reflow(options.get("help") or module.command.__doc__)
    return _closed_pipe_reaches_main(module.command), options


def _closed_pipe_reaches_main(function):
    """typer answers a BrokenPipeError inside a command with exit status 1; pass it to
    ``main`` instead, which exits quietly with 0 wherever the pipe closed."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except BrokenPipeError:
            raise ReaderWentAway from None

    return run
