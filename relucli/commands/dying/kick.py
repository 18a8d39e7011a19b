"""``--model kick``: one large SGD step of a unit, then judged on fresh samples
(:mod:`relucli.sim.kick`): death by a high learning rate, and why it is not monotone."""

from __future__ import annotations

from .model import DyingModel


def _run(chosen, params, o, rng, train, progress):
    from ...sim.kick import simulate_kick

    return simulate_kick(chosen, params, o["step"], o["fan_in"], o["units"], o["batch"],
                         o["eval_samples"], rng, init=o["init"], bias=o["bias"],
                         progress=progress)


def _check(o: dict) -> None:
    from ...sim.kick import check_kick

    check_kick(o["step"], o["batch"], o["eval_samples"])


def _cost(chosen, o):
    from ...sim import costs

    _check(o)  # called for every swept value before anything runs: --sweep step=-1:1:3
    return costs.kick_cost(len(chosen), o["units"], o["batch"], o["eval_samples"])


def batch_text(batch) -> str:
    """``--batch`` in words: 0 is the population gradient.

    >>> batch_text(0), batch_text(32)
    ('population gradient', 'batch 32')
    """
    return "population gradient" if batch == 0 else f"batch {batch:g}"


def _title(o: dict, swept: str | None) -> str:
    def v(key: str, spec: str = "g") -> str:
        return "swept" if key == swept else format(o[key], spec)

    batch = "batch swept" if swept == "batch" else batch_text(o["batch"])
    return (f"one SGD step of size {v('step')} (η·δ): fan-in {v('fan_in')}, {o['init']} init, "
            f"bias {v('bias')}, {batch}, judged on {v('eval_samples')} samples, "
            f"{v('units', ',')} units, seed {o['seed']}")


def _figure(sweep_name, runs, title, options):
    from ...plotting import model_figures

    return model_figures.kick_figure(sweep_name, runs, title, options)


MODEL = DyingModel(
    name="kick",
    summary="kick (one large SGD step of size η·δ, then judged on fresh samples; the "
            "closed form is the population gradient's step, exact with --batch 0)",
    options={"step": 3.5, "fan_in": 100, "units": 100_000, "batch": 32, "eval_samples": 100,
             "init": "he", "bias": 0.0},
    sweepable=("step", "bias", "batch", "fan_in", "eval_samples", "units"),
    run=_run, cost=_cost, title=_title, figure=_figure, check=_check,
    no_train="the kick model's step uses RReLU's evaluation slope (lower+upper)/2",
    figure_needs_sweep="step=0.1:10:50", zero_allowed=("batch",),
    piecewise_linear_only=("takes piecewise-linear variants only (its step and closed form "
                           "use their exact slopes)"),
)
