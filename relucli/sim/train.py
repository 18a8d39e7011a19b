"""Model ``train``: an MLP trained with plain minibatch SGD, then its dead units counted.

A toy task (inside or outside a circle), He initialisation, binary cross-entropy and
backpropagation by hand, with PReLU's slopes learnt and RReLU in training mode.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .. import engine
from ..errors import UsageError
from ..variants import Variant
from .stats import Estimate, Progress, check_positive, _no_progress, _trial_estimate


@dataclass
class TrainResult:
    variant: Variant
    params: dict
    learning_rate: float
    dead: Estimate
    suppressed: Estimate
    final_loss: float
    diverged: int  # how many trials diverged (non-finite loss)


def _task(rng, samples: int, in_dim: int):
    """Two classes: inside or outside the circle of radius 0.7 (about half each)."""
    x = rng.uniform(-1, 1, (samples, in_dim))
    y = (np.sum(x ** 2, axis=1, keepdims=True) < 0.49).astype(float)
    return x, y


def _logistic_loss(logits, y):
    """Mean binary cross-entropy with logits, and its gradient."""
    loss = np.mean(np.logaddexp(0, logits) - y * logits)
    grad = (0.5 * (1 + np.tanh(0.5 * logits)) - y) / len(y)  # (sigmoid - y) / n
    return float(loss), grad


def _forward(variant, params, layers, x, training, rng):
    """Hidden activations and per-layer (z, evaluation) for backprop."""
    caches = []
    h = x
    for index, (w, b) in enumerate(layers[:-1]):
        z = h @ w.T + b
        p = dict(params)
        if "alpha" in p and isinstance(p["alpha"], list):
            p["alpha"] = p["alpha"][index]
        r = engine.evaluate(variant, z, training=training and variant.stochastic, rng=rng, **p)
        caches.append((h, z, r))
        h = r.y
    w, b = layers[-1]
    return h @ w.T + b, caches


def simulate_train(
    variants: Sequence[Variant],
    params: dict[str, dict],
    learning_rates: Sequence[float],
    rng: np.random.Generator,
    steps: int = 300,
    width: int = 32,
    depth: int = 2,
    samples: int = 256,
    batch: int = 32,
    trials: int = 5,
    progress: Progress = _no_progress,
    near_zero: float = 1e-3,
) -> list[TrainResult]:
    """Model ``train``: an MLP (2 inputs, ``depth`` hidden layers of ``width`` units,
    He init, zero biases, one logistic output) trained with plain minibatch SGD on
    binary cross-entropy, to tell whether x ~ U(-1, 1)² lies inside the circle of
    radius 0.7; then the fraction of hidden units dead on the whole training set.
    PReLU learns one slope per unit; RReLU trains in training mode. Every variant and
    learning rate starts from the same weights and sees the same minibatches."""
    check_positive(steps=steps, width=width, depth=depth, samples=samples, batch=batch,
                    trials=trials)
    for lr in learning_rates:
        if not (math.isfinite(lr) and lr > 0):
            raise UsageError(f"--lr values must be positive numbers, got {lr}")
    resolved = {v.name: v.resolve_params(params.get(v.name, {})) for v in variants}
    in_dim = 2
    seeds = rng.spawn(trials)
    results = []
    total = len(learning_rates) * len(variants) * trials
    done = 0
    for lr in learning_rates:
        for v in variants:
            dead, suppressed, losses, diverged = [], [], [], 0
            for seed in seeds:
                trial_rng = np.random.default_rng(seed.spawn(1)[0])
                x, y = _task(np.random.default_rng(seed.spawn(1)[0]), samples, in_dim)
                with np.errstate(all="ignore"):  # divergence is detected and reported
                    d, s, loss, bad = _train_one(
                        v, resolved[v.name], lr, trial_rng, x, y, steps, width, depth, batch,
                        in_dim, near_zero,
                        step_done=lambda step: progress(done + step / steps, total))
                dead.append(d)
                suppressed.append(s)
                if not bad:
                    losses.append(loss)
                diverged += bad
                done += 1
                progress(done, total)
            units = width * depth
            results.append(TrainResult(
                variant=v, params=resolved[v.name], learning_rate=lr,
                dead=_trial_estimate(dead, units, None),
                suppressed=_trial_estimate(suppressed, units, None),
                final_loss=float(np.median(losses)) if losses else math.nan,
                diverged=diverged,
            ))
    return results


def _train_one(variant, params, lr, rng, x, y, steps, width, depth, batch, in_dim,
               near_zero=1e-3, step_done=lambda step: None):
    """One trial: train, then judge the units (``step_done(step)`` after each step, for
    progress within a long trial)."""
    init_rng = np.random.default_rng(rng.integers(2**63))  # same init for every variant
    order_rng = np.random.default_rng(rng.integers(2**63))
    slope_rng = np.random.default_rng(rng.integers(2**63))
    layers = []
    fan_in = in_dim
    for _ in range(depth):
        layers.append([init_rng.standard_normal((width, fan_in)) * math.sqrt(2 / fan_in),
                       np.zeros(width)])
        fan_in = width
    layers.append([init_rng.standard_normal((1, fan_in)) * math.sqrt(1 / fan_in), np.zeros(1)])
    p = dict(params)
    if variant.learnable:
        p["alpha"] = [list(np.broadcast_to(np.asarray(params["alpha"], float), width))
                      for _ in range(depth)]
    diverged = 0
    last_good = _snapshot(layers, p)
    with np.errstate(all="ignore"):
        for step in range(steps):
            step_done(step)
            pick = order_rng.choice(len(x), size=min(batch, len(x)), replace=False)
            loss, grads, alpha_grads = loss_and_gradients(variant, p, layers, x[pick],
                                                          y[pick], slope_rng)
            if not math.isfinite(loss):
                diverged = 1
                break
            last_good = _snapshot(layers, p)
            for layer, (gw, gb) in zip(layers, grads):
                layer[0] = layer[0] - lr * gw
                layer[1] = layer[1] - lr * gb
            if variant.learnable:
                p["alpha"] = [list(np.asarray(a) - lr * g) for a, g in zip(p["alpha"], alpha_grads)]
    if diverged:  # judge the last finite network, not the NaNs
        layers, p = last_good
    out, caches = _forward(variant, p, layers, x, False, slope_rng)
    def dead(grad):  # smooth variants: nearly dead, |gradient| < near_zero throughout
        small = (grad == 0) if variant.piecewise_linear else (np.abs(grad) < near_zero)
        return (small | ~np.isfinite(grad)).all(axis=0)

    dead_units = sum(int(dead(r.grad).sum()) for _, _, r in caches)
    suppressed_units = sum(int((z <= 0).all(axis=0).sum()) for _, z, _ in caches)
    loss, _ = _logistic_loss(out, y)
    units = width * depth
    return dead_units / units, suppressed_units / units, loss, diverged


def loss_and_gradients(variant, params, layers, x, y, slope_rng=None):
    """Binary cross-entropy of the MLP and its gradients by backpropagation: per layer
    (dW, db), and per hidden layer d loss / d alpha for PReLU (else None)."""
    out, caches = _forward(variant, params, layers, x, slope_rng is not None, slope_rng)
    loss, upstream = _logistic_loss(out, y)
    depth = len(layers) - 1
    grads: list = [None] * (depth + 1)
    alpha_grads: list = [None] * depth
    grads[depth] = (upstream.T @ caches[-1][2].y, upstream.sum(axis=0))
    dh = upstream @ layers[depth][0]
    for index in reversed(range(depth)):
        h_in, z, r = caches[index]
        dz = dh * r.grad
        grads[index] = (dz.T @ h_in, dz.sum(axis=0))
        if variant.learnable:
            a = engine.evaluate(variant, z, alpha=params["alpha"][index], upstream=dh)
            alpha_grads[index] = a.grad_params["alpha"]
        dh = dz @ layers[index][0]
    return loss, grads, alpha_grads


def _snapshot(layers, params):
    copied = dict(params)
    if "alpha" in copied and isinstance(copied["alpha"], list):
        copied["alpha"] = [list(a) for a in copied["alpha"]]
    return [[w.copy(), b.copy()] for w, b in layers], copied
