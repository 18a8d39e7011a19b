"""The relu command end to end: the examples of the reference text, every input
source and output format, and bad input (one line on stderr, exit 2 or 1)."""

from __future__ import annotations

import csv
import io
import json
import re
import os
import subprocess
import sys

import numpy as np
import pytest


def column(run, variant, what="y"):
    doc = json.loads(run.stdout)
    (entry,) = [r for r in doc["results"] if r["variant"] == variant]
    return entry[what]


# The five examples of the reference text -----------------------------------------------

def test_relu_example(relu):
    run = relu("eval", "relu", "-x", "-2,-1,0,1,2", "--format", "json")
    assert run.code == 0
    assert column(run, "relu") == [0, 0, 0, 1, 2]
    assert column(run, "relu", "grad") == [0, 0, 0, 1, 1]


def test_leaky_relu_example_prints_shortest_float32(relu):
    run = relu("eval", "leaky_relu", "-x", "-2,-1,0,1,2", "--format", "csv")
    rows = list(csv.reader(io.StringIO(run.stdout)))
    assert rows[0] == ["x", "leaky_relu", "leaky_relu_grad"]
    assert [r[1] for r in rows[1:]] == ["-0.02", "-0.01", "0", "1", "2"]
    assert [r[2] for r in rows[1:]] == ["0.01", "0.01", "0.01", "1", "1"]


def test_prelu_example_at_init(relu):
    run = relu("eval", "prelu", "-x", "-2,-1,0,1,2", "--format", "json")
    assert column(run, "prelu") == [-0.5, -0.25, 0, 1, 2]
    assert column(run, "prelu", "grad_params") == {"alpha": [-3.0]}


def test_relu6_example(relu):
    run = relu("eval", "relu6", "-x", "-1,0,3,6,8", "--format", "json")
    assert column(run, "relu6") == [0, 0, 3, 6, 6]
    assert column(run, "relu6", "grad") == [0, 0, 1, 0, 0]


def test_rrelu_eval_is_x_times_11_48_and_train_varies(relu):
    run = relu("eval", "rrelu", "-x", "-48,-96,0,1", "--format", "json")
    assert column(run, "rrelu") == [-11, -22, 0, 1]
    doc = json.loads(run.stdout)
    assert doc["results"][0]["mode"] == "eval"
    first = relu("eval", "rrelu", "--train", "-x", "-1,-1,-1,-1", "--format", "json")
    second = relu("eval", "rrelu", "--train", "-x", "-1,-1,-1,-1", "--format", "json")
    a, b = column(first, "rrelu"), column(second, "rrelu")
    assert a != b and len(set(a)) == 4
    assert all(-1 / 3 - 1e-7 <= v <= -1 / 8 + 1e-7 for v in a)


def test_rrelu_train_seed_is_reproducible_and_reported(relu):
    a = relu("eval", "rrelu", "--train", "--seed", "7", "-x", "-1,-2,3", "--format", "json")
    b = relu("eval", "rrelu", "--train", "--seed", "7", "-x", "-1,-2,3", "--format", "json")
    assert a.stdout == b.stdout
    entry = json.loads(a.stdout)["results"][0]
    assert entry["mode"] == "train" and entry["seed"] == 7
    assert entry["grad"][2] == 1 and entry["y"][0] == -entry["grad"][0]
    unseeded = json.loads(relu("eval", "rrelu", "--train", "-x", "-1", "--format", "json").stdout)
    seed = unseeded["results"][0]["seed"]
    again = relu("eval", "rrelu", "--train", "--seed", str(seed), "-x", "-1", "--format", "json")
    assert json.loads(again.stdout)["results"][0]["y"] == unseeded["results"][0]["y"]


