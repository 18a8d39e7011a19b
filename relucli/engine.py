"""The NumPy engine: values and gradients of every registered variant.

Pure NumPy: no printing, no files, no global random state. The maths of each variant
lives in :mod:`relucli.variants`; this module converts inputs, checks ``out=`` arrays,
and runs the kernels over cache-sized blocks so that multi-step kernels keep their
temporaries in cache instead of making full-size copies.

>>> import numpy as np
>>> from relucli import engine
>>> engine.forward("leaky_relu", np.array([-2.0, 0.0, 3.0]), negative_slope=0.1)
array([-0.2,  0. ,  3. ])
>>> engine.gradient("relu6", np.array([0.0, 3.0, 6.0]))
array([0., 1., 0.])

Dtypes: float16, bfloat16 (``ml_dtypes``), float32 and float64 inputs keep their dtype;
integer and boolean inputs are converted to float64; anything else (complex, strings,
objects) is refused. A 0-d input gives 0-d arrays (as a 0-d tensor gives 0-d tensors in
PyTorch), never NumPy scalars, so that ``out=`` and the results have one type.

Warnings: none. Overflow to ±inf, inf·0 = NaN and the like are the IEEE answers
PyTorch gives too, and are returned as values; NumPy's RuntimeWarnings about them
are silenced inside the engine, whatever the caller's ``np.errstate``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from . import dtypes
from .errors import InputError, ParameterError
from .variants import Variant, get

#: Elements per block of a multi-pass kernel: big enough that the Python overhead of
#: each ufunc call is small, small enough that the block's temporaries stay in cache.
#: Measured on this project's machines (1 MiB L2 per core, 32 MiB L3): 2**18 float32
#: values (1 MiB) beat 2**16 by 25-40% and 2**20 by 5-10% (benchmarks/bench.py).
BLOCK_ELEMENTS = 1 << 18

#: Arrays of at least this many elements are split between threads (NumPy releases
#: the GIL inside ufunc loops); results are the same elementwise either way. Only
#: when the output is the caller's (``out=``): into a freshly allocated output, two
#: threads page-faulting at once stalled for 15-70 ms in 1-4% of calls here (Linux
#: transparent huge pages, which NumPy requests for large arrays), while one thread
#: never did and is as fast on average (benchmarks/bench.py, engine section).
THREAD_MIN_ELEMENTS = 1 << 20


def thread_count() -> int:
    """Threads for large arrays: $RELU_THREADS, else the CPUs this process may use."""
    import os

    try:
        return max(1, int(os.environ["RELU_THREADS"]))
    except (KeyError, ValueError):
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:  # not on Linux
            return max(1, os.cpu_count() or 1)


_POOL = None


def _pool(workers: int):
    global _POOL
    if _POOL is None or _POOL._max_workers < workers:
        from concurrent.futures import ThreadPoolExecutor

        _POOL = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="relucli")
    return _POOL

#: Wider than float64 where NumPy has it (x86 long double: 64-bit mantissa).
WIDE_FLOAT = np.longdouble if np.finfo(np.longdouble).nmant > 52 else np.float64


@dataclass
class Evaluation:
    """The result of :func:`evaluate`.

    ``y`` and ``grad`` have the shape and dtype of the input. ``grad`` is
    d output / d input with an upstream gradient of 1 (``None`` when not asked for).
    ``grad_params`` holds, for learnable parameters (PReLU's ``alpha``), the gradient
    of ``sum(y)`` with respect to each. ``mode`` is ``"train"`` or ``"eval"`` for a
    stochastic variant (RReLU) and ``None`` otherwise; ``slopes`` holds the sampled
    slopes of RReLU in training mode.
    """

    variant: Variant
    params: dict[str, Any]
    x: np.ndarray
    y: np.ndarray
    grad: np.ndarray | None = None
    grad_params: dict[str, np.ndarray] = field(default_factory=dict)
    mode: str | None = None
    slopes: np.ndarray | None = None


def as_input(x: Any, dtype: Any = None) -> np.ndarray:
    """``x`` as a float array: float16/bfloat16/float32/float64 kept, integers and
    booleans to float64.

    With ``dtype`` given, convert to it (one of :data:`relucli.dtypes.NAMES`), rounding
    once to nearest even.
    """
    if dtype is not None:
        dtype = dtypes.resolve(dtype)
    try:
        array = np.asarray(x)
    except (TypeError, ValueError) as exc:
        raise InputError(f"input is not a numeric array: {exc}") from None
    if dtypes.is_supported(array.dtype):
        pass
    elif array.dtype.kind in "iub":
        array = array.astype(np.float64)
    else:
        raise InputError(
            f"input has dtype {array.dtype}; expected real numbers "
            "(float16, bfloat16, float32, float64 or integers)"
        )
    if dtype is not None and array.dtype != dtype:
        # beyond the dtype's range: ±inf, as IEEE says; NaN stays NaN
        with np.errstate(over="ignore", invalid="ignore"):
            array = array.astype(dtype)
    return array


def _check_out(out: np.ndarray | None, x: np.ndarray, what: str) -> np.ndarray:
    if out is None:
        return np.empty_like(x)
    if not isinstance(out, np.ndarray):
        raise InputError(f"{what} must be a NumPy array")
    if out.shape != x.shape or out.dtype != x.dtype:
        raise InputError(
            f"{what} has shape {out.shape} and dtype {out.dtype}; "
            f"expected shape {x.shape} and dtype {x.dtype}"
        )
    if not out.flags.writeable:
        raise InputError(f"{what} is read-only")
    return out


def _run_blocked(kernel, x: np.ndarray, out: np.ndarray, args: Mapping[str, Any],
                 threads: bool = True) -> None:
    """Run ``kernel`` over blocks along axis 0, each about BLOCK_ELEMENTS in size, on
    several threads for large arrays if ``threads`` (see THREAD_MIN_ELEMENTS).

    Keyword arguments that are arrays with the full length of axis 0 are sliced with
    the block; the others (scalars, per-channel slopes) are passed whole.
    """
    if x.dtype != out.dtype:  # computed wider (float16 in float32...), rounded once
        wide = np.empty(x.shape, dtype=x.dtype)
        _run_blocked(kernel, x, wide, args, threads=False)
        with np.errstate(all="ignore"):
            np.copyto(out, wide, casting="unsafe")
        return
    if x.ndim == 0:
        x, out = x.reshape(1), out.reshape(1)
    if getattr(kernel, "single_pass", False):
        with np.errstate(all="ignore"):
            kernel(x, out, None, **args)
        return
    rows = x.shape[0]
    row_size = max(1, x.size // max(rows, 1))
    step = max(1, BLOCK_ELEMENTS // row_size)
    # Overflow to inf and inf*0 = NaN are the IEEE answers PyTorch gives too.
    with np.errstate(all="ignore"):
        if rows <= step:
            kernel(x, out, np.empty_like(x), **args)
            return
        workers = thread_count() if threads and x.size >= THREAD_MIN_ELEMENTS else 1
        if workers == 1:
            _run_blocks(kernel, x, out, args, 0, rows, step)
            return
    # One contiguous share of the rows per thread, each with its own scratch.
    bounds = [rows * k // workers for k in range(workers + 1)]
    futures = [
        _pool(workers).submit(_run_share, kernel, x, out, args, lo, hi, step)
        for lo, hi in zip(bounds[:-1], bounds[1:]) if hi > lo
    ]
    for future in futures:
        future.result()


def _run_share(kernel, x, out, args, lo, hi, step):
    with np.errstate(all="ignore"):  # error state is per thread
        _run_blocks(kernel, x, out, args, lo, hi, step)


def _run_blocks(kernel, x, out, args, lo, rows, step):
    """Blocks of ``step`` rows from row ``lo`` up to row ``rows``."""
    sliced = {
        k for k, v in args.items()
        if isinstance(v, np.ndarray) and v.ndim == x.ndim and v.shape[0] == x.shape[0]
    }
    scratch = np.empty((step,) + x.shape[1:], dtype=x.dtype)
    if not sliced:  # the common case: no per-element arguments to cut
        for start in range(lo, rows, step):
            stop = min(start + step, rows)
            kernel(x[start:stop], out[start:stop], scratch[: stop - start], **args)
        return
    for start in range(lo, rows, step):
        stop = min(start + step, rows)
        block_args = {
            k: (v[start:stop] if k in sliced else v) for k, v in args.items()
        }
        kernel(x[start:stop], out[start:stop], scratch[: stop - start], **block_args)


def _setup(variant, x, params, training, rng, dtype):
    """Resolve the variant and parameters; returns the input, the array the kernels
    compute on (float32 for float16 input, as PyTorch does) and the kernel arguments."""
    variant = get(variant)
    x = as_input(x, dtype)
    resolved = variant.resolve_params(params)
    if training and not variant.stochastic:
        raise ParameterError(
            f"{variant.name} has no training mode (only rrelu is stochastic)"
        )
    with np.errstate(invalid="ignore"):  # ml_dtypes warns when it widens a NaN
        if variant.wide:
            # smooth functions: one rounding at the end, from float64 (or, for float64
            # input, from the x87 80-bit long double where the platform has one)
            work = x.astype(np.float64 if x.dtype != np.float64 else WIDE_FLOAT)
        else:
            work = x.astype(dtypes.compute_type(x.dtype), copy=False)
    args = (
        variant.prepare(resolved, work, training, rng, x.dtype) if variant.prepare else {}
    )
    return variant, x, work, resolved, args


def evaluate(
    variant: str | Variant,
    x: Any,
    *,
    grad: bool = True,
    training: bool = False,
    rng: np.random.Generator | None = None,
    out: np.ndarray | None = None,
    grad_out: np.ndarray | None = None,
    dtype: Any = None,
    upstream: np.ndarray | None = None,
    **params: Any,
) -> Evaluation:
    """Value and (unless ``grad=False``) gradient of ``variant`` at ``x``.

    Parameters are keyword arguments (``negative_slope=0.2``, ``alpha=[0.1, 0.2]``,
    ``lower=0.1``); missing ones take PyTorch's defaults. ``training=True`` (RReLU only)
    draws one slope per element from ``rng``, a ``numpy.random.Generator``; the value
    and the gradient use the same slopes. ``out``/``grad_out`` receive the results
    when given (same shape and dtype as the converted input). ``upstream`` weights the
    parameter gradients (d sum(upstream * y) / d param, for backpropagation); ``grad``
    stays elementwise.

    >>> import numpy as np
    >>> r = evaluate("prelu", np.array([-2.0, 1.0]), alpha=0.25)
    >>> r.y, r.grad, r.grad_params["alpha"]
    (array([-0.5,  1. ]), array([0.25, 1.  ]), array([-2.]))
    """
    variant, x, work, resolved, args = _setup(variant, x, params, training, rng, dtype)
    y = _check_out(out, x, "out")
    g = _check_out(grad_out, x, "grad_out") if grad else None
    if g is not None and np.shares_memory(g, y):
        raise InputError("out and grad_out must not overlap")
    # The gradient first: ``out`` may be ``x`` itself (in-place evaluation).
    grad_params = {}
    if grad:
        _run_blocked(variant.gradient, work, g, args, threads=grad_out is not None)
        grad_params = _param_gradients(variant, work, resolved, args, x.dtype, upstream)
    _run_blocked(variant.forward, work, y, args, threads=out is not None)
    slopes = args.get("slope") if training else None
    if slopes is not None:
        slopes = slopes.astype(x.dtype, copy=False)
    return Evaluation(
        variant=variant,
        params=resolved,
        x=x,
        y=y,
        grad=g,
        grad_params=grad_params,
        mode=("train" if training else "eval") if variant.stochastic else None,
        slopes=slopes,
    )


def _param_gradients(variant, x, resolved, args, dtype, upstream=None):
    if variant.param_gradients is None:
        return {}
    if upstream is not None:
        upstream = np.broadcast_to(np.asarray(upstream, dtype=x.dtype), x.shape)
    with np.errstate(all="ignore"):  # a sum may overflow the dtype: inf, as IEEE says
        grads = variant.param_gradients(x, resolved, args, upstream, dtype=dtype)
        return {k: v.astype(dtype, copy=False) for k, v in grads.items()}


def forward(
    variant: str | Variant,
    x: Any,
    *,
    out: np.ndarray | None = None,
    training: bool = False,
    rng: np.random.Generator | None = None,
    dtype: Any = None,
    **params: Any,
) -> np.ndarray:
    """The value of ``variant`` at ``x`` (see :func:`evaluate` for the arguments).

    >>> import numpy as np
    >>> forward("relu6", np.array([-1.0, 3.0, 8.0]))
    array([0., 3., 6.])
    """
    variant, x, work, _, args = _setup(variant, x, params, training, rng, dtype)
    y = _check_out(out, x, "out")
    _run_blocked(variant.forward, work, y, args, threads=out is not None)
    return y


def gradient(
    variant: str | Variant,
    x: Any,
    *,
    out: np.ndarray | None = None,
    training: bool = False,
    rng: np.random.Generator | None = None,
    dtype: Any = None,
    **params: Any,
) -> np.ndarray:
    """d variant(x) / dx elementwise, with PyTorch's value at the kinks.

    For RReLU in training mode use :func:`evaluate`, which returns the value and the
    gradient computed from the same sampled slopes.

    >>> import numpy as np
    >>> gradient("leaky_relu", np.array([-1.0, 0.0, 1.0]))
    array([0.01, 0.01, 1.  ])
    """
    variant, x, work, _, args = _setup(variant, x, params, training, rng, dtype)
    g = _check_out(out, x, "out")
    _run_blocked(variant.gradient, work, g, args, threads=out is not None)
    return g
