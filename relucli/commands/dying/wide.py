"""``--model wide``: wide deep MLPs at initialisation, the fraction of units dead on a
batch layer by layer beside the infinite-width closed form (:mod:`relucli.sim.wide`)."""

from __future__ import annotations

from .model import DyingModel


def _run_many(chosen, params, o, depths, rng, progress) -> dict:
    """The model at each of ``depths`` from one run at the deepest."""
    from ...sim.wide import simulate_wides

    return simulate_wides(chosen, params, o["width"], depths, o["batch"], o["trials"], rng,
                          in_dim=o["in_dim"], bias_std=o["bias_std"], init=o["init"],
                          progress=progress)


def _run(chosen, params, o, rng, train, progress):
    return _run_many(chosen, params, o, [o["depth"]], rng, progress)[o["depth"]]


def _cost(chosen, o):
    from ...sim import costs
    from ...sim.wide import check_wide

    check_wide(chosen, o["init"], o["bias_std"])  # for every swept value, before the run

    return costs.wide_cost(len(chosen), o["width"], o["depth"], o["batch"], o["trials"],
                           o["in_dim"])


def _check(o: dict) -> None:
    from ...sim.wide import check_wide

    check_wide([], o["init"], o["bias_std"])


def _title(o: dict, swept: str | None) -> str:
    def v(key: str) -> str:
        return "swept" if key == swept else format(o[key], "g")

    bias_std = v("bias_std")
    biases = "zero biases" if bias_std == "0" else f"biases ~ N(0, {bias_std}²)"
    return (f"wide MLP at init: width {v('width')}, depth {v('depth')}, batch "
            f"{v('batch')}, in-dim {o['in_dim']}, {o['init']} init, {biases}, "
            f"{o['trials']} trials, seed {o['seed']}")


def _figure(sweep_name, runs, title, options):
    from ...plotting import model_figures

    return model_figures.wide_figure(sweep_name, runs, title)


MODEL = DyingModel(
    name="wide",
    summary="wide (wide deep MLPs at initialisation: units dead on a batch per layer, "
            "beside the infinite-width arc-cosine closed form)",
    options={"width": 256, "depth": 20, "batch": 32, "in_dim": 256, "bias_std": 0.0,
             "init": "he", "trials": 20},
    sweepable=("width", "depth", "batch", "bias_std"),
    run=_run, cost=_cost, title=_title, figure=_figure, check=_check,
    no_train="the wide model runs RReLU in evaluation mode (slope (lower + upper)/2)",
    nested_sweep="depth", run_many=_run_many,
    piecewise_linear_only=("counts units in a variant's zero-gradient regions, which "
                           "only piecewise-linear variants have"),
    smooth_hint=" (see --model layer --near-zero)",
)
