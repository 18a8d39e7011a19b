"""Turn what the user gave (numbers, a range, a file, stdin) into a NumPy array.

Text is parsed with Python's ``float`` (so ``nan``, ``inf``, ``-inf``, ``Infinity``,
``1e-3`` all work), split on commas, semicolons and white space; ``#`` starts a
comment. A ``.npy`` file (or ``.npy`` bytes on stdin) is read with NumPy, never with
pickle. No printing here: warnings are returned to the caller.
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass, field

import numpy as np

from . import dtypes
from .engine import as_input
from .errors import InputError
from .readers import MAX_VALUES, SizeCheck, read_values

_SEPARATORS = re.compile(r"[,;\s]+")
_EMPTY_FIELD = re.compile(r"^\s*[,;]|[,;]\s*[,;]|[,;]\s*$")
_DECIMAL_COMMA = re.compile(r"\d,\d")


@dataclass
class Inputs:
    """The input array and what the user should be told about how it was read."""

    x: np.ndarray
    source: str
    warnings: list[str] = field(default_factory=list)


def parse_numbers(text: str, where: str, overflow: list | None = None) -> list[float]:
    """Numbers in ``text`` separated by commas, semicolons or white space.

    ``nan``, ``inf``, ``-inf``, ``Infinity``, ``∞`` and ``−`` (U+2212) are understood.
    A number written finite but beyond float64 (``1e999``) becomes ±inf and is
    counted in ``overflow`` (a list, one entry per such number) when given.

    Two separators in a row (``1,,2``) leave out a value: an error, not a guess.

    >>> parse_numbers("-2,-1, 0 1e3 nan", "-x")
    [-2.0, -1.0, 0.0, 1000.0, nan]
    """
    if _EMPTY_FIELD.search(text):
        raise InputError(f"an empty value in {where}: {text.strip()!r} (a comma or semicolon "
                         "with no number beside it)")
    if ";" in text and _DECIMAL_COMMA.search(text):
        raise InputError(f"{where} has ';' between values and ',' inside them "
                         f"({text.strip()[:40]!r}): decimal commas? relu reads '.' as the "
                         "decimal point; write 1.5, not 1,5")
    numbers = []
    for token in _SEPARATORS.split(text.strip()):
        if not token:
            continue
        cleaned = token.replace("\u2212", "-").replace("\u221e", "inf")
        try:
            value = float(cleaned)
        except ValueError:
            raise InputError(f"not a number: {token!r} (in {where})") from None
        if overflow is not None and math.isinf(value) and "inf" not in cleaned.lower():
            overflow.append(token)
        numbers.append(value)
    return numbers


def parse_range(text: str, check_size: SizeCheck | None = None, option: str = "--range",
                ) -> np.ndarray:
    """``START:STOP:NUM``: NUM evenly spaced values from START to STOP, both included.

    NUM may be left out (11 values). ``check_size(NUM)`` is called before anything is
    allocated; messages name ``option`` (``--sweep`` takes the same form).

    >>> parse_range("-1:1:5")
    array([-1. , -0.5,  0. ,  0.5,  1. ])
    >>> parse_range("1e308:-1e308:3")
    array([ 1.e+308,  0.e+000, -1.e+308])
    """
    parts = text.split(":")
    if len(parts) not in (2, 3):
        raise InputError(f"{option} takes START:STOP or START:STOP:NUM, got {text!r}")
    try:
        start, stop = float(parts[0]), float(parts[1])
    except ValueError:
        raise InputError(f"{option} START and STOP must be numbers, got {text!r}") from None
    count = 11
    if len(parts) == 3:
        try:
            count_f = float(parts[2])
        except ValueError:
            count_f = math.nan
        if not (math.isfinite(count_f) and count_f >= 1 and count_f == int(count_f)):
            raise InputError(f"{option} NUM must be a whole number >= 1, got {parts[2]!r}")
        count = int(count_f)
    if not (math.isfinite(start) and math.isfinite(stop)):
        raise InputError(f"{option} START and STOP must be finite, got {text!r}")
    if count > MAX_VALUES:
        from .resources import human_bytes

        raise InputError(
            f"{option} asks for {count:,} values (about {human_bytes(count * 4 * 3)} to "
            f"evaluate in float32); the limit is {MAX_VALUES:,} (use a .npy file for more)"
        )
    from .resources import check_memory

    if check_size is not None:
        check_size(count)
    check_memory(count * 8.0 * 2, f"--range with {count:,} values")
    if math.isfinite(stop - start):
        return np.linspace(start, stop, count)
    # the span overflows float64 (1e308:-1e308): weigh the ends instead, exact at both
    t = np.linspace(0.0, 1.0, count)
    return start * (1 - t) + stop * t


def _example(token: str) -> str:
    """An input token to quote in a message: whole when short, else described (a
    100,000-digit number would fill the screen).

    >>> _example("1e999"), _example("9" * 500)
    ('1e999', 'a number of 500 characters')
    """
    return token if len(token) <= 40 else f"a number of {len(token):,} characters"


HOW_TO_GIVE_INPUT = ("give values with -x, a --range START:STOP:NUM, or --file PATH, or "
                     "pipe numbers in (printf '1 2 3' | relu eval relu)")
NO_INPUT = f"no input: {HOW_TO_GIVE_INPUT}"


def stdin_is_piped() -> bool:
    """Whether standard input is a pipe or a redirected file (not a terminal, and not
    /dev/null or a closed stream), so that it holds input the user meant to give."""
    import os
    import stat

    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (AttributeError, OSError, ValueError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISREG(mode) or stat.S_ISSOCK(mode)


def gather(
    values: list[str] | None,
    value_range: str | None,
    file: str | None,
    dtype: str | None,
    shape: str | None,
    stdin=None,
    check_size: SizeCheck | None = None,
) -> Inputs:
    """Read exactly one input source and convert it.

    ``dtype`` None means float32 for numbers typed or read as text, and the file's own
    dtype for ``.npy`` input (integers become float64). ``check_size(count)`` is
    called as soon as the number of values is known, before a range is made.
    """
    given = [name for name, v in (("-x", values), ("--range", value_range), ("--file", file)) if v]
    implicit = not given and stdin is None and stdin_is_piped()
    if implicit:  # `printf '1 2 3' | relu eval relu`
        file, given = "-", ["stdin"]
    if not given:
        raise InputError(NO_INPUT)
    if len(given) > 1:
        raise InputError(f"give one input source, not {' and '.join(given)}")
    warnings: list[str] = []
    from_text = True
    overflow: list[str] = []
    if values:
        raw = np.array([v for text in values for v in parse_numbers(text, "-x", overflow)],
                       dtype=np.float64)
        source = "-x"
    elif value_range:
        raw = parse_range(value_range, check_size)
        source = "--range"
    else:
        raw, from_text = read_values(file, stdin=stdin, overflow=overflow,
                                     check_size=check_size)
        source = "stdin" if file == "-" else file
    if raw.dtype == np.dtype("V2"):  # how np.save records an ml_dtypes bfloat16 array
        raw = raw.view(dtypes.bfloat16())
        warnings.append(f"{source} holds 2-byte void values (np.save's record of ml_dtypes' "
                        "bfloat16); read as bfloat16")
    if overflow:
        warnings.append(
            f"{len(overflow)} input value{'s' if len(overflow) != 1 else ''} beyond the "
            f"float64 range became ±inf (e.g. {_example(overflow[0])})"
        )
    if raw.size == 0:
        raise InputError(f"stdin is empty: {HOW_TO_GIVE_INPUT}" if implicit
                         else f"no values in {source}")
    if check_size is not None and not value_range:
        check_size(raw.size)
    target = dtypes.resolve(dtype) if dtype else (np.dtype(np.float32) if from_text else None)
    x = as_input(raw, target)
    if target is not None and raw.dtype.kind == "f":
        with np.errstate(over="ignore", invalid="ignore"):
            became_inf = np.isinf(x) & np.isfinite(raw)
        count = int(became_inf.sum())
        if count:
            warnings.append(
                f"{count} input value{'s' if count != 1 else ''} beyond the {x.dtype} "
                f"range became ±inf (use --dtype float64)"
            )
    if shape:
        x = reshape(x, shape)
    return Inputs(x=x, source=source, warnings=warnings)


def reshape(x: np.ndarray, shape: str) -> np.ndarray:
    """``--shape 2,3,4`` (one entry may be -1)."""
    try:
        dims = tuple(int(d) for d in _SEPARATORS.split(shape.strip().strip("()")) if d)
    except ValueError:
        raise InputError(f"--shape takes whole numbers such as 2,3,4, got {shape!r}") from None
    if not dims or any(d < -1 or d == 0 for d in dims) or dims.count(-1) > 1:
        raise InputError(f"--shape takes positive sizes (one may be -1), got {shape!r}")
    try:
        return x.reshape(dims)
    except ValueError:
        raise InputError(f"cannot reshape {x.size} values into shape {dims}") from None
