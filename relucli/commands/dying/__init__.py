"""The models of ``relu dying-sim``, one module each (its options, sweeps, run, cost,
title and figure; see :class:`.model.DyingModel`), and the sweep machinery they share
(:mod:`.sweep`). ``relucli.commands.dying_sim`` is the command over them."""

from __future__ import annotations

from . import depth, kick, layer, train, unit, wide
from .model import DyingModel

#: model name -> its definition, in the order of ``--model``'s choices
MODELS: dict[str, DyingModel] = {m.name: m for m in (unit.MODEL, layer.MODEL, depth.MODEL,
                                                      train.MODEL, kick.MODEL, wide.MODEL)}