def test_rrelu_train_seed_is_reported_where_the_output_cannot_hold_it(relu, tmp_path):
    """CSV and .npy have no place for the seed: it goes to stderr, and repeats the run;
    .npz carries it as an array; a run without --train has no such note."""
    import re

    import numpy as np

    first = relu("eval", "rrelu", "--train", "-x", "-1,-2,-3", "--format", "csv")
    seed = re.search(r"drawn with seed (\d+); --seed \1 draws them again", first.stderr)[1]
    again = relu("eval", "rrelu", "--train", "--seed", seed, "-x", "-1,-2,-3", "--format", "csv")
    assert again.stdout == first.stdout and f"seed {seed}" in again.stderr
    written = relu("eval", "rrelu", "relu", "--train", "-x", "-1,-2", "-o", str(tmp_path / "r.npz"))
    seed = re.search(r"seed (\d+)", written.stderr)[1]
    with np.load(tmp_path / "r.npz") as data:
        assert int(data["seed"]) == int(seed)
        slopes = data["rrelu_grad"]
    again = relu("eval", "rrelu", "--train", "--seed", seed, "-x", "-1,-2", "--format", "json")
    assert np.array_equal(np.float32(json.loads(again.stdout)["results"][0]["grad"]), slopes)
    assert "note" not in relu("eval", "relu", "-x", "-1", "--format", "csv").stderr
    assert "note" not in relu("eval", "relu", "-x", "-1", "-o", str(tmp_path / "p.npz")).stderr


def test_json_schema_is_pinned(relu):
    run = relu("eval", "leaky_relu", "prelu", "-x", "-1,0.5", "--format", "json")
    doc = json.loads(run.stdout)
    assert list(doc) == ["dtype", "shape", "x", "results"]
    assert doc["dtype"] == "float32" and doc["shape"] == [2] and doc["x"] == [-1, 0.5]
    leaky, prelu = doc["results"]
    assert list(leaky) == ["variant", "params", "y", "grad"]
    assert leaky["params"] == {"negative_slope": 0.01}
    assert list(prelu) == ["variant", "params", "y", "grad", "grad_params"]


def test_non_finite_values_are_strings_in_json(relu):
    run = relu("eval", "relu", "-x", "nan,inf,-inf", "--format", "json")
    doc = json.loads(run.stdout)
    assert doc["x"] == ["nan", "inf", "-inf"]
    assert doc["results"][0]["y"] == ["nan", "inf", 0]
    assert doc["results"][0]["grad"] == ["nan", 1, 0]


def test_all_variants_side_by_side_table(relu):
    run = relu("eval", "all", "-x", "-1,0,7")
    assert run.code == 0
    for label in ["ReLU", "LeakyReLU(negative_slope=0.01)", "PReLU(alpha=0.25)", "RReLU", "ReLU6"]:
        assert label in run.stdout
    import re

    assert "-0.01" in run.stdout
    assert not re.search(r"(?<![\w.])-0(?![.\de])", run.stdout)  # no "-0" cell
    assert "\x1b[" not in run.stdout  # not a terminal: no escape codes


def test_human_output_never_shows_negative_zero(relu):
    import re

    run = relu("eval", "leaky_relu", "-x", "-0.0,0", "-p", "negative_slope=-1")
    assert run.code == 0 and not re.search(r"(?<![\w.])-0(?![.\de])", run.stdout)
    assert re.search(r"│\s+0 │", run.stdout)


# Inputs ---------------------------------------------------------------------------------

def test_negative_numbers_after_options(relu):
    assert relu("eval", "relu", "-x", "-2", "--format", "json").code == 0
    assert relu("eval", "relu", "--x=-2,-1", "--format", "json").code == 0
    assert json.loads(relu("eval", "relu", "-x-2,-1", "--format", "json").stdout)["x"] == [-2, -1]
    run = relu("eval", "relu", "-x", "-3 -2", "-x", "5", "--format", "json")
    assert json.loads(run.stdout)["x"] == [-3, -2, 5]


def test_range_is_inclusive(relu):
    run = relu("eval", "relu", "--range", "-1:1:5", "--format", "json")
    assert json.loads(run.stdout)["x"] == [-1, -0.5, 0, 0.5, 1]


def test_text_file_and_stdin(relu, tmp_path):
    path = tmp_path / "values.csv"
    path.write_text("x\n-1\n2 # a comment\n\n3.5\n")
    run = relu("eval", "relu", "--file", str(path), "--format", "json")
    assert json.loads(run.stdout)["x"] == [-1, 2, 3.5]
    run = relu("eval", "relu", "--file", "-", "--format", "json", stdin="-4, 4\r\n")
    assert json.loads(run.stdout)["x"] == [-4, 4]


