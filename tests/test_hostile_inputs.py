"""Hostile inputs, part two: unbounded reads, headers that lie, escapes in names,
links at -o, numbers that would be silently reinterpreted, and slow answers. Every
refusal is one line, and nothing is read or allocated beyond what it needs."""

from __future__ import annotations

import json
import os
import signal
import struct
import subprocess
import sys
import time

import numpy as np
import pytest

from relucli import engine, variants
from relucli.errors import InputError
from relucli.readers import parse_lines


def one_error_line(run, code=2):
    lines = run.stderr.splitlines()
    assert run.code == code, run.stderr
    assert len(lines) == 1 and lines[0].startswith("relu: error: "), run.stderr
    assert "Traceback" not in run.stderr and "unexpected" not in run.stderr
    return lines[0]


def peak_mib(measured, args, stdin=None, cwd=None):
    """(exit status, stderr, peak resident MiB) of relu run in its own process."""
    status, err, _, mib = measured(args, cwd=cwd, stdin=stdin)
    return status, err, mib


# Unbounded reads ------------------------------------------------------------------------

@pytest.mark.parametrize("source", ["/dev/zero", "/dev/urandom"])
def test_endless_devices_are_refused_at_once(source, measured):
    start = time.monotonic()
    status, err, mib = peak_mib(measured, ["eval", "relu", "--file", source])
    assert status == 2 and err.count("\n") == 1 and source in err
    assert time.monotonic() - start < 5 and mib < 150


def test_an_endless_stdin_is_refused_at_once(measured):
    with open("/dev/zero", "rb") as zeros:
        status, err, mib = peak_mib(measured, ["eval", "relu", "--file", "-"], stdin=zeros)
    assert status == 2 and "stdin looks binary" in err and mib < 150


