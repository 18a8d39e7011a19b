"""temporary: removed once every module imports relucli.sim.quant

The names that relucli.cli uses as ``quant.X`` (and the tests used, before they moved).
"""

from .sim.quant import CHUNK, integer_bits, parse_calibration, quantise_variants

__all__ = ["CHUNK", "integer_bits", "parse_calibration", "quantise_variants"]