def test_npy_file_keeps_shape_and_dtype(relu, tmp_path):
    path = tmp_path / "x.npy"
    np.save(path, np.arange(-6, 6, dtype=np.float64).reshape(2, 3, 2))
    run = relu("eval", "prelu", "--file", str(path), "-p", "alpha=0.1,0.2,0.3", "--format", "json")
    doc = json.loads(run.stdout)
    assert doc["dtype"] == "float64" and doc["shape"] == [2, 3, 2]
    assert doc["results"][0]["y"][:4] == [-6 * 0.1, -5 * 0.1, -4 * 0.2, -3 * 0.2]
    assert doc["results"][0]["grad_params"]["alpha"] == [-6 - 5 + 0 + 0, -4 - 3, -2 - 1]


def test_npy_on_stdin(relu):
    buffer = io.BytesIO()
    np.save(buffer, np.array([-1.0, 1.0], dtype=np.float32))
    run = relu("eval", "relu", "--file", "-", "--format", "json", stdin=buffer.getvalue())
    assert json.loads(run.stdout)["x"] == [-1, 1]


def test_shape_and_dtype_options(relu):
    run = relu("eval", "prelu", "--range", "-3:3:24", "--shape", "2,3,4", "-p",
               "alpha=0.25,-0.5,1.5", "--dtype", "float64", "--format", "json")
    doc = json.loads(run.stdout)
    assert doc["shape"] == [2, 3, 4] and doc["dtype"] == "float64"


def test_variant_qualified_parameter(relu):
    run = relu("eval", "leaky_relu", "rrelu", "-p", "rrelu.lower=0.5", "-p", "rrelu.upper=0.5",
               "-x", "-2", "--format", "json")
    assert column(run, "rrelu") == [-1] and column(run, "leaky_relu") == [-0.02]


# Outputs --------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".json", ".csv", ".npy", ".npz"])
def test_output_files_and_no_overwrite(relu, tmp_path, suffix):
    path = tmp_path / f"out{suffix}"
    run = relu("eval", "relu6", "-x", "-1,3,9", "--output", str(path))
    assert run.code == 0 and path.exists() and str(path) in run.stderr
    before = path.read_bytes()
    again = relu("eval", "relu", "-x", "5", "--output", str(path))
    assert again.code == 1 and "exists; use --force" in again.stderr
    assert path.read_bytes() == before
    forced = relu("eval", "relu", "-x", "5", "--output", str(path), "--force")
    assert forced.code == 0 and path.read_bytes() != before
    if suffix == ".npy":
        assert np.load(path).tolist() == [5]
    if suffix == ".npz":
        assert sorted(np.load(path)) == ["relu_grad", "relu_y", "x"]


# Bad input: one line on stderr, exit 2 (usage) or 1 (files), never a traceback ----------

