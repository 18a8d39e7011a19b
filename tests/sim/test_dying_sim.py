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
    assert doc["sweep"] == {"name": "depth", "values": [1, 2, 3, 4]}
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
])
def test_cli_bad_parameters(relu, args, message):
    run = relu("dying-sim", "relu", "--units", "10", *args) if "--model" not in args else relu("dying-sim", "relu", *args)
    assert run.code == 2, run.stderr
    assert message in run.stderr and run.stderr.count("\n") == 1
