"""What ``xxgk panel``, ``xxgk compare`` and ``xxgk view`` share about reports: loading them from files and folders,
a report's statutory values as cells by path and the change between two, the agency key reports are grouped by
(:func:`agency_key`: the name as printed, with spaces, full/half width and Traditional characters folded, a
self-reference such as 我局 looked up in the title), and a finding as the JSON contract renders it."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

import opencc
from attrs import frozen

from xxgk import schema
from xxgk.export.report import to_dict
from xxgk.pipeline import parse
from xxgk.records import Finding, Number, Report, Value
from xxgk.scale.batch import Outcome, find_reports, parse_many

# Severities that make the exit status 1, as in ``xxgk check``.
FAILING = frozenset({"error", "warning"})

# How the terminal shows each severity.
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "uncertain": "dim"}


def load(paths: Sequence[str], glob: str | None = None, jobs: int | None = None) -> Iterator[Outcome]:
    """The outcome of every report file under ``paths`` (directories searched for ``glob``, or the report formats),
    ``jobs`` processes at a time: first the files that could not be found or opened, then the parsed ones."""
    files, failed = find_reports(paths, glob)
    yield from failed
    yield from parse_many(files, jobs)


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


def plain(n: Number | None) -> int | float | None:
    """``n`` as JSON and float64 columns take it: an amount (Decimal) as a float."""
    return float(n) if isinstance(n, Decimal) else n


def finding_dict(finding: Finding) -> dict[str, Any]:
    """``finding`` as the JSON contract renders it (the same as ``xxgk parse --format json``)."""
    report = Report(source=None, template=None, year=None, agency=None, title=None, findings=(finding,))
    result: dict[str, Any] = to_dict(report)["findings"][0]
    return result
