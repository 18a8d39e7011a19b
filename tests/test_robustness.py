"""Nothing the user types can crash relu or lose their data: bad input on purpose,
fuzzed argument lists and files, interrupted runs, full disks, pipes and terminals."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from relucli import engine, variants

FUZZ = settings(max_examples=int(os.environ.get("RELU_FUZZ_EXAMPLES", "40")), deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def assert_clean(run, fmt=None):
    """Exit 0, 1 or 2; no traceback; errors on one line starting 'relu: '; a
    successful machine format parses."""
    assert run.code in (0, 1, 2), (run.code, run.stderr)
    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout
    if run.code:
        lines = [l for l in run.stderr.splitlines() if not l.startswith("relu: warning:")]
        if not lines and run.code == 2 and "Usage: relu" in run.stdout + run.stderr:
            return  # a command given no arguments prints its help
        assert len(lines) == 1 and lines[0].startswith("relu: error: "), run.stderr
    elif fmt == "json":
        json.loads(run.stdout)
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(run.stdout)))
        assert rows and len({len(r) for r in rows}) == 1


# Fuzzed argument lists ------------------------------------------------------------------

WORDS = ["relu", "leaky", "prelu", "rrelu", "relu6", "all", "nope", "-x", "--x=-1", "-2,-1,0",
         "1e999", "nan", "abc", "", "--range", "-3:3:7", "3:-3", "1:2:0", "0:1:1e12", "--file",
         "-", "/no/such", "-p", "negative_slope=0.2", "alpha=1,2", "lower=2", "upper=-1",
         "--train", "--seed", "7", "-1", "--dtype", "float16", "float128", "--shape", "2,-1",
         "0,0", "--format", "json", "csv", "xml", "--no-grad", "--force", "-o", "--quiet",
         "--units", "50", "--batch", "3", "0", "--model", "layer", "depth", "train", "--trials",
         "2", "--steps", "3", "--width", "4", "--depth", "2", "--sweep", "bias=-1:1:3",
         "batch=1,2", "--lr", "0.1,5", "--fan-in", "5", "--inputs", "post-relu", "--method",
         "counts", "--variant", "--points", "50", "--layout", "overlay", "--terminal",
         "--no-grad", "--shade-dead", "--size", "4,3", "--style", "ggplot", "--dpi", "30",
         "--mean", "--std", "-0.5", "--dist", "t", "--df", "inf", "--bits", "2:5", "4,x",
         "--calibrate", "percentile:99", "percentile:0", "outliers", "--outlier-share",
         "--init", "xavier", "--every", "--bias", "sigmoid", "tanh", "classic", "family",
         "--max-seconds", "0.5", "inf",
         "--framework", "torch", "jax,keras", "mxnet", "text", "alpha=0.25,-0.5,1.5",
         "gelu", "approximate=tanh", "approximate=exact", "relatives", "hardtanh",
         "min_val=2", "generalized_relu", "max_value=inf", "threshold=1", "softplus",
         "beta=0", "--near-zero", "--in-dim", "2", "3", "selu", "mish", "--from",
         "nn.LeakyReLU(0.2)", "F.gelu(x, approximate='tanh')", "nn.Foo()"]


def fuzz_args(command: str):
    return st.lists(st.sampled_from(WORDS), max_size=9).map(lambda words: [command] + words)


@FUZZ
@given(fuzz_args("eval"))
def test_fuzz_eval(relu, args):
    fmt = args[args.index("--format") + 1] if "--format" in args[:-1] else None
    assert_clean(relu(*args, stdin="1, -2\n"), fmt)


@FUZZ
@given(fuzz_args("table"))
def test_fuzz_table(relu, args):
    fmt = args[args.index("--format") + 1] if "--format" in args[:-1] else None
    assert_clean(relu(*args), fmt)


@FUZZ
@given(fuzz_args("plot"))
def test_fuzz_plot(relu, tmp_path_factory, monkeypatch, args):
    monkeypatch.chdir(tmp_path_factory.mktemp("plot"))
    if "--style" in args:  # every style name is fine, but slow to fuzz
        args = [a for a in args if a not in ("--style", "ggplot")]
    assert_clean(relu(*args))


@FUZZ
@given(fuzz_args("dying-sim"))
def test_fuzz_dying_sim(relu, tmp_path_factory, monkeypatch, args):
    monkeypatch.chdir(tmp_path_factory.mktemp("dying"))
    # keep every run small: sizes come first so that fuzzed ones may override them
    small = ["dying-sim", "--units", "40", "--trials", "2"]
    model = args[args.index("--model") + 1] if "--model" in args[:-1] else "unit"
    if model == "train":
        small = ["dying-sim", "--trials", "1", "--steps", "3", "--width", "4"]
    elif model == "depth":
        small = ["dying-sim", "--trials", "2", "--width", "2", "--depth", "3"]
    elif model == "unit":
        small = ["dying-sim", "--units", "40"]
    fmt = args[args.index("--format") + 1] if "--format" in args[:-1] else None
    assert_clean(relu(*small, *args[1:]), fmt)


@FUZZ
@given(fuzz_args("quant-sim"))
def test_fuzz_quant_sim(relu, tmp_path_factory, monkeypatch, args):
    monkeypatch.chdir(tmp_path_factory.mktemp("quant"))
    small = ["quant-sim", "--samples", "500", "--calib-samples", "200"]
    fmt = args[args.index("--format") + 1] if "--format" in args[:-1] else None
    assert_clean(relu(*small, *args[1:]), fmt)


@FUZZ
@given(fuzz_args("grad-flow"))
def test_fuzz_grad_flow(relu, tmp_path_factory, monkeypatch, args):
    monkeypatch.chdir(tmp_path_factory.mktemp("flow"))
    small = ["grad-flow", "--depth", "3", "--width", "8", "--batch", "4"]
    fmt = args[args.index("--format") + 1] if "--format" in args[:-1] else None
    assert_clean(relu(*small, *args[1:]), fmt)


@FUZZ
@given(fuzz_args("code"))
def test_fuzz_code(relu, args):
    fmt = args[args.index("--format") + 1] if "--format" in args[:-1] else None
    assert_clean(relu(*args), fmt)


# Fuzzed input files ---------------------------------------------------------------------

@FUZZ
@given(st.binary(max_size=300), st.sampled_from([".txt", ".csv", ".npy", ".dat"]))
def test_fuzz_input_files(relu, tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("in") / f"input{suffix}"
    path.write_bytes(data)
    assert_clean(relu("eval", "relu", "--file", str(path), "--format", "json"), "json")


@FUZZ
@given(st.lists(st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["nan", "NaN", "-inf", "+Inf", "Infinity", "∞", "−3", "1e999", "# note",
                     "x", "\ufeff1", "1;2", "3\t4", "", " "])), max_size=12),
    st.sampled_from(["\n", "\r\n", ","]))
def test_fuzz_text_inputs(relu, tmp_path_factory, tokens, separator):
    path = tmp_path_factory.mktemp("txt") / "values.txt"
    path.write_text(separator.join(tokens), encoding="utf-8")
    assert_clean(relu("eval", "leaky", "--file", str(path), "--format", "csv"), "csv")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(hnp.arrays(np.float32, hnp.array_shapes(max_dims=3, max_side=6),
                  elements=st.floats(width=32, allow_nan=False, allow_infinity=False)),
       st.sampled_from(variants.names()))
def test_eval_matches_the_engine_on_any_finite_float32_array(relu, tmp_path_factory, x, name):
    path = tmp_path_factory.mktemp("npy") / "x.npy"
    np.save(path, x)
    run = relu("eval", name, "--file", str(path), "--format", "json")
    assert run.code == 0, run.stderr
    doc = json.loads(run.stdout)
    result = engine.evaluate(name, x)
    assert doc["shape"] == list(x.shape) and doc["dtype"] == "float32"
    (entry,) = doc["results"]
    assert np.array_equal(np.array(entry["y"], dtype=np.float32), result.y.reshape(-1))
    assert np.array_equal(np.array(entry["grad"], dtype=np.float32), result.grad.reshape(-1))


# Inputs that must be read correctly -----------------------------------------------------

@pytest.mark.parametrize("content, expected", [
    (b"\xef\xbb\xbf1\r\n-2\r\n", [1, -2]),                       # BOM and Windows line ends
    (b"# header comment\n\n1, 2 ; 3\t4\n", [1, 2, 3, 4]),        # comments, mixed separators
    (b"nan\nNaN\n-inf\n+Inf\nInfinity\n\xe2\x88\x9e\n", ["nan"] * 2 + ["-inf", "inf", "inf", "inf"]),
    (b"value\n0.5\n", [0.5]),                                    # a header line of names
    (b"1 2\n3 4\n", [1, 2, 3, 4]),                               # a table keeps its shape
])
def test_text_spellings(relu, tmp_path, content, expected):
    path = tmp_path / "v.txt"
    path.write_bytes(content)
    run = relu("eval", "relu", "--file", str(path), "--format", "json")
    assert run.code == 0, run.stderr
    assert json.loads(run.stdout)["x"] == expected


def test_npy_object_and_non_numeric_arrays_are_refused(relu, tmp_path):
    np.save(tmp_path / "obj.npy", np.array([1, "a", None], dtype=object), allow_pickle=True)
    np.save(tmp_path / "cplx.npy", np.array([1 + 1j]))
    np.save(tmp_path / "rec.npy", np.zeros(2, dtype=[("a", "f4")]))
    for name, message in [("obj.npy", "Python objects"), ("cplx.npy", "complex"), ("rec.npy", "dtype")]:
        run = relu("eval", "relu", "--file", str(tmp_path / name))
        assert run.code == 2 and message in run.stderr, run.stderr
        assert_clean(run)


# Output files: atomic, never lost --------------------------------------------------------

def test_a_failing_write_leaves_the_old_file_and_no_temporary(relu, tmp_path, monkeypatch):
    target = tmp_path / "out.npy"
    target.write_bytes(b"precious")

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(np, "save", full_disk)
    run = relu("eval", "relu", "-x", "1,2", "--output", str(target), "--force")
    assert run.code == 1 and "No space left on device" in run.stderr
    assert_clean(run)
    assert target.read_bytes() == b"precious"
    assert [p.name for p in tmp_path.iterdir()] == ["out.npy"]


def test_an_existing_file_needs_force_for_every_writer(relu, tmp_path):
    for args in (["eval", "relu", "-x", "1", "-o"], ["plot", "relu", "-o"],
                 ["dying-sim", "relu", "--units", "10", "--sweep", "bias=0,1", "-o"]):
        target = tmp_path / ("x.png" if args[0] != "eval" else "x.json")
        target.write_bytes(b"keep")
        run = relu(*args, str(target))
        assert run.code == 1 and "exists; use --force" in run.stderr
        assert target.read_bytes() == b"keep"


# Processes: pipes, Ctrl-C, terminals ---------------------------------------------------

def relu_process(*args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "relucli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def test_ctrl_c_exits_130_without_a_traceback():
    process = relu_process("dying-sim", "relu", "--units", "100000000", "--batch", "100", "-q")
    time.sleep(1.5)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "Traceback" not in err and err.strip() == "relu: error: interrupted"


@pytest.mark.parametrize("args", [["eval", "relu", "-x", "1"], ["table", "--variant", "relu6"],
                                  ["--help"], ["plot", "relu", "--terminal", "--no-grad"]])
def test_no_color_and_dumb_terminals_get_no_escape_codes(args, terminal):
    assert "\x1b[" in terminal(args, {})  # a colour terminal does get them
    assert "\x1b[" not in terminal(args, {"NO_COLOR": "1"})
    assert "\x1b[" not in terminal(args, {"TERM": "dumb"})


def test_numpy_warnings_become_one_line(relu, monkeypatch):
    import warnings

    from relucli.render import evaluation

    def noisy(*args, **kwargs):
        warnings.warn("overflow encountered in multiply\n  extra line", RuntimeWarning)
        return original(*args, **kwargs)

    original = evaluation.eval_csv
    monkeypatch.setattr(evaluation, "eval_csv", noisy)
    run = relu("eval", "relu", "-x", "1", "--format", "csv")
    assert run.code == 0
    assert run.stderr == "relu: warning: overflow encountered in multiply extra line\n"


def test_debug_shows_the_traceback(relu):
    with pytest.raises(Exception, match="unknown variant"):
        from relucli.cli import main

        main(["--debug", "eval", "nope", "-x", "1"])


def test_huge_requests_are_refused_before_allocating(relu):
    run = relu("eval", "relu", "--range", "0:1:1e12")
    assert run.code == 2 and "TiB" in run.stderr
    run = relu("dying-sim", "relu", "--model", "layer", "--units", "1000000", "--fan-in", "1000000")
    assert run.code == 2 and "would need about" in run.stderr and "TiB" in run.stderr
