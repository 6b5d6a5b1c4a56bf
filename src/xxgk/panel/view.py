"""``xxgk view``: one self-contained HTML page (no server, no network) to look at reports.

Each report's three tables are laid out like the statutory form; every value links to its line in the report's
source, shown beside the tables, and its tooltip gives the line in context.  Cells that break an identity are
highlighted with the formula and both sides; odd, repaired and uncertain cells are marked; the diagnostics are
listed with links to their lines.  For several reports an index (status and findings per report) and a chart of
the corpus (applications received and their outcomes per year, inline SVG) come first.

The page is rendered by Jinja2 templates (``xxgk/panel/templates``) with autoescaping on; what they show is made
from the public records by :mod:`.page` (with :mod:`.forms` and :mod:`.marks`) and :mod:`.chart`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xxgk.errors import XxgkError
from xxgk.panel import options
from xxgk.panel.chart import chart
from xxgk.panel.page import page
from xxgk.scale.atomic import atomic_output
from xxgk.scale.batch import Outcome

if TYPE_CHECKING:  # jinja2 and rich are imported where a page is made: every other command imports this module
    import jinja2
    from rich.console import Console


def environment() -> jinja2.Environment:
    """The Jinja2 environment of the page's templates (installed in ``xxgk/panel/templates``), autoescaping on."""
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


def register(subparsers: Any) -> None:
    """Add the ``view`` subcommand to the ``xxgk`` command's subparsers."""
    p = options.subcommand(
        subparsers,
        "view",
        summary="one self-contained HTML page of reports: the tables as printed, every value linked to its line",
        description="Write one HTML file (no server, no network) showing reports' tables, findings and diagnostics.",
        epilog=EPILOG,
    )
    options.add_paths_argument(p)
    p.add_argument("-o", "--out", type=Path, required=True, help="the HTML file to write")
    options.add_search_arguments(p)
    p.set_defaults(run=run_view)


def run_view(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Run ``xxgk view``; returns the exit status documented in :data:`EPILOG`."""
    outcomes = list(options.outcomes(args))
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
