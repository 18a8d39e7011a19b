"""``relu table``: the comparison of the variants, one record per variant straight
from the registry, as JSON, CSV, Markdown, or one table that fits the screen (its
cells wrap; on a screen too narrow for any table, one block of lines per variant).

(Named for what it shows; ``relucli.variants`` is the registry itself.)"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Sequence

from .layout import ascii_text
from .numbers import _fraction_or_decimal

if TYPE_CHECKING:  # pragma: no cover
    from ..variants import Variant


TABLE_FIELDS = (
    ("variant", "Variant"),
    ("family", "Family"),
    ("formula", "Formula"),
    ("gradient", "Gradient"),
    ("range", "Range"),
    ("defaults", "Defaults"),
    ("dying", "Dying neurons?"),
    ("monotone", "Monotone"),
    ("smooth", "Smooth"),
    ("zero_centred", "Zero-centred"),
    ("self_normalising", "Self-normalising"),
    ("learnable", "Learnable"),
    ("stochastic", "Stochastic"),
    ("pytorch", "PyTorch"),
    ("keras", "Keras"),
    ("jax", "JAX"),
    ("when_to_use", "When to use"),
)


def _defaults_text(variant: "Variant") -> str:
    parts = []
    for p in variant.params:
        parts.append(f"{p.name}={_fraction_or_decimal(p.default)}")
    return ", ".join(parts) or "—"


def _table_value(value: Any) -> Any:
    """Defaults for JSON: infinity as the string "inf"."""
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "inf" if value > 0 else "-inf"
    return value


FAMILY_NAMES = {"relu": "ReLU family", "relative": "relative", "classic": "classic reference"}


def variant_record(variant: "Variant") -> dict[str, Any]:
    """One row of the comparison table, straight from the registry."""
    return {
        "variant": variant.display,
        "name": variant.name,
        "family": FAMILY_NAMES[variant.family],
        "aliases": list(variant.aliases),
        "formula": variant.formula,
        "gradient": variant.gradient_formula,
        "range": variant.output_range,
        "dying": variant.dying,
        "can_die": variant.can_die,
        "monotone": variant.monotone,
        "smooth": variant.smooth,
        "zero_centred": variant.zero_centred,
        "self_normalising": variant.self_normalising,
        "learnable": variant.learnable,
        "stochastic": variant.stochastic,
        "defaults": _defaults_text(variant),
        "default_params": {k: _table_value(v) for k, v in variant.defaults().items()},
        "kinks": list(variant.kinks_for()),
        "pytorch": variant.frameworks.get("PyTorch", ""),
        "keras": variant.frameworks.get("Keras", ""),
        "jax": variant.frameworks.get("JAX", ""),
        "when_to_use": variant.when_to_use,
    }


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def variants_json(variants: Iterable["Variant"]) -> str:
    import json

    return json.dumps([variant_record(v) for v in variants], indent=1, ensure_ascii=False) + "\n"


def variants_csv(variants: Iterable["Variant"], keys: Sequence[str] | None = None) -> str:
    """Every field (or the columns ``keys``), one row per variant."""
    import csv
    import io

    keys = keys or [key for key, _ in TABLE_FIELDS]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(keys)
    for v in variants:
        record = variant_record(v)
        writer.writerow([_cell(record[key]) for key in keys])
    return buffer.getvalue()


def variants_markdown(variants: Iterable["Variant"], keys: Sequence[str] | None = None) -> str:
    """Every field (or the columns ``keys``) as a Markdown table."""
    keys = keys or [key for key, _ in TABLE_FIELDS]
    titles = dict(TABLE_FIELDS)
    lines = ["| " + " | ".join(titles[key] for key in keys) + " |", "|" + "---|" * len(keys)]
    for v in variants:
        record = variant_record(v)
        cells = [_cell(record[key]).replace("|", "\\|") for key in keys]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


#: Columns by name, in a documented order. ``reference`` is what ``relu table`` shows by
#: default: the reference text's columns, then what fits (:data:`EXTRAS`).
VIEWS = {
    "reference": ("variant", "formula", "range", "dying", "learnable"),
    "maths": ("variant", "formula", "gradient", "range", "defaults"),
    "properties": ("variant", "dying", "monotone", "smooth", "zero_centred",
                   "self_normalising", "learnable", "stochastic"),
    "frameworks": ("variant", "pytorch", "keras", "jax"),
    "advice": ("variant", "when_to_use"),
    "all": tuple(key for key, _ in TABLE_FIELDS if key != "family"),
}
#: Added to the default columns, in this order, while the table still fits unwrapped.
EXTRAS = ("gradient", "stochastic")
_TITLES = dict(TABLE_FIELDS)


def parse_columns(text: str) -> tuple[str, ...]:
    """``--columns``: view names and column keys, comma separated, into column keys
    (the variant first, each once).

    >>> parse_columns("reference,gradient")
    ('variant', 'formula', 'range', 'dying', 'learnable', 'gradient')
    """
    from ..errors import UsageError

    keys = ["variant"]
    for word in (w.strip().lower().replace("-", "_") for w in text.split(",")):
        if not word:
            raise UsageError(f"--columns has an empty name: {text!r}")
        if word in VIEWS:
            keys += VIEWS[word]
        elif word in _TITLES and word != "family":
            keys.append(word)
        else:
            known = ", ".join(list(VIEWS) + [k for k in _TITLES if k not in ("variant", "family")])
            raise UsageError(f"--columns: unknown column {word!r}; use {known}")
    return tuple(dict.fromkeys(keys))


def _cell_style(key: str, record: dict) -> str | None:
    if key == "variant":
        return "bold cyan"
    if key == "dying":
        return "red" if record["can_die"] else "green"
    return None


def _texts(records, keys, ascii_only: bool) -> list[dict[str, str]]:
    texts = [{key: _cell(record[key]) for key in keys} for record in records]
    if ascii_only:
        texts = [{k: ascii_text(v) for k, v in t.items()} for t in texts]
    return texts


def _widths(keys, texts, titles):
    from .wrapped import longest_word

    natural = [max([len(titles[k])] + [len(t[k]) for t in texts]) for k in keys]
    minimal = [max([longest_word(titles[k], hyphens=True)] + [longest_word(t[k]) for t in texts])
               for k in keys]
    return natural, minimal


def print_comparison(out, variants: Sequence["Variant"], columns: Sequence[str] | None = None,
                     ) -> None:
    """The comparison as one table that fits the console: by default the reference
    columns plus each of :data:`EXTRAS` that still fits on one line per row; cells wrap
    between words (headers also after a hyphen) when the columns asked for are wider
    than the screen; when even their longest words do not fit, the columns are shown
    as several tables, each with the variant column (:func:`column_groups`), and only
    where the variant and one column's longest word cannot share the screen does each
    variant become a block of ``label  value`` lines. Into a pipe or a file the width
    is $COLUMNS, or 80."""
    from .wrapped import (column_groups, fit_widths, stacked_lines, table_width,
                          wrapped_grid_lines)

    from ..variants import VARIANTS

    width = out.width  # a terminal's; piped, $COLUMNS or 80 (terminal.console)
    records = [variant_record(v) for v in variants]
    keys = list(columns or VIEWS["reference"])
    candidates = [] if columns else [k for k in EXTRAS if k not in keys]
    titles = dict(_TITLES)
    if out.options.ascii_only:
        titles = {k: ascii_text(v) for k, v in titles.items()}
    every = keys + candidates
    texts = _texts(records, every, out.options.ascii_only)
    for extra in candidates:
        if table_width(_widths(keys + [extra], texts, titles)[0]) <= width:
            keys.append(extra)
    # the default view always leaves columns out: say how to ask for them
    caption = ("" if columns else "More columns: --columns all, or maths, properties, "
               "frameworks, advice" + (
                   "." if len(records) == len(VARIANTS) else
                   "; more variants: --variant all."))
    natural, minimal = _widths(keys, texts, titles)
    groups = [list(range(len(keys)))] if fit_widths(natural, minimal, width) else (
        column_groups(natural, minimal, width))
    if groups is None:
        lines = stacked_lines(out, [{**t, "family": r["family"], "can_die": r["can_die"]}
                                    for t, r in zip(texts, records)],
                              keys, titles, width, subheading="family", cell_style=_cell_style)
        out.file.write("".join(lines))
        return

    def rule(row: int) -> str:
        return "between" if records[row]["family"] == records[row - 1]["family"] else "family"

    families = {r["family"] for r in records}
    title = "The ReLU family" if families == {"ReLU family"} else (
        "The ReLU family, its relatives and the classics")
    for number, group in enumerate(groups):
        chosen = [keys[c] for c in group]
        widths = fit_widths([natural[c] for c in group], [minimal[c] for c in group], width)
        last = number == len(groups) - 1
        lines = wrapped_grid_lines(
            out, [titles[k] for k in chosen], [[t[k] for t in texts] for k in chosen], widths,
            title="" if number else title, caption=caption if last else "", rules=rule,
            cell_style=lambda row, c, chosen=chosen: _cell_style(chosen[c], records[row]))
        out.file.write(("\n" if number else "") + "".join(lines))
