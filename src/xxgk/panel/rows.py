"""The panel as tables: one row per agency × year × statutory cell with last year's value and the change
(:data:`PANEL_COLUMNS`), one row per finding (:data:`FINDING_COLUMNS`), written as CSV or Parquet."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from xxgk.errors import XxgkError
from xxgk.panel.grouping import Panel
from xxgk.panel.reports import cells, change, finding_dict, plain
from xxgk.scale.atomic import atomic_output

PANEL_COLUMNS = (
    "agency_key",
    "agency",
    "year",
    "template",
    "source",
    "table",
    "item",
    "row",
    "column",
    "value",
    "line",
    "previous_year",
    "previous_source",
    "previous_value",
    "previous_line",
    "change",
    "findings",
)
"""Columns of the panel: one row per agency × year × statutory cell (docs/panel.md)."""

FINDING_COLUMNS = (
    "agency_key",
    "year",
    "source",
    "scope",
    "rule",
    "severity",
    "cells",
    "expected",
    "actual",
    "message_en",
    "message_zh",
)
"""Columns of the findings file written beside the panel (``panel.findings.csv`` for ``panel.csv``)."""


def rows(panel: Panel, *, exact: bool = False) -> Iterator[dict[str, Any]]:
    """The panel's rows (:data:`PANEL_COLUMNS`).  Numbers are int or float; with ``exact``, amounts stay Decimal.

    ``findings`` lists the rule ids of the findings whose stated cell (``cells[0]``) is this one, e.g.
    ``applications.carry_over`` on the ``carried_over`` cells it concerns.
    """
    number = (lambda n: n) if exact else plain
    marks: dict[tuple[int, str], list[str]] = defaultdict(list)
    for pf in panel.findings:
        if pf.entry is not None and pf.finding.cells:
            marks[pf.entry, pf.finding.cells[0].path].append(pf.finding.rule)
    for i, e in enumerate(panel.entries):
        r, p = e.report, e.previous
        before = cells(p) if p is not None else {}
        for path, c in cells(r).items():
            old = before.get(path)
            yield {
                "agency_key": e.key,
                "agency": r.agency,
                "year": r.year,
                "template": r.template,
                "source": r.source,
                "table": c.table,
                "item": c.item,
                "row": c.row,
                "column": c.column,
                "value": number(c.value.value),
                "line": c.value.line,
                "previous_year": None if p is None else p.year,
                "previous_source": None if p is None else p.source,
                "previous_value": None if old is None else number(old.value.value),
                "previous_line": None if old is None else old.value.line,
                "change": number(change(c.value, None if old is None else old.value)),
                "findings": ";".join(dict.fromkeys(marks.get((i, path), []))) or None,
            }


def finding_rows(panel: Panel) -> Iterator[dict[str, Any]]:
    """The panel's findings (:data:`FINDING_COLUMNS`); ``cells`` is the JSON list of the finding's cells."""
    for pf in panel.findings:
        f = finding_dict(pf.finding)
        yield {
            "agency_key": pf.agency_key,
            "year": pf.year,
            "source": pf.source,
            "scope": pf.scope,
            "rule": f["rule"],
            "severity": f["severity"],
            "cells": json.dumps(f["cells"], ensure_ascii=False),
            "expected": f["expected"],
            "actual": f["actual"],
            "message_en": f["message_en"],
            "message_zh": f["message_zh"],
        }


def findings_path(out: Path) -> Path:
    """Where the findings go beside ``out``: ``panel.parquet`` → ``panel.findings.parquet``."""
    return out.with_name(f"{out.stem}.findings{out.suffix}")


def write(panel: Panel, out: Path) -> Path:
    """Write the rows to ``out`` (``.csv`` or ``.parquet``) and the findings beside it; returns the findings' path.

    CSV keeps amounts exact (``196.70``); Parquet stores numbers as float64 (exact for every count, and for the
    万元 amounts to 15 significant digits).
    """
    extra = findings_path(out)
    if out.suffix == ".csv":
        _write_csv(out, PANEL_COLUMNS, rows(panel, exact=True))
        _write_csv(extra, FINDING_COLUMNS, finding_rows(panel))
    elif out.suffix == ".parquet":
        numbers = ("value", "previous_value", "change", "expected", "actual")
        ints = ("year", "line", "previous_year", "previous_line")
        _write_parquet(out, PANEL_COLUMNS, numbers, ints, rows(panel))
        _write_parquet(extra, FINDING_COLUMNS, numbers, ints, finding_rows(panel))
    else:
        raise XxgkError("the panel is written as .csv or .parquet", source=str(out))
    return extra


def _write_csv(target: Path, columns: Sequence[str], data: Iterator[dict[str, Any]]) -> None:
    with atomic_output(target) as tmp, tmp.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(data)


def _write_parquet(
    target: Path, columns: Sequence[str], floats: Sequence[str], ints: Sequence[str], data: Iterator[dict[str, Any]]
) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise XxgkError("Parquet output needs pyarrow: pip install 'xxgk[parquet]'") from None
    types = {c: pa.float64() for c in floats} | {c: pa.int64() for c in ints}
    table_schema = pa.schema([(c, types.get(c, pa.string())) for c in columns])
    with atomic_output(target) as tmp:
        pq.write_table(pa.Table.from_pylist(list(data), schema=table_schema), tmp)
