"""``xxgk view``: one self-contained HTML page (no server, no network) to look at reports.

Each report's three tables are laid out like the statutory form; every value links to its line in the report's
source, shown beside the tables, and its tooltip gives the line in context.  Cells that break an identity are
highlighted with the formula and both sides; odd, repaired and uncertain cells are marked; the diagnostics are
listed with links to their lines.  For several reports an index (status and findings per report) and a chart of
the corpus (applications received and their outcomes per year, inline SVG) come first.

The page is rendered by Jinja2 templates (``xxgk/templates``) with autoescaping on; this module only prepares
what they show (:class:`Page`, :class:`Form`, :class:`Slot`) from the public records.
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from xxgk import schema
from xxgk.errors import XxgkError
from xxgk.normalise.text import decode
from xxgk.panel.series import Cell, cells
from xxgk.records import Diagnostic, Finding, Number, Report, Value
from xxgk.scale.batch import Outcome, atomic_output, find_reports, parse_many

if TYPE_CHECKING:  # jinja2 and rich are imported where a page is made: every other command imports this module
    import jinja2
    from rich.console import Console

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
_CONTEXT = 1  # lines either side of a value's line in its tooltip
_LINE_END = re.compile(r"\r\n|\r|\n")  # the normaliser's line ends: line N here is line N of every position


# --- what the templates show ----------------------------------------------------------------------------------------


@frozen
class Slot:
    """One cell of a laid-out table: a heading (``label``) or a value (``path`` set, ``value`` None when the report
    has no such cell).  ``marks`` are CSS classes (``break``, ``stated``, ``warning``, ``uncertain``, ``odd``,
    ``repaired``, ``missing``); ``notes`` are the tooltip's lines besides the source context."""

    label: str = ""
    path: str | None = None
    value: Value | None = None
    colspan: int = 1
    rowspan: int = 1
    marks: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    context: str = ""

    @property
    def text(self) -> str:
        """What the cell shows: the label, or the value as read (``/`` for not applicable, blank when missing)."""
        if self.path is None:
            return self.label
        if self.value is None:
            return ""
        return "/" if self.value.value is None else _show(self.value.value)

    @property
    def tooltip(self) -> str:
        """The hover text: the cell's path and reading, the notes, the source line in context."""
        parts = [self.path or self.label]
        if self.value is not None:
            parts.append(f"line {self.value.line}, column {self.value.column}: {self.value.raw!r}")
        parts.extend(self.notes)
        if self.context:
            parts.append(self.context)
        return "\n".join(parts)


@frozen
class Form:
    """One statutory table as rows of slots: ``head`` rows of headings, then ``body`` rows."""

    key: str
    title: str
    head: tuple[tuple[Slot, ...], ...]
    body: tuple[tuple[Slot, ...], ...]


@frozen
class FindingView:
    """A finding with its formula (identities only: ``stated = operands`` with values) and links to its cells."""

    finding: Finding
    formula: str
    cells: tuple[tuple[str, str | None, int | None], ...]  # (path, value shown, line)


@frozen
class Page:
    """One report's section of the page (``anchor`` is its id); ``error`` is set when the file could not be read."""

    anchor: str
    source: str
    status: str
    report: Report | None = None
    error: str | None = None
    forms: tuple[Form, ...] = ()
    loose: tuple[Slot, ...] = ()  # values outside the template's form (an extra row), so none is lost
    findings: tuple[FindingView, ...] = ()
    lines: tuple[str, ...] = ()
    severities: Mapping[str, int] = field(factory=dict)


@frozen
class Bar:
    """One year of the corpus chart: the stacked outcome segments and the applications received."""

    year: int
    reports: int
    received: int
    segments: tuple[tuple[str, str, int, float, float], ...]  # (outcome key, label, count, y, height), SVG units
    x: float
    received_y: float


@frozen
class Chart:
    """The corpus chart's geometry (the template draws it as inline SVG)."""

    width: int
    height: int
    base: float
    bar_width: float
    top: int
    bars: tuple[Bar, ...]
    outcomes: tuple[tuple[str, str], ...]  # (key, label) in stacking order


# --- values and marks -------------------------------------------------------------------------------------------


def _show(n: Number) -> str:
    return format(n, "f") if isinstance(n, Decimal) else str(n)


def _split_lines(text: str) -> tuple[str, ...]:
    return tuple(_LINE_END.split(text))


