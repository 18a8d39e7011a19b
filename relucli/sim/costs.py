"""What a simulation run will cost, in seconds and bytes, before it starts.

The estimates are the models' operation counts times rates measured on a 2-core
x86-64 machine (NumPy with OpenBLAS); ``benchmarks/bench.py costs`` compares them
with measured runs (within a factor of about 3 either way). They only have to be
right in order of magnitude: a run is refused when the estimate is far beyond memory
or the time budget, and a run that outlives its budget anyway is stopped by it.

>>> unit_cost(variants=1, smooth=0, units=100_000, batch=8).seconds < 0.1
True
>>> unit_cost(variants=1, smooth=0, units=10**15, batch=8).describe()
'8e15 samples'
"""

from __future__ import annotations

from dataclasses import dataclass

#: Operations per second, measured (see the module docstring).
NORMAL_DRAWS = 1e8  # standard-normal samples drawn, float64
ELEMENTS = 1e8  # simple elementwise operations over float64 arrays
FLOPS = 2e10  # matrix products (BLAS, both cores)
COPY_BYTES = 5e9  # memory copied
SMOOTH_GRADIENTS = 4e6  # gradients of a smooth variant (GELU, SiLU ...) per second
MULTINOMIAL_UNITS = 2e7  # units whose region counts one multinomial draw gives
PYTHON_STEP = 3e-5  # a step of a Python loop over NumPy calls on small arrays
SPECTRAL = 2e-10  # seconds per width^3 of a spectral norm (an SVD)
SMOOTH_CLOSED_FORM = 2.5  # seconds to find a smooth variant's nearly-dead set (GELU)


@dataclass(frozen=True)
class Cost:
    """Seconds, peak bytes, and the amount of work in words (``8e+15 samples``)."""

    seconds: float
    bytes: float
    work: float
    unit: str

    def describe(self) -> str:
        amount = f"{self.work:,.0f}" if self.work < 1e9 else f"{self.work:.2g}"
        return f"{amount.replace('e+0', 'e').replace('e+', 'e')} {self.unit}"

    def then(self, other: "Cost") -> "Cost":
        """This run followed by ``other`` (a sweep): times add, memory is the larger."""
        return Cost(self.seconds + other.seconds, max(self.bytes, other.bytes),
                    self.work + other.work, self.unit)


def unit_cost(variants: int, smooth: int, units: int, batch: int,
              method: str = "samples") -> Cost:
    """Model ``unit``: ``units`` x ``batch`` draws (or one multinomial per unit)."""
    if method == "counts":
        return Cost(units / MULTINOMIAL_UNITS * (1 + 0.1 * variants), 64e6, units, "units")
    samples = float(units) * batch
    seconds = samples * (1.2 / ELEMENTS + 0.05 * variants / ELEMENTS
                         + smooth / SMOOTH_GRADIENTS) + smooth * SMOOTH_CLOSED_FORM
    return Cost(seconds, 64e6, samples, "samples")


def layer_cost(variants: int, fan_in: int, units: int, batch: int, trials: int) -> Cost:
    """Model ``layer``: per trial a weight matrix, a product and each variant's tally."""
    per_trial = (units * fan_in / NORMAL_DRAWS + 2.0 * units * fan_in * batch / FLOPS
                 + variants * 1.0 * units * batch / ELEMENTS + batch * fan_in / NORMAL_DRAWS)
    memory = 8.0 * (units * fan_in + batch * fan_in + 6 * batch * units)
    return Cost(trials * per_trial, memory, float(trials) * units * fan_in * batch,
                "multiply-adds")


def depth_cost(variants: int, depth: int, width: int, trials: int, in_dim: int,
               max_pieces: int) -> Cost:
    """Model ``depth``: each layer cuts the linear pieces of the network so far; on
    [-1, 1] about ``width`` pieces per layer, on a cube of ``in_dim`` > 1 dimensions
    about ``width**in_dim`` cells (up to ``max_pieces``), each cut by ``width`` planes."""
    if in_dim <= 1:
        per_layer = PYTHON_STEP + 1.3e-8 * width * width
    else:
        cells = min(float(width) ** in_dim, max_pieces)
        per_layer = PYTHON_STEP + 1.0e-6 * 3.0 ** (in_dim - 2) * width * cells
    seconds = float(trials) * depth * variants * per_layer
    memory = (8.0 * depth * width * (width + 2) + 400.0 * depth  # weights, biases, objects
              + 8.0 * 6 * max_pieces * (width + in_dim + 2))
    return Cost(seconds, memory, float(trials) * depth * width, "unit-layers")


def train_cost(variants: int, rates: int, steps: int, width: int, depth: int, batch: int,
               trials: int, samples: int = 256) -> Cost:
    """Model ``train``: SGD steps of an MLP; each step a forward and backward pass, an
    update and a snapshot of the weights (to judge a diverged run by its last good one)."""
    weights = float(width) * width * max(depth - 1, 0) + 4.0 * width * depth + width
    per_step = (PYTHON_STEP * depth + 6.0 * batch * weights / FLOPS
                + 2 * 8.0 * weights / COPY_BYTES + 1.0 * batch * width * depth / ELEMENTS)
    per_run = steps * per_step + weights / NORMAL_DRAWS + 6.0 * samples * weights / FLOPS
    runs = float(variants) * rates * trials
    memory = 8.0 * (6 * weights + 8 * max(samples, batch) * width * depth)
    return Cost(runs * per_run, memory, runs * steps, "SGD steps")


