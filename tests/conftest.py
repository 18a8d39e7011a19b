"""Shared helpers: run the CLI in-process and capture what it prints."""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass

import pytest

from relucli.cli import main


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def relu(capsys, monkeypatch):
    """``relu("eval", "relu", "-x", "1")`` runs the command as the console script
    does (through ``main``) and returns its exit code and output."""

    def run(*args: str, stdin: bytes | str | None = None) -> Run:
        if stdin is not None:
            data = stdin.encode() if isinstance(stdin, str) else stdin
            fake = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
            monkeypatch.setattr(sys, "stdin", fake)
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out, err = capsys.readouterr()
        return Run(code, out, err)

    return run