def _context(lines: Sequence[str], line: int) -> str:
    first, last = max(1, line - _CONTEXT), min(len(lines), line + _CONTEXT)
    shown = []
    for n in range(first, last + 1):
        text = lines[n - 1].strip()
        shown.append(f"{'▶' if n == line else ' '}{n:>5} │ {text[:60]}{'…' if len(text) > 60 else ''}")
    return "\n".join(shown)


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


def _formula(f: Finding) -> str:
    stated = _STATED.get(f.rule)
    if stated is None or not all(c.path.startswith(_TABLE_PREFIXES) for c in f.cells):
        return ""

    def side(refs: Iterable[Any]) -> str:
        return " + ".join(f"{c.path.rsplit('/', 2)[-2]}/{c.path.rsplit('/', 1)[-1]} ({_value(c.value)})" for c in refs)

    relation = "=" if f.expected == f.actual else "≠"
    return f"{side(f.cells[:stated])} = {_value(f.actual)} {relation} {_value(f.expected)} = {side(f.cells[stated:])}"


def _value(n: Number | None) -> str:
    return "∅" if n is None else _show(n)


def marks(report: Report) -> dict[str, tuple[list[str], list[str]]]:
    """For each cell path with something to say: its CSS classes and its notes, from findings and diagnostics."""
    out: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for f in report.findings:
        formula = _formula(f)
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
            notes.append(f"{f.severity} {f.rule}: {f.message_en}" + (f"\n  {formula}" if formula else ""))
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


# --- the forms --------------------------------------------------------------------------------------------------


class _Layout:
    """Slots for one report: a value slot knows its marks, notes and source context."""

    def __init__(self, report: Report, lines: Sequence[str]) -> None:
        self.every = cells(report)
        self.marks = marks(report)
        self.lines = lines
        self.used: set[str] = set()

    def value(self, path: str, colspan: int = 1) -> Slot:
        self.used.add(path)
        cell = self.every.get(path)
        classes, notes = self.marks.get(path, ([], []))
        if cell is None:
            return Slot(path=path, colspan=colspan, marks=("missing",), notes=("not in the report",))
        v = cell.value
        return Slot(
            path=path,
            value=v,
            colspan=colspan,
            marks=tuple(dict.fromkeys(classes)),
            notes=tuple(notes),
            context=_context(self.lines, v.line) if 0 < v.line <= len(self.lines) else "",
        )

    def loose(self) -> tuple[Slot, ...]:
        return tuple(self.value(p) for p in list(self.every) if p not in self.used)


def _head(label: str, colspan: int = 1, rowspan: int = 1) -> Slot:
    return Slot(label=label, colspan=colspan, rowspan=rowspan)


def _active_disclosure(layout: _Layout, template: str) -> Form:
    width = 1 + max(len(columns) for _, columns in schema.ACTIVE_DISCLOSURE[template].values())
    body: list[tuple[Slot, ...]] = []
    for item, (rows, columns) in schema.ACTIVE_DISCLOSURE[template].items():
        body.append((_head(schema.ART20_ITEMS[item], width),))
        spans = [1] * (len(columns) - 1) + [width - len(columns)]  # the last column takes the rest of the width
        body.append(
            (
                _head(schema.TABLE_HEADINGS["info_content"]),
                *(_head(label, span) for (_, label), span in zip(columns, spans, strict=True)),
            )
        )
        for row, label in rows:
            values = [
                layout.value(f"active_disclosure/{item}/{row}/{col}", span)
                for (col, _), span in zip(columns, spans, strict=True)
            ]
            body.append((_head(label), *values))
    return Form("active_disclosure", "主动公开政府信息情况", (), tuple(body))


def _applications(layout: _Layout, template: str) -> Form:
    person, *orgs, total = (label for _, label in schema.APPLICANT_COLUMNS)
    h = schema.TABLE_HEADINGS
    head = (
        (_head(h["balance_note"], 3, 3), _head(h["applicant"], len(schema.APPLICANT_COLUMNS))),
        (_head(person, 1, 2), _head(h["legal_person"], len(orgs)), _head(total, 1, 2)),
        tuple(_head(label) for label in orgs),
    )
    rows = schema.APPLICATION_ROWS[template]
    keys = [k for k, _ in rows]
    results = keys[keys.index("granted") : keys.index("total") + 1]
    group_sizes: dict[str, int] = defaultdict(int)
    for k in results:
        if "." in k:
            group_sizes[k.partition(".")[0]] += 1
    body: list[tuple[Slot, ...]] = []
    opened: set[str] = set()
    for key, label in rows:
        labels: list[Slot] = []
        if key not in results:
            labels.append(_head(label, 3))
        else:
            if key == results[0]:
                labels.append(_head(schema.APPLICATION_GROUPS["results"], 1, len(results)))
            group = key.partition(".")[0] if "." in key else None
            if group is None:
                labels.append(_head(label, 2))
            else:
                if group not in opened:
                    opened.add(group)
                    labels.append(_head(schema.APPLICATION_GROUPS[group], 1, group_sizes[group]))
                labels.append(_head(label))
        values = [layout.value(f"applications/{key}/{col}") for col, _ in schema.APPLICANT_COLUMNS]
        body.append((*labels, *values))
    return Form("applications", "收到和处理政府信息公开申请情况", head, tuple(body))


