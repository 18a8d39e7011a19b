"""The floating-point dtypes relucli computes in: float16, bfloat16, float32, float64.

NumPy has no bfloat16; ``ml_dtypes`` (the package JAX uses) adds it. Importing it costs
about half a second, so it is imported only when bfloat16 is asked for by name; an
array that already has the dtype was made by a program that imported it.

>>> resolve("float32"), is_bfloat16(resolve("float16"))
(dtype('float32'), False)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import InputError

NAMES = ("float16", "bfloat16", "float32", "float64")
NUMPY_FLOATS = (np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64))


def bfloat16() -> np.dtype:
    """ml_dtypes' bfloat16 (1 sign, 8 exponent, 7 fraction bits), imported on first use."""
    import ml_dtypes

    return np.dtype(ml_dtypes.bfloat16)


def is_bfloat16(dtype: np.dtype) -> bool:
    """True for ml_dtypes' bfloat16, told by name without importing ml_dtypes."""
    return dtype.kind == "V" and dtype.name == "bfloat16"


def is_supported(dtype: np.dtype) -> bool:
    return dtype in NUMPY_FLOATS or is_bfloat16(dtype)


def resolve(dtype: Any) -> np.dtype:
    """The dtype named or given by ``dtype``, if relucli computes in it.

    >>> resolve("bfloat16").itemsize
    2
    """
    if isinstance(dtype, str) and dtype == "bfloat16":
        return bfloat16()
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        resolved = None
    if resolved is None or not is_supported(resolved):
        raise InputError(f"unsupported dtype {dtype!r}; choose {', '.join(NAMES[:-1])} or float64")
    return resolved


def finfo(dtype: np.dtype):
    """``np.finfo`` that knows bfloat16 (``ml_dtypes.finfo``)."""
    if is_bfloat16(dtype):
        import ml_dtypes

        return ml_dtypes.finfo(dtype)
    return np.finfo(dtype)


def compute_type(dtype: np.dtype) -> np.dtype:
    """What PyTorch computes an elementwise op of ``dtype`` in: float32 for the 16-bit
    types (rounded once at the end), the dtype itself otherwise."""
    return np.dtype(np.float32) if dtype.itemsize == 2 else dtype
