"""The train model: backpropagation against finite differences, dead units after SGD,
the teacher task's labels and accuracy, the circle task against main's numbers."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from relucli import variants
from relucli.errors import UsageError
from relucli.sim.teacher import class_balance, make_teacher, softmax_cross_entropy
from relucli.sim.train import loss_and_gradients, simulate_train

GOLDEN = Path(__file__).parent.parent / "golden" / "train_circle_main.json"

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
    results = simulate_train(chosen, {}, [0.01, 5.0], np.random.default_rng(), trials=4,
                             task="circle")
    by = {(r.variant.name, r.learning_rate): r for r in results}
    low, high = by[("relu", 0.01)].dead, by[("relu", 5.0)].dead
    assert high.value - low.value > 0.3
    assert by[("leaky_relu", 5.0)].dead.value == 0 and by[("leaky_relu", 0.01)].dead.value == 0


def test_bad_learning_rate():
    with pytest.raises(UsageError, match="--lr"):
        simulate_train(ALL, {}, [-1.0], np.random.default_rng())


@pytest.mark.parametrize("name, params", [("relu", {}), ("leaky_relu", {"negative_slope": 0.1}),
                                          ("prelu", {"alpha": 0.25}), ("gelu", {})])
def test_softmax_cross_entropy_gradients_match_finite_differences(name, params):
    """The teacher task's loss: a 3-input, 4-class MLP, every weight's and bias's
    gradient (and PReLU's slopes') against central differences of the loss."""
    variant = variants.get(name)
    rng = np.random.default_rng(8)
    x = rng.standard_normal((25, 3))
    y = rng.integers(0, 4, 25)
    layers = [[rng.standard_normal((5, 3)), rng.standard_normal(5) * 0.1],
              [rng.standard_normal((4, 5)), rng.standard_normal(4) * 0.1],
              [rng.standard_normal((4, 4)), rng.standard_normal(4) * 0.1]]
    p = variant.resolve_params(params)
    if variant.learnable:
        p["alpha"] = [list(rng.uniform(0.1, 0.4, 5)), list(rng.uniform(0.1, 0.4, 4))]

    def loss():
        return loss_and_gradients(variant, p, layers, x, y, loss_fn=softmax_cross_entropy)[0]

    _, grads, alpha_grads = loss_and_gradients(variant, p, layers, x, y,
                                               loss_fn=softmax_cross_entropy)
    h, checked = 1e-6, 0
    for li, (gw, gb) in enumerate(grads):
        for arr, g in ((layers[li][0], gw), (layers[li][1], gb)):
            for idx in np.ndindex(arr.shape):
                old = arr[idx]
                arr[idx] = old + h
                up = loss()
                arr[idx] = old - h
                down = loss()
                arr[idx] = old
                assert (up - down) / (2 * h) == pytest.approx(g[idx], abs=1e-7)
                checked += 1
    assert checked == 5 * 3 + 5 + 4 * 5 + 4 + 4 * 4 + 4
    if variant.learnable:
        for li, width in enumerate((5, 4)):
            for j in range(width):
                old = p["alpha"][li][j]
                p["alpha"][li][j] = old + h
                up = loss()
                p["alpha"][li][j] = old - h
                down = loss()
                p["alpha"][li][j] = old
                assert (up - down) / (2 * h) == pytest.approx(alpha_grads[li][j], abs=1e-7)


def test_softmax_cross_entropy_is_stable_and_matches_the_naive_formula():
    rng = np.random.default_rng(3)
    logits, labels = rng.standard_normal((50, 6)) * 3, rng.integers(0, 6, 50)
    loss, grad = softmax_cross_entropy(logits, labels)
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    assert loss == pytest.approx(-np.mean(np.log(probs[np.arange(50), labels])), rel=1e-12)
    onehot = np.eye(6)[labels]
    assert np.allclose(grad, (probs - onehot) / 50, atol=1e-15)
    # logits that overflow exp() naively: the loss is the margin, the gradient exact
    loss, grad = softmax_cross_entropy(np.array([[800.0, 0.0, -800.0]]), np.array([2]))
    assert loss == 1600.0 and grad.tolist() == [[1.0, 0.0, -1.0]]


def test_teacher_classes_are_balanced_and_deterministic_per_seed():
    """At the defaults (10 inputs, 10 classes), over 10 teachers: every class takes
    between 0.7 and 1.4 times its 1/10 share of 100,000 inputs (the shares' binomial
    standard error is 0.001, so the spread is the teacher's, not the sample's; i.i.d.
    normal readout rows, without the whitening, give shares from 0.02x to 3.3x).
    The same seed gives the same teacher and labels; another seed other labels."""
    shares = np.array([class_balance(make_teacher(np.random.default_rng(seed), 10, 10),
                                     np.random.default_rng(100 + seed), 100_000)
                       for seed in range(10)])
    assert shares.shape == (10, 10) and np.allclose(shares.sum(axis=1), 1)
    assert shares.min() > 0.07 and shares.max() < 0.14, (shares.min(), shares.max())
    assert abs(shares.mean() - 0.1) < 1e-12
    x = np.random.default_rng(5).standard_normal((1000, 10))
    first = make_teacher(np.random.default_rng(7), 10, 10).labels(x)
    again = make_teacher(np.random.default_rng(7), 10, 10).labels(x)
    other = make_teacher(np.random.default_rng(8), 10, 10).labels(x)
    assert np.array_equal(first, again) and np.mean(first == other) < 0.5


def test_the_teacher_task_kills_relu_units_at_a_high_learning_rate_but_not_leaky_ones():
    """Fixed seeds, the CLI's defaults but 4 trials: at lr 3 ReLU loses tens of percent
    of its units and most of its accuracy; at lr 0.1 none, and the accuracy is far
    above chance (1/10); LeakyReLU has no dead unit at either rate."""
    results = simulate_train(variants.select(["relu", "leaky"]), {}, [0.1, 3.0],
                             np.random.default_rng(11), trials=4, task="teacher")
    by = {(r.variant.name, r.learning_rate): r for r in results}
    low, high = by[("relu", 0.1)], by[("relu", 3.0)]
    assert low.dead.value == 0 and high.dead.value > 0.2
    assert high.dead.value - low.dead.value > 8 * high.dead.stderr
    assert by[("leaky_relu", 0.1)].dead.value == 0 and by[("leaky_relu", 3.0)].dead.value == 0
    for r in results:
        assert r.task == "teacher" and r.diverged == 0
    moderate = low.accuracy
    assert moderate.value > 0.5 and (moderate.value - 0.1) / moderate.stderr > 20
    # the accuracy cost of the dead units: ReLU at lr 3 far below LeakyReLU at lr 3
    leaky = by[("leaky_relu", 3.0)].accuracy
    gap = leaky.value - high.accuracy.value
    assert gap > 4 * math.hypot(leaky.stderr, high.accuracy.stderr)


def test_teacher_rows_share_their_draws_and_a_diverged_trial_scores_chance():
    """Every variant and learning rate of a trial trains from the same teacher, weights
    and batches: a learning rate's row is the same whatever else runs beside it. PReLU
    at lr 20 diverges in every trial: its accuracy is exactly chance, its loss NaN."""
    kw = dict(steps=30, width=8, trials=3, in_dim=4, classes=5, eval_samples=300,
              task="teacher")
    alone = simulate_train(variants.select(["relu"]), {}, [0.5], np.random.default_rng(4), **kw)
    beside = simulate_train(variants.select(["leaky", "relu", "prelu"]), {}, [0.05, 0.5, 20.0],
                            np.random.default_rng(4), **kw)
    twin = next(r for r in beside if r.variant.name == "relu" and r.learning_rate == 0.5)
    assert (twin.dead, twin.accuracy, twin.final_loss) == (alone[0].dead, alone[0].accuracy,
                                                           alone[0].final_loss)
    wild = next(r for r in beside if r.variant.name == "prelu" and r.learning_rate == 20.0)
    assert wild.diverged == 3 and wild.accuracy.value == 0.2
    assert wild.accuracy.stderr == 0
    assert math.isnan(wild.final_loss)


def test_circle_task_reproduces_main():
    """``--task circle`` gives main's numbers bit for bit. The golden file is the output
    of main at commit c769bb1 (before the teacher task), written by::

        relu dying-sim relu leaky prelu rrelu relu6 gelu --model train --lr 0.1,1,5 \\
            --steps 60 --width 8 --trials 3 --seed 3 --format json -q \\
            > tests/golden/train_circle_main.json

    (it covers diverged trials, learnt PReLU slopes, RReLU in training mode and a smooth
    variant's nearly-dead units). Every field of it must be equal, floats to 1e-9: the
    training loop's matrix products go through OpenBLAS, whose kernel (and so the last
    bits of a sum) depends on the CPU it runs on; a changed computation shows up far
    above that. Fields added since (accuracy, standard errors) are not in it."""
    golden = json.loads(GOLDEN.read_text())
    names = list(dict.fromkeys(r["variant"] for r in golden["results"]))
    results = simulate_train(variants.select(names), {}, [0.1, 1, 5],
                             np.random.default_rng(3), steps=60, width=8, trials=3,
                             task="circle")
    from relucli.render.dying import dying_records

    records = dying_records("train", [(None, results)])
    assert len(records) == len(golden["results"]) == 18
    for new, old in zip(records, golden["results"]):
        for key, value in old.items():
            got = json.loads(json.dumps(new[key], default=str))
            if isinstance(value, float):
                assert got == pytest.approx(value, rel=1e-9, abs=1e-12), (old["variant"], key)
            else:
                assert got == value or (value == "nan" and math.isnan(new[key])), (
                    old["variant"], key)


@pytest.mark.parametrize("args, message", [
    (["--classes", "1"], "--classes must be at least 2, got 1"),
    (["--eval-samples", "0"], "--eval-samples must be at least 1, got 0"),
    (["--in-dim", "0"], "--in-dim must be at least 1, got 0"),
    (["--task", "circle", "--in-dim", "3"], "--in-dim does nothing here: the circle task"),
    (["--task", "circle", "--classes", "3"], "--classes does nothing here: the circle task"),
    (["--task", "nope"], "nope"),
    (["--model", "layer", "--classes", "3"], "--classes applies to --model train, not layer"),
    (["--sweep", "classes=2,3"], "the train model can sweep"),
])
def test_cli_errors_of_the_teacher_options(relu, args, message):
    model = [] if "--model" in args else ["--model", "train"]
    run = relu("dying-sim", "relu", *model, *args)
    assert run.code == 2, run.stderr
    assert message in run.stderr and run.stderr.count("\n") == 1


def test_cli_teacher_json_fields(relu):
    run = relu("dying-sim", "relu", "leaky", "--model", "train", "--lr", "0.1,2", "--steps",
               "40", "--width", "8", "--trials", "2", "--eval-samples", "500", "--seed", "2",
               "--format", "json")
    assert run.code == 0, run.stderr
    doc = json.loads(run.stdout)
    assert doc["params"]["task"] == "teacher" and doc["params"]["classes"] == 10
    for r in doc["results"]:
        assert {"dead_fraction", "stderr", "suppressed_fraction", "suppressed_stderr",
                "test_accuracy", "test_accuracy_stderr", "final_loss", "diverged_trials",
                "learning_rate"} <= set(r)
        assert 0 <= r["test_accuracy"] <= 1 and r["test_accuracy_stderr"] > 0
    circle = json.loads(relu("dying-sim", "relu", "--model", "train", "--task", "circle",
                             "--lr", "1", "--steps", "20", "--trials", "2", "--seed", "2",
                             "--format", "json").stdout)
    assert circle["params"]["in_dim"] == 2 and circle["params"]["classes"] == 2
