"""The readable summary of a Report (``xxgk parse`` without ``--format``, the REPL's ``:record``): its facts, the
section tree, the three statutory tables as grids, findings and diagnostic counts, drawn with rich (imported here
only when a summary is made)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xxgk import schema
from xxgk.records import Report, Section, Value

if TYPE_CHECKING:
    from rich.console import Console, Group
    from rich.table import Table
    from rich.tree import Tree

_SECTION_TITLES = {key: title for key, title, _ in schema.SECTIONS}


def _tree(report: Report) -> Tree:
    from rich.text import Text
    from rich.tree import Tree

    root = Tree(Text("sections", style="bold"))

    def add(node: Tree, s: Section) -> None:
        heading = f"{s.number or ''} {s.title}".strip() or f"({' '.join(s.text.split())[:20]}…)"
        label = Text(heading[:60])
        if s.key:
            label.append(f"  [{s.key}]", style="cyan")
        label.append(f"  line {s.line}", style="dim")
        child = node.add(label)
        for c in s.children:
            add(child, c)

    for s in report.sections:
        add(root, s)
    return root


def _grid(title: str, rows: dict[str, dict[str, Value]], columns: list[str]) -> Table:
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    table.add_column("row", no_wrap=True)
    for c in columns:
        # The first word of a key is enough to tell the columns apart and keeps the grid within 80 columns.
        table.add_column(c.split("_")[0], justify="right", no_wrap=True)
    for row, cols in rows.items():
        table.add_row(row, *(_show(cols.get(c)) for c in columns))
    return table


def _items(items: dict[str, dict[str, dict[str, Value]]]) -> Table:
    from rich.table import Table

    table = Table(title="active_disclosure", title_justify="left", show_edge=False, pad_edge=False)
    for name in ("item", "row", "values"):
        table.add_column(name, no_wrap=name != "values")
    for item, rows in items.items():
        for row, cols in rows.items():
            table.add_row(item, row, "  ".join(f"{c} {_show(v)}" for c, v in cols.items()))
    return table


def _show(v: Value | None) -> str:
    if v is None:
        return ""
    return "/" if v.value is None else str(v.value)


def summary(report: Report) -> Group:
    """A readable rich rendering: facts, section tree, the three tables, findings, diagnostic counts."""
    from rich.console import Group
    from rich.text import Text

    head = Text()
    head.append(report.title or "(no title)", style="bold")
    head.append(f"\ntemplate {report.template} · year {report.year} · agency {report.agency}")
    head.append(f"\nsource {report.source}", style="dim")
    parts: list[Any] = [head, _tree(report)]
    t = report.tables
    if t.active_disclosure:
        parts.append(_items(t.active_disclosure))
    if t.applications:
        parts.append(_grid("applications", t.applications, list(schema.applicant_column_keys())))
    if t.reviews:
        parts.append(_grid("reviews", t.reviews, [k for k, _ in schema.REVIEW_COLUMNS]))
    if not (t.active_disclosure or t.applications or t.reviews):
        parts.append(Text("no statutory tables found", style="yellow"))
    if report.findings:
        parts.append(Text(f"{len(report.findings)} finding(s):", style="bold red"))
        for f in report.findings:
            lines = ", ".join(f"{c.path}@{c.line}" for c in f.cells[:4])
            parts.append(Text(f"  [{f.severity}] {f.rule}: expected {f.expected}, got {f.actual}  ({lines})"))
    kinds: dict[str, int] = {}
    for d in report.diagnostics:
        kinds[d.kind] = kinds.get(d.kind, 0) + 1
    if kinds:
        parts.append(Text("diagnostics: " + ", ".join(f"{k}×{n}" for k, n in sorted(kinds.items())), style="dim"))
    if report.unparsed:
        parts.append(Text(f"{len(report.unparsed)} stretch(es) of text not placed (see --format json)", style="yellow"))
    return Group(*parts)


def print_summary(report: Report, console: Console) -> None:
    """Print :func:`summary` to ``console``."""
    console.print(summary(report))
