"""Absurd sizes and values are refused before any work: in well under a few seconds,
with a few hundred MB at most, on one ``relu: error:`` line with the figures, exit 2.

Each case runs as its own process, so that its time and peak memory are its own
(``os.wait4``). Cases that memory decides run under an address-space limit
(``ulimit -v``), which relu must honour as a limit of its own, so that they are
refused on any machine, however large."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

#: The address-space limit of the memory cases: room for Python, NumPy and
#: matplotlib, not for the runs asked for.
LIMIT = 3 << 30

TIME_CASES = [
    (["dying-sim", "relu", "--units", "1000000000000000"], "8e15 samples"),
    (["dying-sim", "relu", "--batch", "1000000000000"], "1e17 samples"),
    (["dying-sim", "relu", "--method", "counts", "--units", "1000000000000"], "units"),
    (["dying-sim", "relu", "--sweep", "units=1:1e15:3"], "over 3 values of --units"),
    (["dying-sim", "relu", "--model", "layer", "--trials", "1000000000"], "multiply-adds"),
    (["dying-sim", "relu", "--model", "depth", "--depth", "10000000"], "unit-layers"),
    (["dying-sim", "relu", "--model", "depth", "--width", "1000", "--depth", "1000"], "h here"),
    (["dying-sim", "relu", "--model", "depth", "--trials", "1000000000"], "days here"),
    (["dying-sim", "relu", "--model", "depth", "--in-dim", "4", "--width", "50", "--depth",
      "20"], "budget"),
    (["dying-sim", "relu", "--model", "train", "--steps", "1000000000000"], "years here"),
    (["quant-sim", "--samples", "1000000000000000"], "quantised values"),
    (["grad-flow", "--width", "1024", "--max-seconds", "5"], "over the 5 s budget"),
    (["dying-sim", "relu", "--max-seconds", "1", "--units", "100000000"], "over the 1 s budget"),
]

MEMORY_CASES = [
    (["dying-sim", "relu", "--model", "train", "--width", "10000", "--steps", "1"], "GiB"),
    (["quant-sim", "--calib-samples", "1000000000"], "of memory"),
    (["eval", "all", "--range", "0:1:1e8", "-o", "x.npz"], "of memory"),
    (["grad-flow", "--depth", "100000"], "of memory"),
]

VALUE_CASES = [
    (["dying-sim", "relu", "--seed", "-1"], "a seed is a whole number >= 0"),
    (["quant-sim", "--seed", "-1"], "a seed is a whole number >= 0"),
    (["grad-flow", "--seed", "-1"], "a seed is a whole number >= 0"),
    (["eval", "rrelu", "--train", "-x", "1", "--seed", "-1"], "a seed is a whole number >= 0"),
    (["plot", "rrelu", "--train", "--seed", "-1"], "a seed is a whole number >= 0"),
    (["eval", "relu", "--range", "0:1:inf"], "--range NUM must be a whole number"),
    (["eval", "relu", "--range", "0:1:1e999"], "--range NUM must be a whole number"),
    (["eval", "relu", "--range", "0:1:3e7", "--format", "json"], "limited to 10,000,000"),
    (["quant-sim", "--bits", "nan"], "--bits must be whole numbers from 1 to 16, got nan"),
    (["quant-sim", "--bits", "inf"], "--bits must be whole numbers from 1 to 16, got inf"),
    (["quant-sim", "--bits", "2:1e9"], "1 <= START <= STOP <= 16"),
    (["plot", "relu", "--dpi", "2400", "--size", "20,20", "-o", "big.png"], "48,000 x 48,000"),
    (["plot", "relu", "--size", "1e-300,1e-300", "-o", "s.png"], "--size needs W and H"),
    (["plot", "relu", "--dpi", "1", "--size", "0.01,0.01", "-o", "s.png"], "--dpi must be"),
    (["plot", "relu", "--range", "-1e308:1e308", "-o", "r.png"], "axes hold about"),
    (["plot", "hardtanh", "-p", "min_val=-1e308", "-p", "max_val=1e308", "-o", "h.png"],
     "give --range"),
    (["plot", "relu", "--title", "x" * 100_000, "-o", "t.png"], "--title has 100,000"),
    (["dying-sim", "relu", "--max-seconds", "0"], "--max-seconds must be a positive"),
    (["dying-sim", "relu", "--model", "train", "--lr", ""], "--lr needs at least one"),
    (["dying-sim", "relu", "--model", "depth", "--in-dim", "9"], "--in-dim must be between"),
]


def assert_refused(measured, args, expected, tmp_path, limit=0):
    status, stderr, seconds, mib = measured(args, cwd=tmp_path, limit=limit)
    lines = stderr.splitlines()
    assert status == 2, stderr
    assert len(lines) == 1 and lines[0].startswith("relu: error: "), stderr
    assert expected in lines[0]
    assert "Traceback" not in stderr and "unexpected" not in stderr
    assert seconds < 5, (seconds, args)
    assert mib < 300, (mib, args)
    assert list(tmp_path.iterdir()) == []  # no output, no temporary file


@pytest.mark.parametrize("args, expected", TIME_CASES, ids=lambda a: " ".join(a)[:60])
def test_runs_beyond_the_time_budget_are_refused_with_the_estimate(args, expected, tmp_path, measured):
    assert_refused(measured, args + ["-q"] * (args[0] != "plot"), expected, tmp_path)


@pytest.mark.parametrize("args, expected", MEMORY_CASES, ids=lambda a: " ".join(a)[:60])
def test_runs_beyond_the_memory_limit_are_refused_under_ulimit(args, expected, tmp_path, measured):
    assert_refused(measured, args + ["-q"] * (args[0] in ("dying-sim", "quant-sim", "grad-flow")),
                   expected, tmp_path, limit=LIMIT)


@pytest.mark.parametrize("args, expected", VALUE_CASES, ids=lambda a: " ".join(a)[:60])
def test_values_that_cannot_work_are_refused(args, expected, tmp_path, measured):
    assert_refused(measured, args, expected, tmp_path)


def test_a_run_within_the_budget_still_runs(tmp_path, measured):
    status, stderr, seconds, _ = measured(
        ["dying-sim", "relu", "--units", "1000", "--max-seconds", "30", "-q", "--seed", "1"],
        cwd=tmp_path)
    assert status == 0 and stderr == ""


def test_a_temporary_file_left_by_a_killed_run_is_removed_by_the_next(tmp_path, measured):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # a process id that no longer runs
    stale = tmp_path / f".out.json.relu-{dead.pid}.x1y2.tmp"
    stale.write_text("half a file")
    alive = tmp_path / f".out.json.relu-{os.getpid()}.z3w4.tmp"  # a run still writing
    alive.write_text("in progress")
    other = tmp_path / ".notes.txt.relu-1.tmp"  # not this target's
    other.write_text("keep")
    status, stderr, _, _ = measured(
        ["dying-sim", "relu", "--units", "100", "-q", "--seed", "1", "-o", "out.json"],
        cwd=tmp_path)
    assert status == 0, stderr
    assert not stale.exists() and alive.exists() and other.exists()
    assert (tmp_path / "out.json").read_text().startswith("{")
