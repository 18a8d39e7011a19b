"""Numbers as text: the shortest text that reads back to the same value in its dtype
(never "-0"), as JSON values, and the short forms of the human tables (percentages,
fractions as PyTorch's docs write them, plain sweep values)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np


def format_number(value: Any) -> str:
    """Shortest round-trip text of a NumPy scalar in its own dtype; no "-0".

    >>> import numpy as np
    >>> format_number(np.float32(-0.01) * np.float32(1)), format_number(np.float32(-0.0))
    ('-0.01', '0')
    """
    if value != value:
        return "nan"
    if value == 0:
        return "0"
    if getattr(getattr(value, "dtype", None), "name", "") == "bfloat16":
        value = _shortest_bfloat16(value)
    text = str(value)  # NumPy scalars print the shortest text that round-trips
    if text in ("inf", "-inf"):
        return text
    if text.endswith(".0"):
        text = text[:-2]
    return text


def _shortest_bfloat16(value: Any) -> Any:
    """The float64 of the fewest significant digits that read back as ``value`` in
    bfloat16 (ml_dtypes prints six digits): printed by NumPy's rules, it is the
    shortest text. 65536 reads back from 6.55e4, as float16's 65504 does from 65500.

    >>> import ml_dtypes
    >>> format_number(ml_dtypes.bfloat16(0.1)), format_number(ml_dtypes.bfloat16(65536))
    ('0.1', '65500')
    """
    import numpy as np

    kind = type(value)
    exact = float(value)
    if exact in (float("inf"), float("-inf")):
        return np.float64(exact)
    for digits in range(1, 10):  # 9 significant digits round-trip any float32
        nearest = f"{exact:.{digits - 1}e}"
        exponent = nearest.split("e")[1]
        unit = 10.0 ** (int(exponent) - digits + 1)
        # at a power of two the interval that reads back is lopsided: the neighbouring
        # decimals may read back where the nearest one does not
        for candidate in (float(nearest), float(nearest) + unit, float(nearest) - unit):
            candidate = float(f"{candidate:.{digits - 1}e}")
            if kind(candidate) == value:
                return np.float64(candidate)
    return np.float64(exact)


def number_texts(array: "np.ndarray") -> list[str]:
    """:func:`format_number` over a flattened array (C order)."""
    return [format_number(v) for v in array.reshape(-1)]


def json_numbers(array: "np.ndarray") -> list[float | str]:
    """Values for JSON: shortest decimals as numbers, non-finite as "nan"/"inf"/"-inf"."""
    out: list[float | str] = []
    for text in number_texts(array):
        out.append(text if text in ("nan", "inf", "-inf") else float(text))
    return out


def _fraction_or_decimal(value: float) -> str:
    """1/8 and 1/3 as PyTorch's docs write them; 0.25 and 0.01 as decimals.

    >>> _fraction_or_decimal(1 / 3), _fraction_or_decimal(0.125), _fraction_or_decimal(0.25)
    ('1/3', '1/8', '0.25')
    """
    if isinstance(value, str):
        return value
    if value != value or value in (float("inf"), float("-inf")):
        return "inf" if value > 0 else str(value)
    for denominator in (3, 6, 7, 8, 9, 12, 16, 48):
        numerator = round(value * denominator)
        if numerator and numerator / denominator == value and numerator % denominator:
            from math import gcd

            common = gcd(numerator, denominator)
            if denominator // common not in (1, 2, 4, 5):
                return f"{numerator // common}/{denominator // common}"
    return _g(value)


def _g(value: float) -> str:
    return repr(value) if value != int(value) else str(int(value))



def _num(value: float | None, digits: int = 4) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return str(value)
    return value



def _pct(value: float | None, stderr: float | None = None) -> str:
    """A fraction as a percentage, and its standard error in percentage points: one
    unit in the cell; values under 0.01% in scientific notation, so that they cannot
    be read as zero.

    >>> _pct(0.0039, 0.00044), _pct(5e-05, 2.2e-05), _pct(0.0), _pct(1.1e-19)
    ('0.39% ± 0.04', '5.0e-03% ± 2.2e-03', '0.00%', '1.1e-17%')
    """
    if value is None:
        return "—"
    text = _percent(100 * value) + "%"
    if stderr is not None and stderr > 0:
        text += f" ± {_percent(100 * stderr)}"  # the caption says: percentage points
    return text


def _percent(points: float) -> str:
    if points == 0 or abs(points) >= 0.01:
        return f"{points:.2f}"
    return f"{points:.1e}"


def format_number_plain(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)

