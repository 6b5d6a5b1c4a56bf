"""What ``xxgk view`` marks on a report's cells and why: the cells of an identity a finding says is broken (the printed
total apart from its operands, with the formula), warned and uncertain cells, and the cells a diagnostic concerns
(odd values, text repaired around them)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from xxgk import schema
from xxgk.panel.reports import Cell, cells
from xxgk.records import Diagnostic, Finding, Number, Report

# How many of a finding's cells are the stated side (the printed total), for the identities of validate.py, whose
# findings list the stated cells first and the operands after them (docs/checks.md).
_STATED = {
    "applications.row_total": 1,
    "applications.column_total": 1,
    "applications.balance": 2,
    "reviews.group_total": 1,
}
# Diagnostics of a conversion of the whole text: their one line is only the first of many, so they mark no cell.
_WHOLE_TEXT = frozenset({"normalise.line_end", "normalise.traditional", "normalise.width"})
_REMOVED = "normalise."  # the other normaliser diagnostics: text removed or replaced where they point
_TABLE_PREFIXES = tuple(f"{t}/" for t in schema.TABLE_SECTIONS)


def number_text(n: Number) -> str:
    """A value as the page shows it: an amount with its printed decimals, never in exponent form."""
    return format(n, "f") if isinstance(n, Decimal) else str(n)


def _diagnostic_cells(diagnostic: Diagnostic, by_line: Mapping[int, Sequence[Cell]]) -> list[Cell]:
    """The cells a diagnostic concerns: every cell on its line when it has no column; for text the normaliser
    removed (a bookmark, a tag), the first cell at or after it on its line (the marker stood before the value);
    otherwise the cell at its position."""
    if diagnostic.kind in _WHOLE_TEXT or diagnostic.line is None:
        return []
    here = by_line.get(diagnostic.line, [])
    column = diagnostic.column
    if column is None:
        return list(here)
    if diagnostic.kind.startswith(_REMOVED):
        after = [c for c in here if c.value.column + len(c.value.raw) > column]
        return [min(after, key=lambda c: c.value.column)] if after else []
    return [c for c in here if c.value.column <= column < c.value.column + max(1, len(c.value.raw))]


def formula(f: Finding) -> str:
    """An identity's finding as ``stated = value relation value = operands``; empty for any other finding."""
    stated = _STATED.get(f.rule)
    if stated is None or not all(c.path.startswith(_TABLE_PREFIXES) for c in f.cells):
        return ""

    def side(refs: Iterable[Any]) -> str:
        return " + ".join(f"{c.path.rsplit('/', 2)[-2]}/{c.path.rsplit('/', 1)[-1]} ({_value(c.value)})" for c in refs)

    relation = "=" if f.expected == f.actual else "≠"
    return f"{side(f.cells[:stated])} = {_value(f.actual)} {relation} {_value(f.expected)} = {side(f.cells[stated:])}"


def _value(n: Number | None) -> str:
    return "∅" if n is None else number_text(n)


def marks(report: Report) -> dict[str, tuple[list[str], list[str]]]:
    """For each cell path with something to say: its CSS classes and its notes, from findings and diagnostics."""
    out: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for f in report.findings:
        shown = formula(f)
        stated = _STATED.get(f.rule, 1)
        for i, c in enumerate(f.cells):
            if not c.path.startswith(_TABLE_PREFIXES):
                continue
            classes, notes = out[c.path]
            if f.severity == "error":
                classes.extend(["break", "stated"] if i < stated else ["break"])
            elif f.severity == "warning" and i == 0:
                classes.append("warning")
            elif f.severity == "uncertain" and c.value is None:
                classes.append("uncertain")
            else:
                continue
            notes.append(f"{f.severity} {f.rule}: {f.message_en}" + (f"\n  {shown}" if shown else ""))
    every = cells(report)
    by_line: dict[int, list[Cell]] = defaultdict(list)
    for cell in every.values():
        by_line[cell.value.line].append(cell)
    for d in report.diagnostics:
        for cell in _diagnostic_cells(d, by_line):
            classes, notes = out[cell.path]
            classes.append("odd" if d.kind.startswith("value.") else "repaired")
            notes.append(f"{d.kind}: {d.message}")
    return out