@pytest.mark.parametrize(
    "args, code, message",
    [
        (["eval", "reluu", "-x", "1"], 2, "unknown variant 'reluu'; did you mean 'relu'?"),
        (["eval", "relu", "-x", "1,two"], 2, "not a number: 'two' (in -x)"),
        (["eval", "relu", "-x", "1", "2"], 2, "'2' is a number, not a variant: -x takes its values as one list, e.g. -x 1,2"),
        (["eval", "relu", "-x", "1,,2"], 2, "an empty value in -x: '1,,2'"),
        (["eval", "leaky", "leaky_relu", "-x", "1"], 2, "leaky_relu is named twice ('leaky' and 'leaky_relu')"),
        (["eval", "relu"], 2, "no input"),
        (["eval", "relu", "-x", ""], 2, "no values in -x"),
        (["eval", "relu", "-x", "1", "--range", "0:1:3"], 2, "give one input source"),
        (["eval", "relu", "--range", "1:0:x"], 2, "--range NUM must be a whole number"),
        (["eval", "relu", "--range", "1"], 2, "--range takes START:STOP"),
        (["eval", "leaky_relu", "-x", "1", "-p", "negative_slope=abc"], 2, "parameter 'negative_slope' must be a number"),
        (["eval", "leaky_relu", "-x", "1", "-p", "negative_slope=nan"], 2, "finite"),
        (["eval", "leaky_relu", "-x", "1", "-p", "alpha=0.1"], 2, "no chosen variant (leaky_relu) takes a parameter 'alpha'"),
        (["eval", "leaky_relu", "-x", "1", "-p", "slope"], 2, "-p takes name=value"),
        (["eval", "rrelu", "-x", "1", "-p", "lower=0.5", "-p", "upper=0.1"], 2, "lower <= upper"),
        (["eval", "prelu", "-x", "1,2,3,4", "--shape", "2,2", "-p", "alpha=1,2,3"], 2, "alpha has 3 values but the input has 2 channels"),
        (["eval", "prelu", "-x", "1,2,3", "-p", "alpha=1,2,3"], 2, "(relu eval: --shape N,3,...)"),
        (["eval", "relu", "-x", "1,2,3", "--shape", "2,2"], 2, "cannot reshape 3 values"),
        (["eval", "relu", "-x", "1", "--train"], 2, "--train applies to rrelu only"),
        (["eval", "relu", "-x", "1", "--dtype", "float128"], 2, "float128"),
        (["eval", "relu", "-x", "1", "--format", "xml"], 2, "xml"),
        (["eval", "relu", "--file", "/no/such/file.txt"], 1, "no such file"),
        (["eval", "relu", "-x", "1", "--output", "/no/such/dir/out.json"], 1, "does not exist"),
        (["eval", "relu", "-x", "1", "--output", "out.xlsx"], 2, "unknown extension"),
        (["eval", "relu", "--bogus"], 2, "No such option: --bogus"),
        (["eval", "relu", "-1"], 2, "-1 is read as an option, not a number: give it as -x -1"),
        (["eval", "relu", "-x", "1", "-2.5e3"], 2, "-2.5e3 is read as an option"),
        (["dying-sim", "relu", "-3"], 2, "a negative value goes right after its option"),
        (["table", "-v", ""], 2, "--variant is empty"),
        (["code", "relu", "-F", "fortran"], 2, "unknown framework 'fortran'; choose from torch"),
        (["frobnicate"], 2, "No such command"),
    ],
)
def test_bad_input_gets_one_line(relu, args, code, message):
    run = relu(*args)
    assert run.code == code
    assert run.stderr.startswith("relu: error: ")
    assert message in run.stderr
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert run.stdout == ""


def test_bad_files(relu, tmp_path):
    (tmp_path / "text.npy").write_text("1 2 3")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02\xff")
    (tmp_path / "empty.txt").write_text("# nothing\n\n")
    np.save(tmp_path / "strings.npy", np.array(["a", "b"]))
    good = io.BytesIO()
    np.save(good, np.arange(100.0))
    (tmp_path / "cut.npy").write_bytes(good.getvalue()[:200])
    for name, message in [("text.npy", "no .npy header"), ("bin.txt", "binary"),
                          ("empty.txt", "no values"), ("strings.npy", "dtype <U1"),
                          ("cut.npy", "not a valid .npy")]:
        run = relu("eval", "relu", "--file", str(tmp_path / name))
        assert run.code in (1, 2) and message in run.stderr, (name, run.stderr)
        assert run.stderr.count("\n") == 1


def test_overflow_to_inf_is_a_warning(relu):
    run = relu("eval", "relu", "-x", "1e39,1", "--format", "json")
    assert run.code == 0
    assert "1 input value beyond the float32 range became ±inf" in run.stderr
    assert json.loads(run.stdout)["x"] == ["inf", 1]


# The table ------------------------------------------------------------------------------

