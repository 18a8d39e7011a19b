"""``relu dying-sim``: the records of each model (JSON, CSV) and its rich table."""

from __future__ import annotations

from typing import Any

from .numbers import _num, _pct, format_number_plain
from .records import _json_lines, _param_json, records_csv


def _depth_fields(r) -> dict[str, Any]:
    return dict(dead_fraction=r.born_dead.value, stderr=r.born_dead.stderr, closed_form=None,
                born_dead_probability=r.born_dead.value,
                one_point_probability=r.one_point_probability, lower_bound=r.lower_bound,
                per_layer_dead_fraction=r.per_layer_dead_fraction,
                per_layer_stderr=[_num(e) for e in r.per_layer_stderr])


def _train_fields(r) -> dict[str, Any]:
    return dict(learning_rate=r.learning_rate, dead_fraction=r.dead.value,
                stderr=r.dead.stderr, closed_form=None,
                suppressed_fraction=r.suppressed.value, suppressed_stderr=r.suppressed.stderr,
                final_loss=_num(r.final_loss), diverged_trials=r.diverged,
                test_accuracy=r.accuracy.value, test_accuracy_stderr=r.accuracy.stderr)


def _unit_fields(r) -> dict[str, Any]:
    record: dict[str, Any] = {} if r.mode is None else {"mode": r.mode}
    record.update(
        dead_fraction=r.dead.value, stderr=r.dead.stderr,
        closed_form=r.dead.closed_form, z=_num(r.dead.z),
        suppressed_fraction=r.suppressed.value, suppressed_stderr=r.suppressed.stderr,
        suppressed_closed_form=r.suppressed.closed_form,
        mean_abs_grad=r.mean_abs_grad.value, mean_abs_grad_stderr=r.mean_abs_grad.stderr,
        mean_abs_grad_closed_form=r.mean_abs_grad.closed_form,
    )
    for name, part in r.parts.items():
        record[name] = part.value
        record[f"{name}_stderr"] = part.stderr
        record[f"{name}_closed_form"] = part.closed_form
    return record


def _layer_fields(r) -> dict[str, Any]:
    record = _unit_fields(r)
    record["closed_form_approximate"] = bool(r.extra.get("closed_form_approximate"))
    return record


def _kick_fields(r) -> dict[str, Any]:
    return dict(dead_fraction=r.dead.value, stderr=r.dead.stderr,
                closed_form=r.dead.closed_form, z=_num(r.dead.z),
                suppressed_fraction=r.suppressed.value,
                suppressed_stderr=r.suppressed.stderr,
                suppressed_closed_form=r.suppressed.closed_form,
                mean_bias=r.mean_bias.value, mean_bias_stderr=r.mean_bias.stderr,
                mean_bias_closed_form=r.mean_bias.closed_form,
                mean_abs_scale=r.mean_abs_scale.value,
                mean_abs_scale_stderr=r.mean_abs_scale.stderr,
                mean_abs_scale_closed_form=r.mean_abs_scale.closed_form,
                collapse_step=r.collapse_step)


def _kick_cells(r) -> list[str]:
    z = r.dead.z
    return [_pct(r.dead.value, r.dead.stderr), _pct(r.dead.closed_form),
            "—" if z is None else ("0.00" if abs(z) < 0.005 else f"{z:+.3g}"),
            _pct(r.suppressed.value, r.suppressed.stderr),
            f"{r.mean_bias.value:.4g} ({r.mean_bias.closed_form:.4g})",
            f"{r.mean_abs_scale.value:.4g} ({r.mean_abs_scale.closed_form:.4g})",
            "—" if r.collapse_step is None else f"{r.collapse_step:.4g}"]


def _wide_fields(r) -> dict[str, Any]:
    """The last layer's fractions (like the other models), then per layer lists."""
    def per_layer(estimates, what):
        if what == "closed_form":
            values = [e.closed_form for e in estimates]
            return None if values[0] is None else values
        if what == "z":  # None where there is no closed form, or it is 0 and was met
            values = [_num(e.z) for e in estimates]
            return None if all(v is None for v in values) else values
        return [_num(getattr(e, what)) for e in estimates]

    last_rho = r.per_layer_correlation[-1]
    return dict(
        dead_fraction=r.dead.value, stderr=r.dead.stderr, closed_form=r.dead.closed_form,
        z=_num(r.dead.z), suppressed_fraction=r.suppressed.value,
        suppressed_stderr=r.suppressed.stderr,
        suppressed_closed_form=r.suppressed.closed_form, suppressed_z=_num(r.suppressed.z),
        correlation=_num(last_rho.value), correlation_stderr=_num(last_rho.stderr),
        correlation_closed_form=last_rho.closed_form,
        per_layer_dead_fraction=per_layer(r.per_layer_dead, "value"),
        per_layer_stderr=per_layer(r.per_layer_dead, "stderr"),
        per_layer_closed_form=per_layer(r.per_layer_dead, "closed_form"),
        per_layer_z=per_layer(r.per_layer_dead, "z"),
        per_layer_suppressed_fraction=per_layer(r.per_layer_suppressed, "value"),
        per_layer_suppressed_stderr=per_layer(r.per_layer_suppressed, "stderr"),
        per_layer_suppressed_closed_form=per_layer(r.per_layer_suppressed, "closed_form"),
        per_layer_suppressed_z=per_layer(r.per_layer_suppressed, "z"),
        per_layer_correlation=per_layer(r.per_layer_correlation, "value"),
        per_layer_correlation_stderr=per_layer(r.per_layer_correlation, "stderr"),
        per_layer_correlation_closed_form=per_layer(r.per_layer_correlation, "closed_form"),
    )


