"""Pin the code that `relu code` writes: run after a deliberate change to a template,
review the diff, and commit it.

    .venv/bin/python tests/golden/make_snippets.py
"""

from __future__ import annotations

import json
from pathlib import Path

from relucli import variants
from relucli.codegen.forms import FRAMEWORKS
from relucli.codegen.snippet import snippets

HERE = Path(__file__).resolve().parent

#: (variant, parameters): the defaults of every variant, and the cases with traps.
CASES = [(v.name, {}) for v in variants.VARIANTS] + [
    ("leaky_relu", {"negative_slope": 0.2}),
    ("prelu", {"alpha": 0.1}),
    ("prelu", {"alpha": "0.25,-0.5,1.5"}),
    ("rrelu", {"lower": 0.1, "upper": 0.3}),
    ("generalized_relu", {"negative_slope": 0.1, "max_value": 6, "threshold": 0.5}),
    ("hardtanh", {"min_val": 0, "max_val": 6}),
    ("elu", {"alpha": 0.5}),
    ("gelu", {"approximate": "tanh"}),
    ("softplus", {"beta": 2, "threshold": 10}),
]


def pinned() -> list[dict]:
    records = []
    for name, params in CASES:
        variant = variants.get(name)
        for snippet in snippets(variant, params, list(FRAMEWORKS)):
            records.append({"variant": name, "params": params, "framework": snippet.framework,
                            "code": snippet.code, "warnings": snippet.warnings})
    return records


if __name__ == "__main__":
    (HERE / "code_snippets.json").write_text(json.dumps(pinned(), indent=1, ensure_ascii=False) + "\n")
    print(f"pinned {len(pinned())} snippets")
