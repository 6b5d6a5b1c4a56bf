"""xxgk reads 政府信息公开工作年度报告 (government information-disclosure annual reports) into checked, traceable data.

Parse a report — a file, or text or bytes you already have::

    >>> import xxgk
    >>> report = xxgk.parse_file("corpus/000_875ca7f37e0dab6a.txt")
    >>> report.template, report.year, report.agency
    ('2021', 2023, '浙江省人力资源和社会保障厅')
    >>> [s.key for s in report.sections]
    ['overview', 'active_disclosure', 'applications', 'reviews', 'problems', 'other']

Every number of the three statutory tables is a ``Value``, keyed as in the national format (docs/spec.md), that keeps
where it came from — line and column in the original file, and the text as written::

    >>> v = report.tables.applications["total"]["total"]      # （七）总计, column 总计
    >>> v.value, v.line, v.column, v.raw
    (85, 509, 1, '85')
    >>> report.tables.reviews["review"]["total"].value         # 行政复议, 总计
    8

Tables are read-only (``dict(table)`` is a copy to change).  A ``/`` cell is ``Value(value=None, …)``; a cell the
parser could not read is absent, and a diagnostic says why and where::

    >>> [(d.kind, d.line) for d in report.diagnostics]         # repairs and doubts; none in this report
    []

Check: the consistency rules (勾稽关系) run during parsing.  This report breaks three — its 总计 row does not add
up — and each finding names the rule, the cells, the numbers expected and stated::

    >>> f = report.findings[0]
    >>> f.rule, f.severity, f.expected, f.actual
    ('applications.row_total', 'error', 86, 85)
    >>> f.cells[0].path, f.cells[0].line
    ('applications/total/total', 509)

Export: the JSON contract of docs/spec.md, or the long table of cells with a quality status each (needs pandas)::

    >>> text = xxgk.to_json(report)
    >>> cells = xxgk.to_frame(report)                           # doctest: +SKIP
    >>> cells[cells.status == "ok"][["row", "column", "count", "line", "char"]]   # doctest: +SKIP

The same from the shell, for a whole corpus (docs/outputs.md, docs/checks.md)::

    xxgk parse corpus/ --out dataset/ --table all --format parquet   # cells, reports, findings, diagnostics
    xxgk check corpus/                                                # FILE:LINE:COL per finding; exit 1 on any

Only input that is not text at all raises (:class:`InputError` and its subclasses: missing, empty, binary,
undecodable); damaged content is repaired or reported, never a crash.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xxgk.errors import (
        BinaryInputError,
        EmptyInputError,
        GrammarError,
        InputError,
        NoReportsError,
        ParseError,
        UndecodableError,
        XxgkError,
    )
    from xxgk.export.longform import to_frame
    from xxgk.export.report import to_dict, to_json
    from xxgk.pipeline import parse, parse_file
    from xxgk.records import Cell, CellRef, Diagnostic, Finding, Report, Section, Span, Tables, Value

# The public names and the modules that define them, imported on first use (PEP 562): ``import xxgk`` and the
# command's start-up pay only for the modules they use.
_MODULES = {
    "xxgk.errors": (
        "BinaryInputError",
        "EmptyInputError",
        "GrammarError",
        "InputError",
        "NoReportsError",
        "ParseError",
        "UndecodableError",
        "XxgkError",
    ),
    "xxgk.export.report": ("to_dict", "to_json"),
    "xxgk.export.longform": ("to_frame",),
    "xxgk.pipeline": ("parse", "parse_file"),
    "xxgk.records": ("Cell", "CellRef", "Diagnostic", "Finding", "Report", "Section", "Span", "Tables", "Value"),
}
_HOME = {name: module for module, names in _MODULES.items() for name in names}

__all__ = [
    "BinaryInputError",
    "Cell",
    "CellRef",
    "Diagnostic",
    "EmptyInputError",
    "Finding",
    "GrammarError",
    "InputError",
    "NoReportsError",
    "ParseError",
    "Report",
    "Section",
    "Span",
    "Tables",
    "UndecodableError",
    "Value",
    "XxgkError",
    "parse",
    "parse_file",
    "to_dict",
    "to_frame",
    "to_json",
]


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        # A submodule (xxgk.export.report …), reachable as an attribute as when this module imported them all.
        if not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}") is not None:
            return importlib.import_module(f"{__name__}.{name}")
        raise AttributeError(f"module 'xxgk' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOME})
