"""``xxgk compare OLD NEW``: two reports' statutory cells side by side, the changes, and the findings about the
pair (:mod:`.comparison`), in the terminal or as JSON."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xxgk.export.jsontext import dumps
from xxgk.panel import options
from xxgk.panel.comparison import Comparison, compare, to_dict
from xxgk.panel.reports import FAILING, SEVERITY_STYLE, agency_key
from xxgk.pipeline import parse_file
from xxgk.records import Value

if TYPE_CHECKING:  # rich is imported where a comparison is drawn: every other command imports this module
    from rich.console import Console, Group
    from rich.text import Text


def _show(v: Value | None) -> Text:
    from rich.text import Text

    if v is None:
        return Text("—", style="dim")
    return Text("/" if v.value is None else str(v.value)) + Text(f" ·{v.line}", style="dim")


def render(c: Comparison, *, changed_only: bool = False, lang: str = "en") -> Group:
    """The comparison for the terminal: the two reports, the cells side by side (changes highlighted), findings."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    o, n = c.old, c.new
    head = Text()
    for label, report in (("old", o), ("new", n)):
        head.append(f"{label}: ", style="bold")
        head.append(f"{report.source} · {agency_key(report)} · {report.year} · template {report.template}\n")
    shown = [r for r in c.rows if r.changed or not changed_only]
    table = Table(
        title=f"{sum(r.changed for r in c.rows)} of {len(c.rows)} cells differ (value ·line)",
        title_justify="left",
        show_edge=False,
    )
    table.add_column("cell", no_wrap=True)
    table.add_column(str(o.year), justify="right", no_wrap=True)
    table.add_column(str(n.year), justify="right", no_wrap=True)
    table.add_column("change", justify="right", no_wrap=True)
    for r in shown:
        style = "yellow" if r.changed else ""
        delta = "" if r.change is None else f"{r.change:+}"
        table.add_row(Text(r.path, style=style), _show(r.old), _show(r.new), Text(delta, style=style))
    parts: list[Any] = [head, table]
    if c.findings:
        parts.append(Text(f"{len(c.findings)} finding(s):", style="bold"))
        for f in c.findings:
            message = f.message_zh if lang == "zh" else f.message_en
            parts.append(Text.assemble("  ", (f.severity, SEVERITY_STYLE[f.severity]), f" {f.rule}: {message}"))
    else:
        parts.append(Text("no findings about the pair", style="green"))
    return Group(*parts)


# --- the command ------------------------------------------------------------------------------------------------

EPILOG = """\
examples:
  xxgk compare reports/2022.txt reports/2023.txt             every cell side by side, changes highlighted
  xxgk compare reports/2022.txt reports/2023.txt --changed   only the cells that differ
  xxgk compare OLD NEW --format json                         {old, new, cells: [{path, old, new, change}], findings}

findings (docs/panel.md): applications.carry_over (NEW's 上年结转 = OLD's 结转下年度, consecutive years only),
panel.template_change, panel.jump (--jump-factor, --jump-floor), compare.agency (the two name different agencies),
compare.years (not consecutive years: carry-over not checked).  Each report's own findings: xxgk check.

exit status: 0 no error or warning finding about the pair; 1 at least one; 2 usage error; 3-10 a file could not
be read (as xxgk parse --help lists).
"""


def register(subparsers: Any) -> None:
    """Add the ``compare`` subcommand to the ``xxgk`` command's subparsers."""
    p = options.subcommand(
        subparsers,
        "compare",
        summary="two reports' cells side by side: changes and carry-over findings",
        description="Compare two reports (usually one agency's consecutive years) cell by cell.",
        epilog=EPILOG,
    )
    p.add_argument("old", type=Path, metavar="OLD", help="the earlier report file")
    p.add_argument("new", type=Path, metavar="NEW", help="the later report file")
    p.add_argument("--format", choices=("table", "json"), default="table", help="table (default) or JSON")
    p.add_argument("--changed", action="store_true", help="show only the cells that differ")
    options.add_jump_arguments(p)
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the printed messages")
    p.set_defaults(run=run_compare)


def run_compare(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Run ``xxgk compare``; returns the exit status documented in :data:`EPILOG`."""
    old, new = parse_file(args.old), parse_file(args.new)
    c = compare(old, new, jumps=options.jumps(args))
    if args.format == "json":
        out.file.write(dumps(to_dict(c, changed_only=args.changed)) + "\n")
    else:
        out.print(render(c, changed_only=args.changed, lang=args.lang))
    return 1 if any(f.severity in FAILING for f in c.findings) else 0
