"""relu plot: the curves, the figure (inspected as a matplotlib object), the files."""

from __future__ import annotations

import numpy as np
import pytest

from relucli import plotting
from relucli.variants import VARIANTS, select


def curves_for(*names, params=None, **kwargs):
    variants = select(list(names))
    x_range = kwargs.pop("x_range", plotting.default_range(variants))
    return plotting.sample_curves(variants, params or {}, x_range, kwargs.pop("points", 401), **kwargs)


def test_default_range_shows_every_kink():
    assert plotting.default_range(select(["relu"])) == (-3, 3)
    assert plotting.default_range(select(["gelu", "relu"])) == (-5, 5)
    lo, hi = plotting.default_range(select(["relu", "relu6"]))
    assert lo < 0 and hi > 6


def test_function_grid_contains_the_kinks_exactly():
    (curve,) = curves_for("relu6", points=100)  # 100 points would miss 0 and 6
    assert 0.0 in curve.x and 6.0 in curve.x
    assert np.all(np.diff(curve.x) > 0)


@pytest.mark.parametrize("name", [v.name for v in VARIANTS if v.piecewise_linear])
def test_gradient_is_split_at_each_kink(name):
    (curve,) = curves_for(name)
    for mark in curve.kinks:
        at = np.flatnonzero(curve.grad_x == mark.x)
        assert len(at) == 3  # (k, left limit), (k, NaN), (k, right limit)
        assert np.isnan(curve.grad[at[1]])
        assert curve.grad[at[0]] == mark.left and curve.grad[at[2]] == mark.right
    # no drawn segment joins two different gradient values: every change is a break
    g = curve.grad
    finite_pairs = ~np.isnan(g[:-1]) & ~np.isnan(g[1:])
    assert np.all(g[:-1][finite_pairs] == g[1:][finite_pairs]) or name == "rrelu"


def test_kink_marks_follow_pytorch():
    (relu,) = curves_for("relu")
    assert (relu.kinks[0].value, relu.kinks[0].left, relu.kinks[0].right) == (0, 0, 1)
    (relu6,) = curves_for("relu6")
    assert [(k.x, k.value, k.left, k.right) for k in relu6.kinks] == [(0, 0, 0, 1), (6, 0, 1, 0)]
    (leaky,) = curves_for("leaky_relu", params={"leaky_relu": {"negative_slope": 0.2}})
    assert leaky.kinks[0].value == pytest.approx(0.2) and leaky.kinks[0].right == 1


def test_dead_regions():
    (relu6,) = curves_for("relu6", x_range=(-2, 8))
    assert relu6.dead_regions == [(-2, 0), (6, 8)]
    (leaky,) = curves_for("leaky_relu")
    assert leaky.dead_regions == []


def test_rrelu_training_band_and_seeded_samples():
    (a,) = curves_for("rrelu", training=True, seed=3, samples=50)
    (b,) = curves_for("rrelu", training=True, seed=3, samples=50)
    assert a.band == (1 / 8, 1 / 3)
    xs, ys, gs = a.samples
    assert np.array_equal(ys, b.samples[1])
    negative = xs <= 0
    assert np.all((gs[negative] >= 1 / 8) & (gs[negative] <= 1 / 3)) and np.all(gs[~negative] == 1)


def test_figure_has_panels_lines_labels():
    curves = curves_for("relu", "leaky_relu", params={"leaky_relu": {"negative_slope": 0.1}})
    fig = plotting.build_figure(curves, layout="side")
    ax_f, ax_g = fig.axes
    assert ax_f.get_title() == "Function" and ax_g.get_title() == "Gradient"
    assert ax_f.get_xlabel() == "x" and ax_g.get_ylabel().startswith("f'(x)")
    assert ax_f.get_legend() is None and ax_g.get_legend() is None  # never over the data
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels == ["ReLU", "LeakyReLU(negative_slope=0.1)",
                      "gradient at the kink (PyTorch)", "one-sided limit"]
    lines = [l for l in ax_g.get_lines() if len(l.get_xdata()) > 10]
    assert len(lines) == 2
    x, y = lines[0].get_xdata(), lines[0].get_ydata()
    at = np.flatnonzero(x == 0)
    assert np.isnan(y[at[1]])  # the jump is a break in the line
    filled = [l for l in ax_g.get_lines() if len(l.get_xdata()) == 1 and l.get_markerfacecolor() != "white"]
    open_ = [l for l in ax_g.get_lines() if len(l.get_xdata()) == 1 and l.get_markerfacecolor() == "white"]
    assert {(l.get_xdata()[0], l.get_ydata()[0]) for l in filled} == {(0, 0), (0, 0.1)}
    assert {(l.get_xdata()[0], l.get_ydata()[0]) for l in open_} == {(0, 1)}
    vertical = [l for l in ax_f.get_lines() if list(l.get_xdata()) == [0, 0]]
    assert vertical  # the kink position is marked