def test_text_beyond_the_limit_is_refused_while_it_streams(relu):
    process = subprocess.Popen([sys.executable, "-m", "relucli", "eval", "relu"],
                               stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    line = b"1.2500 " * 20_000 + b"\n"
    try:
        for _ in range(10_000):  # up to 1 GB, if it kept reading
            process.stdin.write(line)
    except BrokenPipeError:
        pass
    err = process.communicate()[1].decode()
    assert process.returncode == 2
    assert "holds more than 256.0 MiB of text; give a .npy file" in err


def test_a_large_text_file_is_read_in_little_memory(tmp_path, measured):
    values = np.random.default_rng(0).standard_normal(2_000_000)
    np.savetxt(tmp_path / "big.txt", values, fmt="%.17g")  # 40 MB of text
    status, err, mib = peak_mib(measured, ["eval", "relu", "--file", "big.txt", "--dtype", "float64",
                                 "-o", "out.npy"], cwd=tmp_path)
    assert status == 0, err
    assert np.array_equal(np.load(tmp_path / "out.npy"), np.maximum(values, 0))
    assert mib < 250  # was 23x the text's size


# .npy headers that lie ------------------------------------------------------------------

def npy_with_header(path, header: str, version=1, data=b""):
    header = header + " " * (63 - (len(header) + 10) % 64) + "\n"
    size = struct.pack("<H" if version == 1 else "<I", len(header))
    path.write_bytes(b"\x93NUMPY" + bytes([version, 0]) + size + header.encode() + data)
    return path


def test_a_tiny_npy_claiming_a_trillion_values_is_refused_by_its_header(relu, tmp_path):
    npy_with_header(tmp_path / "liar.npy",
                    "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,), }")
    assert (tmp_path / "liar.npy").stat().st_size < 200
    line = one_error_line(relu("eval", "relu", "--file", str(tmp_path / "liar.npy")))
    assert "holds 1,000,000,000,000 values; the limit is 100,000,000" in line


def test_a_npy_claiming_more_than_it_holds_is_called_truncated(relu, tmp_path):
    npy_with_header(tmp_path / "short.npy",
                    "{'descr': '<f8', 'fortran_order': False, 'shape': (1000,), }",
                    data=b"\0" * 80)
    line = one_error_line(relu("eval", "relu", "--file", str(tmp_path / "short.npy")))
    assert "truncated: its header promises 1,000 values, 7.8 KiB, and 80 B follow" in line


def test_a_npy_header_over_10_kb_says_so(relu, tmp_path):
    npy_with_header(tmp_path / "wide.npy", "{'descr': '<f8', 'fortran_order': False, "
                    "'shape': (3,), }" + " " * 20_000, version=2, data=b"\0" * 24)
    line = one_error_line(relu("eval", "relu", "--file", str(tmp_path / "wide.npy")))
    assert "header over 10,000 bytes" in line and "Python objects" not in line


def test_npy_read_by_header_keeps_order_and_values(relu, tmp_path):
    x = np.asfortranarray(np.arange(-6, 6, dtype=np.float32).reshape(3, 4))
    np.save(tmp_path / "f.npy", x)
    run = relu("eval", "relu", "--file", str(tmp_path / "f.npy"), "--format", "json")
    document = json.loads(run.stdout)
    assert document["shape"] == [3, 4]
    assert document["x"] == x.reshape(-1).tolist()  # C order, whatever the file's order
    with open(tmp_path / "f.npy", "rb") as handle:
        piped = subprocess.run([sys.executable, "-m", "relucli", "eval", "relu", "--format",
                                "json"], stdin=handle, capture_output=True, text=True)
    assert json.loads(piped.stdout)["x"] == document["x"]


# Text that would be silently reinterpreted ---------------------------------------------

@pytest.mark.parametrize("text, message", [
    ("1,5;2,5\n", "decimal commas?"),
    ("1 2 3\n4 5\n", "data row 2 has 2 values where the first has 3"),
    ("x\ny\n1\n", "not a number: 'y'"),
    ('"1,5","2"\n', "not a number: '1,5'"),
])
def test_ambiguous_text_is_refused_not_guessed(relu, tmp_path, text, message):
    (tmp_path / "in.txt").write_text(text)
    assert message in one_error_line(relu("eval", "relu", "--file", str(tmp_path / "in.txt")))


def test_quoted_csv_is_read(tmp_path):
    assert parse_lines(['"x","y"', '"1.5","2"', '"-3","4e-1"'], "t").tolist() == \
        [[1.5, 2.0], [-3.0, 0.4]]


def test_decimal_commas_in_x_are_refused_too(relu):
    assert "decimal commas?" in one_error_line(relu("eval", "relu", "-x", "1,5;2,5"))


def test_one_header_line_only():
    with pytest.raises(InputError, match="line 2"):
        parse_lines(["value", "other", "1"], "t")
    assert parse_lines(["value", "1", "2"], "t").tolist() == [1.0, 2.0]


def test_o_with_a_format_is_a_conflict_not_a_guess(relu, tmp_path):
    run = relu("eval", "relu", "-x", "1", "-o", str(tmp_path / "x.json"), "--format", "csv")
    assert "--format csv is for standard output" in one_error_line(run)
    assert not (tmp_path / "x.json").exists()


# Escapes, links, warnings ---------------------------------------------------------------

@pytest.mark.parametrize("args", [["eval", "relu", "--file", "\x1b]0;pwned\x07"],
                                  ["eval", "re\x1b[2Jlu", "-x", "1"],
                                  ["code", "\x9b31mrelu"]])
def test_control_characters_in_messages_are_escaped(relu, args):
    line = one_error_line(relu(*args), code=relu(*args).code)
    assert not any(ch in line for ch in "\x1b\x07\x9b")
    assert "\\x1b" in line or "\\x9b" in line


@pytest.mark.parametrize("link_to", ["/no/such/target", "loop.json"])
def test_a_dangling_or_looping_link_at_o_needs_force(relu, tmp_path, link_to):
    link = tmp_path / "loop.json"
    link.symlink_to(link_to)
    line = one_error_line(relu("eval", "relu", "-x", "1", "-o", str(link)), code=1)
    assert "is a link" in line and "--force" in line
    assert link.is_symlink() and os.readlink(link) == link_to
    assert relu("eval", "relu", "-x", "1", "-o", str(link), "--force").code == 0
    assert not link.is_symlink() and json.loads(link.read_text())["x"] == [1]


def test_matplotlib_warnings_become_relu_warnings(tmp_path):
    env = {**os.environ, "MPLCONFIGDIR": "/dev/null/mpl"}
    run = subprocess.run([sys.executable, "-m", "relucli", "plot", "relu", "-o",
                          str(tmp_path / "p.png")], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert run.stderr.splitlines() == [
        "relu: warning: matplotlib cannot write its cache folder (set MPLCONFIGDIR to a "
        "writable folder); it used a temporary one for this run, which makes plotting start "
        "slower"]


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}, {}])
def test_many_curves_in_a_plain_text_plot_are_refused_not_a_crash(env):
    run = subprocess.run([sys.executable, "-m", "relucli", "plot", "all", "--terminal"],
                         capture_output=True, text=True, env={**os.environ, **env})
    assert run.returncode == 2
    assert run.stderr.strip() == ("relu: error: a plain-text plot tells at most 6 curves "
                                  "apart (one character each), not 19: draw fewer variants "
                                  "with --terminal, or write a figure with -o FILE.png")


