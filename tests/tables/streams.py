"""Hand-made cell streams of both templates for the tests of the statutory layer: the three tables rendered from
schema.py's labels in the printed layout of the national format, every value distinct, so that a value placed under
the wrong key is caught."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from xxgk import schema
from xxgk.records import Cell, Diagnostic, Tables
from xxgk.tables.statutory import read_cell_stream

Row = list[str]


def item_rows(template: str, header: bool = True) -> Iterator[tuple[tuple[str, ...] | None, Row]]:
    """Rows of table 1: (key path or None, cells).  A value is named by its key path."""
    for item, (rows, cols) in schema.ACTIVE_DISCLOSURE[template].items():
        yield None, [schema.ART20_ITEMS[item]]
        if header:
            yield None, [schema.TABLE_HEADINGS["info_content"], *(label for _, label in cols)]
        for row, label in rows:
            yield (item, row), [label, *("@" + "/".join((item, row, col)) for col, _ in cols)]


def app_rows(template: str) -> Iterator[tuple[tuple[str, ...] | None, Row]]:
    cols = dict(schema.APPLICANT_COLUMNS)
    head = schema.TABLE_HEADINGS
    yield None, [head["balance_note"], head["applicant"]]
    yield None, [cols["natural_person"], head["legal_person"], cols["total"]]
    yield None, [label for key, label in schema.APPLICANT_COLUMNS if key not in ("natural_person", "total")]
    groups = {"granted": "results", "withheld.state_secret": "withheld", "unable.not_held": "unable"}
    groups |= {"not_processed.petition_complaint": "not_processed", "other.no_correction": "other"}
    for row, label in schema.APPLICATION_ROWS[template]:
        group = [schema.APPLICATION_GROUPS[groups[row]]] if row in groups else []
        yield (row,), [*group, label, *(f"@{row}/{col}" for col in schema.applicant_column_keys())]


def review_rows() -> Iterator[tuple[tuple[str, ...] | None, Row]]:
    groups = dict(schema.REVIEW_GROUPS)
    cols = [label for _, label in schema.REVIEW_COLUMNS]
    yield None, [groups["review"], schema.TABLE_HEADINGS["litigation"]]
    yield None, [*cols, groups["litigation_direct"], groups["litigation_after_review"]]
    yield None, cols + cols
    yield ("reviews",), [f"@{g}/{c}" for g, _ in schema.REVIEW_GROUPS for c, _ in schema.REVIEW_COLUMNS]


def layout(template: str, header: bool = True) -> list[tuple[tuple[str, ...] | None, Row]]:
    """The three tables of ``template`` as printed rows; value cells are ``@`` and their key path until numbered."""
    return [*item_rows(template, header), *app_rows(template), *review_rows()]


def render(
    rows: list[tuple[tuple[str, ...] | None, Row]], row_marks: bool = False
) -> tuple[list[Cell], dict[str, int]]:
    """Cells (one per line) with distinct numbers for the value cells, and the number each key path got."""
    cells: list[Cell] = []
    numbers: dict[str, int] = {}
    for _, row in rows:
        for n, text in enumerate(row):
            if text.startswith("@"):
                number = len(cells) + 1000
                # A key written twice has no single right value: -1, which no cell holds.
                numbers[text[1:]] = -1 if text[1:] in numbers else number
                text = str(number)
            cells.append(Cell(text, len(cells) + 1, 1, row_marks and n == 0))
    return cells, numbers


def placed(tables: Tables) -> dict[str, Any]:
    """Every placed value by its key path (table 1's without the table name, as the renderer names them)."""
    out: dict[str, Any] = {}
    for item, rows in tables.active_disclosure.items():
        for row, cols in rows.items():
            out |= {f"{item}/{row}/{col}": v.value for col, v in cols.items()}
    for row, cols in tables.applications.items():
        out |= {f"{row}/{col}": v.value for col, v in cols.items()}
    for group, cols in tables.reviews.items():
        out |= {f"{group}/{col}": v.value for col, v in cols.items()}
    return out


def kinds(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.kind for d in diagnostics]


def replace_cell(cells: list[Cell], old: str, *new: str) -> list[Cell]:
    """Replace the first cell whose text is ``old`` by cells ``new`` (same line)."""
    i = next(i for i, c in enumerate(cells) if c.text == old)
    return [*cells[:i], *(attrs.evolve(cells[i], text=t) for t in new), *cells[i + 1 :]]


def both_ways(cells: list[Cell], template: str) -> tuple[Tables, list[Diagnostic]]:
    """What the stage reads from ``cells``, after checking that Lark's own parse (the recovery path, which a
    well-formed stream never needs) reads the same."""
    read = read_cell_stream(cells, template)
    assert read == read_cell_stream(cells, template, reference=True)
    return read
