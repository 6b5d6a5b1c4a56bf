"""Stage 5 — the JSON contract of docs/spec.md for a finished Report (:func:`to_dict`, :func:`to_json`), and its cells
as long-format rows (:func:`iter_cells`).  The readable summary is :mod:`xxgk.export.summary`; the long tables of
the CSV and Parquet export are :mod:`xxgk.export.longform`."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from xxgk.export.jsontext import dumps
from xxgk.records import CellRef, Diagnostic, Finding, Number, Report, Section, Value

__all__ = ["LONG_COLUMNS", "iter_cells", "to_dict", "to_json"]

LONG_COLUMNS = ("table", "item", "row", "column", "value", "line", "origin")
"""Columns of a long-format cell; ``origin`` (where the value is in a web page, Word or PDF file, e.g. ``page 3 table 2
row 7 cell 4 at (312.4, 140.2)``) is there only for a report read from such a file."""


def _number(value: Number | None) -> int | float | None:
    # JSON has one number type; amounts keep their decimal digits up to float precision, which the 万元 figures of
    # these reports never exceed.
    return float(value) if isinstance(value, Decimal) else value


def iter_cells(report: Report) -> Iterator[dict[str, Any]]:
    """Every statutory value as a long-format row: table, item (or None), row, column, value, line, and for a report
    read from a web page, Word or PDF file its origin there (:data:`LONG_COLUMNS`)."""
    t = report.tables
    tables: list[tuple[str, str | None, dict[str, dict[str, Value]]]]
    tables = [("active_disclosure", item, rows) for item, rows in t.active_disclosure.items()]
    tables += [("applications", None, t.applications), ("reviews", None, t.reviews)]
    extracted = report.extracted
    # One loop for all ~200 cells of a report, the number made as _number makes it: two calls less per cell made
    # to_dict a sixth faster.
    for table, item, rows in tables:
        for row, cols in rows.items():
            for col, v in cols.items():
                value = v.value
                cell = {
                    "table": table,
                    "item": item,
                    "row": row,
                    "column": col,
                    "value": float(value) if isinstance(value, Decimal) else value,
                    "line": v.line,
                }
                yield cell if extracted is None else _with_origin(report, cell, v.line, v.column)


def _with_origin(report: Report, out: dict[str, Any], line: int | None, column: int | None) -> dict[str, Any]:
    """``out`` with the ``origin`` of line:column added, for a report read from a web page, Word or PDF file."""
    if report.extracted is not None:
        origin = report.extracted.origin(line, column)
        out["origin"] = None if origin is None else str(origin)
    return out


def _section(s: Section) -> dict[str, Any]:
    return {
        "key": s.key,
        "number": s.number,
        "kind": s.kind,
        "title": s.title,
        "line": s.line,
        "text": s.text,
        "children": [_section(c) for c in s.children],
    }


def _cellref(c: CellRef) -> dict[str, Any]:
    return {"path": c.path, "value": _number(c.value), "line": c.line}


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "severity": f.severity,
        "cells": [_cellref(c) for c in f.cells],
        "expected": _number(f.expected),
        "actual": _number(f.actual),
        "message_zh": f.message_zh,
        "message_en": f.message_en,
    }


def _diagnostic(d: Diagnostic) -> dict[str, Any]:
    return {"kind": d.kind, "message": d.message, "line": d.line, "column": d.column, "excerpt": d.excerpt}


def _plain(table: dict[str, dict[str, Value]]) -> dict[str, dict[str, int | float | None]]:
    # _number written out, as in iter_cells: a call less per value.
    return {
        row: {col: float(v.value) if isinstance(v.value, Decimal) else v.value for col, v in cols.items()}
        for row, cols in table.items()
    }


def to_dict(report: Report) -> dict[str, Any]:
    """The JSON contract of docs/spec.md as plain Python data, keys in a stable order."""
    t = report.tables
    return {
        "source": report.source,
        "template": report.template,
        "year": report.year,
        "agency": report.agency,
        "title": report.title,
        "sections": [_section(s) for s in report.sections],
        "tables": {
            "active_disclosure": {item: _plain(rows) for item, rows in t.active_disclosure.items()},
            "applications": _plain(t.applications),
            "reviews": _plain(t.reviews),
        },
        "cells": list(iter_cells(report)),
        "findings": [_finding(f) for f in report.findings],
        "diagnostics": [_with_origin(report, _diagnostic(d), d.line, d.column) for d in report.diagnostics],
        "unparsed": [
            _with_origin(report, {"text": s.text, "line": s.line, "column": s.column}, s.line, s.column)
            for s in report.unparsed
        ],
    } | _input(report)


def _input(report: Report) -> dict[str, Any]:
    """For a report read from a web page, Word or PDF file: the format, and the origin of each line of the text
    read (which ``line`` refers to), line by line."""
    e = report.extracted
    if e is None:
        return {}
    return {"input": {"format": e.format, "lines": [str(line.origin) for line in e.lines]}}


def to_json(report: Report, *, indent: bool = True) -> str:
    """The report as JSON text (UTF-8, Chinese unescaped), indented by two spaces or (``indent=False``) compact."""
    return dumps(to_dict(report), indent=indent)