@pytest.mark.parametrize("layout, count", [("side", 2), ("stacked", 2), ("overlay", 1)])
def test_layouts(layout, count):
    fig = plotting.build_figure(curves_for("relu6"), layout=layout)
    assert len(fig.axes) == count
    if layout == "overlay":
        styles = {l.get_linestyle() for l in fig.axes[0].get_lines() if len(l.get_xdata()) > 10}
        assert styles == {"-", "--"}


def test_no_grad_and_shading_and_title():
    fig = plotting.build_figure(curves_for("relu6"), with_grad=False, shade_dead=True, title="T")
    (ax,) = fig.axes
    assert fig._suptitle.get_text() == "T"
    assert len(ax.patches) == 2  # x <= 0 and x >= 6 shaded


# The command ----------------------------------------------------------------------------

MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-", "svg": b"<?xml"}


@pytest.mark.parametrize("kind", ["png", "svg", "pdf"])
def test_files_are_valid_and_byte_identical(relu, tmp_path, kind):
    first, second = tmp_path / f"a.{kind}", tmp_path / f"b.{kind}"
    for path in (first, second):
        run = relu("plot", "relu", "relu6", "--shade-dead", "-o", str(path))
        assert run.code == 0 and run.stdout.strip() == str(path)
    assert first.read_bytes().startswith(MAGIC[kind])
    assert first.read_bytes() == second.read_bytes()


def test_default_name_and_no_silent_overwrite(relu, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = relu("plot", "relu", "leaky")
    assert run.code == 0 and run.stdout.strip() == "relu-leaky_relu.png"
    before = (tmp_path / "relu-leaky_relu.png").read_bytes()
    again = relu("plot", "relu", "leaky", "--dpi", "50")
    assert again.code == 1 and "exists; use --force" in again.stderr
    assert (tmp_path / "relu-leaky_relu.png").read_bytes() == before
    assert relu("plot", "relu", "leaky", "--dpi", "50", "--force").code == 0


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["plot", "relu", "-o", "x.gif"], 2, "use a .png, .svg or .pdf"),
        (["plot", "relu", "--range", "3:1"], 2, "START < STOP"),
        (["plot", "relu", "--range", "a:1"], 2, "START:STOP with numbers"),
        (["plot", "relu", "--points", "1"], 2, "--points must be between 2"),
        (["plot", "relu", "-o", "/no/such/dir/a.png"], 1, "does not exist"),
        (["plot", "relu", "--style", "nope"], 2, "unknown --style 'nope'"),
        (["plot", "relu", "--size", "0,3"], 2, "--size"),
        (["plot", "relu", "--train"], 2, "rrelu only"),
        (["plot", "nope"], 2, "unknown variant"),
    ],
)
def test_bad_plot_input(relu, tmp_path, monkeypatch, args, code, message):
    monkeypatch.chdir(tmp_path)
    run = relu(*args)
    assert run.code == code and message in run.stderr
    assert run.stderr.count("\n") == 1 and not list(tmp_path.iterdir())


def test_show_without_display_fails_clearly(relu, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    run = relu("plot", "relu", "--show")
    assert run.code == 1 and "needs a display" in run.stderr


def test_terminal_plot_plain_when_piped(relu, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = relu("plot", "relu", "relu6", "--terminal")
    assert run.code == 0
    assert "\x1b[" not in run.stdout
    assert "Function f(x)" in run.stdout and "Gradient" in run.stdout
    assert "ReLU" in run.stdout and "ReLU6" in run.stdout
    assert not list(tmp_path.iterdir())  # no file unless -o


def test_plot_does_not_import_pyplot(fresh_process, tmp_path):
    run = fresh_process(["plot", "relu", "-o", str(tmp_path / "p.png")],
                        "assert 'matplotlib.pyplot' not in sys.modules\n")
    assert run.returncode == 0, run.stderr
