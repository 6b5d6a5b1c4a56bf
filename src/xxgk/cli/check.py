"""The ``xxgk check`` subcommand, a gate for a corpus: do a report's numbers add up, and was every table read?

Each finding of the consistency rules and each diagnostic that a statutory table or cell was lost is an
:class:`Item` with a level and its place in the original input; ``--fail-on`` says which levels fail."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs
from attrs import frozen

from xxgk.checks.validate import validate_series
from xxgk.cli.progress import others_note
from xxgk.errors import (
    FINDINGS_STATUS,
    NOT_A_REPORT_STATUS,
    InputError,
    NoReportsError,
    combined_status,
    exit_status_help,
)
from xxgk.export.jsontext import dumps
from xxgk.export.longform import cell_places
from xxgk.export.report import to_dict
from xxgk.pipeline import parse, parse_file
from xxgk.records import CellRef, Finding, Number, Report
from xxgk.scale.batch import STDIN, STDIN_SOURCE, reports_in, wanted

if TYPE_CHECKING:  # rich is imported where a table is drawn: `xxgk parse` never draws one
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

# Operand lists longer than this are shortened to their non-zero cells (a column total has 20+).
_MAX_CELLS = 6

Level = Literal["error", "warning", "uncertain"]
LEVELS: Final[tuple[Level, ...]] = ("error", "warning", "uncertain")
"""Levels of what ``check`` reports, worst first; ``--fail-on LEVEL`` fails on that level and every worse one."""

# Diagnostics that are gate items, by kind prefix (first match wins).  A table or cell the parser could not read is
# an error: a report whose tables were not read must never pass.  An odd but certain reading, or labels read as one,
# is shown and fails only under --strict.  Other diagnostics (repairs of text) change no value and are not shown.
_DIAGNOSTIC_LEVELS: Final[tuple[tuple[str, Level], ...]] = (
    ("table.joined_cells", "uncertain"),
    ("table.short_row_placed", "uncertain"),  # placed: the one placement the identities allow
    ("table.", "error"),
    ("value.unreadable", "error"),
    ("value.odd", "uncertain"),
    ("value.repaired", "uncertain"),
    ("document.not_a_report", "error"),
    ("document.concatenated", "warning"),
)

EPILOG = """\
examples:
  xxgk check corpus/000_875ca7f37e0dab6a.txt       one line per finding: FILE:LINE:COL: level id: message
  xxgk check corpus/                               every report file under a directory, recursively
  xxgk check corpus/ --format table                a readable table per file
  xxgk check corpus/ --format json | jq '.[] | select(.failed) | .source'   the files that fail the gate
  xxgk check corpus/ --strict                      fail on uncertain items too

levels: error (an identity of the national format is broken, e.g. a total that is not the sum of its row; or a
statutory table or cells the parser could not read — diagnostics table.none, table.unmatched_cell, table.missing,
table.short_row …, value.unreadable); warning (implausible: the prose contradicts the table, in_force < issued,
template or year mismatch, carry-over differs from last year's report of the same agency, several reports in one
file); uncertain (an operand is empty "/" or missing; an odd but certain reading).
--fail-on LEVEL fails on LEVEL and worse (default: warning); --strict is --fail-on uncertain.
The rules and their ids are documented in docs/checks.md.

