"""The ``xxgk check`` subcommand: do a report's numbers add up?  One findings table (or JSON) per file."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xxgk.errors import InputError
from xxgk.export import to_dict
from xxgk.pipeline import parse_file
from xxgk.records import CellRef, Finding, Number, Report
from xxgk.validate import validate_series

if TYPE_CHECKING:  # rich is imported where a table is drawn: `xxgk parse` never draws one
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

# Severities that make the exit status 1.  ``uncertain`` (an empty operand) is shown but does not fail a report:
# a "/" in a table is the report's own choice, not a break.
FAILING = frozenset({"error", "warning"})

# Operand lists longer than this are shortened in the table to their non-zero cells (a column total has 20+).
_MAX_CELLS = 6

EPILOG = """\
examples:
  xxgk check corpus/000_875ca7f37e0dab6a.txt       findings of one report as a table
  xxgk check corpus/                               every *.txt under a directory, recursively
  xxgk check corpus/*.txt --format json            [{"source": …, "findings": […]}, …]

severities: error (an identity of the national format is broken, e.g. a total that is not the sum of its row),
warning (implausible: the prose contradicts the table, in_force < issued, template or year mismatch, carry-over
differs from last year's report of the same agency), uncertain (an operand is empty "/" or missing).
The rules and their ids are documented in docs/checks.md.

exit status: 0 no error or warning findings (uncertain ones allowed); 1 at least one error or warning finding;
2 a file could not be read (or a usage error).  When both happen, 2 wins.
"""


def register(subparsers: Any) -> None:  # argparse's _SubParsersAction is private, hence Any
    """Add the ``check`` subcommand to the ``xxgk`` command's subparsers."""
    p = subparsers.add_parser(
        "check",
        help="check the consistency rules (勾稽关系) of report files",
        description="Parse report files and report every consistency finding: breaks, warnings, uncertain checks.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="+", metavar="FILE_OR_DIR", help="report text file(s) or directories of *.txt")
    p.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="table: one readable table per file (default); json: a list of {source, findings}",
    )
    p.add_argument(
        "--lang", choices=("en", "zh"), default="en", help="language of the messages in the table (JSON has both)"
    )
    p.set_defaults(run=run_check)


def expand(paths: Sequence[str]) -> Iterator[Path]:
    """The files to check: each file as given, each directory's ``*.txt`` files recursively in name order."""
    for name in paths:
        p = Path(name)
        if p.is_dir():
            yield from sorted(q for q in p.rglob("*.txt") if q.is_file())
        else:
            yield p


def run_check(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Run ``xxgk check``; returns the exit status documented in :data:`EPILOG`."""
    files = list(expand(args.paths))
    if not files:
        err.print("xxgk: no report files found", highlight=False, soft_wrap=True)
        return 2
    reports: dict[str, Report] = {}
    errors: dict[str, str] = {}
    for path in files:
        try:
            reports[str(path)] = parse_file(path)
        except InputError as exc:
            err.print(f"xxgk: {exc}", markup=False, highlight=False, soft_wrap=True)
            errors[str(path)] = exc.message
    extra = dict(zip(reports, validate_series(list(reports.values())), strict=True))
    findings = {source: (*report.findings, *extra[source]) for source, report in reports.items()}
    if args.format == "json":
        rows = [
            {"source": source, "findings": _json_findings(findings[source])}
            if source in findings
            else {"source": source, "error": errors[source], "findings": []}
            for source in map(str, files)
        ]
        out.file.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        for source, fs in findings.items():
            out.print(render(source, fs, lang=args.lang))
    if errors:
        return 2
    return 1 if any(f.severity in FAILING for fs in findings.values() for f in fs) else 0


def _json_findings(findings: Sequence[Finding]) -> list[dict[str, Any]]:
    # The JSON contract's own rendering of findings, so `check` and `parse --format json` agree.
    report = Report(source=None, template=None, year=None, agency=None, title=None, findings=tuple(findings))
    result: list[dict[str, Any]] = to_dict(report)["findings"]
    return result


_STYLE = {"error": "bold red", "warning": "yellow", "uncertain": "dim"}


def render(source: str, findings: Sequence[Finding], *, lang: str = "en") -> Table | Text:
    """One file's findings as a rich table (or a one-line all-clear)."""
    from rich.table import Table
    from rich.text import Text

    if not findings:
        return Text(f"{source}: no findings", style="green")
    counts = {s: sum(f.severity == s for f in findings) for s in _STYLE}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    table = Table(title=f"{source} — {summary}", title_justify="left", show_lines=True)
    table.add_column("rule", no_wrap=True)
    for name in ("expected", "actual", "line"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("cells and message", overflow="fold")
    for f in findings:
        message = f.message_zh if lang == "zh" else f.message_en
        table.add_row(
            Text.assemble((f.severity, _STYLE[f.severity]), "\n", f.rule),
            _num(f.expected),
            _num(f.actual),
            "" if not f.cells or f.cells[0].line is None else str(f.cells[0].line),
            Text.assemble(_cells(f.cells), "\n" if f.cells else "", (message, "dim")),
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