def test_table_lists_every_variant_with_its_facts(relu, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    run = relu("table", "--variant", "all", "--columns", "all")
    assert run.code == 0
    for text in ["ReLU", "LeakyReLU", "PReLU", "RReLU", "ReLU6", "min(max(0, x), 6)",
                 "negative_slope=0.01", "alpha=0.25", "lower=1/8, upper=1/3", "When to use",
                 "GELU", "Self-normalising", "max_value=inf"]:
        assert text in run.stdout


def test_table_by_default_is_the_family_with_the_reference_columns(relu, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    lines = relu("table").stdout.splitlines()
    head = next(line for line in lines if line.startswith("┃"))
    assert [h.strip() for h in head.strip("┃").split("┃")] == [
        "Variant", "Formula", "Range", "Dying neurons?", "Learnable"]
    names = [line.split("│")[1].strip() for line in lines if line.startswith("│")]
    assert [n for n in names if n] == ["ReLU", "LeakyReLU", "PReLU", "RReLU", "ReLU6"]
    assert len(lines) <= 24  # one screen
    monkeypatch.setenv("COLUMNS", "250")
    head = next(line for line in relu("table").stdout.splitlines() if line.startswith("┃"))
    assert "Gradient" in head and "Stochastic" in head  # what fits is added


def test_table_layout_aligns_columns_and_marks_families(relu, monkeypatch):
    from relucli import variants

    monkeypatch.delenv("COLUMNS", raising=False)  # a pipe: 80 columns
    lines = relu("table", "--variant", "all").stdout.splitlines()
    tops = [i for i, line in enumerate(lines) if line.startswith("┏")]
    bottoms = [i for i, line in enumerate(lines) if line.startswith("└")]
    assert len(tops) == len(bottoms) == 1
    families = [v.family for v in variants.VARIANTS]
    changes = sum(a != b for a, b in zip(families, families[1:]))
    block = lines[tops[0]:bottoms[0] + 1]
    assert len({len(line) for line in block}) == 1 and len(block[0]) <= 80  # columns align
    joints = {i for i, c in enumerate(block[0]) if c in "┏┳┓"}
    for line in block[1:-1]:
        assert {i for i, c in enumerate(line) if c in "┃│┡╇┩├┼┤╞╪╡"} == joints
    assert sum(line.startswith("╞") for line in block) == changes
    names = [row.split("│")[1].strip() for row in block if row.startswith("│")]
    assert [n for n in names if n] == [v.display for v in variants.VARIANTS]
    assert lines[tops[0] - 1].strip()  # the title above


def _cells_read_back(out: str) -> list[str]:
    """The texts of a table's cells (each wrapped cell joined again), or of a stacked
    layout's values."""
    cells, block = [], []
    # a row starts with its variant's name (a wrapped row's next lines leave it blank;
    # rows of one line have no rule between them)
    for line in out.splitlines() + ["└"]:
        pieces = [piece.strip() for piece in line.strip("│").split("│")]
        if line.startswith("│") and not (pieces[0] and block):
            block.append(pieces)
            continue
        if block:  # a rule, or the next row's first line, ends a row
            cells += [" ".join(p for p in column if p) for column in zip(*block)]
            block = []
        if line.startswith("│"):
            block.append(pieces)
    if cells:
        return cells
    values: list[str] = []
    for line in out.splitlines():
        if line.startswith("    "):  # a value's next line
            values[-1] += " " + line.strip()
        elif line.startswith("  "):
            values.append(line.strip().split("  ", 1)[-1].strip())
        elif line.strip():  # a variant's heading: "ReLU  (ReLU family)"
            values.append(line.split("  (")[0])
    return values


@pytest.mark.parametrize("width", [60, 80, 100, 120])
@pytest.mark.parametrize("args", [[], ["-v", "all"], ["-c", "all"], ["-v", "all", "-c", "maths,advice"]])
def test_table_fits_the_width_and_cuts_nothing(relu, monkeypatch, width, args):
    """No line wider than the screen, no ellipsis, and every cell's text is all there,
    read back by joining its wrapped pieces."""
    from relucli.render.comparison import parse_columns, variant_record
    from relucli.variants import select

    monkeypatch.setenv("COLUMNS", str(width))
    out = relu("table", *args).stdout
    assert max(len(line) for line in out.splitlines()) <= width and "…" not in out
    chosen = select(args[args.index("-v") + 1].split(",")) if "-v" in args else select(["family"])
    keys = parse_columns(args[args.index("-c") + 1]) if "-c" in args else ("formula", "range")
    cells = set(_cells_read_back(out))
    for v in chosen:
        record = variant_record(v)
        for key in keys:
            if not isinstance(record[key], bool):
                assert " ".join(str(record[key]).split()) in cells, (key, record[key])


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("view", ["properties", "maths", "frameworks", "all"])
def test_a_table_too_wide_for_the_screen_becomes_tables_not_cards(relu, monkeypatch, width,
                                                                  view):
    """Columns that cannot share the screen are split into several tables, each with the
    variant column and every variant, in the order of ``--columns``; never the stacked
    ``label  value`` blocks at 80-120 columns."""
    from relucli.render.comparison import _TITLES, parse_columns
    from relucli.variants import VARIANTS

    monkeypatch.setenv("COLUMNS", str(width))
    out = relu("table", "-v", "all", "-c", view).stdout
    tables = [t for t in re.split(r"\n(?=┏)", out) if "┏" in t]
    assert len(tables) >= 2 or view != "all"
    headers = []
    for table in tables:
        lines = table.splitlines()
        head = [line for line in lines if line.startswith("┃")]
        titles = [" ".join(parts) for parts in zip(*[
            [p.strip() for p in line.strip("┃").split("┃")] for line in head])]
        assert titles[0].strip() == "Variant"
        headers += [" ".join(t.split()).replace("- ", "-") for t in titles[1:]]
        names = [line.split("│")[1].strip() for line in lines if line.startswith("│")]
        assert [n for n in names if n] == [v.display for v in VARIANTS]
    assert headers == [_TITLES[k] for k in parse_columns(view)[1:]]
    if view == "properties":  # eight short columns: two tables of one line per variant
        assert len(out.splitlines()) <= 70


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown"])
def test_table_machine_formats(relu, fmt):
    run = relu("table", "--format", fmt)
    assert run.code == 0
    if fmt == "json":
        records = json.loads(run.stdout)
        from relucli import variants

        assert [r["name"] for r in records] == variants.names()
        by = {r["name"]: r for r in records}
        assert by["relu6"]["can_die"] is True and by["prelu"]["learnable"] is True
        assert by["tanh"]["family"] == "classic reference" and by["relu"]["family"] == "ReLU family"
        assert by["gelu"]["family"] == "relative" and by["gelu"]["monotone"] is False
        assert by["selu"]["self_normalising"] is True and by["silu"]["smooth"] is True
        assert by["generalized_relu"]["default_params"]["max_value"] == "inf"
        assert records[1]["keras"].startswith("s = 0.2")
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(run.stdout)))
        from relucli import variants

        assert len(rows) == len(variants.VARIANTS) + 1 and rows[0][:2] == ["variant", "family"]
    else:
        from relucli import variants

        assert run.stdout.count("\n") == len(variants.VARIANTS) + 2
        assert run.stdout.startswith("| Variant | Family |")


