"""``--model depth``: narrow networks at initialisation, born dead or not, decided
exactly on the input domain (:mod:`relucli.sim.depth`)."""

from __future__ import annotations

from .model import DyingModel


def _run_many(chosen, params, o, depths, rng, progress) -> dict:
    """The model at each of ``depths`` from one run at the deepest."""
    from ...sim.depth import simulate_depths

    return simulate_depths(chosen, params, depths, o["width"], o["trials"], rng,
                           in_dim=o["in_dim"], bias_std=o["bias_std"], progress=progress,
                           bias_scaling=o["bias_scaling"])


def _run(chosen, params, o, rng, train, progress):
    return _run_many(chosen, params, o, [o["depth"]], rng, progress)[o["depth"]]


def _cost(chosen, o):
    from ...sim import costs
    from ...sim.pieces import MAX_PIECES

    return costs.depth_cost(len(chosen), o["depth"], o["width"], o["trials"], o["in_dim"],
                            MAX_PIECES)


def _check(o: dict) -> None:
    from ...sim.depth import check_in_dim

    check_in_dim(o["in_dim"])


def domain(options: dict) -> str:
    """Where the depth model judges a network dead: [-1, 1], or the cube [-1, 1]^d.

    >>> domain({"in_dim": 1}), domain({"in_dim": 3}), domain({})
    ('[-1, 1]', '[-1, 1]³', '[-1, 1]')
    """
    in_dim = options.get("in_dim", 1)
    return "[-1, 1]" if in_dim == 1 else "[-1, 1]" + str(in_dim).translate(
        str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _title(o: dict, swept: str | None) -> str:
    def v(key: str) -> str:
        return "swept" if key == swept else format(o[key], "g")

    bias_std = v("bias_std")
    if bias_std == "0":
        biases = "zero biases"
    elif o["bias_scaling"] == "fan-in":
        biases = f"biases ~ N(0, ({bias_std}/fan-in)²)"
    else:
        biases = f"biases ~ N(0, {bias_std}²)"
    return (f"born dead on {domain(o)}: depth {v('depth')}, width {v('width')}, He init, "
            f"{biases}, {o['trials']} trials, seed {o['seed']}")


def _figure(sweep_name, runs, title, options):
    from ...plotting import simulations

    return simulations.dying_figure("depth", sweep_name, runs, title, options["trials"],
                                    domain(options))


MODEL = DyingModel(
    name="depth",
    summary="depth (networks born dead at initialisation, decided exactly on [-1, 1], "
            "or on [-1, 1]^d with --in-dim)",
    options={"depth": 10, "width": 3, "trials": 1000, "in_dim": 1, "bias_std": 0.0,
             "bias_scaling": "constant"},
    sweepable=("depth", "width", "bias_std"),
    run=_run, cost=_cost, title=_title, figure=_figure, check=_check,
    no_train="the depth model decides RReLU in evaluation mode",
    nested_sweep="depth", run_many=_run_many,
    piecewise_linear_only="decides 'born dead' exactly for piecewise-linear variants only",
)
