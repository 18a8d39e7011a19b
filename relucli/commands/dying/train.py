"""``--model train``: an MLP trained with SGD at several learning rates, then its dead
units counted and its test accuracy measured (:mod:`relucli.sim.train`, on the
teacher task :mod:`relucli.sim.train_teacher`)."""

from __future__ import annotations

from ...errors import UsageError
from .model import DyingModel

#: ``--task``'s choices, the default first.
TASKS = ("teacher", "circle")


def learning_rates(text: str) -> list[float]:
    from ...inputs import parse_numbers

    rates = parse_numbers(str(text), "--lr")
    if not rates:
        raise UsageError("--lr needs at least one learning rate, e.g. --lr 0.01,0.1,1")
    twice = next((r for i, r in enumerate(rates) if r in rates[:i]), None)
    if twice is not None:  # its rows would repeat another's under the same label
        raise UsageError(f"--lr lists {twice:g} twice: give each learning rate once")
    return rates


def _run(chosen, params, o, rng, train, progress):
    from ...sim.train import simulate_train

    return simulate_train(chosen, params, learning_rates(o["lr"]), rng, steps=o["steps"],
                          width=o["width"], depth=o["depth"], batch=o["batch"],
                          trials=o["trials"], progress=progress, near_zero=o["near_zero"],
                          task=o["task"], in_dim=o["in_dim"], classes=o["classes"],
                          eval_samples=o["eval_samples"], init=o["init"])


def _cost(chosen, o):
    from ...sim import costs

    if o["task"] == "circle":
        return costs.train_cost(len(chosen), len(learning_rates(o["lr"])), o["steps"],
                                o["width"], o["depth"], o["batch"], o["trials"])
    return costs.teacher_train_cost(len(chosen), len(learning_rates(o["lr"])), o["steps"],
                                    o["width"], o["depth"], o["batch"], o["trials"],
                                    o["in_dim"], o["classes"], o["eval_samples"],
                                    learnable=sum(v.learnable for v in chosen),
                                    smooth=sum(not v.piecewise_linear for v in chosen))


def _check(o: dict) -> None:
    """The learning rates and the class count are valid; the circle task has 2 inputs
    and 2 classes whatever the defaults of --in-dim and --classes (the command refuses
    them typed with --task circle), so its settings say so."""
    from ...sim.stats import check_positive
    from ...sim.train_teacher import check_classes

    learning_rates(o["lr"])
    check_classes(o["classes"])
    check_positive(eval_samples=o["eval_samples"])
    if o["task"] == "circle":
        o["in_dim"], o["classes"] = 2, 2


def _title(o: dict, swept: str | None) -> str:
    def v(key: str) -> str:
        return "swept" if key == swept else format(o[key], "g")

    hidden = "-".join([v("width")] * (1 if swept == "depth" else o["depth"]))
    init = "" if o["init"] == "he" else f", {o['init']} init"
    if o["task"] == "circle":
        return (f"MLP 2-{hidden}{'-…' if swept == 'depth' else ''}-1 trained {v('steps')} "
                f"SGD steps (batch {v('batch')}) on the circle task{init}, {o['trials']} "
                f"trials, seed {o['seed']}")
    return (f"MLP {v('in_dim')}-{hidden}{'-…' if swept == 'depth' else ''}-{o['classes']} "
            f"trained {v('steps')} SGD steps (a fresh batch of {v('batch')} each) on a "
            f"{o['classes']}-class teacher{init}, {o['trials']} trials, seed {o['seed']}")


def _figure(sweep_name, runs, title, options):
    from ...plotting import model_figures, simulations

    if sweep_name is not None:
        return simulations.dying_figure("train", sweep_name, runs, title, options["trials"])
    return model_figures.train_figure(runs[0][1], title, options["trials"], options["classes"])


MODEL = DyingModel(
    name="train",
    summary="train (an MLP trained with SGD at several learning rates: dead units and "
            "test accuracy)",
    options={"lr": "0.01,0.1,1,3,5", "steps": 300, "width": 32, "depth": 2, "trials": 5,
             "batch": 32, "task": "teacher", "in_dim": 10, "classes": 10,
             "eval_samples": 2000, "init": "he"},
    sweepable=("steps", "width", "depth", "batch"),
    run=_run, cost=_cost, title=_title, figure=_figure, check=_check,
    no_train="the train model trains RReLU with random slopes already",
)
