"""relu grad-flow: gradient norms through depth, against bounds from theory."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from relucli import variants
from relucli.errors import UsageError
from relucli.sim import gradflow

VARIANTS = variants.select(["relu", "leaky", "relu6", "sigmoid", "tanh"])


def flow(variants=VARIANTS, depth=50, width=256, batch=64, init="he", seed=None, bias=0.0):
    return {r.variant.name: r for r in gradflow.simulate_gradflow(
        variants, {}, depth, width, batch, np.random.default_rng(seed), init=init, bias=bias)}


def test_norms_never_exceed_the_rigorous_bound():
    """||∂L/∂h_(l-1)|| <= max|f'| ||W_l||_2 ||∂L/∂h_l||, layer by layer."""
    for r in flow().values():
        assert all(g <= b * (1 + 1e-9) for g, b in zip(r.relative_grad_norm, r.bound))
        assert r.relative_grad_norm[-1] == 1


def test_sigmoid_gradients_vanish_geometrically():
    r = flow([variants.get("sigmoid")])["sigmoid"]
    assert r.max_slope == pytest.approx(0.25)
    # ||W||_2 of a 256x256 He matrix is about 2*sqrt(2): at most 0.71 per layer, so
    # below 0.71^49 ≈ 5e-8 by 49 layers; geometric: the log falls about linearly
    logs = np.log10(r.relative_grad_norm)
    assert logs[0] < math.log10(0.75 ** 49)
    assert np.all(np.diff(logs) > 0)  # shrinking at every step down


def test_relu_with_he_keeps_the_order_of_magnitude():
    """He init keeps E||g||² from layer to layer for ReLU (factor 2/n · n/2 = 1);
    with 64 x 256 values per layer the log-norm wanders little over 50 layers."""
    for seed in range(3):
        r = flow([variants.get("relu")], seed=seed)["relu"]
        assert 1 / 4 < r.relative_grad_norm[0] < 4


def test_relu_with_xavier_halves_the_squared_norm_each_layer():
    """Xavier (variance 1/n here) gives ReLU a factor 1/2 on E||g||² per layer:
    2^(-49/2) ≈ 4e-8 at the bottom, within a factor of 8."""
    r = flow([variants.get("relu")], init="xavier")["relu"]
    expected = 2 ** (-49 / 2)
    assert expected / 8 < r.relative_grad_norm[0] < expected * 8


def test_dead_units_only_where_the_gradient_can_be_zero():
    results = flow(depth=20, width=64)
    assert max(results["relu"].dead_fraction) > 0
    for name in ("leaky_relu", "sigmoid", "tanh"):
        assert max(results[name].dead_fraction) == 0
    assert all(a > 0 for a in results["relu"].mean_activation)
    assert abs(np.mean(results["tanh"].mean_activation)) < 0.2  # zero-centred


def test_same_seed_same_numbers():
    a, b = flow(depth=5, width=16, seed=4), flow(depth=5, width=16, seed=4)
    assert a["relu"].relative_grad_norm == b["relu"].relative_grad_norm


@pytest.mark.parametrize("kwargs, message", [(dict(depth=0), "--depth"), (dict(width=0), "--width"),
                                              (dict(batch=0), "--batch"), (dict(init="glorot"), "--init"),
                                              (dict(bias=1e150), r"--bias must be finite and at most 1e\+100")])
def test_bad_settings(kwargs, message):
    with pytest.raises(UsageError, match=message):
        flow(**kwargs)


def test_cli_json_csv_and_plot(relu, tmp_path):
    out = relu("grad-flow", "relu", "sigmoid", "--depth", "6", "--width", "16", "--seed", "1",
               "--format", "json", "-o", str(tmp_path / "g.png"))
    assert out.code == 0, out.stderr
    doc = json.loads(out.stdout)
    assert [r["variant"] for r in doc["results"]] == ["relu", "sigmoid"]
    assert len(doc["results"][0]["layers"]) == 6 and doc["results"][1]["max_abs_gradient"] == 0.25
    assert (tmp_path / "g.png").read_bytes().startswith(b"\x89PNG")
    out = relu("grad-flow", "relu", "--depth", "3", "--width", "4", "--format", "csv")
    lines = out.stdout.splitlines()
    assert lines[0].startswith("variant,variant_params,max_abs_gradient,layer,") and len(lines) == 4


def test_progress_is_reported_per_layer_to_the_end():
    """A step per layer (spectral norms, then each variant forward and backward), so a
    long run moves its bar often instead of once per variant."""
    from relucli.variants import get

    seen = []
    gradflow.simulate_gradflow([get("relu"), get("sigmoid")], {}, 5, 8, 4, np.random.default_rng(1),
                               progress=lambda done, total: seen.append((done, total)))
    assert [done for done, _ in seen] == list(range(1, 5 * 5 + 1))
    assert {total for _, total in seen} == {25}


def test_a_top_layer_that_passes_no_gradient_is_said_not_printed_as_nan(relu):
    """Width 1 and a large negative bias: the one top unit is dead on the whole batch,
    so the top gradient is 0 and nothing is relative to it: NaN inside, '—' and a
    sentence in the table."""
    [r] = gradflow.simulate_gradflow([variants.get("relu")], {}, 5, 4, 16,
                                     np.random.default_rng(1), bias=-100.0)
    assert all(math.isnan(g) for g in r.relative_grad_norm)
    run = relu("grad-flow", "relu", "--width", "4", "--depth", "5", "--bias", "-100", "-q")
    assert run.code == 0 and "nan" not in run.stdout
    table = " ".join(run.stdout.split())
    assert "—" in table and "the top layer passes no gradient back" in table