def test_table_one_variant(relu):
    run = relu("table", "--variant", "leaky", "--format", "json")
    assert [r["name"] for r in json.loads(run.stdout)] == ["leaky_relu"]


# The installed entry points -------------------------------------------------------------

def test_help_prose_is_left_to_rich_to_wrap(relu, monkeypatch):
    """typer keeps a docstring's line breaks; on a terminal narrower than the source
    that leaves lines of one or two words. Prose paragraphs reach typer unbroken."""
    from relucli import commands

    for name in commands.COMMANDS:
        _, options = commands.load(name)
        for paragraph in options["help"].split("\n\n"):
            assert paragraph.startswith("  ") or "\n" not in paragraph, (name, paragraph)
    monkeypatch.setenv("COLUMNS", "80")
    text = relu("dying-sim", "--help").stdout
    assert " is exactly 0 for every sample of the batch" in " ".join(text.split())
    lines = [line.strip(" │") for line in text.splitlines()]
    assert not [line for line in lines if line in ("is", "for", "6;", "zero", "Monte")]


@pytest.mark.parametrize("name", ["eval", "plot", "table", "dying-sim", "quant-sim",
                                  "grad-flow", "code"])
def test_help_at_60_columns_breaks_no_choice_list(relu, monkeypatch, name):
    """A long list of choices is a name in the metavar column (--format FORMAT) and
    its choices are in the help text: rich would fold <table|markdown|json|csv> mid-word
    at 60 columns."""
    import re

    monkeypatch.setenv("COLUMNS", "60")
    text = relu(name, "--help").stdout
    assert not re.search(r"<[^>\s]*\s*│", text), name  # a "<" left open at a line's end
    if name in ("table", "dying-sim"):
        assert "FORMAT" in text and "One of" in " ".join(text.split())


