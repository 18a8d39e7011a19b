"""relucli.exits and the entry point: closed and full streams, Ctrl-C and SIGTERM end a
run with one line and a documented status, and leave no file behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

ENTRY = [sys.executable, "-c", "from relucli.__main__ import main; main()"]


def _run(*args, **options):
    return subprocess.run([*ENTRY, *args], capture_output=True, text=True, **options)


@pytest.mark.parametrize("args", [["table"], ["table", "--format", "json"], ["--help"],
                                  ["eval", "relu", "-x", "1"], ["code", "relu"]])
def test_a_closed_stdout_is_one_line_and_status_1(args):
    run = subprocess.run([*ENTRY, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True, preexec_fn=lambda: os.close(1))
    assert run.returncode == 1
    assert run.stderr == "relu: error: cannot write to standard output: it is closed\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize("args", [["table"], ["--help"], ["eval", "relu", "-x", "1"]])
def test_a_full_stdout_is_one_line_and_status_1(args):
    with open("/dev/full", "w") as full:
        run = subprocess.run([*ENTRY, *args], stdout=full, stderr=subprocess.PIPE, text=True)
    assert run.returncode == 1
    assert run.stderr == "relu: error: cannot write to standard output: no space left on device\n"


def test_a_closed_stderr_keeps_the_exit_status():
    run = subprocess.run([*ENTRY, "eval", "reluu", "-x", "1"], capture_output=True,
                         preexec_fn=lambda: os.close(2))
    assert run.returncode == 2 and run.stdout == b""


def test_a_closed_stdout_does_not_stop_a_run_that_writes_a_file(tmp_path):
    target = tmp_path / "out.json"
    run = subprocess.run([*ENTRY, "eval", "relu", "-x", "1", "-o", str(target)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                         preexec_fn=lambda: os.close(1))
    assert run.returncode == 0 and target.exists()


def test_a_name_too_long_for_the_file_system_is_one_line(tmp_path):
    run = _run("eval", "relu", "-x", "1", "-o", str(tmp_path / ("a" * 300 + ".json")))
    assert run.returncode == 1 and run.stderr.count("\n") == 1
    assert run.stderr.startswith("relu: error: cannot write ") and "unexpected" not in run.stderr


def _stop_after(args, sig, seconds, cwd):
    process = subprocess.Popen([*ENTRY, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, cwd=cwd)
    time.sleep(seconds)
    process.send_signal(sig)
    out, err = process.communicate(timeout=60)
    return process.returncode, err


@pytest.mark.parametrize("sig, status, word", [(signal.SIGTERM, 143, "terminated"),
                                               (signal.SIGINT, 130, "interrupted")])
def test_a_signal_mid_run_leaves_nothing_behind(tmp_path, sig, status, word):
    args = ["dying-sim", "relu", "--units", "100000000", "-q", "-o", "dead.json"]
    code, err = _stop_after(args, sig, 1.5, tmp_path)
    assert code == status and err == f"relu: error: {word}\n"
    assert os.listdir(tmp_path) == []


def test_a_second_ctrl_c_during_shutdown_adds_no_noise(tmp_path):
    process = subprocess.Popen([*ENTRY, "dying-sim", "relu", "--units", "100000000", "-q"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    process.send_signal(signal.SIGINT)
    time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130 and err == "relu: error: interrupted\n"
