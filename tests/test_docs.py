"""The examples in the README and in the docstrings run and give what they say."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

import relucli
from relucli import cli, commands, engine, exits, inputs, registry, render
from relucli.commands import common

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.mark.parametrize("module", [relucli, cli, commands, common, engine, exits, inputs, registry, render],
                         ids=lambda m: m.__name__)
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


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
