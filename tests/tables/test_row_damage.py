"""Damage to rows and columns that real reports show (``tests/forms.py``'s ``ROW_DAMAGE``): each case here is the
smallest stream of a wrong number the property test found with it, and holds the fix."""

from __future__ import annotations

import pytest

from tests.tables.streams import kinds, layout, placed, render
from xxgk.tables.statutory import read_cell_stream


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("row_marks", [True, False])
def test_a_slash_after_a_complete_row_is_a_value_too_many(template: str, row_marks: bool) -> None:
    """A "/" is the agency's not-applicable mark, never a converter's placeholder: one after a complete row is a
    value the row has too many (a value split in two, ``23`` -> ``2 3``, or a stray number before it), so the row's
    values are not certain — not fill dropped while the values, one column early, are placed.  Rows are shown by
    their marks (pipe rows) or not at all (one cell a line: the fill is what the stream ends with, so the row is
    the last)."""
    rows = layout(template)
    key = ("reviews",) if not row_marks else next(k for k, _ in rows if k is not None and k[0] == "art20_1")
    rows = [(k, [*r, "/"] if k == key else r) for k, r in rows]
    cells, numbers = render(rows, row_marks)
    tables, diagnostics = read_cell_stream(cells, template)
    got = placed(tables)
    assert "table.extra_value" in kinds(diagnostics)
    assert all(numbers[path] == value for path, value in got.items())
    unplaced = {path for path in numbers if path not in got}
    written = {r[i][1:] for k, r in rows if k == key for i in range(len(r)) if r[i].startswith("@")}
    assert unplaced == written


@pytest.mark.parametrize("row_marks", [True, False])
def test_numbered_rows_under_a_row_label_are_rows_of_their_own(row_marks: bool) -> None:
    """The applications table of the 2021 format read by the 2019 form (a 2020 report printed in the new table):
    2021's (六)其他处理 heads three numbered rows the 2019 form does not have, where 2019's (六)其他处理 is a row.
    Numbered text right after a row's label is a row of its own, so the values after "1.申请人无正当理由逾期不补正…"
    are its, not 2019's (六)其他处理 row's (they were placed as that row: a wrong number)."""
    cells, numbers = render(layout("2021"), row_marks)
    tables, diagnostics = read_cell_stream(cells, "2019")
    got = placed(tables)
    assert got
    assert {path: value for path, value in got.items() if numbers.get(path) != value} == {}
    assert "table.unmatched_cell" in kinds(diagnostics)
