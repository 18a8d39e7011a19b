"""``--model unit``: i.i.d. pre-activations, the exact closed form beside the Monte
Carlo value (:mod:`relucli.sim.unit`)."""

from __future__ import annotations

from .model import DyingModel


def _run(chosen, params, o, rng, train, progress):
    from ...sim.unit import simulate_units

    return simulate_units(chosen, params, _distribution(o), o["units"], o["batch"], rng,
                          training=train, method=o["method"], progress=progress,
                          near_zero=o["near_zero"])


def _distribution(o: dict):
    from ...sim.distributions import Distribution

    return Distribution(o["dist"], o["mean"], o["std"], o["df"]).shifted(o["bias"])


def _cost(chosen, o):
    from ...sim import costs

    smooth = sum(not v.piecewise_linear for v in chosen)
    return costs.unit_cost(len(chosen), smooth, o["units"], o["batch"], o["method"])


def _title(o: dict, swept: str | None) -> str:
    def v(key: str, spec: str = "g") -> str:
        return "swept" if key == swept else format(o[key], spec)

    z = (f"{o['dist']}, {swept} swept" if swept in ("mean", "std", "bias", "df")
         else _distribution(o).describe())
    return (f"{v('units', ',')} units × batch {v('batch')}, z ~ {z}, "
            f"method {o['method']}, seed {o['seed']}")


def _figure(sweep_name, runs, title, options):
    from ...plotting import simulations

    return simulations.dying_figure("unit", sweep_name, runs, title)


MODEL = DyingModel(
    name="unit",
    summary="unit (i.i.d. pre-activations, with the exact closed form beside the Monte "
            "Carlo value; z = difference in standard errors)",
    options={"units": 100_000, "batch": 8, "mean": 0.0, "std": 1.0, "bias": 0.0,
             "dist": "normal", "df": 3.0, "method": "samples"},
    sweepable=("mean", "std", "bias", "batch", "units", "df"),
    run=_run, cost=_cost, title=_title, figure=_figure, figure_needs_sweep="bias=-3:1:9",
)