# Wrong results and misleading messages -------------------------------------------------

def test_a_reversed_range_across_all_of_float64_is_exact(relu):
    run = relu("eval", "relu", "--range", "1e308:-1e308:5", "--dtype", "float64",
               "--format", "json")
    assert json.loads(run.stdout)["x"] == [1e308, 5e307, 0, -5e307, -1e308]


def test_an_infinite_slope_keeps_gradient_one_for_positive_inputs():
    leaky = variants.get("leaky_relu")
    x = np.array([-1, 0, 1, np.nan], np.float32)
    with np.errstate(over="ignore"):
        result = engine.evaluate(leaky, x, negative_slope=1e308)  # inf in float32
    assert result.grad.tolist()[:3] == [np.inf, np.inf, 1.0] and np.isnan(result.grad[3])


@pytest.mark.parametrize("count, message", [
    ("-3", "num_parameters must be a whole number >= 1, got -3"),
    ("2.5", "got 2.5"), ("True", "got True"),
    ("1000000000", "at most 4,096"),
])
def test_prelu_channel_counts_are_checked(relu, count, message):
    run = relu("code", f"nn.PReLU(num_parameters={count})", "--from", "torch")
    assert message in one_error_line(run)


@pytest.mark.parametrize("args, message", [
    (["--bias", "nan"], "--bias must be a finite number, got nan"),
    (["--sweep", "bias=0,inf"], "--bias must be a finite number, got inf"),
    (["--model", "layer", "--bias-std", "inf"], "--bias-std must be a finite number"),
    (["--model", "train", "--lr", ""], "--lr needs at least one learning rate"),
])
def test_simulation_values_are_named_as_given(relu, args, message):
    assert message in one_error_line(relu("dying-sim", *args, "-q"))


# Slow answers ---------------------------------------------------------------------------

def test_ctrl_c_during_a_big_render_stops_at_once(tmp_path):
    process = subprocess.Popen([sys.executable, "-m", "relucli", "plot", "relu", "--dpi", "1000",
                                "--size", "8,8", "-o", str(tmp_path / "big.png")],
                               stderr=subprocess.PIPE)
    time.sleep(2.0)  # imported and drawing (the render alone takes several seconds)
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    err = process.communicate(timeout=30)[1].decode()
    if process.returncode == 0:
        pytest.skip("the render finished before the signal on this machine")
    assert time.monotonic() - sent < 1.5
    assert process.returncode == 130 and err.strip() == "relu: error: interrupted"
    assert list(tmp_path.iterdir()) == []


def test_binary_after_a_few_text_bytes_is_still_binary(relu, tmp_path):
    """The first 4 KiB decide, not only the six bytes read to look for a .npy header."""
    (tmp_path / "half.txt").write_bytes(b"123456" + b"\0" * 10_000)
    line = one_error_line(relu("eval", "relu", "--file", str(tmp_path / "half.txt")))
    assert "looks binary" in line
