"""The examples in the README and in the docstrings run and give what they say."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

import importlib
import pkgutil

import relucli

README = Path(__file__).resolve().parent.parent / "README.md"

#: Every module of the package (doctest only finds a module's own examples).
MODULES = sorted(["relucli"] + [m.name for m in pkgutil.walk_packages(relucli.__path__, "relucli.")
                                if m.name != "relucli.__main__"])


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_the_docstrings_hold_examples():
    attempted = {name: doctest.testmod(importlib.import_module(name)).attempted
                 for name in MODULES}
    assert sum(1 for count in attempted.values() if count) >= 12, attempted


def test_readme_python_examples():
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    assert blocks
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for number, block in enumerate(blocks):
        runner.run(parser.get_doctest(block, {}, f"README block {number}", str(README), 0))
    assert runner.summarize(verbose=False).failed == 0


def test_readme_console_examples(relu, monkeypatch):
    """Each `$ relu ...` block whose output is shown prints exactly that output
    (pasted from a run with COLUMNS=100)."""
    monkeypatch.setenv("COLUMNS", "100")
    text = README.read_text()
    blocks = re.findall(r"```console\n\$ relu (.*?)\n(.*?)```", text, flags=re.S)
    checked = 0
    for command, shown in blocks:
        if not shown.strip():
            continue
        run = relu(*command.split())
        printed = run.stdout + run.stderr
        assert [l.rstrip() for l in printed.strip("\n").splitlines()] == \
            [l.rstrip() for l in shown.strip("\n").splitlines()], command
        checked += 1
    assert checked >= 4


FIGURE_COMMANDS = re.findall(r"^relu (.* -o docs/\S+\.(?:png|svg|pdf).*)$", README.read_text(),
                             flags=re.M)


def test_the_readme_draws_figures():
    assert len(FIGURE_COMMANDS) >= 8


@pytest.mark.parametrize("command", FIGURE_COMMANDS, ids=lambda c: c.split(" -o ")[1].split()[0])
def test_readme_figure_commands_run_as_printed(command, tmp_path):
    """From a fresh clone's root, where docs/ already holds the pictures: each figure
    command of the README runs as printed (so it says --force) and writes a PNG."""
    import shlex
    import subprocess
    import sys

    (tmp_path / "docs").mkdir()
    target = tmp_path / command.split(" -o ")[1].split()[0]
    target.write_bytes(b"the committed picture")
    run = subprocess.run([sys.executable, "-m", "relucli", *shlex.split(command)], cwd=tmp_path,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "error" not in run.stderr
