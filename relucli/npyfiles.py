"""Writing ``.npy`` and ``.npz`` files that keep a bfloat16 dtype.

``np.save`` records an ml_dtypes bfloat16 array as ``'<V2'`` (2-byte void: NumPy's
type codes are not extensible), so ``np.load`` gives raw bytes back. relucli writes
``'descr': 'bfloat16'`` instead, the name ml_dtypes registers with NumPy (the workaround
in ml_dtypes' issue #41): ``np.load`` returns a bfloat16 array when ml_dtypes has been
imported, and without it fails with ``descr is not a valid dtype descriptor:
'bfloat16'``. Other dtypes are written by NumPy itself, unchanged.
"""

from __future__ import annotations

import zipfile
from typing import IO, Mapping

import numpy as np

from .dtypes import is_bfloat16


def write_npy(handle: IO[bytes], array: np.ndarray) -> None:
    """``np.save(handle, array)``, with bfloat16 recorded by name.

    >>> import io, ml_dtypes
    >>> buffer = io.BytesIO()
    >>> write_npy(buffer, np.array([1.5, -2], ml_dtypes.bfloat16))
    >>> buffer.seek(0); np.load(buffer).dtype.name
    0
    'bfloat16'
    """
    if not is_bfloat16(array.dtype):
        np.save(handle, array)
        return
    from numpy.lib import format as npy

    if not array.flags.c_contiguous:  # (np.ascontiguousarray would make 0-d arrays 1-d)
        array = array.copy(order="C")
    npy.write_array_header_1_0(handle, {"descr": "bfloat16", "fortran_order": False,
                                        "shape": array.shape})
    handle.write(array.view(np.uint16).data)  # the buffer itself, not a copy


def write_npz(handle: IO[bytes], arrays: Mapping[str, np.ndarray]) -> None:
    """``np.savez(handle, **arrays)``, each member written by :func:`write_npy`."""
    if not any(is_bfloat16(a.dtype) for a in arrays.values()):
        np.savez(handle, **arrays)
        return
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for name, array in arrays.items():
            with archive.open(f"{name}.npy", "w", force_zip64=True) as member:
                write_npy(member, array)
