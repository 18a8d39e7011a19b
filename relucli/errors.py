"""The errors relucli raises on purpose.

Every error carries an exit code: 2 for a usage error (something typed on the
command line is wrong), 1 for any other failure (a file, the disk). The CLI prints
``relu: error: <message>`` on one line and exits with that code.
"""

from __future__ import annotations


class ReluError(Exception):
    """Base class: a failure with a one-line, user-facing message."""

    exit_code = 1


class UsageError(ReluError, ValueError):
    """Something the user asked for is not valid (exit code 2)."""

    exit_code = 2


class UnknownVariantError(UsageError, KeyError):
    """No variant has this name or alias."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class ParameterError(UsageError):
    """A parameter name or value is invalid for the chosen variant."""


class InputError(UsageError):
    """Input values could not be read or are of an unsupported kind."""


class FileError(ReluError):
    """A file could not be read or written (exit code 1)."""
