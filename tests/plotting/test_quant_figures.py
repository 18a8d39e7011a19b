"""quant-sim's figures: the MSE's clipping part against bits, and the SQNR crossover
over a sweep of the tails, labelled with the values the JSON gives."""

from __future__ import annotations

import json
import re


def _svg_texts(path) -> str:
    return " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", path.read_text()))


def test_sweep_figure_marks_where_the_sqnr_curves_cross(relu, tmp_path):
    path = tmp_path / "df.svg"
    args = ["quant-sim", "--dist", "t", "--std", "1", "--sweep", "df=2,5,300", "--bits", "8",
            "--samples", "30000", "--seed", "2", "-q"]
    run = relu(*args, "--format", "json", "-o", str(path))
    assert run.code == 0, run.stderr
    (crossing,) = json.loads(run.stdout)["sweep"]["crossovers"]
    texts = _svg_texts(path)
    assert f"cross at df ≈ {crossing['at'][0]:.3g} (8 bits)" in texts
    assert "When the bound helps" in texts and "ReLU6, 8 bits (bound)" in texts
    assert "0 + 1·t(df)" in texts and "seed 2" in texts


def test_bits_figure_shows_the_clipping_part_only_where_there_is_one(relu, tmp_path):
    clipped, bounded = tmp_path / "c.svg", tmp_path / "b.svg"
    common = ["--bits", "4,8", "--samples", "20000", "--seed", "1", "-q"]
    assert relu("quant-sim", "relu", "--calibrate", "percentile:99", *common,
                "-o", str(clipped)).code == 0
    assert relu("quant-sim", "relu6", "--grid", "qformat", *common, "-o", str(bounded)).code == 0
    assert "the MSE's clipping part" in _svg_texts(clipped)
    texts = _svg_texts(bounded)
    assert "clipping part," not in texts and "unsigned Qm.n grid" in texts
