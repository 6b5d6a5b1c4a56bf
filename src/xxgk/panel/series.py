"""Panels across years: the reports of many agencies over many years as one long table, and the checks that need
two years of one agency (``xxgk panel``).

Reports are grouped by an agency *key* (:func:`agency_key`: the name as printed, with spaces, full/half width and
Traditional characters folded, a self-reference such as 我局 looked up in the title) and their year.  Each
statutory value becomes a row with the value of the same cell in the agency's report for the year before and the
change.  Two reports of one agency and year are a ``panel.duplicate`` finding and neither is compared with its
neighbours: which one is right is not known, so no previous value or change is given rather than a wrong one.

The two-year checks (docs/panel.md) are ``applications.carry_over`` (the rule of :mod:`xxgk.checks.validate`, run on the
pair), ``panel.template_change``, ``panel.jump`` and ``panel.missing_year``; ``panel.unplaced`` and
``panel.no_tables`` name the reports the panel cannot use.
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs
import opencc
from attrs import frozen

from xxgk import schema
from xxgk.checks.validate import validate_series
from xxgk.errors import XxgkError
from xxgk.export.report import to_dict
from xxgk.pipeline import parse
from xxgk.records import CellRef, Finding, Number, Report, Value
from xxgk.scale.batch import atomic_output, find_reports, parse_many

if TYPE_CHECKING:  # rich is imported where a table is drawn: every other command imports this module
    from rich.console import Console
    from rich.table import Table

Scope = Literal["report", "panel", "input"]

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

# Severities that make the exit status 1, as in ``xxgk check``.
FAILING = frozenset({"error", "warning"})


# --- agency keys --------------------------------------------------------------------------------------------------


@functools.cache
def _t2s() -> Any:
    return opencc.OpenCC("t2s")


def normalise_name(name: str) -> str:
    """``name`` folded for comparison: NFKC (full → half width), Traditional → Simplified, no spaces or
    zero-width characters, no leading 关于."""
    folded = unicodedata.normalize("NFKC", name)
    folded = "".join(ch for ch in folded if not ch.isspace() and unicodedata.category(ch) != "Cf")
    folded = str(_t2s().convert(folded))
    for prefix in schema.AGENCY_TITLE_PREFIXES:
        folded = folded.removeprefix(prefix)
    return folded


def is_self_reference(name: str) -> bool:
    """True for the words a report uses for its own agency (本机关, 我局, 本厅 …), which name no agency."""
    folded = normalise_name(name)
    return folded[:1] in schema.AGENCY_SELF_PREFIXES and folded[1:] in schema.AGENCY_SELF_NOUNS


def agency_key(report: Report) -> str | None:
    """The key a panel groups ``report`` under: its agency's name folded by :func:`normalise_name`.

    A self-reference (我局) is replaced by the name the title gives (the title read on its own by the pipeline); None
    when neither names an agency.
    """
    name = report.agency
    if (name is None or is_self_reference(name)) and report.title:
        name = parse(report.title).agency
    if name is None or is_self_reference(name):
        return None
    return normalise_name(name) or None


# --- cells ----------------------------------------------------------------------------------------------------------


@frozen
class Cell:
    """A statutory value with its place: ``path`` as in findings (``applications/total/total``)."""

    path: str
    table: str
    item: str | None
    row: str
    column: str
    value: Value


def cells(report: Report) -> dict[str, Cell]:
    """Every statutory value of ``report`` by path, in table order."""
    t = report.tables
    out: dict[str, Cell] = {}
    for item, rows in t.active_disclosure.items():
        for row, cols in rows.items():
            for col, v in cols.items():
                path = f"active_disclosure/{item}/{row}/{col}"
                out[path] = Cell(path, "active_disclosure", item, row, col, v)
    for name, table in (("applications", t.applications), ("reviews", t.reviews)):
        for row, cols in table.items():
            for col, v in cols.items():
                path = f"{name}/{row}/{col}"
                out[path] = Cell(path, name, None, row, col, v)
    return out


def change(current: Value | None, previous: Value | None) -> Number | None:
    """``current - previous``, exact; None when either is missing or empty."""
    if current is None or previous is None or current.value is None or previous.value is None:
        return None
    return current.value - previous.value


# --- two years of one agency --------------------------------------------------------------------------------------


@frozen
class Jumps:
    """When a change is implausible: the larger of the two values is at least ``floor`` and more than ``factor``
    times the smaller (a smaller value of 0 counts as 1).  Signed columns (本年增/减) are deltas and never jump."""

    factor: Decimal = Decimal(10)
    floor: Decimal = Decimal(20)


DEFAULT_JUMPS = Jumps()


def pair_findings(previous: Report, current: Report, *, jumps: Jumps = DEFAULT_JUMPS) -> tuple[Finding, ...]:
    """The findings of two reports of one agency for consecutive years, about ``current``: carried_over against
    last year's carried_forward (``applications.carry_over``), a change of template, implausible jumps."""
    # validate_series pairs reports by their printed agency; these two are one agency by the caller's key.
    same = [attrs.evolve(previous, agency="·"), attrs.evolve(current, agency="·")]
    carry = validate_series(same)[1]
    before, now = cells(previous), cells(current)
    return (*carry, *_template_change(previous, current, before, now), *_jumps(previous, before, now, jumps))


