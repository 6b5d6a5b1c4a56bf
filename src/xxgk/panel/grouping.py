"""The panel: reports grouped by agency key and year, each with the report of the year before it is compared with,
and every finding of the reports and between them (docs/panel.md).

Two reports of one agency and year are a ``panel.duplicate`` finding and neither is compared with its neighbours:
which one is right is not known, so no previous value or change is given rather than a wrong one.
``panel.missing_year`` names an agency's gaps; ``panel.unplaced`` and ``panel.no_tables`` name the reports the panel
cannot use, and ``input.unreadable`` the files that could not be read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Literal

from attrs import frozen

from xxgk.panel.pairs import DEFAULT_JUMPS, Jumps, pair_findings
from xxgk.panel.reports import agency_key, cells
from xxgk.records import CellRef, Finding, Report

Scope = Literal["report", "panel", "input"]


@frozen
class Entry:
    """A report in the panel: its agency key and the report of the year before it is compared with (if any)."""

    key: str | None
    report: Report
    previous: Report | None = None


@frozen
class PanelFinding:
    """A finding with where it belongs: ``scope`` ``report`` (the report's own rules), ``panel`` (two years, or
    the panel's use of a report) or ``input`` (a file that could not be read); ``entry`` indexes ``Panel.entries``
    (None for an agency's missing year or an unreadable file, which have no report)."""

    agency_key: str | None
    year: int | None
    entry: int | None
    source: str | None
    scope: Scope
    finding: Finding


@frozen
class Panel:
    """Reports grouped by agency key and year, sorted, with every finding of the reports and between them."""

    entries: tuple[Entry, ...]
    findings: tuple[PanelFinding, ...]


def build(
    reports: Sequence[Report],
    *,
    jumps: Jumps = DEFAULT_JUMPS,
    years: tuple[int, int] | None = None,
    unreadable: Sequence[tuple[str, str]] = (),
) -> Panel:
    """The panel of ``reports``.  ``years`` (first, last) is the span every agency should cover (default: from its
    first report to its last); ``unreadable`` lists (source, reason) of files that could not be parsed, so that the
    panel names them."""
    keyed = sorted(
        ((agency_key(r), r) for r in reports),
        key=lambda kr: (kr[0] is None, kr[0] or "", kr[1].year or 0, kr[1].source or ""),
    )
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, (key, r) in enumerate(keyed):
        if key is not None and r.year is not None:
            groups[key, r.year].append(i)
    found: list[PanelFinding] = [
        PanelFinding(None, None, None, source, "input", _unreadable(source, reason)) for source, reason in unreadable
    ]

    def add(i: int, scope: Scope, finding: Finding) -> None:
        key, r = keyed[i]
        found.append(PanelFinding(key, r.year, i, r.source, scope, finding))

    entries: list[Entry] = []
    for i, (key, r) in enumerate(keyed):
        for f in r.findings:
            add(i, "report", f)
        if key is None or r.year is None:
            add(i, "panel", _unplaced(r, key))
        if not cells(r):
            add(i, "panel", _no_tables(r))
        previous = None
        if key is not None and r.year is not None:
            mine, before = groups[key, r.year], groups.get((key, r.year - 1), [])
            if len(mine) > 1 and mine[0] == i:
                add(i, "panel", _duplicate(key, r.year, [keyed[j][1] for j in mine]))
            if len(mine) == 1 and len(before) == 1:
                previous = keyed[before[0]][1]
                for f in pair_findings(previous, r, jumps=jumps):
                    add(i, "panel", f)
        entries.append(Entry(key, r, previous))
    for key, year, have in _gaps(groups, years):
        found.append(PanelFinding(key, year, None, None, "panel", _missing_year(key, year, have)))
    return Panel(tuple(entries), tuple(found))


def _gaps(
    groups: dict[tuple[str, int], list[int]], years: tuple[int, int] | None
) -> Iterator[tuple[str, int, list[int]]]:
    by_key: dict[str, set[int]] = defaultdict(set)
    for key, year in groups:
        by_key[key].add(year)
    for key in sorted(by_key):
        have = by_key[key]
        first, last = years or (min(have), max(have))
        for year in range(first, last + 1):
            if year not in have:
                yield key, year, sorted(have)


def _unreadable(source: str, reason: str) -> Finding:
    return Finding(
        "input.unreadable",
        "error",
        (),
        None,
        None,
        f"文件无法读取:{reason}",
        f"the file could not be read: {reason}",
    )


def _unplaced(r: Report, key: str | None) -> Finding:
    missing = " and ".join(w for w, absent in (("agency", key is None), ("year", r.year is None)) if absent)
    missing_zh = "、".join(w for w, absent in (("机关", key is None), ("年度", r.year is None)) if absent)
    return Finding(
        "panel.unplaced",
        "warning",
        (),
        None,
        None,
        f"报告未写明{missing_zh},不能与其他年度比较",
        f"the report names no {missing}: it is in the panel but compared with no other year",
    )


def _no_tables(r: Report) -> Finding:
    return Finding(
        "panel.no_tables",
        "warning",
        (),
        None,
        None,
        "报告中没有读出统计表格,面板中没有它的数值(见诊断信息)",
        "no statutory table was read from this report: it has no values in the panel (see its diagnostics)",
    )


def _duplicate(key: str, year: int, reports: Sequence[Report]) -> Finding:
    sources = ", ".join(str(r.source) for r in reports)
    return Finding(
        "panel.duplicate",
        "warning",
        tuple(CellRef(str(r.source), None, None) for r in reports),
        1,
        len(reports),
        f"{key}{year}年度有{len(reports)}份报告({sources}):均保留,不与相邻年度比较",
        f"{key} has {len(reports)} reports for {year} ({sources}): all are kept, none is compared with the "
        "years next to it",
    )


def _missing_year(key: str, year: int, have: Sequence[int]) -> Finding:
    listed = ", ".join(map(str, have))
    return Finding(
        "panel.missing_year",
        "warning",
        (),
        None,
        None,
        f"{key}缺少{year}年度报告(已有:{listed})",
        f"{key} has no report for {year} (it has {listed})",
    )