""" + exit_status_help()


@frozen
class Item:
    """One thing ``check`` reports about a file: a finding of the consistency rules, or a diagnostic that a table
    or cells were lost.  ``line``/``column`` is where it is in the original input (None: about the whole report)."""

    level: Level
    id: str
    line: int | None
    column: int | None
    message_en: str
    message_zh: str
    finding: Finding | None = None

    def where(self, source: str) -> str:
        """``source:line:column`` as far as known."""
        return source + "".join(f":{n}" for n in (self.line, self.column) if n is not None)


def diagnostic_level(kind: str) -> Level | None:
    """The level of a diagnostic of ``kind`` as a gate item, None when it is not one (a repair of the text)."""
    return next((level for prefix, level in _DIAGNOSTIC_LEVELS if kind.startswith(prefix)), None)


def items(report: Report, findings: Sequence[Finding]) -> list[Item]:
    """What ``check`` reports about ``report``: its gating diagnostics, then ``findings``, each placed in the text."""
    places = {path: (v.line, v.column) for path, v in cell_places(report).items()}
    out = []
    for d in report.diagnostics:
        level = diagnostic_level(d.kind)
        if level is not None:
            out.append(Item(level, d.kind, d.line, d.column, d.message, d.message))
    for f in findings:
        line, column = next((places[c.path] for c in f.cells if c.path in places), (None, None))
        if line is None:
            line = next((c.line for c in f.cells if c.line is not None), None)
        out.append(Item(f.severity, f.rule, line, column, f.message_en, f.message_zh, f))
    return out


def register(subparsers: Any) -> None:  # argparse's _SubParsersAction is private, hence Any
    """Add the ``check`` subcommand to the ``xxgk`` command's subparsers."""
    p = subparsers.add_parser(
        "check",
        help="check the consistency rules (勾稽关系) and that every table was read: a gate for a corpus",
        description="Parse report files and report every consistency finding (breaks, warnings, uncertain checks) "
        "and every statutory table or cell that could not be read.  Exits 1 when any is at or above --fail-on.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "paths",
        nargs="+",
        metavar="FILE_OR_DIR",
        help="report files, directories of them (.txt, .html, .docx, .pdf …), - for stdin",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="say nothing about files without findings")
    p.add_argument(
        "--format",
        choices=("text", "table", "json"),
        default="text",
        help="text: one FILE:LINE:COL line per item (default); table: a readable table per file; json: a list of "
        "{source, failed, error, exit_status, items, findings}",
    )
    p.add_argument(
        "--fail-on",
        choices=LEVELS,
        default="warning",
        help="the least level that fails the check (default: %(default)s)",
    )
    p.add_argument("--strict", action="store_true", help="fail on uncertain items too (--fail-on uncertain)")
    p.add_argument(
        "--lang", choices=("en", "zh"), default="en", help="language of the messages in text and table (JSON has both)"
    )
    p.set_defaults(run=run_check)


def expand(paths: Sequence[str]) -> Iterator[Path]:
    """The files to check: each file as given, each directory's report files (:func:`~xxgk.scale.batch.reports_in`)
    recursively in name order — or the directory itself when it holds none, for :func:`read` to say so."""
    for name in paths:
        p = Path(name)
        if name == STDIN:
            yield p
        elif p.is_dir():
            yield from reports_in(p) or [p]
        else:
            yield p


def failing_levels(fail_on: Level) -> frozenset[Level]:
    """The levels that fail the check under ``--fail-on fail_on``."""
    return frozenset(LEVELS[: LEVELS.index(fail_on) + 1])


