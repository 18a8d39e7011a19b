"""``--model train``: an MLP trained with SGD at several learning rates, then its dead
units counted (:mod:`relucli.sim.train`)."""

from __future__ import annotations

from ...errors import UsageError
from .model import DyingModel


def learning_rates(text: str) -> list[float]:
    from ...inputs import parse_numbers

    rates = parse_numbers(str(text), "--lr")
    if not rates:
        raise UsageError("--lr needs at least one learning rate, e.g. --lr 0.01,0.1,1")
    return rates


def _run(chosen, params, o, rng, train, progress):
    from ...sim.train import simulate_train

    return simulate_train(chosen, params, learning_rates(o["lr"]), rng, steps=o["steps"],
                          width=o["width"], depth=o["depth"], batch=o["batch"],
                          trials=o["trials"], progress=progress, near_zero=o["near_zero"])


def _cost(chosen, o):
    from ...sim import costs

    return costs.train_cost(len(chosen), len(learning_rates(o["lr"])), o["steps"],
                            o["width"], o["depth"], o["batch"], o["trials"])


def _title(o: dict, swept: str | None) -> str:
    def v(key: str) -> str:
        return "swept" if key == swept else format(o[key], "g")

    hidden = "-".join([v("width")] * (1 if swept == "depth" else o["depth"]))
    return (f"MLP 2-{hidden}{'-…' if swept == 'depth' else ''}-1 trained {v('steps')} SGD "
            f"steps (batch {o['batch']}), {o['trials']} trials, seed {o['seed']}")


def _figure(sweep_name, runs, title, options):
    from ...plotting import simulations

    return simulations.dying_figure("train", sweep_name, runs, title, options["trials"])


MODEL = DyingModel(
    name="train",
    summary="train (an MLP trained with SGD at several learning rates)",
    options={"lr": "0.01,0.1,1,3,5", "steps": 300, "width": 32, "depth": 2, "trials": 5,
             "batch": 32},
    sweepable=("steps", "width", "depth"),
    run=_run, cost=_cost, title=_title, figure=_figure,
    check=lambda o: learning_rates(o["lr"]) and None,
    no_train="the train model trains RReLU with random slopes already",
)
