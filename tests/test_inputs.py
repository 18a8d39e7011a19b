"""relucli.inputs: what the user typed, piped or named becomes an array, or a precise
refusal."""

from __future__ import annotations

import subprocess
import sys

import pytest

from relucli.errors import InputError
from relucli.inputs import parse_numbers


@pytest.mark.parametrize("text", ["1,,2", "1, ,2", "1;;2", ",1", "1,2,", "1 ,; 2"])
def test_an_empty_field_is_refused_not_skipped(text):
    with pytest.raises(InputError, match="an empty value in -x"):
        parse_numbers(text, "-x")


@pytest.mark.parametrize("text, values", [("1, 2", [1.0, 2.0]), ("1 2\t3", [1.0, 2.0, 3.0]),
                                          (" -1;2 ", [-1.0, 2.0])])
def test_separators_with_spaces_are_one_separator(text, values):
    assert parse_numbers(text, "-x") == values


def _relu(*args, stdin):
    return subprocess.run([sys.executable, "-m", "relucli", *args], input=stdin,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_piped_stdin_is_the_input_when_no_other_is_given():
    run = _relu("eval", "relu", "--format", "csv", stdin="-1 2 3\n")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[1:] == ["-1,0,0", "2,2,1", "3,3,1"]


def test_an_empty_pipe_says_how_to_give_input():
    run = _relu("eval", "relu", stdin="")
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.startswith("relu: error: stdin is empty: give values with -x")
    assert "pipe numbers in" in run.stderr and len(run.stderr.splitlines()) == 1


def test_given_input_wins_over_a_pipe():
    run = _relu("eval", "relu", "-x", "5", "--format", "csv", stdin="1 2 3\n")
    assert run.stdout.splitlines()[1:] == ["5,5,1"]


def test_a_huge_input_number_is_described_not_echoed():
    """A 5,000-digit number beyond float64 becomes inf with a one-line warning that
    says how long it was rather than repeating it."""
    run = _relu("eval", "relu", "-x", "9" * 5000, "--format", "csv", stdin="")
    assert run.returncode == 0 and run.stdout.splitlines()[1] == "inf,inf,1"
    assert "(e.g. a number of 5,000 characters)" in run.stderr
    assert len(run.stderr) < 200
