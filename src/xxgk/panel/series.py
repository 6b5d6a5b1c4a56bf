"""``xxgk panel``: the reports of many agencies over many years as one long table (:mod:`.rows`) of the panel
(:mod:`.grouping`), and its findings printed."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xxgk.errors import XxgkError
from xxgk.export.jsontext import dumps
from xxgk.panel import options
from xxgk.panel.grouping import Panel, build
from xxgk.panel.reports import FAILING, SEVERITY_STYLE
from xxgk.panel.rows import finding_rows, write
from xxgk.records import Report
from xxgk.scale.batch import Outcome

if TYPE_CHECKING:  # rich is imported where a table is drawn: every other command imports this module
    from rich.console import Console
    from rich.table import Table

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


def register(subparsers: Any) -> None:
    """Add the ``panel`` subcommand to the ``xxgk`` command's subparsers."""
    p = options.subcommand(
        subparsers,
        "panel",
        summary="one table of many agencies over many years, with last year's values and two-year checks",
        description="Group reports by agency and year; one row per agency × year × statutory cell, with the "
        "previous year's value and the change; check carry-over, jumps, template changes and missing years.",
        epilog=EPILOG,
    )
    options.add_paths_argument(p)
    p.add_argument("--out", type=Path, help="panel.csv or panel.parquet (the findings go beside it)")
    p.add_argument("--format", choices=("table", "json"), default="table", help="how the findings are printed")
    options.add_search_arguments(p)
    p.add_argument("--years", type=_span, metavar="FIRST-LAST", help="years every agency should have (2019-2023)")
    options.add_jump_arguments(p)
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the printed messages")
    p.set_defaults(run=run_panel)


def _span(text: str) -> tuple[int, int]:
    first, _, last = text.partition("-")
    try:
        span = (int(first), int(last or first))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not FIRST-LAST, e.g. 2019-2023") from None
    if span[0] > span[1]:
        raise argparse.ArgumentTypeError(f"{text!r}: the first year is after the last")
    return span


def split(outcomes: Iterable[Outcome]) -> tuple[list[Report], list[tuple[str, str]]]:
    """The reports of ``outcomes``, and (source, reason) for each file that could not be read."""
    parsed: list[Report] = []
    unreadable: list[tuple[str, str]] = []
    for outcome in outcomes:
        if outcome.report is not None:
            parsed.append(outcome.report)
        elif outcome.failure is not None:
            unreadable.append((outcome.source, outcome.failure.describe(outcome.source)))
    return parsed, unreadable


def run_panel(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Run ``xxgk panel``; returns the exit status documented in :data:`EPILOG`."""
    if args.out is not None and args.out.suffix not in (".csv", ".parquet"):
        raise XxgkError("--out must end in .csv or .parquet", source=str(args.out))
    parsed, unreadable = split(options.outcomes(args))
    for _, reason in unreadable:
        err.print(f"xxgk: {reason}", markup=False, highlight=False, soft_wrap=True)
    panel = build(parsed, jumps=options.jumps(args), years=args.years, unreadable=unreadable)
    if args.out is not None:
        extra = write(panel, args.out)
        err.print(f"panel: {args.out} · findings: {extra}", markup=False, highlight=False, soft_wrap=True)
    if args.format == "json":
        out.file.write(dumps(list(finding_rows(panel))) + "\n")
    else:
        out.print(render(panel, lang=args.lang))
    if unreadable:
        return 2
    return 1 if any(pf.finding.severity in FAILING for pf in panel.findings) else 0


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
            Text.assemble((f.severity, SEVERITY_STYLE[f.severity]), " ", f.rule),
            f.message_zh if lang == "zh" else f.message_en,
        )
    return table
