"""The ReLU family's entries: PyTorch's defaults and RReLU's bounds."""

from __future__ import annotations

import pytest

from relucli import variants
from relucli.errors import ParameterError


def test_defaults_are_pytorchs():
    assert variants.get("leaky_relu").defaults() == {"negative_slope": 0.01}
    assert variants.get("prelu").defaults() == {"alpha": 0.25}
    assert variants.get("rrelu").defaults() == {"lower": 1 / 8, "upper": 1 / 3}
    assert variants.get("relu").defaults() == {}


def test_rrelu_lower_above_upper_is_refused():
    with pytest.raises(ParameterError, match="lower <= upper"):
        variants.get("rrelu").resolve_params({"lower": 0.5, "upper": 0.2})