def test_python_dash_m_and_help_and_version():
    run = subprocess.run([sys.executable, "-m", "relucli", "eval", "relu", "-x", "-1,2", "--format", "csv"],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0 and run.stdout.splitlines()[1:] == ["-1,0,0", "2,2,1"]
    run = subprocess.run([sys.executable, "-m", "relucli", "--help"], capture_output=True, text=True)
    assert run.returncode == 0 and "eval" in run.stdout and "table" in run.stdout
    run = subprocess.run([sys.executable, "-m", "relucli", "--version"], capture_output=True, text=True)
    assert run.stdout.startswith("relu 0.")


def test_table_and_help_do_not_import_numpy(fresh_process):
    run = fresh_process(["table", "--format", "csv"],
                        "assert 'numpy' not in sys.modules, 'numpy imported'\n"
                        "assert 'matplotlib' not in sys.modules\n")
    assert run.returncode == 0, run.stderr


def test_help_does_not_load_markdown_yet_markdown_still_works(fresh_process):
    run = fresh_process(["dying-sim", "--help"],
                        "assert 'markdown_it' not in sys.modules, 'markdown_it imported'\n"
                        "from rich.markdown import Markdown\n"
                        "assert type(Markdown('# x')).__module__ == 'rich.markdown'\n"
                        "assert 'markdown_it' in sys.modules\n")
    assert run.returncode == 0, run.stderr
    assert "Usage: relu dying-sim" in run.stdout


def _ascii_run(*args):
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    return subprocess.run([sys.executable, "-m", "relucli", *args], capture_output=True,
                          env={**env, "PYTHONIOENCODING": "ascii"})


def test_an_ascii_only_output_gets_the_table_in_ascii():
    run = _ascii_run("table", "--variant", "relu6", "--columns", "formula,dying,range")
    assert run.returncode == 0, run.stderr
    text = run.stdout.decode("ascii")  # nothing else in it
    assert "| ReLU6   | min(max(0, x), 6) |" in text
    assert "yes: grad = 0 for x <= 0 and x >= 6" in text and "[0, 6]" in text
    run = _ascii_run("table", "--variant", "relu", "--format", "json")
    assert run.returncode == 0
    assert json.loads(run.stdout.decode("ascii"))[0]["range"] == "[0, ∞)"  # escaped, not lost
    # juxtaposed products keep their "*": λx was "lambdax", λα(e^x - 1) "lambdaalpha(..."
    text = _ascii_run("table", "-v", "selu,softplus", "-c", "formula").stdout.decode("ascii")
    squeezed = " ".join(text.replace("|", " ").split())
    assert "lambda*x if x > 0 else lambda*alpha*(e^x - 1)" in squeezed
    assert "log(1 + e^(beta*x))/beta" in squeezed and "lambda ~= 1.0507" in squeezed
    # one table per variant (60 columns, float64): labels and notes in ASCII too
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "COLUMNS": "60"}
    run = subprocess.run([sys.executable, "-m", "relucli", "eval", "prelu", "--dtype", "float64",
                          "-x", "-1.2345678901234567,3"], capture_output=True, env=env)
    assert run.returncode == 0 and "d(sum y)/dalpha" in run.stdout.decode("ascii")


@pytest.mark.parametrize("args", [
    ("dying-sim", "--units", "1000", "--quiet"),
    ("quant-sim", "--bits", "4", "--quiet"),
    ("grad-flow", "--depth", "3", "--width", "8"),
])
def test_an_ascii_only_output_gets_escapes_not_an_error(args):
    run = _ascii_run(*args)
    assert run.returncode == 0 and run.stderr == b"", run.stderr
    assert "\\u" in run.stdout.decode("ascii")  # e.g. the "\u00b1" of a standard error


@pytest.mark.parametrize("command, first_line", [
    ("eval relu --range -1:1:200000 --format csv", "x,relu,relu_grad"),  # written directly
    ("table --variant all", "The ReLU family, its relatives and the classics"),
])
def test_closed_pipe_exits_quietly_with_status_0(command, first_line):
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}  # a pipe
    run = subprocess.run(["bash", "-c", f"{sys.executable} -m relucli {command} | head -1; "
                          "echo status=${PIPESTATUS[0]}"], capture_output=True, text=True, env=env)
    assert run.stdout.splitlines()[0].strip() == first_line
    assert run.stdout.splitlines()[-1] == "status=0"
    assert "Traceback" not in run.stderr and "Error" not in run.stderr


def test_output_file_gets_ordinary_permissions(relu, tmp_path):
    import os
    import stat

    path = tmp_path / "out.json"
    assert relu("eval", "relu", "-x", "1", "--output", str(path)).code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary left


