"""``--model layer``: a dense layer on centred or non-centred inputs
(:mod:`relucli.sim.layer`)."""

from __future__ import annotations

from .model import DyingModel


def _run(chosen, params, o, rng, train, progress):
    from ...sim.layer import simulate_layer

    return simulate_layer(chosen, params, o["fan_in"], o["units"], o["batch"], o["trials"],
                          rng, init=o["init"], inputs=o["inputs"], bias=o["bias"],
                          bias_std=o["bias_std"], training=train, progress=progress,
                          near_zero=o["near_zero"], bias_scaling=o["bias_scaling"])


def _cost(chosen, o):
    from ...sim import costs

    return costs.layer_cost(len(chosen), o["fan_in"], o["units"], o["batch"], o["trials"])


def _title(o: dict, swept: str | None) -> str:
    def v(key: str) -> str:
        return "swept" if key == swept else format(o[key], "g")

    bias_std = v("bias_std")
    if bias_std != "0" and o["bias_scaling"] == "fan-in":
        bias_std += "/fan-in"
    return (f"dense layer: fan-in {v('fan_in')}, {v('units')} units, batch {v('batch')}, "
            f"{o['init']} init, {o['inputs']} inputs, bias {v('bias')}"
            f"{'' if bias_std == '0' else ' ± ' + bias_std}, {o['trials']} trials, "
            f"seed {o['seed']}")


def _figure(sweep_name, runs, title, options):
    from ...plotting import simulations

    return simulations.dying_figure("layer", sweep_name, runs, title, options["trials"])


MODEL = DyingModel(
    name="layer",
    summary="layer (a dense layer on centred or non-centred inputs)",
    options={"fan_in": 100, "units": 1000, "batch": 32, "trials": 10, "init": "he",
             "inputs": "gaussian", "bias": 0.0, "bias_std": 0.0, "bias_scaling": "constant"},
    sweepable=("bias", "bias_std", "batch", "fan_in", "units"),
    run=_run, cost=_cost, title=_title, figure=_figure, figure_needs_sweep="bias=-3:1:9",
)