def run_check(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Run ``xxgk check``; returns the exit status (:data:`xxgk.errors.EXIT_STATUSES`)."""
    files = list(expand(args.paths))
    note = others_note(args.paths)
    if note and not args.quiet:
        err.print(note, markup=False, highlight=False, soft_wrap=True)
    failing = failing_levels("uncertain" if args.strict else args.fail_on)
    reports: dict[str, Report] = {}
    errors: dict[str, InputError] = {}
    for path in files:
        try:
            reports[name(path)] = read(path)
        except InputError as exc:
            err.print(f"xxgk: {exc}", markup=False, highlight=False, soft_wrap=True)
            errors[name(path)] = exc
    extra = dict(zip(reports, validate_series(list(reports.values())), strict=True))
    found = {source: items(r, (*r.findings, *extra[source])) for source, r in reports.items()}
    failed = {source for source, its in found.items() if any(i.level in failing for i in its)}
    if args.format == "json":
        rows = [
            _json_row(source, found.get(source, []), errors.get(source), source in failed)
            for source in map(name, files)
        ]
        out.file.write(dumps(rows) + "\n")
    elif args.format == "table":
        for source, its in found.items():
            out.print(render(source, its, lang=args.lang))
    else:
        for source, its in found.items():
            if args.quiet and not its:
                continue
            for line in text_lines(source, its, lang=args.lang):
                out.print(line, markup=False, highlight=False, soft_wrap=True)
    # The statuses `parse` ends with for the same inputs: an input that is not a report is not a pass either.
    not_reports = [NOT_A_REPORT_STATUS for r in reports.values() if pipeline_not_a_report(r)]
    if errors or not_reports:
        return combined_status([*(e.exit_status for e in errors.values()), *not_reports])
    return FINDINGS_STATUS if failed else 0


def name(path: Path) -> str:
    """The source a path is reported under: the path as given, ``<stdin>`` for ``-``."""
    return STDIN_SOURCE if str(path) == STDIN else str(path)


def read(path: Path) -> Report:
    """Parse the file ``path``, or standard input for ``-`` (source ``<stdin>``, as ``xxgk parse`` names it)."""
    if str(path) == STDIN:
        return parse(sys.stdin.buffer.read(), source=STDIN_SOURCE)
    if path.is_dir():
        raise NoReportsError(f"no {wanted(None)} in this directory", source=str(path))
    return parse_file(path)


def pipeline_not_a_report(report: Report) -> bool:
    """Whether the pipeline found no sign of a disclosure report in ``report`` (``document.not_a_report``)."""
    return any(d.kind == "document.not_a_report" for d in report.diagnostics)


def _json_row(source: str, its: Sequence[Item], error: InputError | None, failed: bool) -> dict[str, Any]:
    # Findings keep the JSON contract's own rendering, so `check` and `parse --format json` agree.
    report = Report(source=None, template=None, year=None, agency=None, title=None)
    findings = [i.finding for i in its if i.finding is not None]
    return {
        "source": source,
        "failed": failed or error is not None,
        "error": None if error is None else error.message,
        "exit_status": None if error is None else error.exit_status,
        "items": [
            {
                "level": i.level,
                "id": i.id,
                "line": i.line,
                "column": i.column,
                "message_en": i.message_en,
                "message_zh": i.message_zh,
            }
            for i in its
        ],
        "findings": to_dict(attrs.evolve(report, findings=tuple(findings)))["findings"],
    }


def text_lines(source: str, its: Sequence[Item], *, lang: str = "en") -> Iterator[str]:
    """One ``FILE:LINE:COL: level id: message`` line per item (the form compilers and editors read), or one
    ``FILE: no findings`` line."""
    if not its:
        yield f"{source}: no findings"
        return
    for i in its:
        message = i.message_zh if lang == "zh" else i.message_en
        cells = "" if i.finding is None else _cells(i.finding.cells).replace("\n", " ")
        detail = f" [{cells}]" if cells else ""
        yield f"{i.where(source)}: {i.level} {i.id}: {message}{detail}"


_STYLE = {"error": "bold red", "warning": "yellow", "uncertain": "dim"}


def render(source: str, its: Sequence[Item], *, lang: str = "en") -> Table | Text:
    """One file's items as a rich table (or a one-line all-clear)."""
    from rich.table import Table
    from rich.text import Text

    if not its:
        return Text(f"{source}: no findings", style="green")
    counts = {s: sum(i.level == s for i in its) for s in _STYLE}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    table = Table(title=f"{source} — {summary}", title_justify="left", show_lines=True)
    table.add_column("id", no_wrap=True)
    for name in ("expected", "actual", "line:col"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("cells and message", overflow="fold")
    for i in its:
        message = i.message_zh if lang == "zh" else i.message_en
        f = i.finding
        cells = _cells(f.cells) if f is not None else ""
        table.add_row(
            Text.assemble((i.level, _STYLE[i.level]), "\n", i.id),
            _num(f.expected) if f else "",
            _num(f.actual) if f else "",
            i.where("").lstrip(":"),
            Text.assemble(cells, "\n" if cells else "", (message, "dim")),
        )
    return table


def _num(value: Number | None) -> str:
    return "" if value is None else str(value)


def _cells(cells: Sequence[CellRef]) -> str:
    """``applications/…/other_org`` then ``total=1, granted=0, …``: the path parts all cells share are said once.

    cells[0] is the stated cell (validate.py puts the stated side first); a long operand list keeps only its
    non-zero and empty members, the ones that matter for a sum.
    """
    if not cells:
        return ""
    parts = [c.path.split("/") for c in cells]
    head = _common(parts)
    tail = _common([p[len(head) :][::-1] for p in parts])[::-1] if len(cells) > 1 else []
    shown = [c for i, c in enumerate(cells) if len(cells) <= _MAX_CELLS or i == 0 or c.value != 0]
    items = []
    for c in shown:
        middle = c.path.split("/")[len(head) : len(c.path.split("/")) - len(tail)]
        items.append(f"{'/'.join(middle) or c.path}={'∅' if c.value is None else c.value}")
    if len(shown) < len(cells):
        items.append(f"+{len(cells) - len(shown)} cells = 0")
    label = "/".join([*head, "…", *tail]) if head or tail else ""
    return (label + "\n" if label else "") + ", ".join(items)


def _common(parts: Sequence[Sequence[str]]) -> list[str]:
    """The longest list of leading path segments every member shares, leaving each at least one of its own."""
    shared: list[str] = []
    for segments in zip(*(p[:-1] for p in parts), strict=False):
        if len(set(segments)) != 1:
            break
        shared.append(segments[0])
    return shared