def test_no_arguments_prints_help_without_an_error_line(relu):
    for args in ([], ["eval"], ["plot"], ["code"]):
        run = relu(*args)
        assert run.code == 2
        assert "Usage: relu" in run.stdout + run.stderr
        assert "relu: error" not in run.stderr


def test_top_level_help_lists_every_command(relu):
    run = relu("--help")
    assert run.code == 0
    for name in ("eval", "plot", "table", "dying-sim", "quant-sim", "grad-flow", "code"):
        assert name in run.stdout


def test_many_variants_on_a_narrow_screen_use_the_long_layout(relu, monkeypatch):
    monkeypatch.setenv("COLUMNS", "70")
    run = relu("eval", "relu6", "gelu", "selu", "-x", "-1,0,7")
    assert run.code == 0
    header = run.stdout.splitlines()[2]
    assert "variant" in header and " y " in header and "grad" in header
    assert "GELU(approximate='none')" in run.stdout and "1.7580993" in run.stdout
    monkeypatch.setenv("COLUMNS", "300")
    wide = relu("eval", "relu6", "gelu", "selu", "-x", "-1,0,7")
    assert "variant" not in wide.stdout.splitlines()[2]


@pytest.mark.parametrize("args, message", [
    (["plot", "relu", "--seed", "3", "-o", "x.png"], "--seed does nothing here: without --train"),
    (["plot", "relu", "--samples", "9", "-o", "x.png"], "--samples does nothing here"),
    (["plot", "relu", "--terminal", "--style", "ggplot", "--dpi", "300"],
     "--style and --dpi do nothing here: --terminal draws text"),
    (["plot", "relu", "--terminal", "--shade-dead"], "the terminal plot cannot shade"),
    (["plot", "relu", "--no-grad", "--layout", "stacked", "-o", "x.png"],
     "--layout does nothing here: with --no-grad there is one panel"),
    (["plot", "relu", "--terminal", "--force"], "--force does nothing here: no file"),
    (["plot", "rrelu", "--terminal", "--train"], "the terminal plot draws RReLU in evaluation"),
    (["plot", "relu", "-o", "x.svg", "--dpi", "300"], "SVG and PDF are drawn without pixels"),
    (["eval", "relu", "-x", "1", "--seed", "2"], "without --train RReLU's slopes"),
    (["eval", "relu", "-x", "1", "--force"], "--force does nothing here"),
    (["dying-sim", "--df", "4", "-q"], "--df does nothing here: the distribution is not"),
    (["dying-sim", "--near-zero", "0.1", "-q"], "no smooth variant"),
    (["dying-sim", "--force", "-q"], "--force does nothing here"),
    (["quant-sim", "--outlier-scale", "3", "-q"], "not --dist outliers"),
    (["quant-sim", "--df", "3", "-q"], "not --dist t"),
    (["grad-flow", "--every", "2", "--format", "csv", "-q"], "hold every layer"),
])
def test_an_option_that_would_do_nothing_is_refused_with_the_reason(relu, args, message,
                                                                     tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = relu(*args)
    assert run.code == 2 and run.stderr.count("\n") == 1 and message in run.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [
    ["plot", "rrelu", "--train", "--seed", "3", "--samples", "20", "-o", "{tmp}/r.png"],
    ["dying-sim", "gelu", "--near-zero", "0.01", "--units", "100", "-q", "--seed", "1"],
    ["dying-sim", "--dist", "t", "--df", "4", "--units", "100", "-q", "--seed", "1"],
    ["quant-sim", "--dist", "outliers", "--outlier-scale", "3", "--samples", "1000", "-q"],
])
def test_the_same_options_where_they_apply_still_work(relu, args, tmp_path):
    assert relu(*[a.replace("{tmp}", str(tmp_path)) for a in args]).code == 0


def test_the_old_outlier_fraction_spelling_still_works_and_not_twice(relu):
    args = ["quant-sim", "--dist", "outliers", "--samples", "2000", "--seed", "1", "--format",
            "json", "-q"]
    old = relu(*args, "--outlier-fraction", "0.05")
    new = relu(*args, "--outlier-share", "0.05")
    assert old.code == 0 and old.stdout == new.stdout and "5% at 10x" in new.stdout
    both = relu(*args, "--outlier-share", "0.05", "--outlier-fraction", "0.05")
    assert both.code == 2 and "give --outlier-share once" in both.stderr
