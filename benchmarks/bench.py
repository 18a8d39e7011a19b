"""relucli's speed and memory figures, each a ratio against a baseline measured in the
same run (these machines are shared and noisy: absolute times are not stable, ratios
are). Baseline and candidate are measured alternately and the median of the pairwise
ratios is reported.

    .venv/bin/python benchmarks/bench.py            # everything, under 2 minutes
    .venv/bin/python benchmarks/bench.py startup engine   # some sections

Sections: startup, engine, torch (only if PyTorch is installed), large, dying, plot,
costs (the simulations' time estimates against measured runs).
Prints one row per figure: figure, baseline, ratio, target, pass/fail; exits 0 either
way (this is a measurement, not a test).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
# `relu` exactly as the console script runs it, from this checkout's sources
RELU = [PY, "-c", "from relucli.__main__ import main; main()"]  # as the console script
ROWS: list[tuple[str, str, float, float, bool]] = []


def report(figure: str, baseline: str, ratio: float, target: float, lower_is_better=True):
    ok = ratio <= target if lower_is_better else ratio >= target
    ROWS.append((figure, baseline, ratio, target, ok))
    sign = "<=" if lower_is_better else ">="
    print(f"  {figure:<44} {ratio:6.2f}x  (target {sign} {target:g})  {'pass' if ok else 'FAIL'}",
          flush=True)


def context(figure: str, ratio: float, note: str) -> None:
    """A figure that says something about the machine, not about relucli: printed,
    never counted as a pass or a failure."""
    print(f"  {figure:<44} {ratio:6.2f}x  ({note})", flush=True)


def paired(baseline, candidate, runs: int) -> float:
    """Median of candidate/baseline over alternating runs (after one warm-up each)."""
    baseline()
    candidate()
    ratios = []
    for _ in range(runs):
        a = _timed(baseline)
        b = _timed(candidate)
        ratios.append(b / a)
    return statistics.median(ratios)


def _timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def _run(cmd, **kwargs):
    return lambda: subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  cwd=ROOT, check=False, **kwargs)


# --------------------------------------------------------------------------------------


#: The environments users run relu in: piped, NO_COLOR, TERM=dumb, and terminals of
#: 80 and 120 columns. (name, extra environment, pseudo-terminal columns or None)
ENVIRONMENTS = [
    ("piped", {}, None),
    ("NO_COLOR=1", {"NO_COLOR": "1"}, None),
    ("TERM=dumb", {"TERM": "dumb"}, None),
    ("terminal 80 cols", {"TERM": "xterm-256color"}, 80),
    ("terminal 120 cols", {"TERM": "xterm-256color"}, 120),
]


def _run_on_pty(cmd, columns: int, env: dict):
    """A command with stdout and stderr on a pseudo-terminal of ``columns`` x 40, its
    output read and thrown away as a terminal would show it."""
    import fcntl
    import pty
    import struct
    import termios
    import threading

    def run():
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
        environment = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
        process = subprocess.Popen(cmd, stdout=slave, stderr=slave, stdin=subprocess.DEVNULL,
                                   cwd=ROOT, env={**environment, **env})
        os.close(slave)

        def drain():
            try:
                while os.read(master, 65536):
                    pass
            except OSError:  # the other end closed
                pass
        reader = threading.Thread(target=drain)
        reader.start()
        process.wait()
        reader.join()
        os.close(master)
    return run


def _in(env: dict, columns, cmd):
    if columns is not None:
        return _run_on_pty(cmd, columns, env)
    environment = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR")}
    return _run(cmd, env={**environment, **env})


def startup() -> None:
    print("start-up (python -c baselines vs relu, as a console script runs it), per environment")
    # This environment may set PYTHONDONTWRITEBYTECODE, so compile the sources the way
    # an installed package is: otherwise every run would also pay for compiling them.
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "relucli")], check=True)
    typer_rich = [PY, "-c", "import typer, rich.table"]
    numpy_too = [PY, "-c", "import numpy, typer, rich.table"]
    for name, env, columns in ENVIRONMENTS:
        def pair(baseline, args, runs=15):
            return paired(_in(env, columns, baseline), _in(env, columns, RELU + args), runs)
        report(f"relu table [{name}]", "import typer, rich.table",
               pair(typer_rich, ["table"]), 1.3)
        report(f"relu eval relu -x 1 [{name}]", "import numpy, typer, rich.table",
               pair(numpy_too, ["eval", "relu", "-x", "1"]), 1.3)
        report(f"relu --help [{name}]", "import typer, rich.table",
               pair(typer_rich, ["--help"]), 2.0)
        report(f"relu dying-sim --help [{name}]", "import typer, rich.table",
               pair(typer_rich, ["dying-sim", "--help"]), 2.0)
    completion = dict(env={**os.environ, "_RELU_COMPLETE": "complete_bash",
                           "COMP_WORDS": "relu eval le", "COMP_CWORD": "2"})
    report("shell completion (relu eval le<TAB>)", "import typer, rich.table",
           paired(_run(typer_rich), _run(RELU, **completion), 21), 1.3)


def engine() -> None:
    from relucli import engine as eng

    n = 10**7
    print(f"engine throughput, {n:,} float32 values ({eng.thread_count()} threads for large "
          "arrays given out=; RELU_THREADS=1 for one)")
    x = np.random.default_rng(0).standard_normal(n).astype(np.float32)
    y = np.empty_like(x)
    floor = lambda: np.copyto(y, x)  # noqa: E731
    maximum_alloc = lambda: np.maximum(x, 0)  # noqa: E731
    maximum_out = lambda: np.maximum(x, 0, out=y)  # noqa: E731
    context("np.maximum(x, 0, out=y) itself", paired(floor, maximum_out, 15),
            "context: the issue's machine takes 1.1-1.3x")
    names = ("relu", "leaky_relu", "prelu", "rrelu", "relu6")
    for name in names:
        report(f"{name} forward, out=", "np.copyto",
               paired(floor, lambda: eng.forward(name, x, out=y), 41), 1.5)
        report(f"{name} gradient, out=", "np.copyto",
               paired(floor, lambda: eng.gradient(name, x, out=y), 41), 1.5)
    # The slowest kernel against one NumPy ufunc pass, which moves with the machine's
    # ufunc speed as np.copyto does not.
    context("relu6 gradient, out= / np.maximum(x, 0, out=y)",
            paired(maximum_out, lambda: eng.gradient("relu6", x, out=y), 41),
            "context: one NumPy ufunc pass")
    # Allocating last: allocating and freeing 40 MB arrays again and again upsets the
    # figures measured right after it on this machine (outliers of 1.8-2x of
    # np.copyto in the next out= figure, never without it).
    for name in names:
        target = 1.0 if name == "relu" else 2.0
        report(f"{name} forward, allocating", "np.maximum(x, 0)",
               paired(maximum_alloc, lambda: eng.forward(name, x), 15), target)
        report(f"{name} gradient, allocating", "np.maximum(x, 0)",
               paired(maximum_alloc, lambda: eng.gradient(name, x), 15), 2.0)
    where = lambda: np.where(x > 0, x, np.float32(0.01) * x)  # noqa: E731
    context("np.where(x > 0, x, s*x)", paired(floor, where, 5), "context: of np.copyto")


def torch_compare() -> None:
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        print("torch: not installed, comparison skipped")
        return
    from relucli import engine as eng

    torch.set_num_threads(1)
    n = 10**7
    print(f"against torch {torch.__version__} on one thread, {n:,} float32, allocating")
    x = np.random.default_rng(0).standard_normal(n).astype(np.float32)
    t = torch.from_numpy(x)
    weight = torch.tensor([0.25])
    functions = {
        "relu": F.relu,
        "leaky_relu": lambda v: F.leaky_relu(v, 0.01),
        "prelu": lambda v: F.prelu(v, weight),
        "rrelu": lambda v: F.rrelu(v, training=False),
        "relu6": F.relu6,
    }
    for name, function in functions.items():
        report(f"{name} forward vs torch", "torch.nn.functional",
               paired(lambda: function(t), lambda: eng.forward(name, x), 11), 1.0)
    for name, function in functions.items():
        xt = t.clone().requires_grad_(True)

        def backward(function=function, xt=xt):
            xt.grad = None
            out = function(xt)
            out.backward(torch.ones_like(out))

        report(f"{name} forward+gradient vs torch autograd", "torch autograd",
               paired(backward, lambda: eng.evaluate(name, x), 7), 1.0)


def _peak_rss_mb(cmd) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of a command run in a fresh child process."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True); "
             "print(time.perf_counter() - t, "
             "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)")
    out = subprocess.run([PY, "-c", probe, *cmd], capture_output=True, text=True, cwd=ROOT,
                         check=True).stdout.split()
    return float(out[0]), float(out[1])


def large() -> None:
    n = 10**8
    print(f"large inputs: relu eval --file big.npy --output out.npy, {n:,} float32; "
          "a table of 100,000 values")
    with tempfile.TemporaryDirectory(dir=ROOT / "benchmarks") as folder:
        big, out, copy = (Path(folder) / name for name in ("big.npy", "out.npy", "copy.npy"))
        np.save(big, np.random.default_rng(0).standard_normal(n, dtype=np.float32))
        input_mb = big.stat().st_size / 2**20
        # the same file I/O as a careful writer: load, save to a new file, rename over
        io_only = [PY, "-c", "import numpy as np, os, sys; a = np.load(sys.argv[1]); "
                   "f = open(sys.argv[2] + '.tmp', 'wb'); np.save(f, a); f.close(); "
                   "os.replace(sys.argv[2] + '.tmp', sys.argv[2])", str(big), str(copy)]
        command = RELU + ["eval", "relu", "--file", str(big), "--output", str(out), "--force"]
        times, peaks, io_times = [], [], []
        for _ in range(5):
            # each run starts with nothing left to write back: otherwise the kernel
            # flushes the previous run's 400 MB during the next one, whichever it is
            os.sync()
            seconds, peak = _peak_rss_mb(command)
            times.append(seconds)
            peaks.append(peak)
            os.sync()
            io_times.append(_peak_rss_mb(io_only)[0])
        assert np.array_equal(np.load(out, mmap_mode="r")[:1000],
                              np.maximum(np.load(big, mmap_mode="r")[:1000], 0))
        report("peak memory / input size", f"{input_mb:.0f} MB input",
               statistics.median(peaks) / input_mb, 2.0)
        report("time / (np.load, np.save to a new file, rename)", "file I/O alone",
               statistics.median(t / b for t, b in zip(times, io_times)), 1.5)
    # The human table of many values, into a file: laid out as text by relucli itself
    # (rich.table.Table took 75 s for this). Its own target: the layout costs at most
    # as much again as writing the same numbers as CSV.
    many = ["eval", "family", "--range", "-1:1:100000"]
    no_columns = {k: v for k, v in os.environ.items() if k != "COLUMNS"}  # both to stdout
    as_csv = _run(RELU + many + ["--format", "csv"], env=no_columns)
    as_table = _run(RELU + many, env=no_columns)
    report("relu eval family, 100,000 values: table / CSV", "the same as CSV",
           paired(as_csv, as_table, 5), 2.0)


def dying() -> None:
    units, batch = 1_000_000, 1000
    print(f"dying-sim streams {units * batch:,} pre-activations (unit model, samples)")
    command = RELU + ["dying-sim", "relu", "--units", str(units), "--batch", str(batch),
                      "--seed", "1", "--format", "json", "-q"]
    _, peak = _peak_rss_mb(command)
    report("peak RSS in MB (flat, however many samples)", "200 MB", peak / 200, 1.0)
    report("throughput / Generator.standard_normal rate", "float32 normals alone",
           1 / _unit_model_time(["relu"]), 0.8, lower_is_better=False)
    family = RELU + ["dying-sim", "family", "--units", str(units), "--batch", str(batch),
                     "--seed", "1", "--format", "json", "-q"]
    _, family_peak = _peak_rss_mb(family)
    report("the five family variants: throughput / RNG rate", "float32 normals alone",
           1 / _unit_model_time(["family"]), 0.8, lower_is_better=False)
    report("the five family variants: peak RSS in MB", "200 MB", family_peak / 200, 1.0)
    depth = ["dying-sim", "relu", "relu6", "--model", "depth", "--width", "3", "--trials",
             "400", "--seed", "1", "--format", "json", "-q"]
    report("depth sweep 1:30:30 / one run at depth 30", "relu dying-sim --depth 30",
           paired(_run(RELU + depth + ["--depth", "30"]),
                  _run(RELU + depth + ["--sweep", "depth=1:30:30"]), 5), 1.5)
    _cube_cutting()


def _unit_model_time(names: list[str], units: int = 250_000, batch: int = 1000,
                     runs: int = 5) -> float:
    """The unit model (samples) with these variants in this process (no start-up),
    paired with drawing as many float32 normals in chunks of the same size: the median
    of time(model) / time(normals alone)."""
    from relucli.sim.distributions import Distribution
    from relucli.sim.unit import CHUNK_ELEMENTS, simulate_units
    from relucli.variants import select

    variants = select(names)
    dist = Distribution("normal", 0.0, 1.0)
    buffer = np.empty(CHUNK_ELEMENTS, np.float32)

    def normals():
        rng = np.random.default_rng(1)
        for _ in range(units * batch // CHUNK_ELEMENTS):
            rng.standard_normal(out=buffer, dtype=np.float32)

    def model():
        simulate_units(variants, {}, dist, units, batch, np.random.default_rng(1))

    return paired(normals, model, runs)


#: The commit whose pieces.py cut the cells of the 2-D depth model one cell and one unit
#: at a time: the baseline of its speed, loaded from git history.
CUBE_BASELINE = "adda1ab"


def _cube_cutting() -> None:
    """The depth model on [-1, 1]^2 (width 10, depth 10, ReLU and ReLU6), the current
    relucli.sim.pieces against the one of commit CUBE_BASELINE on the same networks;
    both must decide every layer alike."""
    import types

    from relucli.sim import pieces
    from relucli.variants import select

    try:
        source = subprocess.run(["git", "show", f"{CUBE_BASELINE}:relucli/sim/pieces.py"],
                                cwd=ROOT, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        print("  (the 2-D depth model's baseline needs this checkout's git history: skipped)")
        return
    before = types.ModuleType("relucli.sim.pieces_before")
    before.__package__ = "relucli.sim"
    exec(compile(source, f"pieces.py@{CUBE_BASELINE}", "exec"), before.__dict__)
    rng = np.random.default_rng(1)
    networks = []
    for _ in range(12):
        fan_in, weights = 2, []
        for _ in range(10):
            weights.append(rng.standard_normal((10, fan_in)) * np.sqrt(2 / fan_in))
            fan_in = 10
        networks.append((weights, [np.zeros(10)] * 10))
    variants = select(["relu", "relu6"])

    def run(module):
        def decide():
            return [module.network_on_cube(v, {}, w, b, 2) for w, b in networks for v in variants]
        return decide

    old, new = run(before)(), run(pieces)()
    same = all(np.array_equal(a, b) for (da, ca), (db, cb) in zip(old, new)
               for a, b in zip(da + [ca], db + [cb]))
    print(f"  the depth model on [-1, 1]^2: {len(networks)} networks x 2 variants, decisions "
          f"{'identical' if same else 'DIFFERENT'} to {CUBE_BASELINE}'s")
    report(f"2-D depth model, width 10 depth 10 / {CUBE_BASELINE}'s", "cells cut one by one",
           paired(run(before), run(pieces), 3), 0.1)


#: Simulation runs of a second or two each: (the relu arguments, the cost estimate).
COST_CASES = [
    (["dying-sim", "relu", "relu6", "--units", "10000000"],
     lambda c: c.unit_cost(2, 0, 10_000_000, 8)),
    (["dying-sim", "gelu", "--units", "500000"], lambda c: c.unit_cost(1, 1, 500_000, 8)),
    (["dying-sim", "relu", "--method", "counts", "--units", "30000000"],
     lambda c: c.unit_cost(1, 0, 30_000_000, 8, "counts")),
    (["dying-sim", "family", "--model", "layer", "--trials", "300"],
     lambda c: c.layer_cost(5, 100, 1000, 32, 300)),
    (["dying-sim", "relu", "--model", "depth", "--trials", "3000"],
     lambda c: c.depth_cost(1, 10, 3, 3000, 1, 20_000)),
    (["dying-sim", "relu", "--model", "depth", "--trials", "3", "--width", "300", "--depth", "100"],
     lambda c: c.depth_cost(1, 100, 300, 3, 1, 20_000)),
    (["dying-sim", "relu", "--model", "depth", "--trials", "30", "--width", "10", "--in-dim", "2",
      "--depth", "5"], lambda c: c.depth_cost(1, 5, 10, 30, 2, 20_000)),
    (["dying-sim", "relu", "--model", "train", "--task", "circle", "--steps", "500"],
     lambda c: c.train_cost(1, 5, 500, 32, 2, 32, 5)),
    (["dying-sim", "relu", "--model", "train", "--task", "circle", "--width", "1000", "--steps",
      "20", "--trials", "1", "--lr", "1"], lambda c: c.train_cost(1, 1, 20, 1000, 2, 32, 1)),
    (["dying-sim", "relu", "--model", "train", "--steps", "500"],
     lambda c: c.teacher_train_cost(1, 5, 500, 32, 2, 32, 5, 10, 10, 2000)),
    (["dying-sim", "relu", "--model", "train", "--width", "1000", "--steps", "20", "--trials", "1",
      "--lr", "1"], lambda c: c.teacher_train_cost(1, 1, 20, 1000, 2, 32, 1, 10, 10, 2000)),
    (["quant-sim", "--samples", "10000000"],
     lambda c: c.quant_cost(2, 3, 10_000_000, 100_000, 0, 1 << 18, 8)),
    (["grad-flow", "--width", "512"], lambda c: c.gradflow_cost(4, 50, 512, 64)),
]


def costs() -> None:
    """How far each simulation's cost estimate (which decides what is refused before it
    starts) is from the measured run: measured seconds over estimated, less start-up."""
    from relucli.sim import costs as model

    print("cost estimates: measured run time / estimate (within a factor of 3 either way)")
    startup_run = _run(RELU + ["dying-sim", "relu", "--units", "1", "-q", "--seed", "1"])
    startup_seconds = statistics.median(_timed(startup_run) for _ in range(3))
    for args, estimate in COST_CASES:
        run = _run(RELU + args + ["-q", "--seed", "1", "--format", "json"])
        measured = statistics.median(_timed(run) for _ in range(3)) - startup_seconds
        ratio = max(measured, 1e-3) / estimate(model).seconds
        side = "slower" if ratio > 1 else "faster"
        report(f"{' '.join(args)[:37]} {side}", "its estimate", max(ratio, 1 / ratio), 3.0)


BARE_PLOT = """
import sys
import numpy as np
import matplotlib
matplotlib.use("Agg")
from matplotlib.figure import Figure
x = np.linspace(-3, 9, 2000)
fig = Figure(figsize=(13, 4.4), layout="constrained")  # relu plot's size and legend
a, b = fig.subplots(1, 2, sharex=True)
for s in (0.0, 0.01, 0.25, 11 / 48):
    a.plot(x, np.where(x > 0, x, s * x), label=str(s))
    b.plot(x, np.where(x > 0, 1.0, s))
