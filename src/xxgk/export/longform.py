"""The long format: four tables a data team loads as they are — ``cells``, ``reports``, ``findings``, ``diagnostics``.

Every statutory value is one ``cells`` row with its quality (``status``), the ids of the diagnostics and findings
that touch it, its place in the original input and its raw text.  Every input — a clean report, a pre-2019 one, a
report whose tables were not read, a file that could not be read at all — is one ``reports`` row, so nothing drops
out of a dataset unseen.  The columns and their types are :data:`xxgk.export.columns.SCHEMAS`; CSV, Parquet, Dask
and :func:`to_frame` all write these rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, Literal

from attrs import frozen

from xxgk import schema
from xxgk.export.columns import SCHEMAS, TABLE_NAMES, frame, names
from xxgk.normalise.text import BULK_KINDS
from xxgk.records import Diagnostic, Finding, Report, Value

if TYPE_CHECKING:
    import pandas as pd

CellStatus = Literal["ok", "odd", "repaired", "uncertain", "null"]
ReportStatus = Literal["complete", "partial", "no_tables", "pre2019", "not_a_report", "failed"]


FAILING_SEVERITIES: Final = frozenset({"error", "warning"})


# --- expected cells -------------------------------------------------------------------------------------------------


def expected_cells(template: str | None) -> int | None:
    """How many statutory cells the national format of ``template`` has (None for another template)."""
    if template not in schema.TEMPLATES:
        return None
    active = sum(len(rows) * len(cols) for rows, cols in schema.ACTIVE_DISCLOSURE[template].values())
    applications = len(schema.APPLICATION_ROWS[template]) * len(schema.APPLICANT_COLUMNS)
    reviews = len(schema.REVIEW_GROUPS) * len(schema.REVIEW_COLUMNS)
    return active + applications + reviews


# --- cells ---------------------------------------------------------------------------------------------------------


@frozen
class _Placed:
    table: str
    item: str | None
    row: str
    column: str
    value: Value

    @property
    def path(self) -> str:
        return "/".join(p for p in (self.table, self.item, self.row, self.column) if p is not None)


def _placed(report: Report) -> list[_Placed]:
    t = report.tables
    out = [
        _Placed("active_disclosure", item, row, col, v)
        for item, rows in t.active_disclosure.items()
        for row, cols in rows.items()
        for col, v in cols.items()
    ]
    for name, table in (("applications", t.applications), ("reviews", t.reviews)):
        out.extend(_Placed(name, None, row, col, v) for row, cols in table.items() for col, v in cols.items())
    return out


def cell_places(report: Report) -> dict[str, Value]:
    """Every statutory value of ``report`` by its key path (``applications/total/other_org``), as findings name it."""
    return {c.path: c.value for c in _placed(report)}


def _touching(cells: Sequence[_Placed], diagnostics: Sequence[Diagnostic]) -> dict[int, list[int]]:
    """Cell index → ids of the diagnostics that touch it.

    A diagnostic touches the cell whose text its position falls in; a removal by the normaliser (a bookmark, a tag)
    also touches the next cell on its line, the text it stood in front of; one without a column touches every cell
    of its line.  Bulk conversions (Traditional → Simplified, width folding) are positioned at their first line
    only and change no reading, so they touch nothing.
    """
    by_line: dict[int, list[int]] = defaultdict(list)
    for i, c in enumerate(cells):
        by_line[c.value.line].append(i)
    for on_line in by_line.values():
        on_line.sort(key=lambda i: cells[i].value.column)
    touched: dict[int, list[int]] = defaultdict(list)
    for d_id, d in enumerate(diagnostics):
        if d.line is None or d.kind in BULK_KINDS or d.line not in by_line:
            continue
        on_line = by_line[d.line]
        if d.column is None:
            hit = on_line
        else:
            inside = [i for i in on_line if cells[i].value.column <= d.column < _end(cells[i].value)]
            after = [i for i in on_line if cells[i].value.column >= d.column][:1]
            hit = inside or (after if d.kind.startswith("normalise.") else [])
        for i in hit:
            touched[i].append(d_id)
    return touched


def _end(v: Value) -> int:
    return v.column + max(len(v.raw), 1)


_STATUS_OF_KIND: Final[tuple[tuple[str, CellStatus], ...]] = (
    ("value.odd", "odd"),
    ("value.repaired", "repaired"),  # an unreadable cell the identities gave the value its look-alike text spells
    ("normalise.", "repaired"),
)
# Table diagnostics after which every cell concerned was placed all the same.
_PLACED_ALL: Final = frozenset({"table.joined_cells", "table.short_row_placed"})
_RANK: Final[dict[CellStatus, int]] = {"ok": 0, "repaired": 1, "odd": 2, "uncertain": 3, "null": 4}


def _status(value: Value, kinds: Iterable[str], failing: bool) -> CellStatus:
    """null for a not-applicable cell; else the worst of: uncertain (named by a failing finding, or touched by a
    diagnostic that is not a repair), odd (read with a certain but odd reading), repaired (debris removed), ok."""
    if value.value is None:
        return "null"
    status: CellStatus = "uncertain" if failing else "ok"
    for kind in kinds:
        uncertain: CellStatus = "uncertain"
        found = next((s for prefix, s in _STATUS_OF_KIND if kind.startswith(prefix)), uncertain)
        status = max(status, found, key=_RANK.__getitem__)
    return status


def _report_facts(report: Report | None) -> dict[str, Any]:
    if report is None:
        return {"template": None, "year": None, "agency": None}
    return {"template": report.template, "year": report.year, "agency": report.agency}


_NO_CELLS: Final[dict[str, str]] = {
    "no_tables": "no statutory table read (see the diagnostics)",
    "pre2019": "a 2008-2018 report: no statutory tables in this format",
    "not_a_report": "not a disclosure report (diagnostic document.not_a_report)",
}


def cell_rows(source: str, report: Report) -> Iterator[dict[str, Any]]:
    """The ``cells`` rows of ``report``: one per statutory value, with its status and provenance — or, for a report
    without a value, one row with ``error`` saying why, so that no input is missing from the table."""
    status = report_status(report)
    if status in _NO_CELLS:
        yield placeholder_cell(source, report, status, _NO_CELLS[status])
        return
    cells = _placed(report)
    touched = _touching(cells, report.diagnostics)
    naming: dict[str, list[int]] = defaultdict(list)
    failing: set[str] = set()
    for f_id, f in enumerate(report.findings):
        for ref in f.cells:
            naming[ref.path].append(f_id)
            if f.severity in FAILING_SEVERITIES:
                failing.add(ref.path)
    facts = _report_facts(report)
    for i, c in enumerate(cells):
        v = c.value
        d_ids = touched.get(i, [])
        amount = (c.item, c.column) in schema.AMOUNT_COLUMNS
        yield {
            "source": source,
            **facts,
            "table": c.table,
            "item": c.item,
            "row": c.row,
            "column": c.column,
            "count": None if amount or v.value is None else int(v.value),
            "amount": Decimal(v.value) if amount and v.value is not None else None,
            "status": _status(v, (report.diagnostics[d].kind for d in d_ids), c.path in failing),
            "diagnostics": " ".join(map(str, d_ids)),
            "findings": " ".join(map(str, naming.get(c.path, ()))),
            "line": v.line,
            "char": v.column,
            "raw": v.raw,
            "report_status": status,
            "error": None,
        }


def placeholder_cell(source: str, report: Report | None, status: ReportStatus, error: str) -> dict[str, Any]:
    """The one ``cells`` row of an input that has no value: its facts, its report status and why."""
    return dict.fromkeys(names("cells")) | {
        "source": source,
        **_report_facts(report),
        "report_status": status,
        "error": error,
    }


# --- reports, findings, diagnostics ---------------------------------------------------------------------------------


def report_status(report: Report) -> ReportStatus:
    """What ``report`` gave: complete (every cell of its template read, none left unplaced), partial, no_tables
    (a 2019/2021 report or one with the section skeleton, with no statutory value), pre2019, not_a_report."""
    kinds = {d.kind for d in report.diagnostics}
    if "document.not_a_report" in kinds:
        return "not_a_report"
    if report.template == "pre2019":
        return "pre2019"
    t = report.tables
    read = sum(len(cols) for rows in t.active_disclosure.values() for cols in rows.values())
    read += sum(len(cols) for table in (t.applications, t.reviews) for cols in table.values())
    if read == 0:
        return "no_tables"
    expected = expected_cells(report.template)
    unplaced = any(k.startswith("table.") and k not in _PLACED_ALL for k in kinds)
    return "partial" if unplaced or expected is None or read < expected else "complete"


def report_row(
    source: str, report: Report | None, *, error_kind: str | None = None, error: str | None = None
) -> dict[str, Any]:
    """The ``reports`` row of one input: its report, or (``report`` None) the reason it could not be read."""
    if report is None:
        empty = dict.fromkeys(names("reports"))
        return empty | {"source": source, "status": "failed", "error_kind": error_kind, "error": error}
    cells = [c for c in cell_rows(source, report) if c["table"] is not None]
    return {
        "source": source,
        "status": report_status(report),
        **_report_facts(report),
        "title": report.title,
        "cells": len(cells),
        "cells_expected": expected_cells(report.template),
        "cells_ok": sum(c["status"] == "ok" for c in cells),
        "diagnostics": len(report.diagnostics),
        "findings": len(report.findings),
        "failing_findings": sum(f.severity in FAILING_SEVERITIES for f in report.findings),
        "error_kind": None,
        "error": None,
    }


def finding_rows(source: str, findings: Sequence[Finding]) -> Iterator[dict[str, Any]]:
    """The ``findings`` rows of one report's findings (ids are their indices)."""
    for f_id, f in enumerate(findings):
        yield {
            "source": source,
            "id": f_id,
            "rule": f.rule,
            "severity": f.severity,
            "expected": None if f.expected is None else Decimal(f.expected),
            "actual": None if f.actual is None else Decimal(f.actual),
            "cells": " ".join(c.path for c in f.cells),
            "line": next((c.line for c in f.cells if c.line is not None), None),
            "message_en": f.message_en,
            "message_zh": f.message_zh,
        }