def _template_change(
    previous: Report, current: Report, before: dict[str, Cell], now: dict[str, Cell]
) -> Iterator[Finding]:
    old, new = previous.template, current.template
    if old == new or old not in schema.TEMPLATES or new not in schema.TEMPLATES:
        return
    alone = sorted(set(before) ^ set(now))
    expected = (old, new) == ("2019", "2021") and current.year == 2021
    refs = tuple(CellRef(p, None, None) for p in alone)
    if expected:
        yield Finding(
            "panel.template_change",
            "uncertain",
            refs,
            None,
            None,
            f"{current.year}年起使用2021版格式(上年为2019版):{len(alone)}个单元格在两年中无对应,不计算变化",
            f"the 2021 format replaced the 2019 one in {current.year}: {len(alone)} cell(s) have no counterpart "
            "in the other year and get no change",
        )
    else:
        yield Finding(
            "panel.template_change",
            "warning",
            refs,
            None,
            None,
            f"{previous.year}年为{old}版格式,{current.year}年为{new}版格式:格式只应在2021年由2019版改为2021版",
            f"{previous.year} follows the {old} format and {current.year} the {new} one: the format changes only "
            "from 2019 to 2021, in 2021",
        )


def _jumps(previous: Report, before: dict[str, Cell], now: dict[str, Cell], jumps: Jumps) -> Iterator[Finding]:
    for path, cell in now.items():
        old = before.get(path)
        if old is None or cell.column in schema.SIGNED_COLUMNS:
            continue
        a, b = cell.value.value, old.value.value
        if a is None or b is None:
            continue
        big, small = sorted((abs(Decimal(a)), abs(Decimal(b))), reverse=True)
        if big < jumps.floor or big <= jumps.factor * max(small, Decimal(1)):
            continue
        yield Finding(
            "panel.jump",
            "warning",
            (
                CellRef(path, a, cell.value.line),
                CellRef(f"{previous.source or previous.year}:{path}", b, old.value.line),
            ),
            b,
            a,
            f"{path}:由{previous.year}年的{b}变为{a},超过{jumps.factor}倍",
            f"{path}: {b} in {previous.year}, {a} now, more than {jumps.factor} times",
        )


# --- the panel --------------------------------------------------------------------------------------------------------


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


# --- rows -------------------------------------------------------------------------------------------------------


def _plain(n: Number | None) -> int | float | None:
    return float(n) if isinstance(n, Decimal) else n


def rows(panel: Panel, *, exact: bool = False) -> Iterator[dict[str, Any]]:
    """The panel's rows (:data:`PANEL_COLUMNS`).  Numbers are int or float; with ``exact``, amounts stay Decimal.

    ``findings`` lists the rule ids of the findings whose stated cell (``cells[0]``) is this one, e.g.
    ``applications.carry_over`` on the ``carried_over`` cells it concerns.
    """
    number = (lambda n: n) if exact else _plain
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


def finding_dict(finding: Finding) -> dict[str, Any]:
    """``finding`` as the JSON contract renders it (the same as ``xxgk parse --format json``)."""
    report = Report(source=None, template=None, year=None, agency=None, title=None, findings=(finding,))
    result: dict[str, Any] = to_dict(report)["findings"][0]
    return result


# --- output -----------------------------------------------------------------------------------------------------


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


# --- the command ------------------------------------------------------------------------------------------------

EPILOG = """\
examples:
  xxgk panel reports/ --out panel.parquet     rows to panel.parquet, findings to panel.findings.parquet
  xxgk panel reports/ --out panel.csv --years 2019-2023 --jump-factor 5
  xxgk panel reports/ --format json           the findings as JSON, no file written

then, in Python:
  pd.read_parquet("panel.parquet").query("row == 'total' and column == 'total'").sort_values("change")

checks (docs/panel.md): applications.carry_over (this year's 上年结转 = last year's 结转下年度), panel.jump
(a value more than --jump-factor times last year's, at least --jump-floor), panel.template_change (expected only
2020 → 2021), panel.missing_year, panel.duplicate (two reports of one agency and year: both kept, neither
compared), panel.unplaced (no agency or year), panel.no_tables; the reports' own findings are listed too.

exit status: 0 no error or warning finding; 1 at least one; 2 a file could not be read or a usage error.
"""


