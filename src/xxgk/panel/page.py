"""One report's part of ``xxgk view``'s page: its status, its tables laid out (:mod:`.forms`), the values outside
them, its findings with their formulas, and the lines of its source the values link to."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from attrs import field, frozen

from xxgk import schema
from xxgk.errors import XxgkError
from xxgk.normalise.text import decode
from xxgk.panel.forms import Form, Layout, Slot, forms
from xxgk.panel.marks import formula, number_text
from xxgk.records import Finding, Report
from xxgk.scale.batch import Outcome

_LINE_END = re.compile(r"\r\n|\r|\n")  # the normaliser's line ends: line N here is line N of every position


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


def _split_lines(text: str) -> tuple[str, ...]:
    return tuple(_LINE_END.split(text))


def _finding_view(f: Finding) -> FindingView:
    refs = tuple((c.path, None if c.value is None else number_text(c.value), c.line) for c in f.cells)
    return FindingView(f, formula(f), refs)


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
    layout = Layout(r, lines)
    laid_out: list[Form] = []
    if r.template in schema.TEMPLATES and layout.every:
        laid_out = list(forms(layout, r.template))
    severities = {s: sum(f.severity == s for f in r.findings) for s in ("error", "warning", "uncertain")}
    return Page(
        anchor,
        outcome.source,
        _status(outcome, bool(layout.every), severities),
        report=r,
        forms=tuple(laid_out),
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
