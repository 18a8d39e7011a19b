"""Model ``train`` on the teacher task: a multi-class MLP trained with SGD on a fresh
batch every step, its dead units and test accuracy judged on held-out inputs.

Per trial a teacher (:mod:`.teacher`), initial weights, the batches of every step,
RReLU's training slopes and ``eval_samples`` held-out inputs are drawn once; every
variant and learning rate of the trial trains from them (common random numbers: the
differences between rows are the learning rate's and the variant's, not the draws').
SGD on the mean softmax cross-entropy of each batch x_t ~ N(0, I), y_t = teacher(x_t):

    θ ← θ - lr · ∇θ CE(student(x_t; θ), y_t)

Then on the held-out set: a unit is dead when its gradient is 0 on every input (smooth
variants: |gradient| < near_zero), suppressed when every pre-activation is <= 0, and
the test accuracy is the share of argmax predictions equal to the teacher's label. A
trial whose loss stops being finite has diverged: its units are judged on its last
finite weights, its accuracy counts as chance (1/classes) and its held-out loss is
left out of the median.

>>> import numpy as np
>>> from relucli import variants
>>> [r] = simulate_teacher([variants.get("leaky_relu")], {}, [0.1], np.random.default_rng(0),
...                        steps=20, width=8, trials=2, in_dim=3, classes=3, eval_samples=200)
>>> r.dead.value, r.diverged, 0 <= r.accuracy.value <= 1
(0.0, 0, True)
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from ..variants import Variant
from .stats import Progress, _no_progress, check_positive
from .teacher import make_teacher, softmax_cross_entropy
from .train import (TrainResult, _snapshot, check_learning_rates, initial_network, judge,
                    loss_and_gradients, sgd_step, trial_summary)


def simulate_teacher(
    variants: Sequence[Variant],
    params: dict[str, dict],
    learning_rates: Sequence[float],
    rng: np.random.Generator,
    steps: int = 300,
    width: int = 32,
    depth: int = 2,
    batch: int = 32,
    trials: int = 5,
    progress: Progress = _no_progress,
    near_zero: float = 1e-3,
    in_dim: int = 10,
    classes: int = 10,
    eval_samples: int = 2000,
    init: str = "he",
) -> list[TrainResult]:
    """The train model on the teacher task (module docstring): one result per learning
    rate and variant, fractions and accuracy averaged over ``trials`` (standard error
    from their spread)."""
    check_positive(steps=steps, width=width, depth=depth, batch=batch, trials=trials,
                   in_dim=in_dim, eval_samples=eval_samples)
    check_classes(classes)
    check_learning_rates(learning_rates)
    resolved = {v.name: v.resolve_params(params.get(v.name, {})) for v in variants}
    # per trial: the teacher's, the initial weights', the batches', the slopes' and
    # the held-out inputs' seeds
    streams = [trial.bit_generator.seed_seq.spawn(5) for trial in rng.spawn(trials)]
    tasks = []
    for teacher_seed, _, _, _, eval_seed in streams:
        teacher = make_teacher(np.random.default_rng(teacher_seed), in_dim, classes)
        x_eval = np.random.default_rng(eval_seed).standard_normal((eval_samples, in_dim))
        tasks.append((teacher, x_eval, teacher.labels(x_eval)))
    results = []
    total = len(learning_rates) * len(variants) * trials
    done = 0
    for lr in learning_rates:
        for v in variants:
            outcomes = []
            for (_, init_seed, batch_seed, slope_seed, _), task in zip(streams, tasks):
                outcomes.append(_train_one(
                    v, resolved[v.name], lr, task, init_seed, batch_seed, slope_seed,
                    steps, width, depth, batch, near_zero, init,
                    step_done=lambda step: progress(done + step / steps, total)))
                done += 1
                progress(done, total)
            results.append(trial_summary(v, resolved[v.name], lr, outcomes, width * depth,
                                         eval_samples, 1 / classes, "teacher"))
    return results


def check_classes(classes: int) -> None:
    if classes < 2:
        from ..errors import UsageError

        raise UsageError(f"--classes must be at least 2, got {classes}")


def _train_one(variant, params, lr, task, init_seed, batch_seed, slope_seed, steps, width,
               depth, batch, near_zero, init, step_done=lambda step: None):
    """One trial: (dead, suppressed, held-out loss, accuracy, diverged 0 or 1)."""
    teacher, x_eval, y_eval = task
    in_dim = x_eval.shape[1]
    layers, p = initial_network(np.random.default_rng(init_seed), variant, params, in_dim,
                                width, depth, teacher.classes, init)
    batches = np.random.default_rng(batch_seed)
    slope_rng = np.random.default_rng(slope_seed)
    diverged = 0
    last_good = _snapshot(layers, p)
    with np.errstate(all="ignore"):  # divergence is detected and reported
        for step in range(steps):
            step_done(step)
            x = batches.standard_normal((batch, in_dim))
            loss, grads, alpha_grads = loss_and_gradients(
                variant, p, layers, x, teacher.labels(x), slope_rng,
                loss_fn=softmax_cross_entropy)
            if not math.isfinite(loss):
                diverged = 1
                break
            last_good = _snapshot(layers, p)
            sgd_step(variant, layers, p, lr, grads, alpha_grads)
        if diverged:  # judge the last finite network, not the NaNs
            layers, p = last_good
        dead, suppressed, out = judge(variant, p, layers, x_eval, near_zero, slope_rng)
        loss, _ = softmax_cross_entropy(out, y_eval)
    accuracy = float(np.mean(np.argmax(out, axis=1) == y_eval))
    return dead, suppressed, loss, accuracy, diverged