def register(subparsers: Any) -> None:  # argparse's _SubParsersAction is private, hence Any
    """Add the ``panel`` subcommand to the ``xxgk`` command's subparsers."""
    p = subparsers.add_parser(
        "panel",
        help="one table of many agencies over many years, with last year's values and two-year checks",
        description="Group reports by agency and year; one row per agency × year × statutory cell, with the "
        "previous year's value and the change; check carry-over, jumps, template changes and missing years.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="+", metavar="FILE_OR_DIR", help="report files, or directories searched for --glob")
    p.add_argument("--out", type=Path, help="panel.csv or panel.parquet (the findings go beside it)")
    p.add_argument("--format", choices=("table", "json"), default="table", help="how the findings are printed")
    p.add_argument("--glob", default="*.txt", help="file names searched for in directories (default *.txt)")
    p.add_argument("--jobs", type=int, help="worker processes (default: this machine's cores)")
    p.add_argument("--years", type=_span, metavar="FIRST-LAST", help="years every agency should have (2019-2023)")
    add_jump_arguments(p)
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the printed messages")
    p.set_defaults(run=run_panel)


def add_jump_arguments(p: argparse.ArgumentParser) -> None:
    """``--jump-factor`` and ``--jump-floor`` (:class:`Jumps`), shared with ``xxgk compare``."""
    default = DEFAULT_JUMPS
    p.add_argument(
        "--jump-factor",
        metavar="X",
        type=Decimal,
        default=default.factor,
        help=f"a value more than X times the other year's is a jump (default {default.factor})",
    )
    p.add_argument(
        "--jump-floor",
        metavar="N",
        type=Decimal,
        default=default.floor,
        help=f"no jump unless the larger value is at least N (default {default.floor})",
    )


def _span(text: str) -> tuple[int, int]:
    first, _, last = text.partition("-")
    try:
        span = (int(first), int(last or first))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not FIRST-LAST, e.g. 2019-2023") from None
    if span[0] > span[1]:
        raise argparse.ArgumentTypeError(f"{text!r}: the first year is after the last")
    return span


def load(
    paths: Sequence[str], glob: str = "*.txt", jobs: int | None = None
) -> tuple[list[Report], list[tuple[str, str]]]:
    """Parse every report under ``paths``: the reports, and (source, reason) for each file that could not be read."""
    files, failed = find_reports(paths, glob)
    reports: list[Report] = []
    unreadable = [(o.source, o.failure.describe(o.source)) for o in failed if o.failure is not None]
    for outcome in parse_many(files, jobs):
        if outcome.report is not None:
            reports.append(outcome.report)
        elif outcome.failure is not None:
            unreadable.append((outcome.source, outcome.failure.describe(outcome.source)))
    return reports, unreadable


def run_panel(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Run ``xxgk panel``; returns the exit status documented in :data:`EPILOG`."""
    if args.out is not None and args.out.suffix not in (".csv", ".parquet"):
        raise XxgkError("--out must end in .csv or .parquet", source=str(args.out))
    if args.jobs is not None and args.jobs < 1:
        raise XxgkError("--jobs must be at least 1")
    reports, unreadable = load(args.paths, args.glob, args.jobs)
    for _, reason in unreadable:
        err.print(f"xxgk: {reason}", markup=False, highlight=False, soft_wrap=True)
    panel = build(reports, jumps=Jumps(args.jump_factor, args.jump_floor), years=args.years, unreadable=unreadable)
    if args.out is not None:
        extra = write(panel, args.out)
        err.print(f"panel: {args.out} · findings: {extra}", markup=False, highlight=False, soft_wrap=True)
    if args.format == "json":
        out.file.write(json.dumps(list(finding_rows(panel)), ensure_ascii=False, indent=2) + "\n")
    else:
        out.print(render(panel, lang=args.lang))
    if unreadable:
        return 2
    return 1 if any(pf.finding.severity in FAILING for pf in panel.findings) else 0


_STYLE = {"error": "bold red", "warning": "yellow", "uncertain": "dim"}


def render(panel: Panel, *, lang: str = "en") -> Table:
    """The panel's findings as a rich table, titled with what the panel holds."""
    keys = {e.key for e in panel.entries if e.key is not None}
    years = sorted({e.report.year for e in panel.entries if e.report.year is not None})
    span = f"{years[0]}–{years[-1]}" if years else "no year"
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=f"{len(panel.entries)} report(s), {len(keys)} agency(ies), {span}: {len(panel.findings)} finding(s)",
        title_justify="left",
        show_lines=False,
    )
    for name in ("agency", "year", "scope", "rule", "message"):
        table.add_column(name, overflow="fold", no_wrap=name in ("year", "scope"))
    for pf in panel.findings:
        f = pf.finding
        table.add_row(
            pf.agency_key or pf.source or "",
            "" if pf.year is None else str(pf.year),
            pf.scope,
            Text.assemble((f.severity, _STYLE[f.severity]), " ", f.rule),
            f.message_zh if lang == "zh" else f.message_en,
        )
    return table
