"""Stage 5 — views of a finished Report: the JSON contract of SCHEMA.md, long-format cells, a readable summary."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from xxgk import schema
from xxgk.records import CellRef, Diagnostic, Finding, Number, Report, Section, Value

if TYPE_CHECKING:  # rich is imported where a summary is made: the JSON and tables never need it
    from rich.console import Console, Group
    from rich.table import Table
    from rich.tree import Tree

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
    for item, rows in t.active_disclosure.items():
        for row, cols in rows.items():
            for col, v in cols.items():
                yield _cell(report, "active_disclosure", item, row, col, v)
    for name, table in (("applications", t.applications), ("reviews", t.reviews)):
        for row, cols in table.items():
            for col, v in cols.items():
                yield _cell(report, name, None, row, col, v)


def _cell(report: Report, table: str, item: str | None, row: str, column: str, v: Value) -> dict[str, Any]:
    cell = {"table": table, "item": item, "row": row, "column": column, "value": _number(v.value), "line": v.line}
    return _with_origin(report, cell, v.line, v.column)


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
    return {row: {col: _number(v.value) for col, v in cols.items()} for row, cols in table.items()}


def to_dict(report: Report) -> dict[str, Any]:
    """The JSON contract of SCHEMA.md as plain Python data, keys in a stable order."""
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


def to_json(report: Report, *, indent: int | None = 2) -> str:
    """The report as JSON text (UTF-8, Chinese unescaped)."""
    return json.dumps(to_dict(report), ensure_ascii=False, indent=indent)


# --- readable summary -------------------------------------------------------------------------------------------

_SECTION_TITLES = {key: title for key, title, _ in schema.SECTIONS}


def _tree(report: Report) -> Tree:
    from rich.text import Text
    from rich.tree import Tree

    root = Tree(Text("sections", style="bold"))

    def add(node: Tree, s: Section) -> None:
        heading = f"{s.number or ''} {s.title}".strip() or f"({' '.join(s.text.split())[:20]}…)"
        label = Text(heading[:60])
        if s.key:
            label.append(f"  [{s.key}]", style="cyan")
        label.append(f"  line {s.line}", style="dim")
        child = node.add(label)
        for c in s.children:
            add(child, c)

    for s in report.sections:
        add(root, s)
    return root


def _grid(title: str, rows: dict[str, dict[str, Value]], columns: list[str]) -> Table:
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    table.add_column("row", no_wrap=True)
    for c in columns:
        # The first word of a key is enough to tell the columns apart and keeps the grid within 80 columns.
        table.add_column(c.split("_")[0], justify="right", no_wrap=True)
    for row, cols in rows.items():
        table.add_row(row, *(_show(cols.get(c)) for c in columns))
    return table


def _items(items: dict[str, dict[str, dict[str, Value]]]) -> Table:
    from rich.table import Table

    table = Table(title="active_disclosure", title_justify="left", show_edge=False, pad_edge=False)
    for name in ("item", "row", "values"):
        table.add_column(name, no_wrap=name != "values")
    for item, rows in items.items():
        for row, cols in rows.items():
            table.add_row(item, row, "  ".join(f"{c} {_show(v)}" for c, v in cols.items()))
    return table


def _show(v: Value | None) -> str:
    if v is None:
        return ""
    return "/" if v.value is None else str(v.value)


def summary(report: Report) -> Group:
    """A readable rich rendering: facts, section tree, the three tables, findings, diagnostic counts."""
    from rich.console import Group
    from rich.text import Text

    head = Text()
    head.append(report.title or "(no title)", style="bold")
    head.append(f"\ntemplate {report.template} · year {report.year} · agency {report.agency}")
    head.append(f"\nsource {report.source}", style="dim")
    parts: list[Any] = [head, _tree(report)]
    t = report.tables
    if t.active_disclosure:
        parts.append(_items(t.active_disclosure))
    if t.applications:
        parts.append(_grid("applications", t.applications, list(schema.applicant_column_keys())))
    if t.reviews:
        parts.append(_grid("reviews", t.reviews, [k for k, _ in schema.REVIEW_COLUMNS]))
    if not (t.active_disclosure or t.applications or t.reviews):
        parts.append(Text("no statutory tables found", style="yellow"))
    if report.findings:
        parts.append(Text(f"{len(report.findings)} finding(s):", style="bold red"))
        for f in report.findings:
            lines = ", ".join(f"{c.path}@{c.line}" for c in f.cells[:4])
            parts.append(Text(f"  [{f.severity}] {f.rule}: expected {f.expected}, got {f.actual}  ({lines})"))
    kinds: dict[str, int] = {}
    for d in report.diagnostics:
        kinds[d.kind] = kinds.get(d.kind, 0) + 1
    if kinds:
        parts.append(Text("diagnostics: " + ", ".join(f"{k}×{n}" for k, n in sorted(kinds.items())), style="dim"))
    if report.unparsed:
        parts.append(Text(f"{len(report.unparsed)} stretch(es) of text not placed (see --format json)", style="yellow"))
    return Group(*parts)


def print_summary(report: Report, console: Console) -> None:
    """Print :func:`summary` to ``console``."""
    console.print(summary(report))