def quant_cost(variants: int, bits: int, samples: int, calib_samples: int, wide: int,
               chunk: int, max_bits: int) -> Cost:
    """``quant-sim``: the calibration sample held whole, the rest streamed in chunks,
    each quantised by every variant at every bit width."""
    seconds = (calib_samples * (1 / NORMAL_DRAWS + 3.0 * variants / ELEMENTS)
               + float(samples) * variants * (0.5 + 0.8 * bits) / ELEMENTS)  # fixed-order
    # chunked sums: 10^7 samples, 2 variants, 3 widths measured 0.63-0.83 s
    memory = (8.0 * calib_samples * (3 + 6 * bool(wide)) + 8.0 * 10 * chunk
              + 8.0 * variants * bits * 2 ** max_bits)
    return Cost(seconds, memory, float(samples) * variants * bits, "quantised values")


def gradflow_cost(variants: int, depth: int, width: int, batch: int) -> Cost:
    """``grad-flow``: the weights, their spectral norms, and per variant a pass forward
    and back through every layer."""
    square = float(width) * width
    seconds = (depth * square / NORMAL_DRAWS + depth * width ** 3 * SPECTRAL
               + variants * depth * (4.0 * batch * square / FLOPS
                                     + 20.0 * batch * width / ELEMENTS + 10 * PYTHON_STEP))
    memory = 8.0 * (1.5 * depth * square + 4 * depth * batch * width + 4 * square)
    return Cost(seconds, memory, float(variants) * depth * batch * square, "multiply-adds")


def total(costs: list[Cost]) -> Cost:
    """A sweep's runs one after the other."""
    result = costs[0]
    for cost in costs[1:]:
        result = result.then(cost)
    return result



def teacher_train_cost(variants: int, rates: int, steps: int, width: int, depth: int,
                       batch: int, trials: int, in_dim: int, classes: int,
                       eval_samples: int, learnable: int = 0, smooth: int = 0) -> Cost:
    """Model ``train`` on the teacher task: each step draws a fresh batch, labels it
    with the teacher, and runs the forward and backward pass, the update and the
    snapshot of the circle task; each run ends judged on ``eval_samples`` inputs.
    The Python overhead per step dominates small networks: measured at width 32,
    depth 2, about 0.14 ms a step for ReLU, 0.65 ms for PReLU (``learnable``: its
    slopes' gradients and updates), 7 ms for GELU (``smooth``)."""
    weights = (float(in_dim) * width + float(width) * width * max(depth - 1, 0)
               + float(width) * classes + width * depth + classes)
    extra = (learnable * PYTHON_STEP * 8 * depth + smooth * PYTHON_STEP * 110 * depth
             + smooth * 2.0 * batch * width * depth / SMOOTH_GRADIENTS) / max(variants, 1)
    # measured at width 1000, depth 2: 0.8 ms a step and 0.26 s for the rest (the
    # held-out judging), where 6·batch·weights / FLOPS and a snapshot copy had said 10 ms
    per_step = (PYTHON_STEP * (2 * depth + 1) + extra + 1.0 * batch * weights / FLOPS
                + batch * (3.0 * width * depth + 6.0 * classes + in_dim) / ELEMENTS
                + batch * in_dim / NORMAL_DRAWS + 2.0 * batch * in_dim * classes / FLOPS)
    per_run = (steps * per_step + weights / NORMAL_DRAWS
               + 2.0 * eval_samples * weights / FLOPS
               + 3.0 * eval_samples * (width * depth + classes) / ELEMENTS)
    runs = float(variants) * rates * trials
    memory = 8.0 * (6 * weights + 6 * max(eval_samples, batch) * (width * depth + classes)
                    + eval_samples * in_dim)
    return Cost(runs * per_run, memory, runs * steps, "SGD steps")


ERFC_SECONDS = 6e-8  # one math.erfc call through the NumPy wrapper (numerics._erfc)


def kick_cost(variants: int, units: int, batch: int, eval_samples: int) -> Cost:
    """Model ``kick``: per unit ``batch`` projections and ``eval_samples`` fresh draws,
    shared by the variants; per variant the step over the batch (or, with ``batch`` 0,
    a few erfc calls) and the test of every fresh draw; a closed-form quadrature each."""
    draws = float(units) * (batch + eval_samples + 2)
    per_variant = (units * (2.5 * batch + 0.3 * eval_samples) / ELEMENTS
                   + (units * 8 * ERFC_SECONDS if batch == 0 else 0.0) + 0.01)
    return Cost(draws / NORMAL_DRAWS + variants * per_variant, 64e6, draws, "samples")


def wide_cost(variants: int, width: int, depth: int, batch: int, trials: int,
              in_dim: int) -> Cost:
    """Model ``wide``: per trial and layer a weight matrix drawn, and per variant a
    product, its gradient, value and tallies (the batch's mean cosine a small product);
    then per variant and layer a quadrature of 8,000 points (the closed form)."""
    square = float(width) * width
    first = float(width) * in_dim
    draws = (first + (depth - 1) * square) / NORMAL_DRAWS
    products = variants * (2.0 * batch * (first + (depth - 1) * square) / FLOPS
                           + depth * (12.0 * batch * width / ELEMENTS + 8 * PYTHON_STEP))
    seconds = trials * (draws + products) + variants * depth * 8000 * 3e-7
    memory = 8.0 * (2 * width * max(width, in_dim) + 8 * variants * batch * width
                    + batch * in_dim + 3 * variants * depth * trials)
    return Cost(seconds, memory, float(trials) * variants * batch
                * (first + (depth - 1) * square), "multiply-adds")
