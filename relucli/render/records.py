"""Machine output shared by the commands: a JSON document with one key per line and
each array on one line, and flat CSV from lists of records."""

from __future__ import annotations

from typing import Any


def _param_json(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value



def _json_lines(value: Any, indent: str) -> str:
    import json

    inner = indent + "  "
    if isinstance(value, dict) and any(isinstance(v, (dict, list)) for v in value.values()):
        items = [f"{inner}{json.dumps(k)}: {_json_lines(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if isinstance(value, list) and any(isinstance(v, dict) for v in value):
        items = [inner + _json_lines(v, inner) for v in value]
        return "[\n" + ",\n".join(items) + f"\n{indent}]"
    return json.dumps(value, ensure_ascii=False)



def records_json(command: str, params: dict, records: list) -> str:
    return _json_lines({"command": command, "params": params, "results": records}, "") + "\n"


def records_csv(records: list[dict], nested: str | None = None) -> str:
    """Flat CSV; with ``nested``, one row per item of that list in each record."""
    import csv
    import io

    rows = []
    for record in records:
        base = {k: v for k, v in record.items() if k != nested}
        if nested:
            rows += [{**base, **item} for item in record[nested]]
        else:
            rows.append(base)
    keys: list[str] = []
    for row in rows:
        keys += [k for k in row if k not in keys]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(keys)
    for row in rows:
        writer.writerow([_csv_cell(row.get(k)) for k in keys])
    return buffer.getvalue()


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dict):
        return ";".join(f"{k}={_param_json(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ";".join(repr(v) for v in value)
    return value

