"""The data model: parameters are validated, named and shown in labels; kinks follow them."""

from __future__ import annotations

import math

import pytest

from relucli import variants
from relucli.errors import ParameterError


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", math.nan, math.inf])
def test_non_finite_parameters_are_refused(value):
    with pytest.raises(ParameterError, match="negative_slope.*finite"):
        variants.get("leaky_relu").resolve_params({"negative_slope": value})


def test_only_per_channel_parameters_take_several_values():
    assert variants.get("prelu").resolve_params({"alpha": "0.1,0.2"}) == {"alpha": (0.1, 0.2)}
    with pytest.raises(ParameterError, match="takes one value"):
        variants.get("leaky_relu").resolve_params({"negative_slope": "0.1,0.2"})


def test_unknown_parameter_names_the_allowed_ones():
    with pytest.raises(ParameterError, match="no parameter 'slope'.*negative_slope"):
        variants.get("leaky_relu").resolve_params({"slope": 0.1})


def test_label_shows_parameters():
    variant = variants.get("leaky_relu")
    assert variant.label(variant.resolve_params({"negative_slope": 0.1})) == "LeakyReLU(negative_slope=0.1)"
    assert variants.get("relu").label() == "ReLU"
