"""An :class:`~xxgk.scale.batch.Outcome` made ready for an output, in the worker process that parsed it: the JSON
text, a JSON line, or the rows of a long table (a JSON line or table rows pickle far faster than the Report they come
from).  A failed file is rendered too — a JSON line or a row with its error — so it is never lost from an output."""

from __future__ import annotations

import os
from typing import Any

import attrs
from attrs import frozen

from xxgk.export import columns
from xxgk.export.jsontext import dumps
from xxgk.export.report import to_dict, to_json
from xxgk.scale.batch import Failure, Outcome, Status, parse_one, parse_parts

CELL_COLUMNS = columns.names("cells")
"""Columns of the default CSV and Parquet output: one row per statutory value, or one row per input without any
(``error`` says why).  ``--table`` writes the other long tables (:data:`xxgk.export.columns.SCHEMAS`)."""


@frozen
class Rendered:
    """One file ready for the output: its status and counts, and the output itself."""

    source: str
    status: Status
    failure: Failure | None
    findings: bool
    diagnostics: bool
    output: Any


def render(fmt: str, path: str | os.PathLike[str], table: str = "cells", split: bool = False) -> list[Rendered]:
    """Parse ``path`` and render it for format ``fmt`` (the work each batch process does): one item, or with
    ``split`` one per report the file holds."""
    outcomes = parse_parts(path) if split else [parse_one(path)]
    return [rendered(fmt, outcome, table) for outcome in outcomes]


def rendered(fmt: str, outcome: Outcome, table: str = "cells") -> Rendered:
    """``outcome`` rendered for format ``fmt``: the Report itself (summary), JSON text, a JSON line, the rows of
    long table ``table`` — or, for ``table`` ``all``, a mapping of every long table's name to its rows."""
    output: Any
    if fmt == "summary":
        output = outcome.report
    elif fmt == "json":
        output = None if outcome.report is None else to_json(outcome.report)
    elif fmt == "jsonl":
        output = dumps(jsonl_record(outcome), indent=False)
    elif table == "all":
        output = {name: table_rows(name, outcome) for name in columns.TABLE_NAMES}
    else:
        output = table_rows(table, outcome)
    r = outcome.report
    findings, diagnostics = (bool(r.findings), bool(r.diagnostics)) if r else (False, False)
    return Rendered(outcome.source, outcome.status, outcome.failure, findings, diagnostics, output)


def table_rows(table: str, outcome: Outcome) -> list[dict[str, Any]]:
    """The rows of long table ``table`` (:data:`xxgk.export.columns.SCHEMAS`) for one outcome; a failed file is one
    row of ``cells`` and of ``reports`` and none of ``findings`` and ``diagnostics``."""
    from xxgk.export import longform  # here: JSON and the summary, a one-file run's formats, have no long table

    if outcome.report is not None:
        return longform.rows(table, outcome.source, outcome.report)
    assert outcome.failure is not None
    error = outcome.failure.describe(outcome.source)
    if table == "cells":
        return [longform.placeholder_cell(outcome.source, None, "failed", f"{outcome.failure.kind}: {error}")]
    if table == "reports":
        return [longform.report_row(outcome.source, None, error_kind=outcome.failure.kind, error=error)]
    return []


def jsonl_record(outcome: Outcome) -> dict[str, Any]:
    """One JSON Lines record: the report's JSON contract, or ``{"source", "error"}`` for a failed file."""
    if outcome.report is not None:
        return to_dict(outcome.report)
    assert outcome.failure is not None
    return {"source": outcome.source, "error": attrs.asdict(outcome.failure)}
