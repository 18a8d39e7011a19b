"""What every kernel shares: the calling convention and a few small helpers.

Conventions shared by every kernel (matching ``torch.nn.functional`` in PyTorch 2.x):

* The gradient at a kink is the one PyTorch uses: 0 for ReLU at x = 0, 0 for ReLU6 at
  x = 0 and x = 6, and the negative-side slope for LeakyReLU, PReLU and RReLU at x = 0
  (JAX takes 1 there).
* NaN in gives NaN out, for the value and for the gradient (PyTorch's own gradient at
  NaN depends on where the element sits in the tensor; relucli always answers NaN).
* The sign of a zero result is not specified (PyTorch and relucli may differ in it).

Kernels take a contiguous-or-strided block ``x``, write into ``out`` (which may be
``x`` itself) and may use ``tmp``, a scratch array of the same shape. Slopes arrive
already converted to the dtype of ``x`` (a scalar, or an array broadcastable to the
block). float16 inputs are computed in float32 and rounded once at the end, as
PyTorch's CPU kernels do.

NumPy is imported only inside the functions, so that importing the registry stays cheap.
"""

from __future__ import annotations

import math

from ..errors import ParameterError


def _single_pass(kernel):
    """Mark a kernel of one ufunc pass: the engine runs it on the whole array at once
    (blocks only help kernels that re-read their temporaries)."""
    kernel.single_pass = True
    return kernel


def _where(condition, a, b, out):
    """Write ``np.where(condition, a, b)`` into ``out`` (the relatives' kernels: clear,
    not the fastest; the ReLU family avoids it)."""
    import numpy as np

    np.copyto(out, np.where(condition, a, b))


def _bool_scratch(tmp, x, count):
    """``count`` boolean arrays shaped like ``x``, carved from the bytes of ``tmp``.

    They are spaced a few cache lines more than their size apart: arrays whose starts
    differ by a multiple of 4 KiB can stall loads behind stores to the "same" address
    (4K aliasing). Measured on the ReLU6 gradient (15 runs each way): the same median,
    and the slowest runs 1.2x the median without the spacing, 1.07x with it.
    """
    import numpy as np

    size = x.size
    spacing = size + 320
    if tmp.flags.c_contiguous and tmp.nbytes >= count * spacing:
        raw = (tmp if tmp.ndim == 1 else tmp.reshape(-1)).view(np.bool_)
        parts = [raw[k * spacing:k * spacing + size] for k in range(count)]
        return parts if x.ndim == 1 else [part.reshape(x.shape) for part in parts]
    return [np.empty(x.shape, dtype=np.bool_) for _ in range(count)]


def _slope_for(x, value, storage=None):
    """A scalar or per-channel slope in the dtype of x, shaped to broadcast over x.

    ``storage`` is the dtype the slope is held in before the computation (PyTorch
    keeps PReLU's weight in the input's dtype, float16 included, but computes float16
    in float32); by default the dtype of x.
    """
    import numpy as np

    storage = x.dtype if storage is None else storage

    if isinstance(value, tuple):
        channels = x.shape[1] if x.ndim >= 2 else 1
        if len(value) != channels:
            where = f"axis 1 of shape {tuple(x.shape)}" if x.ndim >= 2 else "a 1-D input"
            raise ParameterError(
                f"alpha has {len(value)} values but the input has {channels} "
                f"channel{'s' if channels != 1 else ''} ({where}); give one value "
                f"or {channels}, or shape the input so that axis 1 has {len(value)} "
                f"(relu eval: --shape N,{len(value)},...)"
            )
        shape = [1] * x.ndim
        shape[1] = channels
        return np.asarray(value, dtype=storage).astype(x.dtype).reshape(shape)
    return x.dtype.type(storage.type(value))


def _zero_to(hi):
    """``range_bounds`` for outputs in [0, hi]."""
    return lambda params: (0.0, hi)


def _whole_line(params):
    """``range_bounds`` for outputs anywhere on the real line."""
    return (-math.inf, math.inf)
