"""The ``teacher`` task of model ``train``: classes given by a random teacher network.

Inputs x ~ N(0, I_d); the label is the teacher's argmax,

    y(x) = argmax_k (V tanh(W x))_k,    W ~ N(0, 1/d) (H x d),  H = classes,

with the readout V = Q C^(-1/2): C the covariance of the teacher's hidden features
tanh(W x) on a calibration sample of 4096 inputs, Q (classes x H) with orthonormal
rows. The teacher's logits then have (about) the identity covariance, so no class
dominates: at 10 inputs and 10 classes each wins 0.7 to 1.4 times its 1/classes
share (a readout with i.i.d. normal rows gives some classes 3 times their share and
others 1/50 of it; with few inputs and many classes, 2 and 10, the features are
nearly collinear and the shares range 0.2x to 2.3x). Fixed per trial, learnable by a
student MLP (a smooth function of x, thresholded). The student's loss is softmax
cross-entropy, computed with a stable log-sum-exp.

>>> import numpy as np
>>> t = make_teacher(np.random.default_rng(0), in_dim=4, classes=3)
>>> labels = t.labels(np.random.default_rng(1).standard_normal((30000, 4)))
>>> bool(np.all(np.abs(np.bincount(labels, minlength=3) / 30000 - 1 / 3) < 0.1))
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: Inputs on which the teacher's readout is whitened.
CALIBRATION = 4096


@dataclass(frozen=True)
class Teacher:
    """A fixed random network: ``labels(x) = argmax(tanh(x Wᵀ) Vᵀ)`` per row of x."""

    w: np.ndarray  # (hidden, in_dim)
    v: np.ndarray  # (classes, hidden)

    @property
    def classes(self) -> int:
        return self.v.shape[0]

    def logits(self, x: np.ndarray) -> np.ndarray:
        return np.tanh(x @ self.w.T) @ self.v.T

    def labels(self, x: np.ndarray) -> np.ndarray:
        return np.argmax(self.logits(x), axis=1)


def make_teacher(rng: np.random.Generator, in_dim: int, classes: int) -> Teacher:
    """A teacher of ``classes`` roughly balanced classes on N(0, I_in_dim) inputs
    (see the module): tanh features of N(0, 1/in_dim) weights, read out through the
    inverse square root of their covariance and an orthonormal projection."""
    hidden = classes
    w = rng.standard_normal((hidden, in_dim)) / math.sqrt(in_dim)
    features = np.tanh(rng.standard_normal((CALIBRATION, in_dim)) @ w.T)
    cov = features.T @ features / CALIBRATION
    values, vectors = np.linalg.eigh(cov)
    inverse_root = (vectors / np.sqrt(np.maximum(values, 1e-12 * values.max()))) @ vectors.T
    q, _ = np.linalg.qr(rng.standard_normal((hidden, classes)))  # orthonormal columns
    return Teacher(w, q.T @ inverse_root)


def softmax_cross_entropy(logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean softmax cross-entropy, log Σ_k exp(l_k) - l_y (log-sum-exp shifted by the
    row's maximum, so no exp overflows), and its gradient (softmax(l) - onehot(y)) / n.

    >>> loss, grad = softmax_cross_entropy(np.array([[1000.0, 0.0]]), np.array([1]))
    >>> loss, grad.tolist()
    (1000.0, [[1.0, -1.0]])
    """
    n = len(labels)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_norm = np.log(np.exp(shifted).sum(axis=1))
    rows = np.arange(n)
    loss = float(np.mean(log_norm - shifted[rows, labels]))
    grad = np.exp(shifted - log_norm[:, None])
    grad[rows, labels] -= 1
    return loss, grad / n


def class_balance(teacher: Teacher, rng: np.random.Generator, samples: int) -> np.ndarray:
    """The share of each class among ``samples`` fresh inputs."""
    labels = teacher.labels(rng.standard_normal((samples, teacher.w.shape[1])))
    return np.bincount(labels, minlength=teacher.classes) / samples