def _reviews(layout: _Layout) -> Form:
    (_, review_label), *litigation = schema.REVIEW_GROUPS
    columns = schema.REVIEW_COLUMNS
    n = len(columns)
    head = (
        (_head(review_label, n), _head(schema.TABLE_HEADINGS["litigation"], n * len(litigation))),
        (*(_head(label, 1, 2) for _, label in columns), *(_head(label, n) for _, label in litigation)),
        tuple(_head(label) for _ in litigation for _, label in columns),
    )
    body = ((*(layout.value(f"reviews/{group}/{col}") for group, _ in schema.REVIEW_GROUPS for col, _ in columns),),)
    return Form("reviews", "政府信息公开行政复议、行政诉讼情况", head, body)


def _finding_view(f: Finding) -> FindingView:
    refs = tuple((c.path, None if c.value is None else _show(c.value), c.line) for c in f.cells)
    return FindingView(f, _formula(f), refs)


def page(anchor: str, outcome: Outcome) -> Page:
    """One report's part of the page (or the failure of its file)."""
    r = outcome.report
    if r is None:
        assert outcome.failure is not None
        return Page(anchor, outcome.source, "failed", error=outcome.failure.describe(outcome.source))
    try:
        # A web page, Word or PDF file: the lines are those of the text its reader made, which values point into.
        text = r.extracted.text if r.extracted is not None else None
        lines = _split_lines(text or decode(Path(outcome.source).read_bytes(), source=outcome.source))
    except (OSError, XxgkError):
        lines = ()
    layout = _Layout(r, lines)
    forms: list[Form] = []
    if r.template in schema.TEMPLATES and layout.every:
        forms = [_active_disclosure(layout, r.template), _applications(layout, r.template), _reviews(layout)]
    severities = {s: sum(f.severity == s for f in r.findings) for s in ("error", "warning", "uncertain")}
    return Page(
        anchor,
        outcome.source,
        _status(outcome, bool(layout.every), severities),
        report=r,
        forms=tuple(forms),
        loose=layout.loose(),
        findings=tuple(_finding_view(f) for f in r.findings),
        lines=lines,
        severities=severities,
    )


def _status(outcome: Outcome, has_values: bool, severities: Mapping[str, int]) -> str:
    if outcome.status == "not_a_report":
        return "not a report"
    if not has_values:
        return "no tables"
    if severities["error"]:
        return "breaks"
    if severities["warning"]:
        return "warnings"
    return "ok"


# --- the corpus chart -------------------------------------------------------------------------------------------

# The outcome groups of the applications table's total column, stacked in this order (keys are row keys or the
# prefix of dotted ones).
_OUTCOMES = ("granted", "partial", "withheld", "unable", "not_processed", "other")


def _outcome_labels() -> tuple[tuple[str, str], ...]:
    rows = dict(schema.APPLICATION_ROWS["2021"])
    labels = ((k, schema.APPLICATION_GROUPS[k] if k in schema.APPLICATION_GROUPS else rows[k]) for k in _OUTCOMES)
    # (二)部分公开(区分处理的,…): the enumerator and the name, without the printed form's instruction.
    return tuple((k, label[:1] + label[1:].split("(")[0]) for k, label in labels)


