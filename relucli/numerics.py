"""Wide-precision maths shared by the smooth kernels (GELU's erfc and its constants).

Float64 data of a ``wide`` variant is computed in long double where the platform has
one (the engine's ``WIDE_FLOAT``); these helpers keep every digit of that width:
erfc by series and continued fraction, and constants given as text. NumPy is imported
only inside the functions.
"""

from __future__ import annotations


def _erfc(values):
    """erfc elementwise. Float64 input: Python's math.erfc (about 1 ulp, no extra
    dependency; ~60 ns per value: see the README for the choice). Long double input
    (float64 data computed wider): erf's Taylor series for |z| <= 2 and the continued
    fraction of erfc beyond, in long double, so that neither the cancellation in
    GELU's gradient near x = -0.75 nor erfc's conditioning far out (relative error
    2z² times that of z) costs float64 digits."""
    import math

    import numpy as np

    flat = values.reshape(-1)
    if values.dtype.itemsize <= 8:
        result = np.fromiter(map(math.erfc, flat.tolist()), dtype=np.float64, count=flat.size)
        return result.reshape(values.shape)
    ld = values.dtype.type
    result = np.empty_like(flat)
    near = np.abs(flat) <= 2
    z = flat[near]
    if z.size:
        term, total, z2 = z.copy(), z.copy(), z * z
        for n in range(1, 60):  # erf(z) = 2/√π Σ (-1)^n z^(2n+1) / (n! (2n+1))
            term = -term * z2 / n
            total += term / (2 * n + 1)
        result[near] = 1 - ld("1.12837916709551257389615890312154517") * total
    far = ~near & ~np.isnan(flat)
    z = np.abs(flat[far])
    if z.size:
        with np.errstate(over="ignore", invalid="ignore"):
            fraction = z.copy()  # erfc(z) = e^(-z²)/√π / (z + (1/2)/(z + 1/(z + (3/2)/(z + ...))))
            for n in range(120, 0, -1):
                fraction = z + ld(n) / 2 / fraction
            tail = np.exp(-z * z) / (ld("1.77245385090551602729816748334114518") * fraction)
            tail = np.where(np.isinf(z), 0, tail)
        result[far] = np.where(flat[far] > 0, tail, 2 - tail)
    result[np.isnan(flat)] = np.nan
    return result.reshape(values.shape)


# as text, so that long double computations get every digit of them
SQRT_HALF_TEXT = "0.707106781186547524400844362104849039"
INV_SQRT_2PI_TEXT = "0.398942280401432677939946059934381868"
