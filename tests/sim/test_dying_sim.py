"""The `relu dying-sim` command end to end: JSON keys, sweeps, CSV, plots and errors."""

from __future__ import annotations

import json

import pytest

from relucli import variants


def test_cli_unit_json_schema_and_seed(relu):
    args = ["dying-sim", "relu", "relu6", "leaky", "--batch", "2", "--mean", "3", "--std", "3",
            "--units", "2000", "--seed", "4", "--format", "json"]
    run = relu(*args)
    assert run.code == 0, run.stderr
    doc = json.loads(run.stdout)
    assert doc["model"] == "unit" and doc["params"]["seed"] == 4 and doc["sweep"] is None
    first = doc["results"][0]
    for key in ("variant", "dead_fraction", "stderr", "closed_form", "z", "suppressed_fraction",
                "mean_abs_grad"):
        assert key in first
    relu6 = doc["results"][1]
    assert {"dead_low", "dead_high", "dead_mixed"} <= set(relu6)
    assert relu(*args).stdout == run.stdout


def test_cli_depth_keys_and_sweep(relu):
    run = relu("dying-sim", "relu", "--model", "depth", "--sweep", "depth=1:4:4", "--trials", "50",
               "--seed", "1", "--format", "json")
    doc = json.loads(run.stdout)
    assert doc["sweep"] == {"name": "depth", "values": [1, 2, 3, 4], "independent": False}
    assert [r["sweep_value"] for r in doc["results"]] == [1, 2, 3, 4]
    assert all("born_dead_probability" in r and "per_layer_dead_fraction" in r for r in doc["results"])
    assert [len(r["per_layer_dead_fraction"]) for r in doc["results"]] == [1, 2, 3, 4]


def test_cli_csv_and_plot(relu, tmp_path):
    run = relu("dying-sim", "relu", "leaky", "--sweep", "bias=-2:0:3", "--units", "500",
               "--format", "csv", "-o", str(tmp_path / "sweep.png"), "--seed", "1")
    assert run.code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("sweep_value,variant,") and len(lines) == 7
    assert (tmp_path / "sweep.png").read_bytes().startswith(b"\x89PNG")


def test_default_variants_and_smooth_ones_in_the_depth_model(relu):
    run = relu("dying-sim", "--units", "10", "--format", "json")
    assert [r["variant"] for r in json.loads(run.stdout)["results"]] == variants.names()[:5]
    run = relu("dying-sim", "all", "--units", "10", "--format", "json")
    assert [r["variant"] for r in json.loads(run.stdout)["results"]] == variants.names()
    run = relu("dying-sim", "all", "--model", "depth", "--trials", "2", "--format", "json")
    assert [r["variant"] for r in json.loads(run.stdout)["results"]] == [
        v.name for v in variants.VARIANTS if v.piecewise_linear]
    run = relu("dying-sim", "gelu", "--model", "depth", "--trials", "2")
    assert run.code == 2 and "smooth" in run.stderr


@pytest.mark.parametrize("args, message", [
    (["--std", "-1"], "--std must be a positive"),
    (["--batch", "0"], "--batch must be at least 1"),
    (["--model", "depth", "--depth", "0"], "--depth must be at least 1"),
    (["--model", "depth", "--width", "0"], "--width must be at least 1"),
    (["--model", "nope"], "nope"),
    (["--fan-in", "3"], "--fan-in applies to --model layer or kick, not unit"),
    (["--sweep", "fan_in=1:3:3"], "the unit model can sweep"),
    (["--sweep", "bias"], "--sweep takes NAME="),
    (["-o", "x.png"], "a figure of the unit model draws a --sweep; add e.g. --sweep bias=-3:1:9"),
    (["--model", "train", "--lr", "0,1"], "--lr values must be positive"),
    # found by a new-user review: each was accepted, or named the wrong option
    (["--model", "train", "--lr", "1,0.1,1"], "--lr lists 1 twice"),
    (["--sweep", "mean=1:2:3", "--sweep", "std=1,2"], "--sweep varies one option at a time"),
    (["--sweep", "df=1,2"], "--sweep df varies the degrees of freedom of --dist t"),
    (["--sweep", "mean=1:2:0"], "--sweep mean NUM must be a whole number"),
    (["--mean", "1e308", "--bias", "1e308"], "--mean 1e+308 plus --bias 1e+308 overflows"),
])
def test_cli_bad_parameters(relu, args, message):
    run = relu("dying-sim", "relu", "--units", "10", *args) if "--model" not in args else relu("dying-sim", "relu", *args)
    assert run.code == 2, run.stderr
    assert message in run.stderr and run.stderr.count("\n") == 1


