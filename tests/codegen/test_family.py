"""relu code for the ReLU family: every parameter written, every differing default warned."""

from __future__ import annotations

from relucli import variants
from relucli.codegen.snippet import snippets


def test_parameters_are_always_explicit_and_defaults_warned():
    (tf,) = snippets(variants.get("leaky_relu"), {}, ["tf"])
    assert "alpha=0.01" in tf.code and "negative_slope=0.01" in tf.code
    assert any("defaults to 0.2" in w for w in tf.warnings)
    assert any("defaults to 0.3" in w for w in tf.warnings)
    (jax,) = snippets(variants.get("leaky_relu"), {"negative_slope": 0.01}, ["jax"])
    assert not any("defaults to" in w for w in jax.warnings)  # 0.01 is JAX's default too
    assert any("gradient at 0 is 1" in w for w in jax.warnings)
    (keras,) = snippets(variants.get("prelu"), {"alpha": 0.25}, ["keras"])
    assert "Constant(0.25)" in keras.code and "shared_axes=[1, 2]" in keras.code
    assert any("alpha 0 per element" in w for w in keras.warnings)
    (flax,) = snippets(variants.get("prelu"), {}, ["flax"])
    assert "negative_slope_init=0.25" in flax.code and any("one scalar" in w for w in flax.warnings)
    (relu6,) = snippets(variants.get("relu6"), {}, ["tf"])
    assert "ReLU(max_value=6.0)" in relu6.code
