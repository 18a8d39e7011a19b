"""The lookup: names, aliases, the clear error for an unknown name, and select."""

from __future__ import annotations

import pytest

from relucli import variants
from relucli.errors import UnknownVariantError


@pytest.mark.parametrize(
    "alias, name",
    [("relu", "relu"), ("ReLU", "relu"), ("leaky", "leaky_relu"), ("LeakyReLU", "leaky_relu"),
     ("leakyrelu", "leaky_relu"), ("leaky-relu", "leaky_relu"), ("PReLU", "prelu"),
     ("RReLU", "rrelu"), ("relu6", "relu6"), ("ReLU6", "relu6")],
)
def test_aliases_resolve_case_insensitively(alias, name):
    assert variants.get(alias).name == name


def test_unknown_name_lists_names_and_suggests_closest():
    with pytest.raises(UnknownVariantError) as info:
        variants.get("reluu")
    message = str(info.value)
    assert "did you mean 'relu'" in message
    for name in variants.names():
        assert name in message


def test_select_all_and_drops_duplicates():
    assert [v.name for v in variants.select(["all"])] == variants.names()
    assert [v.name for v in variants.select(["family"])] == ["relu", "leaky_relu", "prelu", "rrelu", "relu6"]
    assert [v.name for v in variants.select(["classic"])] == ["sigmoid", "tanh"]
    assert "gelu" in [v.name for v in variants.select(["relatives"])]
    assert [v.name for v in variants.select(["leaky", "leaky_relu", "relu"])] == ["leaky_relu", "relu"]
