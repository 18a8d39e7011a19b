"""The piecewise relatives' entries: kinks that move with the parameters."""

from __future__ import annotations

from relucli import variants


def test_kinks_move_with_parameters():
    assert variants.get("hardtanh").kinks_for({"min_val": 0, "max_val": 6}) == (0, 6)
    assert variants.get("generalized_relu").kinks_for({}) == (0,)
    assert variants.get("generalized_relu").kinks_for({"max_value": 6, "threshold": 1}) == (1, 6)