def test_independent_sweeps_draw_each_value_from_its_own_stream(relu, monkeypatch):
    """By default every swept value reuses the seed's draws: at mean 0 the units of
    std 1 and std 1.5 see the same pre-activations up to scale, so the suppressed
    fractions (every z <= 0) are equal; with --independent they come from different
    streams and differ. The JSON and the title say which."""
    def suppressed(*extra):
        run = relu("dying-sim", "relu", "--units", "20000", "--batch", "2", "--sweep",
                   "std=1,1.5", "--seed", "3", "--format", "json", *extra)
        doc = json.loads(run.stdout)
        return doc["sweep"]["independent"], [r["suppressed_fraction"] for r in doc["results"]]

    shared, values = suppressed()
    assert not shared and values[0] == values[1]
    independent, values = suppressed("--independent")
    assert independent and values[0] != values[1]
    # both near the exact 1/4 of batch 2 at bias 0: 4.5 SE at n = 20000 is 1.4 points
    assert all(abs(v - 0.25) < 0.014 for v in values)
    monkeypatch.setenv("COLUMNS", "200")
    table = relu("dying-sim", "relu", "--units", "100", "--sweep", "bias=0,1", "--seed", "3")
    assert "every swept value from seed 3 (correlated" in " ".join(table.stdout.split())
    table = relu("dying-sim", "relu", "--units", "100", "--sweep", "bias=0,1", "--seed", "3",
                 "--independent")
    assert "swept values independent (the i-th from seed [3, i])" in " ".join(table.stdout.split())


def test_independent_and_whole_number_sweep_errors(relu):
    run = relu("dying-sim", "--independent")
    assert run.code == 2 and run.stderr.strip().endswith("--independent does nothing here: "
                                                          "there is no --sweep")
    run = relu("dying-sim", "--model", "depth", "--sweep", "depth=1,2.5")
    assert run.code == 2 and "--sweep depth takes whole numbers, got 2.5" in run.stderr


def test_bias_scaling_is_refused_where_it_does_nothing(relu):
    run = relu("dying-sim", "--model", "depth", "--bias-scaling", "fan-in")
    assert run.code == 2 and run.stderr.strip().endswith(
        "--bias-scaling does nothing here: the biases are zero (add --bias-std)")
    run = relu("dying-sim", "--bias-scaling", "fan-in", "--bias-std", "1")
    assert run.code == 2 and "applies to --model layer or depth or wide, not unit" in run.stderr
    run = relu("dying-sim", "relu", "--model", "depth", "--bias-scaling", "fan-in", "--trials",
               "5", "--sweep", "bias_std=0,1", "--format", "json", "--seed", "1")
    assert run.code == 0 and json.loads(run.stdout)["params"]["bias_scaling"] == "fan-in"


def test_cuts_far_out_in_standard_deviations_warn_nothing(relu):
    """--std 1e-300 puts the kinks 1e300 standard deviations away: ±inf in float32,
    which is the right cut, without NumPy's overflow warning reaching the user."""
    run = relu("dying-sim", "relu", "relu6", "leaky", "--std", "1e-300", "--units", "2000",
               "--seed", "1", "-q", "--format", "csv")
    assert run.code == 0 and run.stderr == ""
    rows = {line.split(",")[0]: line.split(",") for line in run.stdout.splitlines()[1:]}
    # the kink at 0 is where it was (0 sd), ReLU6's at 6 is at +inf: 2^-8 dead, none high
    assert float(rows["relu6"][4]) == 2.0 ** -8 and float(rows["relu6"][15]) == 0.0
