"""Two reports compared: their statutory cells side by side with the changes, and the findings that need both
(:func:`xxgk.panel.pairs.pair_findings`, and whether the two look like one agency's consecutive years)."""

from __future__ import annotations

from typing import Any

from attrs import frozen

from xxgk.panel.pairs import DEFAULT_JUMPS, Jumps, pair_findings
from xxgk.panel.reports import agency_key, cells, change, finding_dict, plain
from xxgk.records import Finding, Number, Report, Value


@frozen
class Row:
    """One cell in either report: ``old`` or ``new`` is None where that report has no such cell."""

    path: str
    old: Value | None
    new: Value | None
    change: Number | None

    @property
    def changed(self) -> bool:
        """True when the two sides differ: in value, or one of them has no such cell."""
        if self.old is None or self.new is None:
            return True
        return self.old.value != self.new.value


@frozen
class Comparison:
    """Two reports, their cells side by side (the new report's order, then the old report's own), and the
    findings about the pair."""

    old: Report
    new: Report
    rows: tuple[Row, ...]
    findings: tuple[Finding, ...]


def compare(old: Report, new: Report, *, jumps: Jumps = DEFAULT_JUMPS) -> Comparison:
    """Compare ``new`` with ``old``: the findings of :func:`xxgk.panel.series.pair_findings`, and a note when the two do
    not look like one agency's consecutive years (the carry-over check then does not run)."""
    before, now = cells(old), cells(new)
    paths = [*now, *(p for p in before if p not in now)]
    rows = []
    for path in paths:
        o, n = before.get(path), now.get(path)
        ov, nv = (None if o is None else o.value), (None if n is None else n.value)
        rows.append(Row(path, ov, nv, change(nv, ov)))
    return Comparison(old, new, tuple(rows), (*_pairing(old, new), *pair_findings(old, new, jumps=jumps)))


def _pairing(old: Report, new: Report) -> list[Finding]:
    found = []
    a, b = agency_key(old), agency_key(new)
    if a != b:
        found.append(
            Finding(
                "compare.agency",
                "warning",
                (),
                None,
                None,
                f"两份报告的机关不同:{a} / {b}",
                f"the reports name different agencies: {a} / {b}",
            )
        )
    if old.year is None or new.year is None or new.year != old.year + 1:
        found.append(
            Finding(
                "compare.years",
                "uncertain",
                (),
                old.year,
                new.year,
                f"两份报告不是相邻年度({old.year} / {new.year}),不核对上年结转",
                f"the reports are not for consecutive years ({old.year} / {new.year}): carry-over is not checked",
            )
        )
    return found


def _side(v: Value | None) -> dict[str, Any] | None:
    return None if v is None else {"value": plain(v.value), "line": v.line, "raw": v.raw}


def _meta(r: Report) -> dict[str, Any]:
    return {
        "source": r.source,
        "agency": r.agency,
        "agency_key": agency_key(r),
        "year": r.year,
        "template": r.template,
        "findings": [finding_dict(f) for f in r.findings],
    }


def to_dict(c: Comparison, *, changed_only: bool = False) -> dict[str, Any]:
    """The comparison as plain data: ``old`` and ``new`` (source, agency, key, year, template, own findings),
    ``cells`` (path, old, new, change; a side is null where its report has no such cell) and ``findings``."""
    return {
        "old": _meta(c.old),
        "new": _meta(c.new),
        "cells": [
            {"path": r.path, "old": _side(r.old), "new": _side(r.new), "change": plain(r.change)}
            for r in c.rows
            if r.changed or not changed_only
        ],
        "findings": [finding_dict(f) for f in c.findings],
    }