def _wide_cells(r) -> list[str]:
    """Dead and suppressed in the last layer, the closed form of suppressed (ReLU's
    dead) and its z, and the suppressed fraction per layer."""
    e = r.suppressed
    z = e.z
    return [_pct(r.dead.value, r.dead.stderr), _pct(e.value, e.stderr), _pct(e.closed_form),
            "—" if z is None else ("0.00" if abs(z) < 0.005 else f"{z:+.2f}"),
            layer_summary([s.value for s in r.per_layer_suppressed])]


#: Per model, the fields of one variant's record after its name and parameters.
RECORD_FIELDS = {"unit": _unit_fields, "layer": _layer_fields, "depth": _depth_fields,
                 "train": _train_fields, "kick": _kick_fields, "wide": _wide_fields}


def dying_records(model: str, runs: list[tuple[Any, list]]) -> list[dict[str, Any]]:
    """Flat records, one per (sweep value, variant): the JSON ``results`` list."""
    records = []
    for sweep_value, results in runs:
        for r in results:
            record: dict[str, Any] = {}
            if sweep_value is not None:
                record["sweep_value"] = sweep_value
            record["variant"] = r.variant.name
            record["variant_params"] = {k: _param_json(v) for k, v in r.params.items()}
            record.update(RECORD_FIELDS[model](r))
            records.append(record)
    return records


def dying_json(model: str, params: dict, sweep: dict | None, runs) -> str:
    document = {"model": model, "params": params, "sweep": sweep,
                "results": dying_records(model, runs)}
    return _json_lines(document, "") + "\n"


def dying_csv(model: str, runs) -> str:
    """One row per (sweep value, variant); lists (per-layer fractions) joined by ';'."""
    return records_csv(dying_records(model, runs))



#: Per model, the columns left out (in this order) where the terminal is too narrow.
DROPPABLE = {
    "unit": ("dead low / high / mixed", "mean |grad|", "z"),
    "layer": ("dead low / high / mixed", "mean |grad|", "z"),
    "depth": ("lower bound", "one-point bound"),
    "train": ("final loss", "diverged", "suppressed"),
    "kick": ("collapse step", "z", "mean b' (closed)", "mean |w'| (closed)"),
    "wide": ("z", "dead"),
}


def _unit_cells(r) -> list[str]:
    z = r.dead.z
    return [_pct(r.dead.value, r.dead.stderr), _pct(r.dead.closed_form),
            "—" if z is None else ("0.00" if abs(z) < 0.005 else f"{z:+.2f}"),
            _pct(r.suppressed.value, r.suppressed.stderr), _mean_grad(r.mean_abs_grad),
            " / ".join(_pct(p.value, p.stderr) for p in r.parts.values()) or "—"]


def _mean_grad(e) -> str:
    """Mean |gradient| to 4 decimals and its standard error, in the same units.

    >>> from relucli.sim.stats import Estimate
    >>> _mean_grad(Estimate(0.49921, 0.00123)), _mean_grad(Estimate(0.5, 0.0))
    ('0.4992 ± 0.0012', '0.5000')
    """
    if e.stderr > 0:
        return f"{e.value:.4f} ± {e.stderr:.4f}"
    return f"{e.value:.4f}"


def _depth_cells(r) -> list[str]:
    return [_pct(r.born_dead.value, r.born_dead.stderr), _pct(r.lower_bound),
            _pct(r.one_point_probability), layer_summary(r.per_layer_dead_fraction)]


def _train_cells(r) -> list[str]:
    return [f"{r.learning_rate:g}", _pct(r.dead.value, r.dead.stderr),
            _pct(r.suppressed.value, r.suppressed.stderr),
            _pct(r.accuracy.value, r.accuracy.stderr),
            "—" if r.final_loss != r.final_loss else f"{r.final_loss:.3g}",
            str(r.diverged) if r.diverged else "no"]


_UNIT_COLUMNS = ["dead", "closed form", "z", "suppressed", "mean |grad|",
                 "dead low / high / mixed"]
#: Per model, the table's columns after the variant, and one variant's cells.
COLUMNS = {"unit": _UNIT_COLUMNS, "layer": _UNIT_COLUMNS,
           "depth": ["born dead", "lower bound", "one-point bound", "dead per layer"],
           "train": ["learning rate", "dead", "suppressed", "accuracy", "final loss",
                     "diverged"],
           "kick": ["dead", "closed form", "z", "suppressed", "mean b' (closed)",
                    "mean |w'| (closed)", "collapse step"],
           "wide": ["dead", "suppressed", "closed form", "z", "suppressed per layer"]}
