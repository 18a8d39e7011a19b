"""Model ``train``: an MLP trained with plain minibatch SGD, then its dead units counted.

Two tasks. ``teacher`` (the default): x ~ N(0, I_in_dim), ``classes`` labels from a
random teacher network (:mod:`.teacher`), softmax cross-entropy, a fresh batch every
step; dead units and test accuracy judged on ``eval_samples`` held-out inputs.
``circle`` (the first task, kept as it was): 2 inputs, inside or outside a circle,
binary cross-entropy, minibatches of a fixed training set of 256 points on which the
dead units are judged (test accuracy on held-out points). He initialisation (or
``init``), backpropagation by hand, PReLU's slopes learnt, RReLU in training mode.

A unit is dead when its gradient is 0 on every judged input: for ReLU,
z_j(x) <= 0 for all x. A trial whose loss stops being finite has diverged: its units
are judged on its last finite weights, its accuracy counts as chance (1/classes: the
trained network outputs NaN) and its loss is left out of the median.
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
    accuracy: Estimate | None = None  # on held-out inputs; a diverged trial at chance
    task: str = "circle"


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


def _circle_accuracy(out, y) -> float:
    return float(np.mean((out > 0) == (y > 0.5)))


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
    task: str = "circle",
    in_dim: int = 10,
    classes: int = 10,
    eval_samples: int = 2000,
    init: str = "he",
) -> list[TrainResult]:
    """Model ``train``: an MLP (2 inputs, ``depth`` hidden layers of ``width`` units,
    He init (or ``init``), zero biases, one logistic output) trained with plain minibatch SGD on
    binary cross-entropy, to tell whether x ~ U(-1, 1)² lies inside the circle of
    radius 0.7; then the fraction of hidden units dead on the whole training set.
    PReLU learns one slope per unit; RReLU trains in training mode. Every variant and
    learning rate draws its own initial weights and minibatches (each from a child of
    the trial's seed spawned for it; kept so for reproducibility).

    ``task="teacher"`` trains on the teacher task instead (module docstring), each
    variant and learning rate from the same weights and batches in a trial
    (:func:`relucli.sim.train_teacher.simulate_teacher`)."""
    if task not in ("circle", "teacher"):
        raise UsageError(f"unknown --task '{task}' (choose from teacher, circle)")
    if task == "teacher":
        from .train_teacher import simulate_teacher

        return simulate_teacher(variants, params, learning_rates, rng, steps=steps,
                                width=width, depth=depth, batch=batch, trials=trials,
                                progress=progress, near_zero=near_zero, in_dim=in_dim,
                                classes=classes, eval_samples=eval_samples, init=init)
    check_positive(steps=steps, width=width, depth=depth, samples=samples, batch=batch,
                    trials=trials, eval_samples=eval_samples)
    check_learning_rates(learning_rates)
    resolved = {v.name: v.resolve_params(params.get(v.name, {})) for v in variants}
    in_dim = 2
    seeds = rng.spawn(trials)
    # held-out points per trial, from a stream the children spawned above never meet
    held_out = [_task(_held_out_rng(s), eval_samples, in_dim) for s in seeds]
    results = []
    total = len(learning_rates) * len(variants) * trials
    done = 0
    for lr in learning_rates:
        for v in variants:
            outcomes = []
            for seed, (x_eval, y_eval) in zip(seeds, held_out):
                trial_rng = np.random.default_rng(seed.spawn(1)[0])
                x, y = _task(np.random.default_rng(seed.spawn(1)[0]), samples, in_dim)
                with np.errstate(all="ignore"):  # divergence is detected and reported
                    d, s, loss, bad, acc = _train_one(
                        v, resolved[v.name], lr, trial_rng, x, y, steps, width, depth, batch,
                        in_dim, near_zero,
                        step_done=lambda step: progress(done + step / steps, total),
                        held_out=(x_eval, y_eval), init=init)
                outcomes.append((d, s, loss, acc, bad))
                done += 1
                progress(done, total)
            results.append(trial_summary(v, resolved[v.name], lr, outcomes, width * depth,
                                         eval_samples, 0.5, "circle"))
    return results


#: The spawn-key element of the circle task's held-out stream (children count up from 0).
HELD_OUT_KEY = 2**32 - 1


def _held_out_rng(trial: np.random.Generator) -> np.random.Generator:
    """A stream beside the trial's, not spawned from it (spawning would change the
    children the circle task's runs draw)."""
    seq = trial.bit_generator.seed_seq
    return np.random.default_rng(np.random.SeedSequence(
        seq.entropy, spawn_key=tuple(seq.spawn_key) + (HELD_OUT_KEY,)))


def trial_summary(variant, params, lr, outcomes, units: int, eval_samples: int,
                  chance: float, task: str) -> TrainResult:
    """One variant's result at one learning rate from its trials' outcomes, each
    (dead, suppressed, loss, accuracy, diverged 0 or 1): a diverged trial's accuracy is
    counted at ``chance`` and its loss left out of the median."""
    losses = [loss for _, _, loss, _, bad in outcomes if not bad]
    return TrainResult(
        variant=variant, params=params, learning_rate=lr,
        dead=_trial_estimate([o[0] for o in outcomes], units, None),
        suppressed=_trial_estimate([o[1] for o in outcomes], units, None),
        final_loss=float(np.median(losses)) if losses else math.nan,
        diverged=sum(o[4] for o in outcomes),
        accuracy=accuracy_estimate([chance if bad else acc for _, _, _, acc, bad in outcomes],
                                   eval_samples),
        task=task)


def accuracy_estimate(values: list[float], samples: int) -> Estimate:
    """The mean accuracy of the trials and its standard error (their spread; one
    trial: binomial on ``samples``); trials all equal (every one diverged, at chance)
    have none, not the rounding noise of their mean.

    >>> accuracy_estimate([0.1] * 5, 2000).stderr, accuracy_estimate([0.5, 0.7], 100).value
    (0.0, 0.6)
    """
    if len(values) > 1 and min(values) == max(values):
        return Estimate(values[0], 0.0)
    return _trial_estimate(values, samples, None)


def check_learning_rates(learning_rates) -> None:
    for lr in learning_rates:
        if not (math.isfinite(lr) and lr > 0):
            raise UsageError(f"--lr values must be positive numbers, got {lr}")


def _train_one(variant, params, lr, rng, x, y, steps, width, depth, batch, in_dim,
               near_zero=1e-3, step_done=lambda step: None, held_out=None, init="he"):
    """One trial of the circle task: train, then judge the units on the training set
    and the accuracy on ``held_out`` (``step_done(step)`` after each step, for
    progress within a long trial)."""
    init_rng = np.random.default_rng(rng.integers(2**63))
    order_rng = np.random.default_rng(rng.integers(2**63))
    slope_rng = np.random.default_rng(rng.integers(2**63))
    layers, p = initial_network(init_rng, variant, params, in_dim, width, depth, 1, init)
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
            sgd_step(variant, layers, p, lr, grads, alpha_grads)
    if diverged:  # judge the last finite network, not the NaNs
        layers, p = last_good
    dead, suppressed, out = judge(variant, p, layers, x, near_zero, slope_rng)
    loss, _ = _logistic_loss(out, y)
    accuracy = math.nan
    if held_out is not None:
        with np.errstate(all="ignore"):
            accuracy = _circle_accuracy(_forward(variant, p, layers, held_out[0], False,
                                                 slope_rng)[0], held_out[1])
    return dead, suppressed, loss, diverged, accuracy


def initial_network(init_rng, variant, params, in_dim, width, depth, outputs, init="he"):
    """The layers [W, b] of an MLP in_dim-width-...-outputs: hidden weights normal with
    the std of ``init`` (:mod:`.init`; He: sqrt(2/fan_in)), the linear readout's
    sqrt(1/fan_in), zero biases; and the parameters, PReLU's slope one per unit."""
    from .init import variant_weight_std

    layers = []
    fan_in = in_dim
    for _ in range(depth):
        std = variant_weight_std(init, fan_in, width, variant, params)
        layers.append([init_rng.standard_normal((width, fan_in)) * std, np.zeros(width)])
        fan_in = width
    layers.append([init_rng.standard_normal((outputs, fan_in)) * math.sqrt(1 / fan_in),
                   np.zeros(outputs)])
    p = dict(params)
    if variant.learnable:
        p["alpha"] = [list(np.broadcast_to(np.asarray(params["alpha"], float), width))
                      for _ in range(depth)]
    return layers, p


def sgd_step(variant, layers, p, lr, grads, alpha_grads) -> None:
    """One plain SGD update of the weights, biases and PReLU's slopes, in place."""
    for layer, (gw, gb) in zip(layers, grads):
        layer[0] = layer[0] - lr * gw
        layer[1] = layer[1] - lr * gb
    if variant.learnable:
        p["alpha"] = [list(np.asarray(a) - lr * g) for a, g in zip(p["alpha"], alpha_grads)]


def judge(variant, p, layers, x, near_zero, slope_rng):
    """(dead fraction, suppressed fraction, outputs) of the hidden units on the inputs
    x, in evaluation mode: dead when the gradient is 0 on every row of x (smooth
    variants: |gradient| < near_zero), suppressed when every z <= 0."""
    out, caches = _forward(variant, p, layers, x, False, slope_rng)

    def dead(grad):  # smooth variants: nearly dead, |gradient| < near_zero throughout
        small = (grad == 0) if variant.piecewise_linear else (np.abs(grad) < near_zero)
        return (small | ~np.isfinite(grad)).all(axis=0)

    dead_units = sum(int(dead(r.grad).sum()) for _, _, r in caches)
    suppressed_units = sum(int((z <= 0).all(axis=0).sum()) for _, z, _ in caches)
    units = sum(z.shape[1] for _, z, _ in caches)
    return dead_units / units, suppressed_units / units, out


def loss_and_gradients(variant, params, layers, x, y, slope_rng=None, loss_fn=None):
    """The loss of the MLP (binary cross-entropy, or ``loss_fn(logits, y) -> (loss,
    d loss / d logits)``) and its gradients by backpropagation: per layer (dW, db),
    and per hidden layer d loss / d alpha for PReLU (else None)."""
    out, caches = _forward(variant, params, layers, x, slope_rng is not None, slope_rng)
    loss, upstream = (loss_fn or _logistic_loss)(out, y)
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
