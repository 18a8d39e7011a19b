"""The train model: backpropagation against finite differences, dead units after SGD."""

from __future__ import annotations

import numpy as np
import pytest

from relucli import variants
from relucli.errors import UsageError
from relucli.sim.train import loss_and_gradients, simulate_train

ALL = variants.select(["family"])


@pytest.mark.parametrize("name, params", [("relu", {}), ("leaky_relu", {"negative_slope": 0.1}),
                                          ("prelu", {"alpha": 0.25}), ("relu6", {})])
def test_backpropagation_matches_finite_differences(name, params):
    variant = variants.get(name)
    rng = np.random.default_rng(5)
    x = rng.uniform(-1, 1, (20, 2))
    y = (np.sum(x ** 2, axis=1, keepdims=True) < 0.49).astype(float)
    layers = [[rng.standard_normal((5, 2)), rng.standard_normal(5) * 0.1],
              [rng.standard_normal((4, 5)), rng.standard_normal(4) * 0.1],
              [rng.standard_normal((1, 4)), np.zeros(1)]]
    p = variant.resolve_params(params)
    if variant.learnable:
        p["alpha"] = [list(rng.uniform(0.1, 0.4, 5)), list(rng.uniform(0.1, 0.4, 4))]
    loss, grads, alpha_grads = loss_and_gradients(variant, p, layers, x, y)
    h = 1e-6
    for li, (gw, gb) in enumerate(grads):
        for arr, g in ((layers[li][0], gw), (layers[li][1], gb)):
            for idx in list(np.ndindex(arr.shape))[:6]:
                old = arr[idx]
                arr[idx] = old + h
                up = loss_and_gradients(variant, p, layers, x, y)[0]
                arr[idx] = old - h
                down = loss_and_gradients(variant, p, layers, x, y)[0]
                arr[idx] = old
                assert (up - down) / (2 * h) == pytest.approx(g[idx], abs=1e-6)
    if variant.learnable:
        for li in range(2):
            for j in range(2):
                old = p["alpha"][li][j]
                p["alpha"][li][j] = old + h
                up = loss_and_gradients(variant, p, layers, x, y)[0]
                p["alpha"][li][j] = old - h
                down = loss_and_gradients(variant, p, layers, x, y)[0]
                p["alpha"][li][j] = old
                assert (up - down) / (2 * h) == pytest.approx(alpha_grads[li][j], abs=1e-6)


def test_high_learning_rates_kill_relu_units_but_not_leaky_ones():
    chosen = variants.select(["relu", "leaky"])
    results = simulate_train(chosen, {}, [0.01, 5.0], np.random.default_rng(), trials=4)
    by = {(r.variant.name, r.learning_rate): r for r in results}
    low, high = by[("relu", 0.01)].dead, by[("relu", 5.0)].dead
    assert high.value - low.value > 0.3
    assert by[("leaky_relu", 5.0)].dead.value == 0 and by[("leaky_relu", 0.01)].dead.value == 0


def test_bad_learning_rate():
    with pytest.raises(UsageError, match="--lr"):
        simulate_train(ALL, {}, [-1.0], np.random.default_rng())