a.plot(x, np.clip(x, 0, 6), label="relu6")
b.plot(x, ((x > 0) & (x < 6)).astype(float))
fig.legend(loc="outside lower center", ncols=4); a.grid(True); b.grid(True)
fig.savefig(sys.argv[1], dpi=150)
"""


def plot() -> None:
    print("relu plot family (5 variants x 2,000 points) vs a bare matplotlib script")
    with tempfile.TemporaryDirectory() as folder:
        bare = _run([PY, "-c", BARE_PLOT, str(Path(folder) / "bare.png")])
        ours = _run(RELU + ["plot", "family", "--points", "2000", "-o",
                            str(Path(folder) / "ours.png"), "--force"])
        report("relu plot family -o ours.png", "bare matplotlib script", paired(bare, ours, 9), 1.2)


SECTIONS = {"startup": startup, "engine": engine, "torch": torch_compare, "large": large,
            "dying": dying, "plot": plot, "costs": costs}


def main(argv: list[str]) -> None:
    chosen = argv or list(SECTIONS)
    unknown = [name for name in chosen if name not in SECTIONS]
    if unknown:
        sys.exit(f"unknown section(s) {unknown}; choose from {', '.join(SECTIONS)}")
    start = time.perf_counter()
    for name in chosen:
        SECTIONS[name]()
    failed = [row for row in ROWS if not row[4]]
    print(f"\n{len(ROWS) - len(failed)} of {len(ROWS)} figures within target "
          f"({time.perf_counter() - start:.0f} s)")
    for figure, baseline, ratio, target, _ in failed:
        print(f"  over target: {figure}: {ratio:.2f}x {baseline} (target {target:g})")


if __name__ == "__main__":
    main(sys.argv[1:])