def chart(reports: Iterable[Report], *, width: int = 640, height: int = 240) -> Chart | None:
    """Applications received (new_received, total column) and their outcomes, summed per report year; None when no
    report has a year and an applications table.  Empty cells (``/``) add nothing."""
    received: dict[int, int] = defaultdict(int)
    outcome: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(_OUTCOMES, 0))
    count: dict[int, int] = defaultdict(int)
    for r in reports:
        apps = r.tables.applications
        if r.year is None or not apps:
            continue
        count[r.year] += 1
        for row, cols in apps.items():
            v = cols.get("total")
            if v is None or v.value is None:
                continue
            group = row.partition(".")[0]
            if row == "new_received":
                received[r.year] += int(v.value)
            elif group in _OUTCOMES:
                outcome[r.year][group] += int(v.value)
    if not count:
        return None
    years = sorted(count)
    labels = dict(_outcome_labels())
    top = max(1, *received.values(), *(sum(o.values()) for o in outcome.values()))
    base, plot = height - 30.0, height - 50.0
    slot = (width - 60) / len(years)
    bars = []
    for i, year in enumerate(years):
        y = base
        segments = []
        for key in _OUTCOMES:
            n = outcome[year][key]
            h = plot * n / top
            y -= h
            segments.append((key, labels[key], n, round(y, 1), round(h, 1)))
        bars.append(
            Bar(
                year,
                count[year],
                received[year],
                tuple(segments),
                round(50 + i * slot + slot * 0.2, 1),
                round(base - plot * received[year] / top, 1),
            )
        )
    return Chart(width, height, base, round(slot * 0.6, 1), top, tuple(bars), _outcome_labels())


# --- rendering ----------------------------------------------------------------------------------------------------


def environment() -> jinja2.Environment:
    """The Jinja2 environment of the page's templates (installed in ``xxgk/templates``), autoescaping on."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("xxgk.panel", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(outcomes: Sequence[Outcome], *, index: bool | None = None, title: str = "xxgk") -> str:
    """The HTML page of ``outcomes``; ``index`` (default: more than one) adds the index and the corpus chart."""
    pages = [page(f"r{i}", o) for i, o in enumerate(outcomes)]
    with_index = len(pages) > 1 if index is None else index
    corpus = chart(p.report for p in pages if p.report is not None) if with_index else None
    template = environment().get_template("view.html.j2")
    return template.render(title=title, pages=pages, index=with_index, chart=corpus)


def write(outcomes: Sequence[Outcome], out: Path, *, index: bool | None = None) -> None:
    """Write the page of ``outcomes`` to ``out`` (atomically)."""
    html = render(outcomes, index=index, title=out.stem)
    with atomic_output(out) as tmp:
        tmp.write_text(html, encoding="utf-8")


def _outcomes(paths: Sequence[str], glob: str, jobs: int | None) -> Iterator[Outcome]:
    files, failed = find_reports(paths, glob)
    yield from failed
    yield from parse_many(files, jobs)


# --- the command ------------------------------------------------------------------------------------------------

EPILOG = """\
examples:
  xxgk view corpus/000_875ca7f37e0dab6a.txt -o report.html    one report: its tables, findings, diagnostics, source
  xxgk view corpus/ -o corpus.html                           an index and a chart of the corpus first

The page is one file with no scripts from elsewhere: open it in any browser, offline.  Every value links to its
line in the source shown beside the tables (hover for the line in context); cells that break an identity are red
(the printed total darker) with the formula in the tooltip and under "findings"; odd (value.*), repaired and
uncertain cells are outlined; see docs/panel.md.

exit status: 0 written; 2 a usage error or no file found; the page is written even when some files fail (they are
listed in it as failed) and the status is then 1.
"""


def register(subparsers: Any) -> None:  # argparse's _SubParsersAction is private, hence Any
    """Add the ``view`` subcommand to the ``xxgk`` command's subparsers."""
    p = subparsers.add_parser(
        "view",
        help="one self-contained HTML page of reports: the tables as printed, every value linked to its line",
        description="Write one HTML file (no server, no network) showing reports' tables, findings and diagnostics.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="+", metavar="FILE_OR_DIR", help="report files, or directories searched for --glob")
    p.add_argument("-o", "--out", type=Path, required=True, help="the HTML file to write")
    p.add_argument("--glob", default="*.txt", help="file names searched for in directories (default *.txt)")
    p.add_argument("--jobs", type=int, help="worker processes (default: this machine's cores)")
    p.set_defaults(run=run_view)


def run_view(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Run ``xxgk view``; returns the exit status documented in :data:`EPILOG`."""
    if args.jobs is not None and args.jobs < 1:
        raise XxgkError("--jobs must be at least 1")
    outcomes = list(_outcomes(args.paths, args.glob, args.jobs))
    if not outcomes:
        raise XxgkError("no report files found", source=", ".join(args.paths))
    index = len(outcomes) > 1 or any(Path(p).is_dir() for p in args.paths)
    write(outcomes, args.out, index=index)
    failed = [o for o in outcomes if o.report is None]
    for o in failed:
        assert o.failure is not None
        err.print(f"xxgk: {o.failure.describe(o.source)}", markup=False, highlight=False, soft_wrap=True)
    err.print(f"view: {args.out} ({len(outcomes)} report(s))", markup=False, highlight=False, soft_wrap=True)
    return 1 if failed else 0
