"""Dying-neuron simulations: pure NumPy, no printing; progress through a callback.

Definitions (used exactly, and printed by ``relu dying-sim --help``):

* A unit is **dead on a batch** when its gradient with respect to its pre-activation
  is exactly 0 for every sample of the batch. ReLU: every pre-activation <= 0.
  ReLU6: every pre-activation <= 0 or >= 6, split into *dead low* (all <= 0), *dead
  high* (all >= 6) and *dead mixed* (some <= 0, the rest >= 6).
* LeakyReLU, PReLU and RReLU never have a zero gradient (for a non-zero slope), so
  their strict dead fraction is 0; the **suppressed** fraction (every pre-activation
  <= 0, the event that kills a ReLU unit) and the **mean gradient magnitude** make the
  comparison with ReLU honest.
* RReLU follows PyTorch: in training, a slope r ~ U(lower, upper) per element (the
  original paper samples 1/a with a ~ U(3, 8) instead); in evaluation, (lower+upper)/2.

Everything is computed from the registry: the zero-gradient regions of a variant are
the intervals between its kinks where the engine's gradient is 0, so a new
piecewise-linear variant needs no change here.

One module per model (:mod:`.unit`, :mod:`.layer`, :mod:`.depth`, :mod:`.train`, and
:mod:`.quant`, :mod:`.gradflow` for ``relu quant-sim`` and ``relu grad-flow``); what
they share: :mod:`.distributions` (pre-activations), :mod:`.regions` (where a
variant's gradient is zero), :mod:`.stats` (estimates, standard errors, checks);
their parts: :mod:`.tallies` and :mod:`.smooth` (unit model), :mod:`.pieces` (the
exact linear pieces the depth model decides on).
"""
