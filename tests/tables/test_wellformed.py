"""The well-formed read (xxgk.tables.wellformed): taken where every cell fits, the same tables and diagnostics as
Lark's own parse, and given up at the first cell that does not fit.
"""

from __future__ import annotations

import pytest

from tests.tables.streams import both_ways, kinds, layout, render
from xxgk.records import Cell, Cells
from xxgk.tables.cells import Stream
from xxgk.tables.statutory import read_cell_stream
from xxgk.tables.wellformed import read_well_formed


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("row_marks", [False, True])
@pytest.mark.parametrize("header", [False, True])
def test_well_formed_path_places_what_the_tree_places(template: str, row_marks: bool, header: bool) -> None:
    """The fast path (the parse table's stack automaton) makes the lexer's choices, and reading the places off the
    parser's stack gives what the parser's tree gives: same tables, same diagnostics; a short row still gets its
    GAP."""
    rows = layout(template, header)
    rows = [(key, [*row, ""] if key is not None else row) for key, row in rows]  # spanned places: empty cells
    if row_marks:  # a row the marks show ended early (an empty cell opens the next): the lexer fills in GAPs
        short = next(i for i, (key, _) in enumerate(rows) if key is not None and key[0] == "granted")
        rows[short] = (rows[short][0], rows[short][1][:-3])
        rows[short + 1] = (rows[short + 1][0], ["", *rows[short + 1][1]])
    cells, _ = render(rows, row_marks)
    found = read_well_formed(template, Stream(Cells.of(cells)))
    assert found is not None
    assert any(-1 in r.cells for r in found) == row_marks
    _, diagnostics = both_ways(cells, template)
    assert "table.unmatched_cell" not in kinds(diagnostics)


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_well_formed_path_gives_way_where_a_cell_does_not_fit(template: str) -> None:
    """A cell the parser cannot take, or an end it cannot accept, sends the stream to the recovery parse."""
    cells, _ = render(layout(template))
    assert read_well_formed(template, Stream(Cells.of(cells))) is not None
    stray = [*cells[:5], Cell("某某情况", 99, 1), *cells[5:]]
    assert read_well_formed(template, Stream(Cells.of(stray))) is None
    assert read_well_formed(template, Stream(Cells.of(cells[:-3]))) is None
    assert kinds(read_cell_stream(stray, template)[1]) == ["table.unmatched_cell"]