CELLS = {"unit": _unit_cells, "layer": _unit_cells, "depth": _depth_cells,
         "train": _train_cells, "kick": _kick_cells, "wide": _wide_cells}
#: Per model, what the caption adds (after the standard-error note).
CAPTION = {"depth": "; bounds (ReLU, zero biases): lower 1 − (1 − 4^−width)^(depth−1) "
                    "on [-1, 1], upper 1 − (1 − 2^−width)^depth, dead at one input point"
                    "; dead per layer: of more than 8 layers, the first 4 and the last 3 "
                    "(all of them with --format json or csv)",
           "train": "; accuracy: on held-out inputs, a diverged trial counted at chance",
           "kick": "; closed form: the population gradient's step (batch -> ∞) averaged over "
                   "|w|, exact with --batch 0; at a finite batch the step's noise across w "
                   "is left out (an approximation: z measures that gap); collapse step: "
                   "where that step takes |w'| to 0 for |w| = std·√fan-in",
           "wide": "; dead, suppressed (every z ≤ 0 on the batch): the last layer, SE "
                   "over trials; closed form: suppressed at infinite width (arc-cosine "
                   "kernel), — for ReLU6 (its kernel depends on the variance); per layer: "
                   "of more than 8 layers the first 4 and the last 3 (all with --format "
                   "json)"}
#: What the caption says when a closed form is the central-limit approximation.
APPROXIMATE = ("; non-centred inputs: the closed form takes the pre-activation as Gaussian "
               "given the weights (central limit), an approximation; measured at fan-in 100: "
               "uniform01 within 1% of its value, post-relu (skewed) 1-4% low, up to 9% "
               "where few units die on a large batch; better at a larger fan-in, 10% off "
               "at fan-in 10")
#: Models whose dead column means nearly dead for smooth variants.
NEAR_ZERO_MODELS = {"unit", "layer", "train"}


def _withheld(result) -> str:
    """Why a model gave no closed form where it usually does ("" otherwise): the layer
    model says it in its result's extras, the wide model in a field."""
    return (getattr(result, "closed_form_withheld", "")
            or getattr(result, "extra", {}).get("closed_form_withheld", ""))


def _binomial_z(result) -> bool:
    return getattr(getattr(result, "dead", None), "binomial", False)


def dying_table(model: str, title: str, sweep_name: str | None, runs):
    """The human table of a dying-sim run."""
    from rich.table import Table

    table = Table(title=title, title_style="bold", header_style="bold")
    if sweep_name:
        table.add_column(sweep_name, justify="right", style="cyan")
    table.add_column("variant", style="bold", overflow="fold", min_width=9)
    for name in COLUMNS[model]:
        table.add_column(name, justify="left" if "layer" in name or "/" in name else "right")
    table.caption = ("± one standard error (of a fraction: in percentage points); variant "
                     "parameters: PyTorch's defaults unless shown")
    smooth = sorted({r.variant.display for _, results in runs for r in results
                     if not r.variant.piecewise_linear})
    if smooth and model in NEAR_ZERO_MODELS:
        table.caption += (f"; {', '.join(smooth)}: dead means nearly dead, |gradient| below "
                          "--near-zero for the whole batch")
    if any(getattr(r, "extra", {}).get("closed_form_approximate") for _, rs in runs for r in rs):
        table.caption += APPROXIMATE
    for reason in sorted({_withheld(r) for _, rs in runs for r in rs} - {""}):
        table.caption += f"; {reason}"
    if any(_binomial_z(r) for _, rs in runs for r in rs):
        from ..sim.stats import FEW_EVENTS

        table.caption += (f"; z of fewer than {FEW_EVENTS} events expected and seen: the "
                          "normal quantile of the exact binomial mid-p")
    table.caption += CAPTION.get(model, "")
    table.caption_justify = "left"
    for sweep_value, results in runs:
        for r in results:
            row = [format_number_plain(sweep_value)] if sweep_name else []
            default = r.params == r.variant.resolve_params({})
            row.append(r.variant.display if default else r.variant.label(r.params))
            table.add_row(*row, *CELLS[model](r))
    return table


def layer_summary(layers) -> str:
    """Dead fractions per layer in percent; of a deep network the first four and the
    last three, each group named by its layers (never an ellipsis in place of numbers).

    >>> layer_summary([0, 0.25, 0.5])
    '0% 25% 50%'
    >>> layer_summary([0.1 * i for i in range(10)])
    '1-4: 0% 10% 20% 30% / 8-10: 70% 80% 90%'
    """
    def pct(values) -> str:
        return " ".join(f"{100 * v:.0f}%" for v in values)

    n = len(layers)
    if n <= 8:
        return pct(layers)
    return f"1-4: {pct(layers[:4])} / {n - 2}-{n}: {pct(layers[-3:])}"
