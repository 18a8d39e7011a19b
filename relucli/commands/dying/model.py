"""What a ``relu dying-sim`` model declares: its options, what --sweep may vary, how to
run it, what a run costs, its title and its figure. The command is the same for every
model; adding a model means adding one module beside this one and naming it in
:data:`relucli.commands.dying.MODELS`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional


def _no_check(options: dict) -> None:
    pass


@dataclass(frozen=True)
class DyingModel:
    """One model of ``relu dying-sim``.

    ``run(chosen, params, options, rng, train, progress)`` returns the per-variant
    results of one run; ``cost(chosen, options)`` its :class:`relucli.sim.costs.Cost`;
    ``title(options, swept)`` the settings line (``swept``: the swept option or None);
    ``figure(sweep_name, runs, title, options)`` a matplotlib figure.
    """

    name: str
    summary: str  # one line of ``relu dying-sim --help``: what the model simulates
    options: dict[str, Any]  # CLI name (underscores) -> default
    sweepable: tuple[str, ...]
    run: Callable
    cost: Callable
    title: Callable
    figure: Callable
    check: Callable[[dict], None] = _no_check  # options checks beyond positivity
    #: why --train does not apply (None: it does)
    no_train: Optional[str] = None
    #: why the model takes only the piecewise-linear variants (None: it takes every
    #: variant); 'all' then means the piecewise-linear ones. ``smooth_hint`` follows
    #: the refusal of a smooth variant ("the depth model {why}; gelu is smooth{hint}").
    piecewise_linear_only: Optional[str] = None
    smooth_hint: str = ""
    #: the option whose sweep is one run at its largest value, and that run:
    #: ``run_many(chosen, params, options, values, rng, progress) -> {value: results}``
    nested_sweep: Optional[str] = None
    run_many: Optional[Callable] = None
    #: a --sweep the figure needs (unit and layer draw only sweeps), or None
    figure_needs_sweep: Optional[str] = None
    #: options that may be 0 (kick: --batch 0, the population gradient); the model's
    #: check (and cost, called per swept value) says what else is allowed
    zero_allowed: tuple[str, ...] = ()
