"""The exact linear pieces of a network (the interval and the cube's cells) against a
dense grid of inputs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from relucli import variants
from relucli.sim.pieces import network_on_cube, network_on_interval


def at_last_layer(result):
    """(dead per layer, whether the last layer is constant)."""
    dead, constant_per_layer = result
    return dead, constant_per_layer[-1]


def random_net(rng, depth, width, bias_std=0.0):
    weights, biases, fan_in = [], [], 1
    for _ in range(depth):
        weights.append(rng.standard_normal((width, fan_in)) * math.sqrt(2 / fan_in))
        biases.append(rng.standard_normal(width) * bias_std)
        fan_in = width
    return weights, biases


def dense_forward(variant, weights, biases, x):
    from relucli import engine
    h = x[:, None]
    grads = []
    for w, b in zip(weights, biases):
        z = h @ w.T + b
        grads.append(engine.gradient(variant, z))
        h = engine.forward(variant, z)
    return h, grads


@pytest.mark.parametrize("name", ["relu", "relu6"])
def test_exact_interval_decision_agrees_with_a_dense_grid(name):
    variant = variants.get(name)
    rng = np.random.default_rng()
    grid = np.linspace(-1, 1, 20001)
    for _ in range(60):
        weights, biases = random_net(rng, 6, 3, bias_std=0.5 if name == "relu" else 3.0)
        dead, constant = at_last_layer(network_on_interval(variant, {}, weights, biases))
        h, grads = dense_forward(variant, weights, biases, grid)
        if constant:
            assert np.all(h == h[0])  # exact says constant: no grid point disagrees
        for layer_dead, g in zip(dead, grads):
            assert np.all(g[:, layer_dead] == 0)


def random_net_nd(rng, depth, width, bias_std, in_dim=2):
    weights, biases, fan_in = [], [], in_dim
    for _ in range(depth):
        weights.append(rng.standard_normal((width, fan_in)) * math.sqrt(2 / fan_in))
        biases.append(rng.standard_normal(width) * bias_std)
        fan_in = width
    return weights, biases


@pytest.mark.parametrize("in_dim, points", [(2, 201), (3, 41)])
@pytest.mark.parametrize("name", ["relu", "relu6"])
def test_exact_cube_decision_agrees_with_a_dense_grid(name, in_dim, points):
    variant = variants.get(name)
    rng = np.random.default_rng()
    axis = np.linspace(-1, 1, points)
    grid = np.array(np.meshgrid(*[axis] * in_dim)).reshape(in_dim, -1).T
    from relucli import engine
    constants = 0
    for _ in range(25):
        weights, biases = random_net_nd(rng, 6, 3, 0.5 if name == "relu" else 3.0, in_dim)
        dead, constant = at_last_layer(network_on_cube(variant, {}, weights, biases, in_dim))
        h = grid
        for layer_dead, w, b in zip(dead, weights, biases):
            z = h @ w.T + b
            assert np.all(engine.gradient(variant, z)[:, layer_dead] == 0)
            h = engine.forward(variant, z)
        if constant:
            constants += 1
            assert np.all(h == h[0])
        elif np.ptp(h, axis=0).max() > 1e-9:
            pass  # varies on the grid too
    assert constants < 25  # not everything is dead


def test_cells_of_a_square_are_cut_exactly():
    """One ReLU unit z = x + y on the square: the cut along x + y = 0 gives two
    triangles; the unit is alive (z > 0 on one of them)."""
    relu = variants.get("relu")
    dead, constant = at_last_layer(network_on_cube(relu, {}, [np.array([[1.0, 1.0]])], [np.zeros(1)], 2))
    assert not dead[0][0] and not constant
    dead, constant = at_last_layer(network_on_cube(relu, {}, [np.array([[1.0, 1.0]])], [np.array([-2.0])], 2))
    assert dead[0][0] and constant  # x + y - 2 <= 0 on the whole square


@pytest.mark.parametrize("in_dim", [2, 3])
def test_zero_bias_networks_decided_like_a_dense_grid(in_dim):
    """Zero biases put every cut through the origin: a degenerate arrangement that
    the cell cutting must survive. Exactly constant implies constant on a grid, and
    (up to alive regions thinner than the grid) the converse."""
    relu = variants.get("relu")
    rng = np.random.default_rng()
    axis = np.linspace(-1, 1, 201 if in_dim == 2 else 31)
    grid = np.array(np.meshgrid(*[axis] * in_dim)).reshape(in_dim, -1).T
    from relucli import engine
    agree = constants = 0
    for _ in range(60):
        weights, biases = random_net_nd(rng, 10, 3, 0.0, in_dim)
        _, constant = at_last_layer(network_on_cube(relu, {}, weights, biases, in_dim))
        h = grid
        for w, b in zip(weights, biases):
            h = engine.forward(relu, h @ w.T + b)
        on_grid = bool(np.all(h == h[0]))
        assert on_grid or not constant
        agree += on_grid == constant
        constants += constant
    assert agree >= 57 and 5 < constants < 55


def test_zero_bias_born_dead_iff_dead_at_both_ends():
    """With zero biases a 1-input ReLU net is positively homogeneous, so it is constant
    on [-1, 1] exactly when it outputs 0 at x = -1 and x = 1."""
    relu = variants.get("relu")
    rng = np.random.default_rng()
    for _ in range(200):
        weights, biases = random_net(rng, 8, 2)
        _, constant = at_last_layer(network_on_interval(relu, {}, weights, biases))
        h, _ = dense_forward(relu, weights, biases, np.array([-1.0, 1.0]))
        assert constant == bool(np.all(h == 0))


def test_constant_per_layer_once_constant_stays_constant_and_matches_shallower_nets():
    """The per-layer answer for layer d is the answer for the network of its first d
    layers, which the depth sweep reads off one deep run."""
    relu = variants.get("relu")
    rng = np.random.default_rng(5)
    for _ in range(40):
        weights = [rng.standard_normal((2, 1 if i == 0 else 2)) for i in range(6)]
        biases = [rng.standard_normal(2) * 0.5 for _ in range(6)]
        _, per_layer = network_on_interval(relu, {}, weights, biases)
        assert per_layer == sorted(per_layer)  # False ... False True ... True
        for d in (1, 3, 6):
            _, shallow = network_on_interval(relu, {}, weights[:d], biases[:d])
            assert shallow == per_layer[:d]
