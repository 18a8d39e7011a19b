"""bfloat16 through the command line and the Python API: text in and out, .npy files,
and ml_dtypes kept off the start-up path of everything else."""

from __future__ import annotations

import json

import numpy as np
import pytest

from relucli import dtypes, engine
from relucli.render.numbers import format_number

BF16 = dtypes.resolve("bfloat16")


def test_eval_in_bfloat16_prints_the_shortest_text_that_reads_back(relu):
    run = relu("eval", "relu", "gelu", "-x", "0.1,-1,65536,1e-40", "--dtype", "bfloat16",
               "--format", "json")
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["dtype"] == "bfloat16"
    assert data["x"] == [0.1, -1.0, 65500.0, 9e-41]  # each reads back as the bfloat16 input
    gelu = data["results"][1]
    assert gelu["y"][:2] == [0.054, -0.158] and gelu["grad"][:2] == [0.58, -0.0835]
    for text, value in zip(gelu["y"][:2], engine.forward("gelu", np.array([0.1, -1]).astype(BF16))):
        assert BF16.type(text) == value


def test_every_bfloat16_value_prints_and_reads_back():
    x = np.arange(65536, dtype=np.uint16).view(BF16)
    with np.errstate(invalid="ignore"):
        finite = x[np.isfinite(x.astype(np.float32))]
    texts = [format_number(v) for v in finite]
    assert all(BF16.type(float(t)) == v for t, v in zip(texts, finite))
    def significant(text):
        return len(text.lstrip("-").split("e")[0].replace(".", "").strip("0"))
    assert max(significant(t) for t in texts) == 4  # ml_dtypes printed six


def test_bfloat16_npy_keeps_its_dtype_both_ways(relu, tmp_path):
    out = tmp_path / "y.npy"
    run = relu("eval", "leaky_relu", "-x", "-3,0.1,2", "--dtype", "bfloat16", "-o", str(out))
    assert run.code == 0, run.stderr
    assert b"'descr': 'bfloat16'" in out.read_bytes()[:128]
    loaded = np.load(out)  # ml_dtypes is imported here, so NumPy knows the name
    assert loaded.dtype == BF16 and loaded.tolist() == [BF16.type(-0.03), BF16.type(0.1), 2]
    run = relu("eval", "relu", "--file", str(out), "--format", "csv")
    assert run.code == 0 and run.stdout.splitlines()[1:] == ["-0.03,0,0", "0.1,0.1,1", "2,2,1"]
    assert run.stderr == ""


def test_bfloat16_npz_members_keep_their_dtype(relu, tmp_path):
    out = tmp_path / "r.npz"
    assert relu("eval", "prelu", "-x", "-2,1", "--dtype", "bfloat16", "-o", str(out)).code == 0
    with np.load(out) as data:
        assert {k: data[k].dtype for k in data.files} == {
            "x": BF16, "prelu_y": BF16, "prelu_grad": BF16, "prelu_grad_alpha": BF16}
        assert data["prelu_y"].tolist() == [-0.5, 1] and data["prelu_grad_alpha"].tolist() == [-2]


def test_np_save_of_bfloat16_is_read_as_bfloat16_with_a_warning(relu, tmp_path):
    path = tmp_path / "v.npy"
    np.save(path, np.array([1.5, -2], BF16))  # NumPy records it as '<V2'
    assert np.load(path).dtype == np.dtype("V2")
    run = relu("eval", "relu", "--file", str(path), "--format", "csv")
    assert run.code == 0 and run.stdout.splitlines()[1:] == ["1.5,1.5,1", "-2,0,0"]
    assert run.stderr.strip().endswith("read as bfloat16") and len(run.stderr.splitlines()) == 1


def test_ml_dtypes_is_imported_only_for_bfloat16(fresh_process):
    run = fresh_process(["eval", "gelu", "-x", "1", "--dtype", "float16", "--format", "csv"],
                        "assert 'ml_dtypes' not in sys.modules, 'ml_dtypes imported'\n")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[1].startswith("1,0.8413")  # it ran, in float16


def test_an_unknown_dtype_is_refused_in_one_line(relu):
    run = relu("eval", "relu", "-x", "1", "--dtype", "float8")
    assert run.code == 2 and "bfloat16" in run.stderr
    with pytest.raises(Exception, match="choose float16, bfloat16, float32 or float64"):
        engine.forward("relu", [1.0], dtype="int8")


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float32", "float64"])
def test_the_engine_emits_no_warnings_whatever_the_input(dtype):
    """Overflow, inf·0 and NaN are values (IEEE, as PyTorch), never RuntimeWarnings."""
    import warnings

    from relucli.variants import VARIANTS

    kind = dtypes.resolve(dtype)
    big = float(dtypes.finfo(kind).max)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        x = engine.as_input(np.array([np.nan, -np.inf, -big, -1, -0.0, 0, 1, big, np.inf]), kind)
        for variant in VARIANTS:
            result = engine.evaluate(variant, x)
            assert result.y.dtype == kind
        # an alpha gradient whose sum overflows (fsum's partials too): -inf, silently
        wide = np.full(1000, -big / 4).astype(kind)
        alpha_grad = engine.evaluate("prelu", wide).grad_params["alpha"]
        assert np.isneginf(alpha_grad.astype(np.float64)).all()
        # and one that overflows the 16-bit dtype only, not float32
        if kind.itemsize == 2:
            assert np.isneginf(engine.evaluate("prelu", np.full(64, -big).astype(kind))
                               .grad_params["alpha"].astype(np.float64)).all()


@pytest.mark.parametrize("dtype", ["float32", "bfloat16"])
def test_a_0d_input_gives_0d_arrays(dtype):
    x = np.array(-2.0).astype(dtypes.resolve(dtype))
    result = engine.evaluate("prelu", x)
    assert isinstance(result.y, np.ndarray) and result.y.shape == () and result.grad.shape == ()
    assert float(result.y) == -0.5 and result.grad_params["alpha"].tolist() == [-2.0]
    assert engine.forward("relu", 3.0).shape == ()


@pytest.mark.parametrize("array", [np.array(1.5), np.arange(6.0).reshape(2, 3).T],
                         ids=["0-d", "fortran-order"])
def test_write_npy_keeps_shape_and_values(array):
    import io

    from relucli.npyfiles import write_npy

    values = array.astype(BF16)
    buffer = io.BytesIO()
    write_npy(buffer, values)
    buffer.seek(0)
    loaded = np.load(buffer)
    assert loaded.dtype == BF16 and loaded.shape == values.shape
    assert np.array_equal(loaded.astype(np.float32), values.astype(np.float32))
