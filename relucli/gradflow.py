"""temporary: removed once every module imports relucli.sim.gradflow

The name that relucli.cli uses as ``gradflow.X``.
"""

from .sim.gradflow import simulate_gradflow

__all__ = ["simulate_gradflow"]
