"""The four long tables of the CSV, Parquet and DataFrame export — ``cells``, ``reports``, ``findings``,
``diagnostics`` — as columns: each one's name, type and meaning (:data:`SCHEMAS`, documented in ``docs/outputs.md``
and pinned by ``tests/export/test_longform.py``), and the same types for pyarrow and pandas.  The rows are
:mod:`xxgk.export.longform`'s."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final, Literal

from attrs import frozen

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

Dtype = Literal["string", "int", "decimal"]


@frozen
class Column:
    """One column of a long table: its name, its type (``string``; ``int``, a nullable 64-bit integer; ``decimal``,
    an exact decimal number) and what it holds."""

    name: str
    dtype: Dtype
    doc: str


_HEAD: Final = (
    Column("source", "string", "the input as given on the command line or to parse_file (the path, not the base name)"),
)
_REPORT_FACTS: Final = (
    Column("template", "string", "2019, 2021, pre2019, or null when nothing tells"),
    Column("year", "int", "the report's year"),
    Column("agency", "string", "the reporting agency"),
)
CELLS: Final = (
    *_HEAD,
    *_REPORT_FACTS,
    Column("table", "string", "active_disclosure, applications or reviews"),
    Column("item", "string", "active_disclosure only: the 第二十条 item (art20_1 …); null otherwise"),
    Column("row", "string", "row key (applications), group key (reviews), row key within the item (active_disclosure)"),
    Column("column", "string", "column key"),
    Column("count", "int", "the value of a count cell; null for an amount cell or a not-applicable cell (/)"),
    Column("amount", "decimal", "the value of an amount cell (万元), exact; null for a count cell or /"),
    Column("status", "string", "ok, odd, repaired, uncertain or null: see docs/outputs.md"),
    Column("diagnostics", "string", "space-separated ids of the diagnostics touching the cell"),
    Column("findings", "string", "space-separated ids of the findings naming the cell"),
    Column("line", "int", "1-based line of the cell in the original input"),
    Column("char", "int", "1-based character column of the cell in that line of the original input"),
    Column("raw", "string", "the cell's text as read (after normalisation: Simplified, half-width)"),
    Column("report_status", "string", "the reports table's status of the input the cell comes from"),
    Column("error", "string", "set on the one row of an input without cells: why (failed, no tables, pre-2019 …)"),
)
REPORTS: Final = (
    *_HEAD,
    Column("status", "string", "complete, partial, no_tables, pre2019, not_a_report or failed: see docs/outputs.md"),
    *_REPORT_FACTS,
    Column("title", "string", "the report's title"),
    Column("cells", "int", "statutory values read (a / counts: it was read)"),
    Column("cells_expected", "int", "statutory cells of the template (null without a 2019/2021 template)"),
    Column("cells_ok", "int", "cells whose status is ok"),
    Column("diagnostics", "int", "diagnostics of the report"),
    Column("findings", "int", "findings of the report (every severity)"),
    Column("failing_findings", "int", "findings of severity error or warning"),
    Column("error_kind", "string", "failed only: the exception class (EmptyInputError, BinaryInputError …)"),
    Column("error", "string", "failed only: source:line:column: why the input could not be read"),
)
FINDINGS: Final = (
    *_HEAD,
    Column("id", "int", "the finding's index in the report's findings (the JSON list), as the cells table names it"),
    Column("rule", "string", "rule id (docs/checks.md)"),
    Column("severity", "string", "error, warning or uncertain"),
    Column("expected", "decimal", "the value the rule expects"),
    Column("actual", "decimal", "the value the report states"),
    Column("cells", "string", "the key paths compared, space-separated (stated cell first)"),
    Column("line", "int", "line of the first cell that has one"),
    Column("message_en", "string", "the finding in English"),
    Column("message_zh", "string", "the finding in Chinese"),
)
DIAGNOSTICS: Final = (
    *_HEAD,
    Column("id", "int", "the diagnostic's index in the report's diagnostics (the JSON list)"),
    Column("kind", "string", "dotted kind (normalise.bookmark, value.odd, table.unmatched_cell …)"),
    Column("message", "string", "what was repaired or doubted"),
    Column("line", "int", "1-based line in the original input"),
    Column("char", "int", "1-based character column in that line"),
    Column("excerpt", "string", "the original text concerned"),
)
SCHEMAS: Final[dict[str, tuple[Column, ...]]] = {
    "cells": CELLS,
    "reports": REPORTS,
    "findings": FINDINGS,
    "diagnostics": DIAGNOSTICS,
}
"""The four long tables and their columns, in order."""

TABLE_NAMES: Final = tuple(SCHEMAS)


def names(table: str) -> tuple[str, ...]:
    """The column names of ``table``."""
    return tuple(c.name for c in SCHEMAS[table])


# --- typed containers -----------------------------------------------------------------------------------------------

# Amounts are 万元 with a few decimal places; 38 digits with 10 after the point hold any a report prints.
DECIMAL_PRECISION: Final = 38
DECIMAL_SCALE: Final = 10


def arrow_schema(table: str) -> pa.Schema:
    """The pyarrow schema of ``table`` (needs pyarrow)."""
    import pyarrow as pa

    types = {"string": pa.string(), "int": pa.int64(), "decimal": pa.decimal128(DECIMAL_PRECISION, DECIMAL_SCALE)}
    # pandas metadata, as pyarrow writes it for a DataFrame, so that pandas.read_parquet gives the documented dtypes
    # (nullable Int64 counts, not floats where a value is null) without being told.
    kinds = {"string": ("unicode", "string"), "int": ("int64", "Int64"), "decimal": ("decimal", "object")}
    columns = [
        {"name": c.name, "field_name": c.name, "pandas_type": kinds[c.dtype][0], "numpy_type": kinds[c.dtype][1]}
        for c in SCHEMAS[table]
    ]
    meta = {"index_columns": [], "column_indexes": [], "columns": columns, "creator": {"library": "xxgk"}}
    fields = [(c.name, types[c.dtype]) for c in SCHEMAS[table]]
    return pa.schema(fields, metadata={b"pandas": json.dumps(meta).encode()})


PANDAS_DTYPES: Final[dict[Dtype, str]] = {"string": "string", "int": "Int64", "decimal": "object"}
"""pandas dtype of each column type: ``string``, nullable ``Int64``, and ``object`` holding ``decimal.Decimal``."""


def empty_frame(table: str) -> pd.DataFrame:
    """An empty DataFrame with the columns and dtypes of ``table`` (needs pandas)."""
    import pandas as pd

    return pd.DataFrame({c.name: pd.Series(dtype=PANDAS_DTYPES[c.dtype]) for c in SCHEMAS[table]})


def frame(table: str, records: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """``records`` (rows of ``table``) as a DataFrame with the table's columns and dtypes (needs pandas)."""
    import pandas as pd

    data = list(records)
    columns = SCHEMAS[table]
    return pd.DataFrame(
        {c.name: pd.Series([r[c.name] for r in data], dtype=PANDAS_DTYPES[c.dtype]) for c in columns},
        columns=[c.name for c in columns],
    )