def diagnostic_rows(source: str, diagnostics: Sequence[Diagnostic]) -> Iterator[dict[str, Any]]:
    """The ``diagnostics`` rows of one report's diagnostics (ids are their indices)."""
    for d_id, d in enumerate(diagnostics):
        yield {
            "source": source,
            "id": d_id,
            "kind": d.kind,
            "message": d.message,
            "line": d.line,
            "char": d.column,
            "excerpt": d.excerpt,
        }


def rows(table: str, source: str, report: Report) -> list[dict[str, Any]]:
    """The rows of long table ``table`` for one parsed report."""
    if table == "cells":
        return list(cell_rows(source, report))
    if table == "reports":
        return [report_row(source, report)]
    if table == "findings":
        return list(finding_rows(source, report.findings))
    return list(diagnostic_rows(source, report.diagnostics))


def to_frame(reports: Report | Iterable[Report], table: str = "cells") -> pd.DataFrame:
    """The long table ``table`` (``cells``, ``reports``, ``findings`` or ``diagnostics``) of one report or many, as a
    pandas DataFrame with the documented dtypes (docs/outputs.md).  Needs pandas: ``pip install 'xxgk[pandas]'``.

    ``source`` is each report's own ``Report.source`` (an empty string for text parsed without one).
    """
    try:
        import pandas  # noqa: F401
    except ImportError:
        raise ImportError("xxgk.to_frame needs pandas: pip install 'xxgk[pandas]'") from None
    if table not in SCHEMAS:
        raise ValueError(f"no long table {table!r}: one of {', '.join(TABLE_NAMES)}")
    many = [reports] if isinstance(reports, Report) else list(reports)
    return frame(table, (row for r in many for row in rows(table, r.source or "", r)))
